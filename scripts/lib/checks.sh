# Sourced by the shell tests: check DESCRIPTION COMMAND... runs the command and counts it in passed or failed, printing
# "ok: ..." or "FAILED: ..."; the test ends with: echo "NAME: $passed passed, $failed failed"; [ "$failed" = 0 ].
passed=0
failed=0
check() { # description, then a test command
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $what"; else failed=$((failed + 1)); echo "FAILED: $what"; fi
}
