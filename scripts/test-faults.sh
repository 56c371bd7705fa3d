#!/usr/bin/env bash
# Fault tests (make test-faults): the service against its own throwaway PostgreSQL cluster (stopped and started by
# the tests, so the machine's main cluster and the other tests are never disturbed) and an agent kept alive by
# scripts/supervise.sh through agent_start (killed by the tests). See tests/faults/faults.test.js.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

work=$(mktemp -d /tmp/sandbox-faults.XXXXXX)
chmod 0755 "$work" # the cluster below it runs as the postgres user
export FAULTS_PG_DIR=$work/pg FAULTS_PG_PORT
FAULTS_PG_PORT=$(free_port)
export FAULTS_DB_PASSWORD FAULTS_API_KEY
FAULTS_DB_PASSWORD=$(random_hex 16)
FAULTS_API_KEY=uc-faults$(random_hex 16)
socket=$work/agent.sock
export FAULTS_AGENT_PIDFILE=$socket.pid # where agent_start's supervisor keeps the running agent's pid
supervisor='' service=''

cleanup() {
  local status=$?
  [ -n "$service" ] && stop_pid "$service"
  [ -n "$supervisor" ] && stop_pid "$supervisor"
  bash tests/faults/pg.sh stop 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "--- agent log"; tail -20 "$work/agent.log" 2>/dev/null || true
    echo "--- service log (whole: $work/service.log, kept for inspection)"; tail -40 "$work/service.log" 2>/dev/null || true
    rm -rf "$work/pg"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

bash tests/faults/pg.sh init

# The restart delay leaves the tests a window in which the agent is really gone.
supervisor=$(SUPERVISE_RESTART_DELAY_S=3 agent_start "$socket" "$work/agent.log")

port=$(free_port)
SANDBOX_JWT_PUBLIC_KEY=$(bash scripts/jwt-keys.sh)
export SANDBOX_JWT_PUBLIC_KEY
service=$(SANDBOX_DB_URL="jdbc:postgresql://127.0.0.1:$FAULTS_PG_PORT/sandbox" SANDBOX_DB_USER=sandbox \
  SANDBOX_DB_PASSWORD=$FAULTS_DB_PASSWORD SANDBOX_AGENT_SOCKET=$socket SANDBOX_BOOTSTRAP_API_KEY=$FAULTS_API_KEY \
  service_start "$port" "$work/service.log")
export FAULTS_URL="http://127.0.0.1:$port"
wait_ready "$FAULTS_URL" "$service" "$work/service.log"

node --test --test-reporter=spec tests/faults/faults.test.js
