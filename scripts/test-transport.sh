#!/usr/bin/env bash
# The service with its agent reached over the network transport (part of make test-server): the agent listens on a
# loopback TCP port with a shared secret, the service is given only SANDBOX_AGENT_URL and SANDBOX_AGENT_SECRET_FILE,
# and runs go through it as through the Unix socket. A wrong secret in the service's file makes the agent refuse
# it (not ready, runs 503 and unbilled); the right one, put back, works again without a restart.
set -euo pipefail
cd "$(dirname "$0")/.."
SANDBOX_TEST_AGENT_TRANSPORT=tcp
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh

dir=$SANDBOX_TEST_DIR

field() { # file, field: the JSON value (jq -c)
  jq -c ".$2" "$1"
}

usage_records() {
  PGPASSWORD=$SANDBOX_DB_PASSWORD psql -X -tA -U "$SANDBOX_DB_USER" "${SANDBOX_DB_URL#jdbc:}" \
    -c "SELECT count(*) FROM usage_record"
}

refusals() {
  grep -c 'refused a tcp connection' "$dir/agent.log" || true
}

curl -s "$SANDBOX_TEST_URL/health/ready" >"$dir/ready.json"
check "ready, with the agent reached over tcp" \
  test "$(jq -r '.checks[] | select(.name == "agent") | .data.transport' "$dir/ready.json")" = tcp

status=$(execute "$dir/py.json" '{"code":"print(sum(range(101)))","language":"python"}')
check "python over tcp: 200" test "$status" = 200
check "... completed with its output" test "$(field "$dir/py.json" status)/$(field "$dir/py.json" stdout)" = '"completed"/"5050\n"'
status=$(execute "$dir/js.json" '{"code":"console.log([1,2,3].map(x => x * 2).join())","language":"javascript"}')
check "javascript over tcp: completed" test "$status/$(field "$dir/js.json" stdout)" = '200/"2,4,6\n"'
status=$(execute "$dir/fail.json" '{"code":"import sys; sys.exit(3)","language":"python"}')
check "a failing program over tcp: failed, exit code 3" \
  test "$status/$(field "$dir/fail.json" status)/$(field "$dir/fail.json" exitCode)" = '200/"failed"/3'
status=$(execute "$dir/stdin.json" '{"code":"print(input()[::-1])","language":"python","stdin":"olleh\n"}')
check "stdin over tcp" test "$status/$(field "$dir/stdin.json" stdout)" = '200/"hello\n"'
check "the service proved the secret every time (no refusal in the agent's log)" test "$(refusals)" = 0

# a wrong secret in the service's file: the agent refuses the service, which is then not ready and bills nothing
right=$(cat "$SANDBOX_AGENT_SECRET_FILE")
before=$(usage_records)
(umask 077 && openssl rand -hex 32 >"$SANDBOX_AGENT_SECRET_FILE")
status=$(execute "$dir/wrong.json" '{"code":"print(1)","language":"python"}')
check "with a wrong secret a run gets 503" test "$status" = 503
check "... and is not billed" test "$(usage_records)" = "$before"
check "... the agent logged its refusal" test "$(refusals)" -ge 1
check "... and the service is not ready" test "$(curl -s -o /dev/null -w '%{http_code}' "$SANDBOX_TEST_URL/health/ready")" = 503
# a secret file others may read is refused by the service itself, before it connects
printf '%s\n' "$right" >"$SANDBOX_AGENT_SECRET_FILE"
chmod 644 "$SANDBOX_AGENT_SECRET_FILE"
refused_before=$(refusals)
curl -s "$SANDBOX_TEST_URL/health/ready" >"$dir/loose.json"
check "a world-readable secret file: not ready, saying why" \
  grep -q 'readable by nobody else' "$dir/loose.json"
check "... and nothing was sent to the agent" test "$(refusals)" = "$refused_before"
chmod 600 "$SANDBOX_AGENT_SECRET_FILE"
status=$(execute "$dir/back.json" '{"code":"print(\"back\")","language":"python"}')
check "the right secret put back works without a restart" test "$status/$(field "$dir/back.json" stdout)" = '200/"back\n"'

checks_done transport
