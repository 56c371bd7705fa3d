'use strict';
// What the API service itself costs per POST /v1/code-sandbox/execute, apart from the agent's work: the CPU time of
// the service's JVM and of the PostgreSQL backends serving its database (bench/lib/process-cpu.js: other processes
// of a shared machine do not count), per request at 1 and at 4 keep-alive clients, net of what the JVM burns while
// idle (agent pings, timers); and the latency of warm print(1) over HTTP next to the same run sent straight to the
// agent's socket and to an HTTP request that does nothing (the floor), in turn. Rounds repeat every measure; with
// several services (builds side by side on one agent and database), each round measures each in turn, the order
// rotating, so that the shared machine's drifts hit all alike. Medians over the rounds are printed.
//   node bench/lib/service-cost.js NAME=URL=JAVA_PID...   with SANDBOX_TEST_API_KEY, SANDBOX_AGENT_SOCKET and
//   SANDBOX_DB_USER (the database's name, as scripts/test-env.sh makes it) in the environment.
// Settings: COST_WARMUP (2000 requests to each service first: C1 keeps compiling the server for over a thousand),
// COST_RUNS (300 requests per CPU measure), COST_LATENCY_RUNS (60 of each per latency measure), COST_ROUNDS (3).
const { agentCall } = require('./agent');
const { executePrint1 } = require('./http-run');
const { serviceCpuSampler } = require('./process-cpu');
const { median, percentile } = require('./stats');

const WARMUP = Number(process.env.COST_WARMUP || 2000);
const RUNS = Number(process.env.COST_RUNS || 300);
const LATENCY_RUNS = Number(process.env.COST_LATENCY_RUNS || 60);
const ROUNDS = Number(process.env.COST_ROUNDS || 3);
const IDLE_MS = 3000;
const SETTLE_MS = 20;

const apiKey = required('SANDBOX_TEST_API_KEY');
const socketPath = required('SANDBOX_AGENT_SOCKET');
const database = required('SANDBOX_DB_USER');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (ms) => ms.toFixed(2);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`service-cost: ${name} is not set`);
  return value;
}

const executeOnce = (url) => executePrint1(url, apiKey);

/** A request that does nothing (the liveness check): the floor of the client, HTTP and the container. */
async function noopOnce(url) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/health/live`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}/health/live: ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function agentOnce() {
  const { ms, result } = await agentCall(socketPath, { op: 'run', language: 'python', code: 'print(1)' });
  if (result.status !== 'completed' || result.stdout !== '1\n') throw new Error(`agent: ${JSON.stringify(result)}`);
  return ms;
}

/** `total` requests from `clients` closed-loop clients. */
async function requests(url, total, clients) {
  let left = total;
  const client = async () => {
    while (left > 0) {
      left--;
      await executeOnce(url);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

/** The JVM's CPU ms per ms of wall time while nothing is asked of it. */
async function idleRate(sample) {
  const before = sample();
  await sleep(IDLE_MS);
  const after = sample();
  return (after.jvmMs - before.jvmMs) / (after.at - before.at);
}

/** CPU ms per request of the JVM (net of its idle rate) and of the backends, over RUNS requests. */
async function cpuPerRequest(service, clients, jvmIdleMsPerMs) {
  const before = service.sample();
  await requests(service.url, RUNS, clients);
  const after = service.sample();
  const idle = jvmIdleMsPerMs * (after.at - before.at);
  return {
    jvm: (after.jvmMs - before.jvmMs - idle) / RUNS,
    postgres: (after.postgresMs - before.postgresMs) / RUNS,
    perSecond: (RUNS * 1000) / (after.at - before.at),
  };
}

/** p50 of HTTP, of the direct agent call and of an HTTP no-op, in turn, each after a pause. */
async function latency(url) {
  const times = { http: [], agent: [], noop: [] };
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (const [name, once] of [['http', () => executeOnce(url)], ['agent', agentOnce], ['noop', () => noopOnce(url)]]) {
      times[name].push(await once());
      await sleep(SETTLE_MS);
    }
  }
  return { http: percentile(times.http, 50), agent: percentile(times.agent, 50), noop: percentile(times.noop, 50) };
}

async function measure(service) {
  const idle = await idleRate(service.sample);
  const one = await cpuPerRequest(service, 1, idle);
  const four = await cpuPerRequest(service, 4, idle);
  const lat = await latency(service.url);
  return { idle, one, four, lat };
}

function describe(r) {
  return `CPU per request, 1 client: JVM ${fmt(r.one.jvm)} ms + PostgreSQL ${fmt(r.one.postgres)} ms `
    + `(${r.one.perSecond.toFixed(1)}/s); 4 clients: JVM ${fmt(r.four.jvm)} ms + PostgreSQL ${fmt(r.four.postgres)} ms `
    + `(${r.four.perSecond.toFixed(1)}/s); JVM idle ${fmt(r.idle * 1000)} ms/s; p50 HTTP ${fmt(r.lat.http)} ms, `
    + `agent ${fmt(r.lat.agent)} ms, HTTP no-op ${fmt(r.lat.noop)} ms`;
}

function summary(name, rounds) {
  const m = (pick) => median(rounds.map(pick));
  const service = (c) => m((r) => r[c].jvm + r[c].postgres);
  return [
    `${name}: service CPU per request (JVM + PostgreSQL backends, net of the JVM's idle `
      + `${fmt(m((r) => r.idle) * 1000)} ms/s): 1 client ${fmt(service('one'))} ms (JVM ${fmt(m((r) => r.one.jvm))}, `
      + `PostgreSQL ${fmt(m((r) => r.one.postgres))}); 4 clients ${fmt(service('four'))} ms `
      + `(JVM ${fmt(m((r) => r.four.jvm))}, PostgreSQL ${fmt(m((r) => r.four.postgres))})`,
    `${name}: p50 warm print(1): HTTP ${fmt(m((r) => r.lat.http))} ms, direct agent call ${fmt(m((r) => r.lat.agent))} `
      + `ms, HTTP - agent ${fmt(m((r) => r.lat.http - r.lat.agent))} ms (an HTTP no-op: ${fmt(m((r) => r.lat.noop))} ms)`,
  ].join('\n');
}

async function main() {
  const services = process.argv.slice(2).map((arg) => {
    const [name, url, pid] = arg.split('=');
    if (!url || !pid) throw new Error(`service-cost: '${arg}' is not NAME=URL=JAVA_PID`);
    return { name, url, sample: serviceCpuSampler({ javaPid: Number(pid), database }), rounds: [] };
  });
  if (services.length === 0) throw new Error('usage: node bench/lib/service-cost.js NAME=URL=JAVA_PID...');
  for (const s of services) await requests(s.url, WARMUP, 2);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < services.length; k++) {
      const s = services[(round + k) % services.length];
      const r = await measure(s);
      s.rounds.push(r);
      console.log(`round ${round + 1}, ${s.name}: ${describe(r)}`);
    }
  }
  console.log(`medians of ${ROUNDS} rounds (${RUNS} requests per CPU measure after ${WARMUP} warm-up requests, `
    + `${LATENCY_RUNS} of each request per latency measure):`);
  for (const s of services) console.log(summary(s.name, s.rounds));
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
