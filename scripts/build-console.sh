#!/usr/bin/env bash
# Bundles the web console (console/) into target/console, which the WAR carries on its class path; run by the Maven
# build (generate-resources). The front-end dependencies come from the npm registry through console/package-lock.json
# (npm ci, with the machine's npm; install scripts off: esbuild's platform binary is an ordinary optional package).
# `build-console.sh deps` installs them only (scripts/deps.sh): esbuild, the libraries, and playwright-core, which
# the browser tests (scripts/test-console.sh) drive Debian's chromium with.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "console: npm is missing (scripts/deps.sh checks for it)" >&2; exit 1; }
console=console
if [ ! -d "$console/node_modules/esbuild" ] || [ "$console/package-lock.json" -nt "$console/node_modules" ]; then
  (cd "$console" && npm ci --no-audit --no-fund --ignore-scripts)
  touch "$console/node_modules"
fi
[ "${1:-}" = deps ] && exit 0
node "$console/build.mjs" target/console
