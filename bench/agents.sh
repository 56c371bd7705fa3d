#!/usr/bin/env bash
# One agent against two on this machine: bench/agents.sh starts one database, two agents and two instances of the
# same service jar, one sending every run to the first agent (the default, SANDBOX_AGENTS unset) and one routing
# between both agents (SANDBOX_AGENTS), and measures them in interleaved rounds (bench/lib/compare.js: median
# latency of print(1) and throughput at COMPARE_CLIENTS clients). Both agents share this machine's cores, so two
# agents cannot serve more than one here: what it shows is what the routing costs. Needs root and `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."

SANDBOX_TEST_SERVICE=0
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh

second_agent='' one='' two=''
stop_all() {
  local pid
  for pid in "$one" "$two" "$second_agent"; do [ -n "$pid" ] && stop_pid "$pid"; done
  sandbox_test_env_stop
}
trap stop_all EXIT

second_socket=$SANDBOX_TEST_DIR/agent-2.sock
second_agent=$(agent_start "$second_socket" "$SANDBOX_TEST_DIR/agent-2.log")
port_one=$(free_port)
port_two=$(free_port)
one=$(service_start "$port_one" "$SANDBOX_TEST_DIR/one-agent.log")
two=$(SANDBOX_AGENTS="$SANDBOX_AGENT_SOCKET,$second_socket" service_start "$port_two" "$SANDBOX_TEST_DIR/two-agents.log")
wait_ready "http://localhost:$port_one" "$one" "$SANDBOX_TEST_DIR/one-agent.log"
wait_ready "http://localhost:$port_two" "$two" "$SANDBOX_TEST_DIR/two-agents.log"
node bench/lib/compare.js "one-agent=http://localhost:$port_one" "two-agents=http://localhost:$port_two"
