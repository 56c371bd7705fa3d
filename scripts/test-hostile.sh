#!/usr/bin/env bash
# Hostile corpus (make test-hostile): every case of tests/hostile/cases goes over HTTP to the real service and agent,
# which scripts/test-env.sh starts; each asserts its status, and after each theme the host is checked for leftovers.
set -euo pipefail
cd "$(dirname "$0")/.."

# A canary in the environment the agent and the service inherit: no snippet may ever be able to print it.
HOSTILE_CANARY="canary-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
export HOSTILE_CANARY

# Starts PostgreSQL, the agent and the service on a free port (scripts/test-env.sh, stopped when the subshell exits)
# and runs the corpus (or the themes in HOSTILE_THEMES) against them.
run_corpus() (
  # shellcheck source=scripts/test-env.sh
  source scripts/test-env.sh
  : "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
  : "${SANDBOX_TEST_API_KEY:?scripts/test-env.sh did not export SANDBOX_TEST_API_KEY}"
  # in a subshell of its own, so whatever clean-up test-env.sh registered still runs
  (node --test --test-reporter=spec tests/hostile/corpus.test.js)
)

# The whole corpus with the agent's warm pools as configured (on by default: most runs are warm).
run_corpus
# How runs end, and what a run leaves in its working directory, must not depend on the path: those themes once
# more, every run cold.
SANDBOX_POOL_PYTHON=0 SANDBOX_POOL_JAVASCRIPT=0 HOSTILE_THEMES=endings,secrets,workdir run_corpus
