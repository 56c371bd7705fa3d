'use strict';
// N clients posting one snippet for T seconds, each waiting for its answer before the next request (a client that
// gets 503 honours Retry-After, capped). Reports runs/s, latency percentiles of the 200s, the count of each HTTP
// status, the answers that broke the contract (5xx other than 503, a 503 without Retry-After, a 200 that is not a
// billed run) and, with a pid, the service's RSS sampled during the run. No request is cut short at the end: every
// request sent is answered, so the usage table can be compared with the 200s afterwards.
//   node bench/lib/load.js --url URL --clients N --seconds T [--pid PID] [--language L --code CODE] [--json FILE]
// The API key comes from SANDBOX_API_KEY (never from the command line, where ps would show it).
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { percentile } = require('./stats');

const MAX_RETRY_WAIT_MS = 2_000;
const RSS_SAMPLE_MS = 500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid) {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function oneRequest(url, apiKey, body) {
  const started = process.hrtime.bigint();
  const res = await fetch(`${url}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text, ms };
}

async function runLoad({ url, apiKey, clients, seconds, snippet, pid }) {
  const body = JSON.stringify(snippet);
  const statuses = {};
  const latencies = [];
  const violations = [];
  const rss = [];
  const endAt = Date.now() + seconds * 1000;
  const sampler = pid ? setInterval(() => rss.push(rssMb(pid)), RSS_SAMPLE_MS) : null;
  if (pid) rss.push(rssMb(pid));

  const client = async () => {
    while (Date.now() < endAt) {
      let answer;
      try {
        answer = await oneRequest(url, apiKey, body);
      } catch (e) {
        statuses.error = (statuses.error ?? 0) + 1;
        violations.push(`request failed: ${e.message}`);
        continue;
      }
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status === 200) {
        const json = JSON.parse(answer.text);
        if (json.cost !== 0.002 || !json.executionId) violations.push(`200 without a billed run: ${answer.text.slice(0, 200)}`);
        latencies.push(answer.ms);
      } else if (answer.status === 503) {
        if (!answer.retryAfter) violations.push('503 without Retry-After');
        await sleep(Math.min(Number(answer.retryAfter) * 1000 || 1000, MAX_RETRY_WAIT_MS));
      } else {
        violations.push(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedS = (Date.now() - started) / 1000;
  if (sampler) clearInterval(sampler);
  if (pid) rss.push(rssMb(pid));

  const samples = rss.filter((v) => v !== null);
  return {
    clients,
    seconds: elapsedS,
    ok: latencies.length,
    runsPerSecond: latencies.length / elapsedS,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
    statuses,
    violations,
    rssMb: samples.length ? { start: samples[0], peak: Math.max(...samples), end: samples[samples.length - 1] } : null,
  };
}

function printSummary(s) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  console.log(`clients ${s.clients}, ${f(s.seconds)} s: ${s.ok} runs, ${s.runsPerSecond.toFixed(2)} runs/s`);
  console.log(`latency of 200s (ms): p50 ${f(s.latencyMs.p50)}  p95 ${f(s.latencyMs.p95)}  p99 ${f(s.latencyMs.p99)}`);
  console.log(`HTTP statuses: ${Object.entries(s.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  if (s.rssMb) console.log(`service RSS (MB): start ${f(s.rssMb.start)}  peak ${f(s.rssMb.peak)}  end ${f(s.rssMb.end)}`);
  console.log(s.violations.length ? `CONTRACT VIOLATIONS (${s.violations.length}):\n  ${[...new Set(s.violations)].slice(0, 10).join('\n  ')}` : 'no contract violation');
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      clients: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '30' },
      pid: { type: 'string' },
      language: { type: 'string', default: 'python' },
      code: { type: 'string', default: 'print(1)' },
      json: { type: 'string' },
    },
  });
  const url = new URL(values.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('load goes to loopback only');
  const apiKey = process.env.SANDBOX_API_KEY;
  if (!apiKey) throw new Error('SANDBOX_API_KEY is not set');
  const summary = await runLoad({
    url: url.origin,
    apiKey,
    clients: Number(values.clients),
    seconds: Number(values.seconds),
    snippet: { language: values.language, code: values.code },
    pid: values.pid ? Number(values.pid) : null,
  });
  printSummary(summary);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(summary));
  if (summary.violations.length) process.exitCode = 1;
}

if (require.main === module) main().catch((e) => {
  console.error(`load: ${e.message}`);
  process.exit(2);
});

module.exports = { runLoad };
