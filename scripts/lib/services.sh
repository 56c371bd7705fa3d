# Sourced helpers to start the kata-agent and the service in the background and wait until they serve.

SANDBOX_ROOT=${SANDBOX_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SANDBOX_AGENT_BIN="$SANDBOX_ROOT/kata-agent/build/kata-agent"
SANDBOX_JAR="$SANDBOX_ROOT/target/sandbox.jar"
# The service's JVM options (a java argument file); SANDBOX_JAVA_OPTS, if set, comes after them and so overrides.
SANDBOX_JVM_OPTIONS="$SANDBOX_ROOT/server-config/jvm.options"

# agent_start SOCKET LOG [SERVE OPTIONS...]: starts the agent (as root, which its jail needs) under
# scripts/supervise.sh, which starts it again whenever it dies (SUPERVISE_RESTART_DELAY_S apart, default 1 s); prints
# the supervisor's pid once the socket exists. stop_pid on that pid stops the supervisor and the agent; the pid of
# the agent running at the moment is in SOCKET.pid. The agent gets the caller's environment: SANDBOX_POOL_PYTHON /
# SANDBOX_POOL_JAVASCRIPT (warm pool sizes) reach it from `make run`, `make test` and `make bench` alike.
agent_start() {
  local socket=$1 log=$2
  shift 2
  [ -x "$SANDBOX_AGENT_BIN" ] || { echo "agent: $SANDBOX_AGENT_BIN is not built (make agent)" >&2; return 1; }
  rm -f "$socket"
  (exec setsid "$SANDBOX_ROOT/scripts/supervise.sh" "$socket.pid" \
    "$SANDBOX_AGENT_BIN" serve --socket "$socket" "$@" >>"$log" 2>&1 </dev/null) &
  local pid=$! i
  for i in $(seq 1 100); do
    [ -S "$socket" ] && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "agent: did not open $socket (see $log)" >&2
  tail -5 "$log" >&2
  stop_pid "$pid" 5
  return 1
}

# service_start PORT LOG [PREFIX...]: starts the service, the uber-jar SANDBOX_JAR with the JVM options of
# SANDBOX_JVM_OPTIONS (then SANDBOX_JAVA_OPTS), on PORT in a session of its own (so stop_pid stops all of it), in the
# background, with the caller's environment and working directory, appending its output to LOG; prints its pid at
# once (wait_ready waits for it to serve). PREFIX, if given, is a command that runs java (e.g. setpriv ... to drop
# privileges); whoever runs java must be able to read the jar and the options file.
service_start() {
  local port=$1 log=$2
  shift 2
  [ -f "$SANDBOX_JAR" ] || { echo "service: $SANDBOX_JAR is not built (make build)" >&2; return 1; }
  # shellcheck disable=SC2086 # SANDBOX_JAVA_OPTS holds several options
  (exec setsid "$@" java "@$SANDBOX_JVM_OPTIONS" ${SANDBOX_JAVA_OPTS:-} -jar "$SANDBOX_JAR" --port "$port" \
    >>"$log" 2>&1 </dev/null) &
  echo $!
}

# free_port: a TCP port nobody listens on right now.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready URL PID LOG: waits up to 180 s for URL/health/ready to answer 200 while PID lives.
wait_ready() {
  local url=$1 pid=$2 log=$3 i
  for i in $(seq 1 360); do
    curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "service: exited during start-up (see $log)" >&2; tail -20 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "service: not ready after 180 s (see $log)" >&2
  return 1
}

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after the grace period (default 20 s): to PID's whole process group
# when PID leads one (the agent's supervisor and the service are started with setsid), so that nothing it started,
# such as a supervised agent, outlives it.
stop_pid() {
  local pid=$1 grace=${2:-20} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 $((grace * 10))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}
