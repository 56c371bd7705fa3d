#!/usr/bin/env bash
# Compares builds of the service (uber-jars): bench/compare-jars.sh NAME=JAR... starts each jar on a port of its own
# against one fresh database and one agent (scripts/test-env.sh), and measures them in interleaved rounds (see
# bench/lib/compare.js for what and its settings). Needs root (the agent's jail does).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 2 ] || { echo "usage: bench/compare-jars.sh NAME=JAR NAME=JAR..." >&2; exit 2; }

SANDBOX_TEST_SERVICE=0
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh

pids=() targets=()
stop_builds() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  sandbox_test_env_stop
}
trap stop_builds EXIT
for build in "$@"; do
  name=${build%%=*}
  port=$(free_port)
  pids+=("$(SANDBOX_JAR=${build#*=} service_start "$port" "$SANDBOX_TEST_DIR/$name.log")")
  targets+=("$name=http://localhost:$port")
done
for i in "${!pids[@]}"; do
  wait_ready "${targets[$i]#*=}" "${pids[$i]}" "$SANDBOX_TEST_DIR/${targets[$i]%%=*}.log"
done
node bench/lib/compare.js "${targets[@]}"
