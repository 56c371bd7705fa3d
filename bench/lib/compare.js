'use strict';
// Compares running builds of the service on the same machine, agent and database: after a warm-up, rounds in which
// every build in turn (the order rotating from round to round, so drifts of the shared machine's speed hit all
// alike) answers sequential print(1) runs (latency, each 100 ms after the previous one's answer) and then
// CLIENTS closed-loop clients for SECONDS (throughput). Prints each build's median over the rounds.
//   node bench/lib/compare.js NAME=URL... (API key in SANDBOX_TEST_API_KEY)
// Settings: COMPARE_ROUNDS (7), COMPARE_RUNS (30 latency runs a round), COMPARE_CLIENTS (4), COMPARE_SECONDS (5).
const { median } = require('./stats');
const { closedLoop } = require('./closed-loop');
const { executePrint1 } = require('./http-run');

const ROUNDS = Number(process.env.COMPARE_ROUNDS || 7);
const RUNS = Number(process.env.COMPARE_RUNS || 30);
const CLIENTS = Number(process.env.COMPARE_CLIENTS || 4);
const SECONDS = Number(process.env.COMPARE_SECONDS || 5);
const WARMUP_RUNS = 300;
const SETTLE_MS = 100;
const apiKey = process.env.SANDBOX_TEST_API_KEY;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const once = (url) => executePrint1(url, apiKey);

async function latency(url) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    ms.push(await once(url));
    await sleep(SETTLE_MS);
  }
  return median(ms);
}

async function main() {
  const builds = process.argv.slice(2).map((arg) => {
    const [name, url] = arg.split('=');
    return { name, url, latencyMs: [], runsPerSecond: [] };
  });
  for (const b of builds) {
    for (let i = 0; i < WARMUP_RUNS; i++) await once(b.url);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < builds.length; k++) {
      const b = builds[(round + k) % builds.length];
      b.latencyMs.push(await latency(b.url));
      await sleep(SETTLE_MS);
      const load = await closedLoop({ clients: CLIENTS, seconds: SECONDS, once: () => once(b.url) });
      b.runsPerSecond.push(load.runsPerSecond);
      await sleep(SETTLE_MS);
    }
    console.log(`round ${round + 1}: ` + builds.map((b) => `${b.name} ${b.latencyMs[round].toFixed(2)} ms, `
      + `${b.runsPerSecond[round].toFixed(1)} runs/s`).join('; '));
  }
  console.log(`medians of ${ROUNDS} rounds (print(1) latency over ${RUNS} sequential runs; runs/s at `
    + `${CLIENTS} clients for ${SECONDS} s):`);
  for (const b of builds) {
    console.log(`${b.name}: latency ${median(b.latencyMs).toFixed(2)} ms, `
      + `throughput ${median(b.runsPerSecond).toFixed(1)} runs/s`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
