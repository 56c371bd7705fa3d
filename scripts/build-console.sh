#!/usr/bin/env bash
# Bundles the web console (console/) into target/console, which the WAR carries on its class path; run by the Maven
# build (generate-resources). The front-end dependencies come from the npm registry through console/package-lock.json
# (npm ci, with the machine's npm; install scripts off: esbuild's platform binary is an ordinary optional package).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "console: npm is missing (scripts/deps.sh checks for it)" >&2; exit 1; }
console=console
if [ ! -d "$console/node_modules/esbuild" ] || [ "$console/package-lock.json" -nt "$console/node_modules" ]; then
  (cd "$console" && npm ci --no-audit --no-fund --ignore-scripts)
  touch "$console/node_modules"
fi
node "$console/build.mjs" target/console
