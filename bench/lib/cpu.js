'use strict';
// CPU per run, counted on the whole machine: a run's cost is spread over processes the bench does not own (the
// agent's serve loop, a pool member warming up to replace the one a run took, the service's threads, the kernel
// tearing down a jail's namespaces after the answer), so the bench counts every busy CPU tick from /proc/stat over
// a window that ends once that work is done, and takes away what the machine burns while the bench does nothing
// (its idle rate, measured just before and just after the runs). The bench process's own share (the client: its
// HTTP stack, its spawns of bare interpreters) is counted apart from process.cpuUsage(). Beside it, the same window
// counts the CPU of the bench's own process trees (bench/lib/proctree.js), which other load on the machine does not
// move.
const fs = require('node:fs');
const { treeCpuMs, TICK_MS } = require('./proctree');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

// All CPUs' busy time since boot: user, nice, system, irq and softirq. Not idle or iowait (waiting), nor steal (the
// hypervisor ran another guest), nor guest (already counted in user).
function busyMs() {
  const [user, nice, system, , , irq, softirq] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]
    .split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) * TICK_MS;
}

// Starts a window; the function it returns closes it: the machine's busy CPU ms, the wall ms, the bench process's own
// CPU ms and that of the trees under roots() (pids) plus the bench and its children (the scans of /proc left out).
function cpuWindow(roots) {
  const tree0 = treeCpuMs(roots(), process.pid);
  const busy0 = busyMs();
  const own0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return () => {
    const wallMs = msSince(t0);
    const own = process.cpuUsage(own0);
    const busy = busyMs() - busy0;
    const ownMs = (own.user + own.system) / 1000;
    return { busyMs: busy, wallMs, ownMs, treeMs: treeCpuMs(roots(), process.pid) - tree0 + ownMs };
  };
}

// The machine's busy CPU ms per wall ms while the bench sleeps for `seconds`.
async function idleRate(seconds) {
  const busy0 = busyMs();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  return (busyMs() - busy0) / msSince(t0);
}

// The CPU per run of a window that held `runs` runs, net of the machine's idle rate over its wall time and of
// `excludedMs` the bench process spent on something other than the runs.
function cpuPerRun(window, runs, rate, excludedMs) {
  return {
    netMs: (window.busyMs - rate * window.wallMs - excludedMs) / runs,
    ownMs: (window.ownMs - excludedMs) / runs,
    treeMs: (window.treeMs - excludedMs) / runs,
  };
}

module.exports = { busyMs, cpuWindow, idleRate, cpuPerRun };
