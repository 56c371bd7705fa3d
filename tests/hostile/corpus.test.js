'use strict';
// The hostile corpus, run over HTTP against the real service (scripts/test-hostile.sh starts it). Cases of one
// theme run concurrently, bounded by HOSTILE_CONCURRENCY (the service's bulkhead is about that size); after each
// theme, with no run in flight, the host is checked for anything the snippets left behind.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { loadConfig } = require('./lib/config');
const { execute, sleep } = require('./lib/sandbox');
const { assertAnswer } = require('./lib/expect');
const { snapshotHost, assertHostUnharmed } = require('./lib/host');
const { startListeners } = require('./lib/listeners');
const preludes = require('./lib/preludes');

const ALL_THEMES = ['resources', 'persistence', 'isolation', 'secrets', 'network', 'syscalls', 'filesystem', 'output', 'input',
  'endings', 'workdir'];
// HOSTILE_THEMES (comma-separated) runs only those themes, e.g. once more against an agent without pools.
const THEMES = process.env.HOSTILE_THEMES ? process.env.HOSTILE_THEMES.split(',') : ALL_THEMES;
const CASE_TIMEOUT_MS = 180_000;

const config = loadConfig();
const ctx = { ...config };
let listeners;

async function runStep(step) {
  const code = typeof step.code === 'function' ? step.code(ctx) : step.code;
  const body = { language: step.language, code: (step.prelude ? preludes[step.language] : '') + code };
  if (step.stdin !== undefined) body.stdin = step.stdin;
  Object.assign(body, step.extraFields);
  const answer = await execute(ctx.baseUrl, ctx.apiKey, body);
  assertAnswer(answer, step.expect, ctx);
  return answer.json;
}

// A case's own run, and its "meanwhile" run started afterMs later while the first is still running.
async function runOverlapping(c) {
  const later = c.meanwhile && sleep(c.meanwhile.afterMs).then(() => runStep(c.meanwhile));
  const [body, laterBody] = await Promise.all([runStep(c), later]);
  if (c.together) c.together(body, laterBody);
}

before(async () => {
  listeners = await startListeners(config.marker);
  ctx.tcpPort = listeners.tcpPort;
  ctx.udpPort = listeners.udpPort;
  ctx.abstractName = listeners.abstractName;
});

after(() => listeners?.close());

for (const theme of THEMES) {
  const cases = require(`./cases/${theme}`);
  describe(theme, () => {
    let hostBefore;
    before(() => {
      hostBefore = snapshotHost();
    });
    describe('cases', { concurrency: config.concurrency }, () => {
      for (const c of cases) {
        it(c.name, { timeout: CASE_TIMEOUT_MS }, async () => {
          await runOverlapping(c);
          if (c.then) await runStep(c.then);
        });
      }
    });
    it('leaves the host unharmed', () => assertHostUnharmed(hostBefore, config));
  });
}

it('no snippet reached the host listeners (loopback TCP and UDP, abstract Unix socket)', () => {
  assert.deepEqual(listeners.contacts, []);
});
