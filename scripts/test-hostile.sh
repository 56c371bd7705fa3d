#!/usr/bin/env bash
# Hostile corpus (make test-hostile): every case of tests/hostile/cases goes over HTTP to the real service and agent,
# which scripts/test-env.sh starts; each asserts its status, and after each theme the host is checked for leftovers.
set -euo pipefail
cd "$(dirname "$0")/.."

# A canary in the environment the agent and the service inherit: no snippet may ever be able to print it.
HOSTILE_CANARY="canary-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
export HOSTILE_CANARY

# Starts PostgreSQL, the agent and the service on a free port; exports SANDBOX_TEST_URL and SANDBOX_TEST_API_KEY.
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
: "${SANDBOX_TEST_API_KEY:?scripts/test-env.sh did not export SANDBOX_TEST_API_KEY}"

# In a subshell, so whatever clean-up test-env.sh registered still runs.
(node --test --test-reporter=spec tests/hostile/corpus.test.js)
