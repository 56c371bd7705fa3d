#!/usr/bin/env bash
# What the API service adds on top of the agent: its start-up time to ready, its resident memory, and per
# POST /v1/code-sandbox/execute of a warm print(1): the CPU time of the service's JVM and of the PostgreSQL backends
# serving its database (from /proc/PID/stat, so the rest of a shared machine does not count), with 1 and with 4
# keep-alive clients, and the median latency over HTTP next to the same run sent straight to the agent's socket and
# to an HTTP no-op (bench/lib/service-cost.js, after a warm-up for the JIT). Needs root and a build (make build).
#
#   bench/server-overhead.sh [ROUNDS] [NAME=JAR...]
#
# ROUNDS defaults to 3. Without jars it measures this checkout's target/sandbox.jar; with several, they run side by
# side on one agent and database and every round measures each in turn (A/B of builds; the PostgreSQL figure then
# also counts the other builds' backends, idle while one is measured). A JAR may be NAME=JAR@JVM-OPTIONS (one
# argument, options separated by spaces), e.g. c2=target/sandbox.jar@-XX:TieredStopAtLevel=4 for a JIT choice.
# The COST_* settings of service-cost.js pass through.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-3}
shift || true
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=("service=target/sandbox.jar")
[ "$(id -u)" = 0 ] || { echo "server-overhead: needs root (the agent's jail does)" >&2; exit 1; }

# PostgreSQL with a fresh database and the agent; the services are started below, to time their start-up
SANDBOX_TEST_SERVICE=0
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh

service_pids=()
trap 'for pid in "${service_pids[@]}"; do stop_pid "$pid"; done; sandbox_test_env_stop' EXIT

echo "API service overhead ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"
targets=()
for build in "${builds[@]}"; do
  name=${build%%=*} jar=${build#*=} options=
  [[ $jar == *@* ]] && options=${jar#*@} jar=${jar%%@*}
  port=$(free_port)
  started=$(date +%s%N)
  pid=$(SANDBOX_JAR=$(realpath "$jar") SANDBOX_JAVA_OPTS="${SANDBOX_JAVA_OPTS:-} $options" \
    service_start "$port" "$SANDBOX_TEST_DIR/$name.log")
  service_pids+=("$pid")
  wait_ready "http://localhost:$port" "$pid" "$SANDBOX_TEST_DIR/$name.log"
  startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  payara_ms=$(grep -o 'ready in [0-9,]* (ms)' "$SANDBOX_TEST_DIR/$name.log" | tr -dc '0-9')
  echo "$name: start-up to ready ${startup_ms} ms (Payara Micro reports ready in ${payara_ms} ms)"
  targets+=("$name=http://localhost:$port=$(pgrep -P "$pid" java || echo "$pid")")
done

SANDBOX_DB_USER=$SANDBOX_DB_USER COST_ROUNDS=$rounds node bench/lib/service-cost.js "${targets[@]}"
for target in "${targets[@]}"; do
  echo "${target%%=*}: RSS after the runs $(( $(ps -o rss= -p "${target##*=}" | tr -d ' ') / 1024 )) MB"
done
