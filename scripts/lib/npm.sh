# Sourced helper for test scripts whose Node.js test code has dependencies of its own.

# npm_ci_once DIR PACKAGE: installs DIR's dependencies exactly as its package-lock.json pins them, unless PACKAGE is
# already in DIR/node_modules and the lock file has not changed since the last install.
npm_ci_once() {
  local dir=$1 package=$2
  if [ ! -d "$dir/node_modules/$package" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
    touch "$dir/node_modules"
  fi
}
