'use strict';
// The warm pools of the service's agent, seen through its ping (kata-agent/PROTOCOL.md): waiting until every pool is
// full again, and what a pool did between two pings.
const { agentPools } = require('./agent');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// pings back off from the first to the last interval: a long refill is not paid for with many pings
const POLL_MS = [10, 20, 40, 80, 160, 320];
// Past this, the bench goes on without full pools (and says so in its report) rather than lose a long run.
const FULL_WAIT_MS = 120_000;
// A run's teardown (its jail, the kernel's cleanup of its namespaces) goes on after its answer; this much later the
// machine is at rest again, unless a pool member is still warming up.
const SETTLE_MS = 100;

// The bench process's CPU spent on quiesce's pings so far (ms): the waiting is the bench's, not the runs' cost, and
// the CPU accounting leaves it out (the agent's side of a ping, far smaller, it cannot).
let pingCpuUs = 0;
const pingCpuMs = () => pingCpuUs / 1000;
// How often quiesce gave up waiting for full pools.
let unrested = 0;
const unrestedCount = () => unrested;

async function ping(socket) {
  const before = process.cpuUsage();
  const pools = await agentPools(socket);
  const used = process.cpuUsage(before);
  pingCpuUs += used.user + used.system;
  return pools;
}

// Until every pool of the agent at `socket` has all its members idle (none warming up), SETTLE_MS at least. Every row
// of the bench waits so after each run, so no row is timed while another row's refills still run.
async function quiesce(socket) {
  await sleep(SETTLE_MS);
  const deadline = Date.now() + FULL_WAIT_MS;
  for (let i = 0; ; i++) {
    const pools = Object.values(await ping(socket));
    if (pools.every((p) => p.idle >= p.size)) return;
    if (Date.now() > deadline) {
      unrested++;
      process.stderr.write(`bench: the pools did not refill within ${FULL_WAIT_MS} ms, going on: ${JSON.stringify(pools)}\n`);
      return;
    }
    await sleep(POLL_MS[Math.min(i, POLL_MS.length - 1)]);
  }
}

// What one pool did between two pings: runs it took (hits), runs that went cold although it is on (misses), members
// it warmed (refills) and their average warm-up in that time (refillMs, null without refills).
function poolDelta(before, after) {
  const refills = after.refills - before.refills;
  const refillMsTotal = after.refillMsAvg * after.refills - before.refillMsAvg * before.refills;
  return {
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
    refills,
    refillMs: refills > 0 ? refillMsTotal / refills : null,
  };
}

// The sum of deltas (the refill average weighted by refills).
function addDeltas(deltas) {
  const total = (key) => deltas.reduce((a, d) => a + d[key], 0);
  const refills = total('refills');
  const refillMsTotal = deltas.reduce((a, d) => a + (d.refills ? d.refillMs * d.refills : 0), 0);
  return { hits: total('hits'), misses: total('misses'), refills, refillMs: refills > 0 ? refillMsTotal / refills : null };
}

module.exports = { quiesce, pingCpuMs, unrestedCount, poolDelta, addDeltas, SETTLE_MS, FULL_WAIT_MS };
