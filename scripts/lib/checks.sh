# Sourced by the shell tests that run against scripts/test-env.sh's service: counted checks and a run request.

passed=0
failed=0

# check DESCRIPTION COMMAND...: runs the command, counts and prints the outcome
check() {
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $what"; else failed=$((failed + 1)); echo "FAILED: $what"; fi
}

# checks_done NAME: the summary line; fails when any check failed
checks_done() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" = 0 ]
}

# execute FILE BODY: POSTs a run request to the test service (body in FILE, headers in FILE.headers); prints the
# HTTP status
execute() {
  curl -s -o "$1" -D "$1.headers" -w '%{http_code}' -X POST "$SANDBOX_TEST_URL/v1/code-sandbox/execute" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $SANDBOX_TEST_API_KEY" -d "$2"
}
