'use strict';
// The CPU time of process trees, from /proc: every live process under the roots with its own time (utime, stime)
// and that of its children it has reaped (cutime, cstime). A process that ends is reaped by its parent (or by the
// agent, a child subreaper, when its parent went first), so its time stays in the tree's sum. On a shared machine
// this counts only what the bench's own processes spent, which the machine's other load does not move; it leaves
// out what the kernel does in threads of its own (such as tearing down a jail's network namespace).
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

// The pids of every process now.
const procPids = () => fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);

// { ppid, ownMs, reapedMs } of a process, from /proc/PID/stat; null once it has ended.
function processCpu(pid) {
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the fields after the command name, which may itself hold spaces and parentheses
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ownMs: (Number(f[11]) + Number(f[12])) * TICK_MS,
    reapedMs: (Number(f[13]) + Number(f[14])) * TICK_MS };
}

// pid -> processCpu(pid) of every process readable now (one that ended meanwhile has its time in its parent's
// reaped time).
function processes() {
  const all = new Map();
  for (const pid of procPids()) {
    const p = processCpu(pid);
    if (p) all.set(pid, p);
  }
  return all;
}

// CPU ms spent so far by the trees under `roots` (pids), and by the reaped children of `reapedOnly` (a pid whose
// own time is counted elsewhere).
function treeCpuMs(roots, reapedOnly) {
  const all = processes();
  const children = new Map();
  for (const [pid, p] of all) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(pid);
  }
  let ms = all.get(reapedOnly)?.reapedMs ?? 0;
  const stack = [...roots, ...(children.get(reapedOnly) ?? [])];
  const seen = new Set();
  while (stack.length) {
    const pid = stack.pop();
    const p = all.get(pid);
    if (!p || seen.has(pid)) continue;
    seen.add(pid);
    ms += p.ownMs + p.reapedMs;
    stack.push(...(children.get(pid) ?? []));
  }
  return ms;
}

module.exports = { treeCpuMs, processCpu, procPids, TICK_MS };
