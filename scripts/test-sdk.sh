#!/usr/bin/env bash
# SDK tests (make test-sdk): the unit tests and the integration tests against the real service, which this script
# starts through scripts/test-env.sh. Unlike a bare `npm test`, a service that cannot be started or reached fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# Dev dependencies (TypeScript, to check the .d.ts files; Node's types); the SDK itself has none.
sdk=sdk/node
# shellcheck source=scripts/lib/npm.sh
source scripts/lib/npm.sh
npm_ci_once "$sdk" typescript

# Starts PostgreSQL, the agent and the service on a free port; exports SANDBOX_TEST_URL and SANDBOX_TEST_API_KEY.
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
: "${SANDBOX_TEST_API_KEY:?scripts/test-env.sh did not export SANDBOX_TEST_API_KEY}"

# In a subshell, so whatever clean-up test-env.sh registered still runs from the repository root.
(cd "$sdk" && npm test)
