#!/usr/bin/env bash
# make run: starts (or restarts) the whole service locally, as root: PostgreSQL unless SANDBOX_DB_URL points
# elsewhere, the kata-agent (root, which its jail needs) and the API service (as the unprivileged system user
# `sandbox`), waits until it is ready and prints how to use it. Running it again restarts the agent and the service
# and reuses the database. `bash scripts/run.sh stop` stops the agent and the service.
#
# SANDBOX_ISOLATION=vm (`make run SANDBOX_ISOLATION=vm`) runs the agent inside a QEMU micro-VM instead
# (kata-agent/vm/vm.sh: cgroup v2, the host's root read-only), which the service reaches over the agent's
# authenticated TCP transport on a forwarded loopback port (SANDBOX_VM_PORT, default 7070): every run executes in the
# guest. Under software emulation (no usable KVM) runs are many times slower: unless SANDBOX_WALL_LIMIT_MS is set, the
# wall limit is raised to 60000 ms for the guest's agent and the service alike.
#
# Generated secrets and logs live in the git-ignored .local/ (0700): db-password, api-key, agent.log, service.log,
# agent.secret and vm/ (the guest's console) in VM mode.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
source scripts/lib/services.sh

STATE=.local
SERVICE_USER=sandbox
SERVICE_HOME=/var/lib/code-sandbox
AGENT_DIR=/run/kata-agent
PORT=${SANDBOX_PORT:-8080}
ISOLATION=${SANDBOX_ISOLATION:-host}
VM_PORT=${SANDBOX_VM_PORT:-7070}

[ "$(id -u)" = 0 ] || { echo "run: run as root (the agent's jail needs it; the service itself drops to '$SERVICE_USER')" >&2; exit 1; }
mkdir -p "$STATE"
chmod 700 "$STATE"

# stop_started NAME EXPECTED: stops the process in .local/NAME.pid if it is still the one we started.
stop_started() {
  local pidfile="$STATE/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "$2"; then
    echo "run: stopping the $1 started before (pid $pid)"
    stop_pid "$pid"
  fi
  rm -f "$pidfile"
}

stop_all() {
  stop_started service "sandbox.jar"
  stop_started agent "kata-agent serve"
  bash kata-agent/vm/vm.sh stop --state "$STATE/vm"
}

# secret FILE [PREFIX]: prints the secret in FILE, generating it (PREFIX + 256 random bits, URL-safe) on first use.
secret() {
  [ -s "$1" ] || (umask 077 && printf '%s%s' "${2:-}" "$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')" >"$1")
  cat "$1"
}

ensure_service_user() {
  id -u "$SERVICE_USER" >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir "$SERVICE_HOME" --shell /usr/sbin/nologin "$SERVICE_USER"
  install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 750 "$SERVICE_HOME"
}

ensure_database() {
  if [ -n "${SANDBOX_DB_URL:-}" ]; then
    echo "run: using the database at $SANDBOX_DB_URL"
    return
  fi
  pg_ensure_running
  SANDBOX_DB_PASSWORD=$(secret "$STATE/db-password")
  pg_ensure_database sandbox "$SANDBOX_DB_PASSWORD"
  export SANDBOX_DB_URL SANDBOX_DB_USER=sandbox SANDBOX_DB_PASSWORD
  SANDBOX_DB_URL=$(pg_jdbc_url sandbox)
  echo "run: local PostgreSQL database 'sandbox' (password in $STATE/db-password)"
}

start_agent() {
  # only root and the service's group may reach the socket
  install -d -o root -g "$SERVICE_USER" -m 750 "$AGENT_DIR"
  export SANDBOX_AGENT_SOCKET=${SANDBOX_AGENT_SOCKET:-$AGENT_DIR/agent.sock}
  agent_start "$SANDBOX_AGENT_SOCKET" "$STATE/agent.log" --socket-mode 0660 --socket-group "$SERVICE_USER" \
    >"$STATE/agent.pid"
  echo "run: kata-agent on $SANDBOX_AGENT_SOCKET (log $STATE/agent.log)"
}

# The agent in a guest VM, reached at tcp://127.0.0.1:VM_PORT by callers that prove the shared secret: the agent
# reads root's copy, the service its own.
start_agent_vm() {
  secret "$STATE/agent.secret" >/dev/null
  install -o "$SERVICE_USER" -g "$SERVICE_USER" -m 600 "$STATE/agent.secret" "$SERVICE_HOME/agent.secret"
  export SANDBOX_WALL_LIMIT_MS=${SANDBOX_WALL_LIMIT_MS:-60000}
  bash kata-agent/vm/vm.sh start --port "$VM_PORT" --secret-file "$STATE/agent.secret" --state "$STATE/vm"
  export SANDBOX_AGENT_URL="tcp://127.0.0.1:$VM_PORT" SANDBOX_AGENT_SECRET_FILE="$SERVICE_HOME/agent.secret"
  echo "run: kata-agent in a guest VM at $SANDBOX_AGENT_URL, wall limit $SANDBOX_WALL_LIMIT_MS ms" \
    "(console $STATE/vm/console.log)"
}

start_service() {
  SANDBOX_BOOTSTRAP_API_KEY=${SANDBOX_BOOTSTRAP_API_KEY:-$(secret "$STATE/api-key" uc-)}
  # the service user cannot read .local/: give it a copy of the admin tokens' public key and of the jar
  bash scripts/jwt-keys.sh >/dev/null
  install -o root -g "$SERVICE_USER" -m 640 .local/jwt/public.pem "$SERVICE_HOME/jwt-public.pem"
  install -o root -g "$SERVICE_USER" -m 640 "$SANDBOX_JAR" "$SERVICE_HOME/sandbox.jar"
  install -o root -g "$SERVICE_USER" -m 640 "$SANDBOX_JVM_OPTIONS" "$SERVICE_HOME/jvm.options"
  export SANDBOX_BOOTSTRAP_API_KEY SANDBOX_JWT_PUBLIC_KEY="file:$SERVICE_HOME/jwt-public.pem"
  local log=$PWD/$STATE/service.log
  (cd "$SERVICE_HOME" && SANDBOX_JAR=$SERVICE_HOME/sandbox.jar SANDBOX_JVM_OPTIONS=$SERVICE_HOME/jvm.options \
    service_start "$PORT" "$log" env HOME="$SERVICE_HOME" \
    setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups) >"$STATE/service.pid"
  echo "run: starting the service as '$SERVICE_USER' on port $PORT (log $STATE/service.log) ..."
  wait_ready "http://localhost:$PORT" "$(cat "$STATE/service.pid")" "$STATE/service.log"
}

stop_all
[ "${1:-}" = stop ] && exit 0
[ -f "$SANDBOX_JAR" ] || { echo "run: $SANDBOX_JAR is missing: use 'make run', which builds it" >&2; exit 1; }
ensure_service_user
ensure_database
case "$ISOLATION" in
  host) start_agent ;;
  vm) start_agent_vm ;;
  *) echo "run: SANDBOX_ISOLATION is host or vm, not '$ISOLATION'" >&2; exit 1 ;;
esac
start_service

url="http://localhost:$PORT"
key_hint='$SANDBOX_BOOTSTRAP_API_KEY'
[ -f "$STATE/api-key" ] && [ "$SANDBOX_BOOTSTRAP_API_KEY" = "$(cat "$STATE/api-key")" ] && key_hint="\$(cat $STATE/api-key)"
cat <<EOT

The code sandbox is ready at $url  (OpenAPI: $url/openapi, health: $url/health/ready)

An API key for first use is in $STATE/api-key. Try:
  curl -X POST $url/api/v1/code-sandbox/execute \\
    -H 'Content-Type: application/json' -H "Authorization: Bearer $key_hint" \\
    -d '{"code": "print(sum(range(1, 101)))", "language": "python"}'

More keys: an admin token from 'make admin-token', then
  curl -X POST $url/v1/admin/api-keys -H "Authorization: Bearer \$(make -s admin-token | tail -1)" \\
    -H 'Content-Type: application/json' -d '{"name": "my app"}'

Stop with: bash scripts/run.sh stop
EOT
