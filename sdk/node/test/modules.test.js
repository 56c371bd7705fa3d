'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PACKAGE_DIR = path.join(__dirname, '..');
const EXPORTS = [
  'setApiKey', 'setBaseUrl', 'executeCode', 'Client', 'DEFAULT_BASE_URL', 'SandboxError', 'AuthenticationError', 'ValidationError', 'RetryLaterError',
  'RateLimitError', 'ServiceUnavailableError', 'ConnectionError', 'TimeoutError',
];

test('import and require give the same default object and the same classes', async () => {
  const required = require('@builde2e/sdk');
  const imported = await import('@builde2e/sdk');
  assert.equal(imported.default, required);
  assert.equal(required.default, required);
  for (const name of EXPORTS) {
    assert.notEqual(required[name], undefined, name);
    assert.equal(imported[name], required[name], name);
  }
});

test('the error classes form one hierarchy', () => {
  const sdk = require('@builde2e/sdk');
  for (const name of EXPORTS.filter((name) => name.endsWith('Error'))) {
    const error = new sdk[name]('message');
    assert.ok(error instanceof sdk.SandboxError && error instanceof Error, name);
    assert.equal(error.name, name);
  }
  assert.ok(new sdk.RateLimitError('m') instanceof sdk.RetryLaterError);
  assert.ok(new sdk.ServiceUnavailableError('m') instanceof sdk.RetryLaterError);
});

test('the packed package installs on its own and loads through both module systems', (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'builde2e-sdk-pack-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  }));
  assert.deepEqual(packed.files.map((file) => file.path).sort(), [
    'README.md', 'client.js', 'errors.js', 'index.d.mts', 'index.d.ts', 'index.js', 'index.mjs', 'package.json',
    'types.d.ts',
  ]);

  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{"private": true}\n');
  // No runtime dependencies, so this needs no registry.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], {
    cwd: app, stdio: 'pipe',
  });
  const run = (args) => execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8' }).trim();
  const probe = 'typeof BuildE2E.executeCode + " " + (BuildE2E.default === BuildE2E) + " " + typeof BuildE2E.Client';
  assert.equal(run(['-e', `const BuildE2E = require('@builde2e/sdk'); console.log(${probe})`]), 'function true function');
  assert.equal(run(['--input-type=module', '-e', `import BuildE2E from '@builde2e/sdk'; console.log(${probe})`]),
    'function true function');
});
