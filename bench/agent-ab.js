'use strict';
// Two agents' warm paths compared in one invocation: `node bench/agent-ab.js A.sock B.sock [rounds] [seconds]
// [clients]`. Rounds alternate which agent goes first; each round runs `print(1)` from closed-loop clients (4) for
// `seconds` on one agent, then waits until its pool has refilled (so the round's refills are the round's), then the
// other. CPU per run: with AGENT_AB_GROUPS=GROUP_A,GROUP_B (bench/agent-ab.sh), each agent's own cpuacct group;
// otherwise the whole machine's busy CPU time in the round (from /proc/stat), which other load moves. Reports per
// agent the median runs/s and CPU per run, the pool's hits and misses, and B/A as the median of the rounds' ratios.
const fs = require('node:fs');
const { agentCall, agentPools, runAgentLoad } = require('./lib/agent');
const { busyMs: machineBusyMs } = require('./lib/cpu');
const { median } = require('./lib/stats');

const [socketA, socketB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] || 7);
const seconds = Number(process.argv[5] || 5);
const clients = Number(process.argv[6] || 4);
const groups = process.env.AGENT_AB_GROUPS ? process.env.AGENT_AB_GROUPS.split(',') : null;
const request = { op: 'run', language: 'python', code: 'print(1)' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const groupCpuMs = (group) => Number(fs.readFileSync(`/sys/fs/cgroup/cpuacct/${group}/cpuacct.usage`, 'utf8')) / 1e6;

async function poolsFull(socketPath) {
  for (let i = 0; i < 600; i++) {
    const { python } = await agentPools(socketPath);
    if (python && python.idle === python.size) return python;
    await sleep(50);
  }
  throw new Error(`${socketPath}: the python pool did not refill within 30 s`);
}

async function round(socketPath, group) {
  const cpuMs = group ? () => groupCpuMs(group) : machineBusyMs;
  const before = await poolsFull(socketPath);
  const cpu0 = cpuMs();
  const r = await runAgentLoad({ socketPath, clients, seconds, request });
  const after = await poolsFull(socketPath);
  const runs = r.runsPerSecond * seconds;
  return {
    rate: r.runsPerSecond,
    cpuMsPerRun: (cpuMs() - cpu0) / runs,
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
  };
}

(async () => {
  if (!socketA || !socketB) throw new Error('usage: node bench/agent-ab.js A.sock B.sock [rounds] [seconds] [clients]');
  for (const s of [socketA, socketB]) {
    for (let i = 0; i < 600 && !fs.existsSync(s); i++) await sleep(50);
    await agentCall(s, { op: 'ping' });
  }
  const agents = { A: { socket: socketA, group: groups?.[0] }, B: { socket: socketB, group: groups?.[1] } };
  const results = { A: [], B: [] };
  console.log(`CPU per run from ${groups ? `cpuacct groups ${groups.join(', ')}` : 'the whole machine (/proc/stat)'}`);
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? ['B', 'A'] : ['A', 'B']) results[name].push(await round(agents[name].socket, agents[name].group));
    const [a, b] = [results.A[i], results.B[i]];
    console.log(`round ${i + 1}: A ${a.rate.toFixed(1)} runs/s ${a.cpuMsPerRun.toFixed(2)} ms CPU/run, ` +
      `B ${b.rate.toFixed(1)} runs/s ${b.cpuMsPerRun.toFixed(2)} ms CPU/run`);
  }
  for (const name of ['A', 'B']) {
    const rs = results[name];
    const sum = (k) => rs.reduce((t, r) => t + r[k], 0);
    console.log(`${name}: median ${median(rs.map((r) => r.rate)).toFixed(1)} runs/s, ` +
      `${median(rs.map((r) => r.cpuMsPerRun)).toFixed(2)} ms CPU per run, pool hits ${sum('hits')}, misses ${sum('misses')}`);
  }
  const ratio = (k) => median(results.A.map((a, i) => results.B[i][k] / a[k]));
  console.log(`B / A: throughput ${ratio('rate').toFixed(3)}, CPU per run ${ratio('cpuMsPerRun').toFixed(3)} ` +
    '(medians of the rounds\' ratios)');
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
