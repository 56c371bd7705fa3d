#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the fault tests, which stop and start it at will without touching the
# machine's main cluster (other tests use that one). Runs as the postgres user, listens on 127.0.0.1 only.
#   pg.sh init | start | stop | psql ARGS...     with FAULTS_PG_DIR, FAULTS_PG_PORT (and FAULTS_DB_PASSWORD for init)
set -euo pipefail

: "${FAULTS_PG_DIR:?FAULTS_PG_DIR is not set}"
: "${FAULTS_PG_PORT:?FAULTS_PG_PORT is not set}"
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() { runuser -u postgres -- "$@"; }

start() {
  as_postgres "$bindir/pg_ctl" -D "$FAULTS_PG_DIR/data" -l "$FAULTS_PG_DIR/server.log" -w -t 60 \
    -o "-p $FAULTS_PG_PORT -k $FAULTS_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
}

psql_() {
  as_postgres psql -h "$FAULTS_PG_DIR" -p "$FAULTS_PG_PORT" -X -q -v ON_ERROR_STOP=1 "$@"
}

case "${1:-}" in
  init)
    : "${FAULTS_DB_PASSWORD:?FAULTS_DB_PASSWORD is not set}"
    install -d -o postgres -g postgres -m 0700 "$FAULTS_PG_DIR"
    as_postgres "$bindir/initdb" -D "$FAULTS_PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 >/dev/null
    start
    # the password goes in through stdin, never on a command line
    printf "CREATE ROLE sandbox LOGIN PASSWORD '%s';\nCREATE DATABASE sandbox OWNER sandbox;\n" \
      "$FAULTS_DB_PASSWORD" | psql_ -d postgres
    ;;
  start) start ;;
  stop) as_postgres "$bindir/pg_ctl" -D "$FAULTS_PG_DIR/data" -m fast -w stop >/dev/null ;;
  psql) shift; psql_ -d sandbox "$@" ;;
  *) echo "usage: pg.sh init|start|stop|psql ARGS..." >&2; exit 2 ;;
esac
