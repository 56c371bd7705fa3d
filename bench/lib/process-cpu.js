'use strict';
// CPU time of the service's own processes, from /proc/PID/stat: its JVM (every thread, live and ended) and the
// PostgreSQL backends connected to its database (found by their process titles). Other processes of a shared machine
// do not count, so the figure holds under other load too; divide a difference by the requests it served.
//   const sample = serviceCpuSampler({ javaPid, database }); const a = sample(); ...; const b = sample();
//   (b.jvmMs - a.jvmMs) / requests, (b.postgresMs - a.postgresMs) / requests
const fs = require('node:fs');
const { processCpu, procPids } = require('./proctree');

/** utime + stime of a process, in ms; 0 once it is gone. */
const cpuMs = (pid) => processCpu(pid)?.ownMs ?? 0;

/** The PostgreSQL backends connected to `database` ("postgres: 15/main: USER DATABASE HOST(PORT) STATE"). */
function backendPids(database) {
  return procPids().filter((pid) => {
    let title;
    try {
      title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return false; // ended meanwhile
    }
    return title.startsWith('postgres: ') && title.includes(` ${database} `);
  });
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
