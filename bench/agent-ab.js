'use strict';
// Two agents' warm paths compared in one invocation: `node bench/agent-ab.js A.sock B.sock [rounds] [seconds]`.
// Rounds alternate which agent goes first; each round runs `print(1)` from 4 closed-loop clients for `seconds` on one
// agent, then on the other. Reports per agent the median runs/s and the median CPU per run (the whole machine's busy
// CPU time during the round, from /proc/stat, divided by the runs), and B/A as the median of the rounds' own ratios.
const fs = require('node:fs');
const { runAgentLoad } = require('./lib/agent');

const [socketA, socketB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] || 7);
const seconds = Number(process.argv[5] || 5);
const request = { op: 'run', language: 'python', code: 'print(1)' };
const TICKS_PER_S = 100; // USER_HZ

function busyMs() {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4]; // idle + iowait
  return ((cpu.reduce((a, b) => a + b, 0) - idle) * 1000) / TICKS_PER_S;
}

const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function round(socketPath) {
  const before = busyMs();
  const r = await runAgentLoad({ socketPath, clients: 4, seconds, request });
  const runs = r.runsPerSecond * seconds;
  return { rate: r.runsPerSecond, cpuMsPerRun: (busyMs() - before) / runs };
}

(async () => {
  if (!socketA || !socketB) throw new Error('usage: node bench/agent-ab.js A.sock B.sock [rounds] [seconds]');
  const results = { A: [], B: [] };
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? ['B', 'A'] : ['A', 'B']) results[name].push(await round(name === 'A' ? socketA : socketB));
    const [a, b] = [results.A[i], results.B[i]];
    console.log(`round ${i + 1}: A ${a.rate.toFixed(1)} runs/s ${a.cpuMsPerRun.toFixed(2)} ms CPU/run, ` +
      `B ${b.rate.toFixed(1)} runs/s ${b.cpuMsPerRun.toFixed(2)} ms CPU/run`);
  }
  for (const name of ['A', 'B']) {
    console.log(`${name}: median ${median(results[name].map((r) => r.rate)).toFixed(1)} runs/s, ` +
      `${median(results[name].map((r) => r.cpuMsPerRun)).toFixed(2)} ms CPU per run`);
  }
  const ratio = median(results.A.map((a, i) => results.B[i].rate / a.rate));
  console.log(`B / A throughput: ${ratio.toFixed(3)} (median of the rounds' ratios)`);
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
