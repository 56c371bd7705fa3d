# shellcheck shell=bash
# Test environment, to be SOURCED by test scripts (bash, as root):
#
#   source scripts/test-env.sh        # needs `make build` (target/sandbox.jar, kata-agent/build/kata-agent)
#
# Starts PostgreSQL (the local Debian cluster) with a fresh database and role of its own, the kata-agent on a
# temporary socket, and the service (target/sandbox.jar) on a free port with a known API key, and waits until the
# service is ready. When the sourcing shell exits, everything is stopped and the database dropped (an EXIT trap:
# it replaces one the caller set; call sandbox_test_env_stop yourself to stop earlier).
#
# Exports:
#   SANDBOX_TEST_URL        base URL of the service, e.g. http://localhost:41234 (no trailing slash)
#   SANDBOX_TEST_API_KEY    an API key valid for that service (the service's SANDBOX_BOOTSTRAP_API_KEY)
#   SANDBOX_DB_URL, SANDBOX_DB_USER, SANDBOX_DB_PASSWORD, SANDBOX_AGENT_SOCKET, SANDBOX_BOOTSTRAP_API_KEY
#                           what the service was given, for tests that look into the database or the agent
#   SANDBOX_TEST_DIR        scratch folder holding agent.log and service.log
#   SANDBOX_TEST_SERVICE_PID  the service's process id (for tests of its shutdown)
#
# Options (environment, before sourcing):
#   SANDBOX_TEST_SERVICE=0  start PostgreSQL and the agent only (for tests that start the service themselves,
#                           such as the Arquillian ITs); SANDBOX_TEST_URL is then not set.
#   SANDBOX_TEST_AGENT_TRANSPORT=tcp  the agent also listens on a loopback TCP port with a shared secret, and the
#                           service reaches it only there: SANDBOX_AGENT_URL and SANDBOX_AGENT_SECRET_FILE are
#                           exported (the secret file is $SANDBOX_TEST_DIR/agent.secret, mode 0600).
#   SANDBOX_TEST_AGENT_URL  an agent already running elsewhere (tcp://HOST:PORT: a guest VM's, scripts/test-vm.sh),
#                           with SANDBOX_AGENT_SECRET_FILE: no local agent is started, the service is given this URL.

_sandbox_test_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/postgres.sh
source "$_sandbox_test_root/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/services.sh
source "$_sandbox_test_root/scripts/lib/services.sh"

sandbox_test_env_stop() {
  [ -n "${_sandbox_test_service_pid:-}" ] && stop_pid "$_sandbox_test_service_pid"
  [ -n "${_sandbox_test_agent_pid:-}" ] && stop_pid "$_sandbox_test_agent_pid" 5
  [ -n "${_sandbox_test_db:-}" ] && pg_drop_database "$_sandbox_test_db" >/dev/null 2>&1
  [ -n "${SANDBOX_TEST_DIR:-}" ] && rm -rf "$SANDBOX_TEST_DIR"
  unset _sandbox_test_service_pid _sandbox_test_agent_pid _sandbox_test_db
}

_sandbox_test_env_start() {
  trap sandbox_test_env_stop EXIT
  SANDBOX_TEST_DIR=$(mktemp -d /tmp/sandbox-test.XXXXXX)
  chmod 755 "$SANDBOX_TEST_DIR"
  export SANDBOX_TEST_DIR

  pg_ensure_running || return 1
  _sandbox_test_db="sandbox_test_$(openssl rand -hex 6)"
  SANDBOX_DB_PASSWORD=$(openssl rand -hex 16)
  pg_ensure_database "$_sandbox_test_db" "$SANDBOX_DB_PASSWORD" || return 1
  SANDBOX_DB_URL=$(pg_jdbc_url "$_sandbox_test_db")
  SANDBOX_DB_USER=$_sandbox_test_db
  export SANDBOX_DB_URL SANDBOX_DB_USER SANDBOX_DB_PASSWORD

  if [ -n "${SANDBOX_TEST_AGENT_URL:-}" ]; then
    export SANDBOX_AGENT_URL=$SANDBOX_TEST_AGENT_URL
  else
    export SANDBOX_AGENT_SOCKET="$SANDBOX_TEST_DIR/agent.sock"
    local listen=()
    # the service reaches this agent only: an address from the caller's environment must not win over it
    unset SANDBOX_AGENT_URL SANDBOX_AGENT_SECRET_FILE
    if [ "${SANDBOX_TEST_AGENT_TRANSPORT:-unix}" = tcp ]; then
      export SANDBOX_AGENT_SECRET_FILE="$SANDBOX_TEST_DIR/agent.secret"
      (umask 077 && openssl rand -hex 32 >"$SANDBOX_AGENT_SECRET_FILE")
      export SANDBOX_AGENT_URL="tcp://127.0.0.1:$(free_port)"
      listen=(--listen "$SANDBOX_AGENT_URL" --secret-file "$SANDBOX_AGENT_SECRET_FILE")
    fi
    _sandbox_test_agent_pid=$(agent_start "$SANDBOX_AGENT_SOCKET" "$SANDBOX_TEST_DIR/agent.log" "${listen[@]}") ||
      return 1
  fi

  export SANDBOX_BOOTSTRAP_API_KEY="uc-test-$(openssl rand -hex 24)"
  export SANDBOX_TEST_API_KEY=$SANDBOX_BOOTSTRAP_API_KEY
  # admin tokens from scripts/admin-token.sh verify against this, whatever the service's working directory
  SANDBOX_JWT_PUBLIC_KEY=$(bash "$_sandbox_test_root/scripts/jwt-keys.sh") || return 1
  export SANDBOX_JWT_PUBLIC_KEY
  [ "${SANDBOX_TEST_SERVICE:-1}" = 0 ] && return 0

  local port
  port=$(free_port)
  _sandbox_test_service_pid=$(service_start "$port" "$SANDBOX_TEST_DIR/service.log") || return 1
  wait_ready "http://localhost:$port" "$_sandbox_test_service_pid" "$SANDBOX_TEST_DIR/service.log" || return 1
  export SANDBOX_TEST_URL="http://localhost:$port" SANDBOX_TEST_SERVICE_PID=$_sandbox_test_service_pid
}

_sandbox_test_env_start || { echo "test-env: could not start the test environment" >&2; sandbox_test_env_stop; return 1 2>/dev/null || exit 1; }
