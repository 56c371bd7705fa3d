'use strict';
// Measures what bench/README.md reports (bench/run.sh starts the service and a second agent without pools, then
// calls `node bench/lib/bench.js OUT`). Three parts, each in interleaved rounds (bench/lib/rounds.js), every row
// waiting for the pools to be full before it starts and counted until they are full again:
//   one run at a time: print(1) and console.log(1) on each path (bench/lib/paths.js): latency and CPU per run;
//   library imports: `import sympy`, `import pandas` on the warm paths: the agent's executionTimeMs;
//   throughput: each snippet on each path from THROUGHPUT_CLIENTS closed-loop clients: runs/s, CPU per run, and
//   what the pool did meanwhile.
// Every run's answer is checked; a failed run aborts. BENCH_QUICK=1 cuts every part short, for trying the bench out.
const fs = require('node:fs');
const os = require('node:os');
const { percentile, median } = require('./stats');
const { paths } = require('./paths');
const { interleave } = require('./rounds');
const { quiesce, addDeltas, unrestedCount } = require('./pools');
const { render } = require('./report');
const { backendPids } = require('./process-cpu');

const QUICK = process.env.BENCH_QUICK === '1';
const SETTINGS = QUICK
  ? { serviceWarmupRuns: 30, seqRounds: 2, seqBatch: 3, importRounds: 1, importBatch: 2, tputRounds: 1, tputSeconds: 2, idleSeconds: 1 }
  // A just-started service answers its first few hundred requests slower (the JVM is still compiling its hot
  // paths); what a user meets is a service that has been running: it is warmed up before anything is measured.
  : { serviceWarmupRuns: 300, seqRounds: 5, seqBatch: 8, importRounds: 3, importBatch: 4, tputRounds: 4, tputSeconds: 5, idleSeconds: 2 };
const THROUGHPUT_CLIENTS = 4;
const SNIPPETS = [
  { language: 'python', code: 'print(1)', stdout: '1\n' },
  { language: 'javascript', code: 'console.log(1)', stdout: '1\n' },
];
const IMPORTS = [
  { language: 'python', code: 'import sympy', stdout: '' },
  { language: 'python', code: 'import pandas', stdout: '' },
];
const WARM_PATHS = ['warm agent', 'HTTP'];

const env = {
  url: process.env.SANDBOX_TEST_URL,
  apiKey: process.env.SANDBOX_TEST_API_KEY,
  socket: process.env.SANDBOX_AGENT_SOCKET,
  coldSocket: process.env.BENCH_COLD_AGENT_SOCKET,
};

// The service, the PostgreSQL backends of its database (its inserts and commits are a request's cost too) and both
// agents (each agent's pid is in SOCKET.pid, scripts/lib/services.sh), read at every window: a supervisor restarts
// an agent that died.
const roots = () => [Number(process.env.SANDBOX_TEST_SERVICE_PID), ...backendPids(process.env.SANDBOX_DB_USER),
  ...[env.socket, env.coldSocket].map((s) => Number(fs.readFileSync(`${s}.pid`, 'utf8')))];

// One row per snippet and path; a turn runs `batch` runs one at a time, each after the machine is at rest again.
function sequentialRows(snippets, pathList, batch) {
  return snippets.flatMap((snippet) => pathList.map((p) => ({
    key: `${snippet.code}|${p.name}`,
    language: snippet.language,
    turn: async () => {
      const ms = [];
      const exec = [];
      for (let i = 0; i < batch; i++) {
        const r = await p.run(snippet);
        ms.push(r.ms);
        if (r.executionTimeMs !== undefined) exec.push(r.executionTimeMs);
        await quiesce(env.socket);
      }
      return { runs: batch, ms, exec };
    },
  })));
}

function throughputRows(snippets, pathList, seconds) {
  return snippets.flatMap((snippet) => pathList.map((p) => ({
    key: `${snippet.code}|${p.name}`,
    language: snippet.language,
    turn: () => p.load(snippet, THROUGHPUT_CLIENTS, seconds),
  })));
}

const medianOf = (turns, f) => median(turns.map(f));

// Per row: latency percentiles of all its runs, medians of its turns' CPU per run, the pool's totals.
function summarizeSequential(turns) {
  const ms = turns.flatMap((t) => t.data.ms);
  const exec = turns.flatMap((t) => t.data.exec);
  return {
    runs: ms.length,
    p50: median(ms),
    p95: percentile(ms, 95),
    execP50: exec.length ? median(exec) : null,
    cpuMs: medianOf(turns, (t) => t.cpu.netMs),
    ownMs: medianOf(turns, (t) => t.cpu.ownMs),
    treeMs: medianOf(turns, (t) => t.cpu.treeMs),
    pools: addDeltas(turns.map((t) => t.pools)),
  };
}

// Per row: medians over the rounds; against bare, the median of the rounds' own ratios (same round, same drift).
function summarizeThroughput(turns, bareTurns) {
  return {
    runs: turns.reduce((a, t) => a + t.data.runs, 0),
    runsPerSecond: medianOf(turns, (t) => t.data.runsPerSecond),
    overBare: median(turns.map((t, i) => t.data.runsPerSecond / bareTurns[i].data.runsPerSecond)),
    p50: medianOf(turns, (t) => t.data.latencyMs.p50),
    p95: medianOf(turns, (t) => t.data.latencyMs.p95),
    cpuMs: medianOf(turns, (t) => t.cpu.netMs),
    ownMs: medianOf(turns, (t) => t.cpu.ownMs),
    treeMs: medianOf(turns, (t) => t.cpu.treeMs),
    pools: addDeltas(turns.map((t) => t.pools)),
  };
}

// { snippet code: { path name: summary } }
function bySnippet(snippets, pathList, summarize) {
  return Object.fromEntries(snippets.map((s) => [s.code,
    Object.fromEntries(pathList.map((p) => [p.name, summarize(s, p)]))]));
}

async function main() {
  const out = process.argv[2];
  if (Object.values(env).some((v) => !v)) {
    throw new Error('SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY, SANDBOX_AGENT_SOCKET and BENCH_COLD_AGENT_SOCKET are not set: run bench/run.sh');
  }
  const S = SETTINGS;
  const started = Date.now();
  const loadStart = os.loadavg()[0];
  const all = paths(env);
  const warm = all.filter((p) => WARM_PATHS.includes(p.name));
  const http = all.find((p) => p.name === 'HTTP');
  process.stderr.write(`bench: ${S.serviceWarmupRuns} runs to warm the service up ...\n`);
  for (let i = 0; i < S.serviceWarmupRuns; i++) await http.run(SNIPPETS[i % SNIPPETS.length]);
  // each path once before anything is timed (first spawns, first connections)
  for (const s of SNIPPETS) for (const p of all) await p.run(s);

  const common = { socket: env.socket, roots, idleSeconds: S.idleSeconds };
  const seq = await interleave({ ...common, rows: sequentialRows(SNIPPETS, all, S.seqBatch), rounds: S.seqRounds, label: 'one run at a time' });
  const imports = await interleave({ ...common, rows: sequentialRows(IMPORTS, warm, S.importBatch), rounds: S.importRounds, label: 'library imports' });
  const tput = await interleave({ ...common, rows: throughputRows(SNIPPETS, all, S.tputSeconds), rounds: S.tputRounds, label: `throughput, ${THROUGHPUT_CLIENTS} clients` });

  const results = {
    settings: { ...S, quick: QUICK, clients: THROUGHPUT_CLIENTS },
    load: { start: loadStart, end: os.loadavg()[0] },
    elapsedS: (Date.now() - started) / 1000,
    unrested: unrestedCount(),
    idleRates: { sequential: seq.idleRates, imports: imports.idleRates, throughput: tput.idleRates },
    sequential: bySnippet(SNIPPETS, all, (s, p) => summarizeSequential(seq.turns[`${s.code}|${p.name}`])),
    imports: bySnippet(IMPORTS, warm, (s, p) => summarizeSequential(imports.turns[`${s.code}|${p.name}`])),
    throughput: bySnippet(SNIPPETS, all, (s, p) => summarizeThroughput(tput.turns[`${s.code}|${p.name}`], tput.turns[`${s.code}|bare`])),
  };
  fs.writeFileSync(out, render(results));
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 1));
  process.stderr.write(`bench: wrote ${out}\n`);
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
