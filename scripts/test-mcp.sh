#!/usr/bin/env bash
# MCP tests (make test-mcp): the official TypeScript MCP client (tests/mcp, its one dependency installed here from
# its lock file) against the real service, which this script starts through scripts/test-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=tests/mcp
# shellcheck source=scripts/lib/npm.sh
source scripts/lib/npm.sh
npm_ci_once "$dir" @modelcontextprotocol/sdk

# Starts PostgreSQL, the agent and the service on a free port; exports SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY and the
# database settings the tests read the usage table with.
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"

# In a subshell, so whatever clean-up test-env.sh registered still runs from the repository root.
(cd "$dir" && npm test)
