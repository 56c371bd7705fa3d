#!/usr/bin/env bash
# make bench: starts the service (scripts/test-env.sh) and regenerates bench/README.md (see bench/lib/bench.js).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh
: "${SANDBOX_TEST_URL:?scripts/test-env.sh did not export SANDBOX_TEST_URL}"
(node bench/lib/bench.js bench/README.md)
