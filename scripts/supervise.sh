#!/usr/bin/env bash
# supervise.sh PIDFILE COMMAND [ARGS...]: runs COMMAND and starts it again whenever it dies, so a crashed or killed
# kata-agent comes back by itself (the service reconnects on its next request; a new agent removes the stale
# socket). PIDFILE always holds the pid of the running COMMAND. SIGTERM or SIGINT stops COMMAND and the loop.
# SUPERVISE_RESTART_DELAY_S (default 1) paces restarts, so a command that cannot start does not spin.
set -uo pipefail
pidfile=$1
shift
delay=${SUPERVISE_RESTART_DELAY_S:-1}
child=

stop() {
  trap - TERM INT
  if [ -n "$child" ] && kill -TERM "$child" 2>/dev/null; then
    wait "$child" 2>/dev/null
  fi
  rm -f "$pidfile"
  exit 0
}
trap stop TERM INT

while true; do
  "$@" &
  child=$!
  echo "$child" >"$pidfile"
  wait "$child"
  echo "supervise: $1 (pid $child) exited with status $?; starting it again in ${delay} s" >&2
  # a background sleep, so a stop signal is handled at once rather than after the delay
  sleep "$delay" &
  wait $!
done
