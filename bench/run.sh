#!/usr/bin/env bash
# make bench: starts the service (scripts/test-env.sh) and a second agent without warm pools (the cold path, for
# comparison in the same invocation), and regenerates bench/README.md (see bench/lib/bench.js). BENCH_QUICK=1 cuts
# every part short and BENCH_OUT=FILE writes elsewhere: for trying the bench out.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
export BENCH_COLD_AGENT_SOCKET="$SANDBOX_TEST_DIR/cold-agent.sock"
cold_agent=$(agent_start "$BENCH_COLD_AGENT_SOCKET" "$SANDBOX_TEST_DIR/cold-agent.log" --pool-python 0 --pool-javascript 0)
trap 'stop_pid "$cold_agent" 5; sandbox_test_env_stop' EXIT
(node bench/lib/bench.js "${BENCH_OUT:-bench/README.md}")
