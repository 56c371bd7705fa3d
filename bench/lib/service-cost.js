'use strict';
// What the API service itself costs per POST /v1/code-sandbox/execute, apart from the agent's work: the CPU time of
// the service's JVM and of the PostgreSQL backends serving its database (from /proc/PID/stat, so other processes on
// a shared machine do not count), per request, net of what the JVM burns while idle (agent pings, timers); and the
// latency of warm print(1) over HTTP (a keep-alive client) next to the same run sent straight to the agent's socket
// and to an HTTP request that does nothing (the floor), in turn. Rounds repeat both measures; medians are printed.
//   node bench/lib/service-cost.js   with, in the environment, SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY,
//   SANDBOX_AGENT_SOCKET, SANDBOX_DB_USER (the database's name, as scripts/test-env.sh makes it) and
//   SERVICE_JAVA_PID (the service's java process).
// Settings: COST_WARMUP (600 requests first, for the JIT), COST_RUNS (300 requests per CPU measure),
// COST_LATENCY_RUNS (60 of each per latency measure), COST_ROUNDS (3).
const { agentCall } = require('./agent');
const { serviceCpuSampler } = require('./process-cpu');
const { median, percentile } = require('./stats');

const WARMUP = Number(process.env.COST_WARMUP || 600);
const RUNS = Number(process.env.COST_RUNS || 300);
const LATENCY_RUNS = Number(process.env.COST_LATENCY_RUNS || 60);
const ROUNDS = Number(process.env.COST_ROUNDS || 3);
const IDLE_MS = 3000;
const SETTLE_MS = 20;

const url = required('SANDBOX_TEST_URL');
const apiKey = required('SANDBOX_TEST_API_KEY');
const socketPath = required('SANDBOX_AGENT_SOCKET');
const database = required('SANDBOX_DB_USER');
const javaPid = Number(required('SERVICE_JAVA_PID'));
const body = JSON.stringify({ language: 'python', code: 'print(1)' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`service-cost: ${name} is not set`);
  return value;
}

const sample = serviceCpuSampler({ javaPid, database });

async function httpOnce() {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body,
  });
  const answer = await res.json();
  if (res.status !== 200 || answer.stdout !== '1\n') throw new Error(`${res.status} ${JSON.stringify(answer)}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function agentOnce() {
  const { ms, result } = await agentCall(socketPath, { op: 'run', language: 'python', code: 'print(1)' });
  if (result.status !== 'completed' || result.stdout !== '1\n') throw new Error(`agent: ${JSON.stringify(result)}`);
  return ms;
}

/** `total` requests from `clients` closed-loop clients. */
async function requests(total, clients) {
  let left = total;
  const client = async () => {
    while (left > 0) {
      left--;
      await httpOnce();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

async function idleRate() {
  const before = sample();
  await sleep(IDLE_MS);
  const after = sample();
  return (after.jvmMs - before.jvmMs) / (after.at - before.at);
}

/** CPU ms per request of the JVM (net of its idle rate) and of the backends, over RUNS requests. */
async function cpuPerRequest(clients, jvmIdleMsPerMs) {
  const before = sample();
  await requests(RUNS, clients);
  const after = sample();
  const idle = jvmIdleMsPerMs * (after.at - before.at);
  return {
    jvm: (after.jvmMs - before.jvmMs - idle) / RUNS,
    postgres: (after.postgresMs - before.postgresMs) / RUNS,
    perSecond: (RUNS * 1000) / (after.at - before.at),
  };
}

/** A request that does nothing (the liveness check): the floor of the client, HTTP and the container. */
async function noopOnce() {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/health/live`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/health/live: ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** p50 of HTTP, of the direct agent call and of an HTTP no-op, in turn, each after a pause. */
async function latency() {
  const http = [];
  const agent = [];
  const noop = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (const [once, times] of [[httpOnce, http], [agentOnce, agent], [noopOnce, noop]]) {
      times.push(await once());
      await sleep(SETTLE_MS);
    }
  }
  return { http: percentile(http, 50), agent: percentile(agent, 50), noop: percentile(noop, 50) };
}

const fmt = (ms) => ms.toFixed(2);

async function main() {
  await requests(WARMUP, 2);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const idle = await idleRate();
    const one = await cpuPerRequest(1, idle);
    const four = await cpuPerRequest(4, idle);
    const lat = await latency();
    rounds.push({ idle, one, four, lat });
    console.log(`round ${round + 1}: CPU per request, 1 client: JVM ${fmt(one.jvm)} ms + PostgreSQL `
      + `${fmt(one.postgres)} ms (${one.perSecond.toFixed(1)}/s); 4 clients: JVM ${fmt(four.jvm)} ms + PostgreSQL `
      + `${fmt(four.postgres)} ms (${four.perSecond.toFixed(1)}/s); JVM idle ${fmt(idle * 1000)} ms/s; `
      + `p50 HTTP ${fmt(lat.http)} ms, agent ${fmt(lat.agent)} ms, HTTP no-op ${fmt(lat.noop)} ms`);
  }
  const m = (pick) => median(rounds.map(pick));
  const service = (c) => m((r) => r[c].jvm + r[c].postgres);
  console.log(`medians of ${ROUNDS} rounds (${RUNS} requests per CPU measure after ${WARMUP} warm-up requests, `
    + `${LATENCY_RUNS} interleaved triples per latency measure):`);
  console.log(`service CPU per request (JVM + PostgreSQL backends, net of the JVM's idle `
    + `${fmt(m((r) => r.idle) * 1000)} ms/s): 1 client ${fmt(service('one'))} ms `
    + `(JVM ${fmt(m((r) => r.one.jvm))}, PostgreSQL ${fmt(m((r) => r.one.postgres))}); `
    + `4 clients ${fmt(service('four'))} ms (JVM ${fmt(m((r) => r.four.jvm))}, `
    + `PostgreSQL ${fmt(m((r) => r.four.postgres))})`);
  const httpP50 = m((r) => r.lat.http);
  const agentP50 = m((r) => r.lat.agent);
  console.log(`p50 warm print(1): HTTP ${fmt(httpP50)} ms, direct agent call ${fmt(agentP50)} ms, `
    + `HTTP - agent ${fmt(m((r) => r.lat.http - r.lat.agent))} ms (an HTTP no-op: ${fmt(m((r) => r.lat.noop))} ms)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
