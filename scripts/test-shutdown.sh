#!/usr/bin/env bash
# Graceful shutdown of the real uber-jar (part of make test-server): a run in flight when SIGTERM arrives is
# answered 200 and billed, a run asked for while the service drains gets 503 + Retry-After, and the process then
# exits by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh

dir=$SANDBOX_TEST_DIR

execute "$dir/in-flight.json" '{"code":"import time; time.sleep(3); print(\"finished\")","language":"python"}' \
  >"$dir/in-flight.status" &
client=$!
# the run is in flight once the agent reports it
for _ in $(seq 1 100); do
  curl -s "$SANDBOX_TEST_URL/health/ready" | grep -q '"runsInFlight":"\?[1-9]' && break
  sleep 0.1
done

kill -TERM "$SANDBOX_TEST_SERVICE_PID"
late_status=$(execute "$dir/late.json" '{"code":"print(1)","language":"python"}' || true)
wait "$client"

check "the run in flight at SIGTERM is answered 200" test "$(cat "$dir/in-flight.status")" = 200
check "... with its output" grep -q '"stdout":"finished\\n"' "$dir/in-flight.json"
billed() {
  local id
  id=$(grep -o '"executionId":"[0-9a-f-]*"' "$dir/in-flight.json" | cut -d'"' -f4)
  [ -n "$id" ] && [ "$(PGPASSWORD=$SANDBOX_DB_PASSWORD psql -X -tA -U "$SANDBOX_DB_USER" "${SANDBOX_DB_URL#jdbc:}" \
    -c "SELECT cost_usd FROM usage_record WHERE id = '$id'")" = 0.002000 ]
}
check "... and billed" billed
check "a run asked for while draining gets 503" test "$late_status" = 503
check "... with Retry-After" grep -qi '^Retry-After: [0-9]' "$dir/late.json.headers"
exited=false
for _ in $(seq 1 200); do
  kill -0 "$SANDBOX_TEST_SERVICE_PID" 2>/dev/null || { exited=true; break; }
  sleep 0.1
done
check "the service exits by itself once drained" $exited

checks_done shutdown
