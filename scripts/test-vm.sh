#!/usr/bin/env bash
# make test-vm: the agent inside a QEMU guest (kata-agent/vm/vm.sh: cgroup v2 only), reached from the host over the
# network transport. First a subset of the agent's tests that covers every status and limit
# (kata-agent/tests/guest_tests.py), then the same subset and the API docs' examples over HTTP through the service,
# whose agent is the guest's (tests/guest/http_tests.py). As root.
#
# Without KVM the guest runs under software emulation, many times slower than the host: the runs' wall limit is
# raised for this test only, for the guest's agent and the service alike (SANDBOX_WALL_LIMIT_MS, default here 60000);
# the tests assert statuses, never speeds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

export SANDBOX_WALL_LIMIT_MS=${SANDBOX_WALL_LIMIT_MS:-60000}
work=$(mktemp -d /tmp/sandbox-vm.XXXXXX)
state="$root/kata-agent/build/vm/test-$$"
secret="$work/agent.secret"
(umask 077 && openssl rand -hex 32 > "$secret")
port=$(free_port)
stop_guest() {
  bash kata-agent/vm/vm.sh stop --state "$state"
  [ "${1:-0}" = 0 ] || { echo "test-vm: the guest's console:" >&2; tail -n 30 "$state/console.log" >&2; }
  rm -rf "$work" "$state"
}
trap 'stop_guest $?' EXIT

started=$SECONDS
# the guest boots while PostgreSQL and the service start: the service is ready once the guest's agent answers
bash kata-agent/vm/vm.sh start --port "$port" --secret-file "$secret" --state "$state" &
boot=$!
export SANDBOX_TEST_AGENT_URL="tcp://127.0.0.1:$port" SANDBOX_AGENT_SECRET_FILE="$secret"
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh || { stop_guest 1; exit 1; }
trap 'rc=$?; sandbox_test_env_stop; stop_guest $rc' EXIT
wait "$boot"
echo "test-vm: guest and service up in $((SECONDS - started)) s"

export KA_TEST_AGENT_URL="tcp://127.0.0.1:$port" KA_TEST_SECRET_FILE="$secret"
echo "test-vm: the agent's cases, over $KA_TEST_AGENT_URL"
/usr/bin/python3 kata-agent/tests/guest_tests.py guest

echo "test-vm: the service's, over HTTP at $SANDBOX_TEST_URL"
/usr/bin/python3 tests/guest/http_tests.py

# last: by now the guest's pool has long warmed up, and nothing else runs to take its member
echo "test-vm: a warm run in the guest"
/usr/bin/python3 kata-agent/tests/guest_tests.py guest_warm
echo "test-vm: done in $((SECONDS - started)) s"
