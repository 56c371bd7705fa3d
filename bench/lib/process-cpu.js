'use strict';
// CPU time of the service's own processes, from /proc/PID/stat: its JVM (every thread, live and ended) and the
// PostgreSQL backends connected to its database (found by their process titles). Other processes of a shared machine
// do not count, so the figure holds under other load too; divide a difference by the requests it served.
//   const sample = serviceCpuSampler({ javaPid, database }); const a = sample(); ...; const b = sample();
//   (b.jvmMs - a.jvmMs) / requests, (b.postgresMs - a.postgresMs) / requests
const fs = require('node:fs');

const TICK_MS = 10; // USER_HZ = 100

/** utime + stime of a process, in ms; 0 once it is gone. */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends connected to `database` ("postgres: 15/main: USER DATABASE HOST(PORT) STATE"). */
function backendPids(database) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title;
    try {
      title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (title.startsWith('postgres: ') && title.includes(` ${database} `)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * A function that returns the CPU so far of the JVM and of every backend it has seen (a backend that ended keeps
 * its last reading), and the time of the sample.
 */
function serviceCpuSampler({ javaPid, database }) {
  const lastSeen = new Map();
  return () => {
    for (const pid of backendPids(database)) lastSeen.set(pid, cpuMs(pid));
    for (const pid of lastSeen.keys()) {
      const now = cpuMs(pid);
      if (now > 0) lastSeen.set(pid, now);
    }
    const postgresMs = [...lastSeen.values()].reduce((a, b) => a + b, 0);
    return { jvmMs: cpuMs(javaPid), postgresMs, at: Date.now() };
  };
}

module.exports = { serviceCpuSampler, backendPids };
