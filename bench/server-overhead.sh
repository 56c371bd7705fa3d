#!/usr/bin/env bash
# What the API service adds on top of the agent: its start-up time to ready, its resident memory, and the median
# end-to-end latency of print(1) over HTTP next to the same run sent straight to the agent's socket (and next to an
# HTTP request that does nothing, the floor of curl + HTTP). One hyperfine invocation measures all three, so they
# share the machine's state. Needs root and a build (make build). Usage: bench/server-overhead.sh [runs] (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-40}
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

printf 'print(1)' >"$SANDBOX_TEST_DIR/code.py"
printf '{"code":"print(1)","language":"python"}' >"$SANDBOX_TEST_DIR/request.json"
hyperfine --style none --warmup 10 --runs "$runs" --export-json "$SANDBOX_TEST_DIR/latency.json" \
  -n http_execute "curl -sf -o /dev/null -X POST $url/v1/code-sandbox/execute -H 'Content-Type: application/json' -H 'Authorization: Bearer $SANDBOX_TEST_API_KEY' --data-binary @$SANDBOX_TEST_DIR/request.json" \
  -n agent_socket "kata-agent/build/kata-agent call --socket $SANDBOX_AGENT_SOCKET --language python < $SANDBOX_TEST_DIR/code.py" \
  -n http_floor "curl -sf -o /dev/null $url/health/live" >/dev/null
rss_mb=$(( $(ps -o rss= -p "$(pgrep -P "$service_pid" java || echo "$service_pid")" | tr -d ' ') / 1024 ))

echo "API service overhead ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg), $runs runs each)"
echo "start-up to ready: ${startup_ms} ms (Payara Micro reports ready in ${payara_ms} ms); RSS after the runs: ${rss_mb} MB"
jq -r '[.results[] | {(.command): (.median * 1000)}] | add as $m
  | "median print(1): over HTTP \($m.http_execute | .*100 | round / 100) ms, straight to the agent socket \($m.agent_socket | .*100 | round / 100) ms, service overhead \($m.http_execute - $m.agent_socket | .*100 | round / 100) ms (an HTTP no-op: \($m.http_floor | .*100 | round / 100) ms)"' \
  "$SANDBOX_TEST_DIR/latency.json"
