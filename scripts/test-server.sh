#!/usr/bin/env bash
# Server tests (make test-server): unit tests, then the Arquillian ITs on a managed Payara Micro against a fresh
# PostgreSQL database and the real kata-agent, both started (and stopped afterwards) by scripts/test-env.sh, then
# the graceful shutdown of the uber-jar (scripts/test-shutdown.sh, which starts its own service), and the service
# reaching its agent over the network transport (scripts/test-transport.sh, likewise).
set -euo pipefail
cd "$(dirname "$0")/.."

# the ITs start the service themselves (Arquillian), from this environment
SANDBOX_TEST_SERVICE=0
# shellcheck source=scripts/test-env.sh
source scripts/test-env.sh

mvn -B verify

bash scripts/test-shutdown.sh
bash scripts/test-transport.sh
