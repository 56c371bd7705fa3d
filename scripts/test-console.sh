#!/usr/bin/env bash
# Browser tests of the web console (make test-console): Debian's chromium, headless, driven by playwright-core,
# against the real service, which this script starts through scripts/test-env.sh, with an admin token from
# scripts/admin-token.sh. Screenshots of the three views land in console/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || { echo "test-console: chromium is missing (scripts/deps.sh installs it)" >&2; exit 1; }
# the tests' dependency (playwright-core) is one of the console's dev dependencies
bash scripts/build-console.sh deps

# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
SANDBOX_TEST_ADMIN_TOKEN=$(bash scripts/admin-token.sh 2>/dev/null | tail -1)
export SANDBOX_TEST_ADMIN_TOKEN CONSOLE_SCREENSHOTS="$PWD/console/screenshots"

# In a subshell, so whatever clean-up test-env.sh registered still runs from the repository root.
(cd console && npm test)
