#!/usr/bin/env bash
# Load test (on demand, not in CI): bench/load.sh [CLIENTS] [SECONDS] (default 8 clients for 30 s) posts print(1)
# from CLIENTS concurrent clients for SECONDS, then checks the books: the usage table must hold exactly one new row
# per 200 answered, and no answer may break the contract (a 5xx other than 503, a 503 without Retry-After).
#
# Against a running service (e.g. `make run`): set SANDBOX_URL (loopback only), SANDBOX_API_KEY and SANDBOX_DB_URL,
# SANDBOX_DB_USER, SANDBOX_DB_PASSWORD (to count the usage rows). Without SANDBOX_URL it starts its own service
# through scripts/test-env.sh. Exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-8}
seconds=${2:-30}

if [ -z "${SANDBOX_URL:-}" ]; then
  # shellcheck source=scripts/test-env.sh
  source scripts/test-env.sh
  SANDBOX_URL=$SANDBOX_TEST_URL
  SANDBOX_API_KEY=$SANDBOX_TEST_API_KEY
fi
: "${SANDBOX_API_KEY:?set SANDBOX_API_KEY}" "${SANDBOX_DB_URL:?set SANDBOX_DB_URL}"
: "${SANDBOX_DB_USER:?set SANDBOX_DB_USER}" "${SANDBOX_DB_PASSWORD:?set SANDBOX_DB_PASSWORD}"
export SANDBOX_API_KEY

# jdbc:postgresql://HOST:PORT/DB[?...] -> psql's connection arguments
[[ $SANDBOX_DB_URL =~ ^jdbc:postgresql://([^:/]+)(:([0-9]+))?/([^?]+) ]] ||
  { echo "load: cannot read SANDBOX_DB_URL" >&2; exit 2; }
db_host=${BASH_REMATCH[1]} db_port=${BASH_REMATCH[3]:-5432} db_name=${BASH_REMATCH[4]}
# the key is identified by its hash, as the service stores it, so the key itself never reaches a command line
key_hash=$(printf %s "$SANDBOX_API_KEY" | sha256sum | cut -d' ' -f1)
usage_rows() {
  PGPASSWORD=$SANDBOX_DB_PASSWORD psql -h "$db_host" -p "$db_port" -U "$SANDBOX_DB_USER" -d "$db_name" -X -tA -c \
    "SELECT count(*) FROM usage_record u JOIN api_key k ON k.id = u.api_key_id WHERE k.key_hash = '$key_hash'"
}

port=$(node -e 'console.log(new URL(process.argv[1]).port || 80)' "$SANDBOX_URL")
service_pid=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)

summary=$(mktemp)
# one EXIT trap for both: test-env.sh's own (which stops what it started) would otherwise be replaced by ours
cleanup() {
  rm -f "$summary"
  if declare -F sandbox_test_env_stop >/dev/null; then sandbox_test_env_stop; fi
}
trap cleanup EXIT
rows_before=$(usage_rows)
status=0
node bench/lib/load.js --url "$SANDBOX_URL" --clients "$clients" --seconds "$seconds" \
  ${service_pid:+--pid "$service_pid"} --json "$summary" || status=$?
rows_after=$(usage_rows)

ok=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).ok)' "$summary")
billed=$((rows_after - rows_before))
if [ "$billed" -eq "$ok" ]; then
  echo "usage table: $billed new rows for $ok answers 200: one row per billed run"
else
  echo "usage table: $billed new rows for $ok answers 200: MISMATCH" >&2
  status=1
fi
exit "$status"
