'use strict';
// Checks one HTTP answer against a case's expectations, plus the rules every answer must keep whatever the case:
// valid JSON, the seed's field types, and no secret anywhere in the body.
const assert = require('node:assert/strict');

const STATUSES = ['completed', 'failed', 'timed_out', 'memory_limit', 'output_limit', 'killed'];
const PRICE_USD = 0.002;

function matches(actual, expected, what) {
  if (expected instanceof RegExp) assert.match(actual, expected, `${what} does not match ${expected}`);
  else assert.equal(actual, expected, `${what} differs`);
}

function assertRunShape(body) {
  assert.equal(typeof body.stdout, 'string', 'stdout is a string');
  assert.equal(typeof body.stderr, 'string', 'stderr is a string');
  assert.ok(Number.isInteger(body.exitCode), 'exitCode is an integer');
  assert.ok(typeof body.executionTimeMs === 'number' && body.executionTimeMs >= 0, 'executionTimeMs is a number');
  assert.ok(typeof body.memoryUsageMb === 'number' && body.memoryUsageMb >= 0, 'memoryUsageMb is a number');
  assert.equal(typeof body.timedOut, 'boolean', 'timedOut is a boolean');
  assert.equal(body.cost, PRICE_USD, 'every run that started is billed $0.002');
  assert.ok(STATUSES.includes(body.status), `status ${body.status} is one of ${STATUSES}`);
  assert.equal(typeof body.outputTruncated, 'boolean', 'outputTruncated is a boolean');
  assert.match(String(body.executionId), /^[0-9a-f-]{36}$/, 'executionId is a UUID');
  assert.equal(body.error, undefined, 'a run that started carries no infrastructure error');
}

// Probe snippets print "DENIED <name>: <why>" when an attack failed and "ESCAPED <name>: ..." when it worked.
function assertProbes(stdout, probes) {
  for (const name of probes) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(stdout, new RegExp(`^DENIED ${escaped}:`, 'm'), `probe ${name} did not report DENIED`);
  }
}

function assertNoSecrets(text, secrets) {
  for (const [label, value] of secrets) {
    assert.ok(!text.includes(value), `the ${label} is visible in the answer`);
  }
}

function assertAnswer(answer, expect, ctx) {
  const where = () => `HTTP ${answer.httpStatus}: ${answer.text.slice(0, 600)}`;
  assert.equal(answer.jsonError, null, `the answer is not valid JSON (${answer.jsonError})`);
  assertNoSecrets(answer.text, ctx.secrets);
  assert.equal(answer.httpStatus, expect.http ?? 200, `unexpected HTTP status; ${where()}`);
  const body = answer.json;
  if (answer.httpStatus !== 200) {
    assert.equal(typeof body.error, 'string', `an error answer names the error; ${where()}`);
    if (expect.errorField) assert.equal(body.field, expect.errorField, 'the error names the field');
    return;
  }
  assertRunShape(body);
  assert.doesNotMatch(body.stdout, /^ESCAPED /m, 'a probe escaped the jail');
  for (const key of ['status', 'exitCode', 'timedOut', 'outputTruncated', 'signal']) {
    if (key in expect) assert.equal(body[key], expect[key], `${key}; ${where()}`);
  }
  if ('stdout' in expect) matches(body.stdout, expect.stdout, 'stdout');
  if ('stderr' in expect) matches(body.stderr, expect.stderr, 'stderr');
  for (const bad of expect.stdoutExcludes ?? []) {
    if (bad instanceof RegExp) assert.doesNotMatch(body.stdout, bad, 'stdout shows what it must not');
    else assert.ok(!body.stdout.includes(bad), `stdout shows ${JSON.stringify(bad)}`);
  }
  if (expect.probes) assertProbes(body.stdout, expect.probes);
  if ('minExecutionTimeMs' in expect) {
    assert.ok(body.executionTimeMs >= expect.minExecutionTimeMs, `executionTimeMs ${body.executionTimeMs} too low`);
  }
  if ('maxExecutionTimeMs' in expect) {
    assert.ok(body.executionTimeMs <= expect.maxExecutionTimeMs, `executionTimeMs ${body.executionTimeMs} too high`);
  }
  if (expect.check) expect.check(body, ctx);
}

module.exports = { assertAnswer, assertRunShape };
