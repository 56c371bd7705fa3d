#!/usr/bin/env bash
# Two agent builds (or settings) compared on their warm path, each accounted on its own: `bench/agent-ab.sh
# BINARY_A BINARY_B [rounds] [seconds] [clients]` (root, cgroup v1). Each agent runs in a cpuacct group of its own
# (ab-a, ab-b) and puts its runs' groups below it (KA_CGROUP_PARENT), so a group's cpuacct.usage holds all the CPU
# of that agent: serve loop, workers, members, template, jails, runs. Other load on the machine then changes how
# fast the rounds go, not what a run costs. bench/agent-ab.js runs the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/agent-ab.sh BINARY_A BINARY_B [rounds] [seconds] [clients]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "agent-ab: needs root (the jail needs namespaces and cgroups)" >&2; exit 1; }
[ -d /sys/fs/cgroup/cpuacct ] || { echo "agent-ab: needs cgroup v1's cpuacct hierarchy" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for name in ab-a ab-b; do for c in memory cpu cpuacct pids; do
    rmdir "/sys/fs/cgroup/$c/$name/runs" "/sys/fs/cgroup/$c/$name" 2>/dev/null || true
  done; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_agent NAME BINARY: the agent in cpuacct group NAME, its runs' groups under NAME/runs in every hierarchy
start_agent() {
  for c in memory cpu cpuacct pids; do mkdir -p "/sys/fs/cgroup/$c/$1/runs"; done
  (echo "$BASHPID" >"/sys/fs/cgroup/cpuacct/$1/cgroup.procs" &&
    KA_CGROUP_PARENT="$1/runs" exec "$2" serve --socket "$work/$1.sock") 2>"$work/$1.log" &
  pids+=($!)
}
start_agent ab-a "$1"
start_agent ab-b "$2"
AGENT_AB_GROUPS=ab-a,ab-b node bench/agent-ab.js "$work/ab-a.sock" "$work/ab-b.sock" "${3:-7}" "${4:-5}" "${5:-4}"
