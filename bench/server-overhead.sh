#!/usr/bin/env bash
# What the API service adds on top of the agent: its start-up time to ready, its resident memory, and per
# POST /v1/code-sandbox/execute of a warm print(1): the CPU time of the service's JVM and of the PostgreSQL backends
# serving its database (from /proc/PID/stat, so the rest of a shared machine does not count), with 1 and with 4
# keep-alive clients, and the median latency over HTTP next to the same run sent straight to the agent's socket
# (bench/lib/service-cost.js, after a warm-up for the JIT). Needs root and a build (make build).
# Usage: bench/server-overhead.sh [rounds] (default 3; settings of service-cost.js, COST_*, pass through)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-3}
[ "$(id -u)" = 0 ] || { echo "server-overhead: needs root (the agent's jail does)" >&2; exit 1; }

# PostgreSQL with a fresh database and the agent; the service is started below, to time its start-up
SANDBOX_TEST_SERVICE=0
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh

port=$(free_port)
url="http://localhost:$port"
started=$(date +%s%N)
service_pid=$(service_start "$port" "$SANDBOX_TEST_DIR/service.log")
trap 'stop_pid "$service_pid"; sandbox_test_env_stop' EXIT
wait_ready "$url" "$service_pid" "$SANDBOX_TEST_DIR/service.log"
startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
payara_ms=$(grep -o 'ready in [0-9,]* (ms)' "$SANDBOX_TEST_DIR/service.log" | tr -dc '0-9')
java_pid=$(pgrep -P "$service_pid" java || echo "$service_pid")

echo "API service overhead ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"
echo "start-up to ready: ${startup_ms} ms (Payara Micro reports ready in ${payara_ms} ms)"
SANDBOX_TEST_URL=$url SERVICE_JAVA_PID=$java_pid SANDBOX_DB_USER=$SANDBOX_DB_USER COST_ROUNDS=$rounds \
  node bench/lib/service-cost.js
echo "RSS after the runs: $(( $(ps -o rss= -p "$java_pid" | tr -d ' ') / 1024 )) MB"
