'use strict';

// Runs against the real service: scripts/test-sdk.sh starts it and sets these two variables. Without them (a plain
// `npm test` on a machine with no service) the whole suite is skipped, visibly.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client, AuthenticationError, ValidationError } = require('@builde2e/sdk');

const BASE_URL = process.env.SANDBOX_TEST_URL;
const API_KEY = process.env.SANDBOX_TEST_API_KEY;
const skip = BASE_URL && API_KEY
  ? false
  : 'no service: set SANDBOX_TEST_URL and SANDBOX_TEST_API_KEY, or run `make test-sdk` from the repository root';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('against the real service', { skip }, () => {
  const client = new Client({ apiKey: API_KEY, baseUrl: BASE_URL });

  test("the seed's Python example prints the numpy array", async () => {
    const result = await client.executeCode({ code: 'import numpy as np; print(np.array([1, 2, 3]))', language: 'python' });
    assert.equal(result.stdout, '[1 2 3]\n');
    assert.equal(result.stderr, '');
    assert.equal(result.exitCode, 0);
    assert.equal(result.timedOut, false);
    assert.equal(result.status, 'completed');
    assert.equal(result.signal, null);
    assert.equal(result.outputTruncated, false);
    assert.equal(result.cost, 0.002);
    assert.match(result.executionId, UUID);
    assert.ok(result.memoryUsageMb > 0, `memoryUsageMb ${result.memoryUsageMb}`);
    assert.equal(typeof result.executionTimeMs, 'number');
    assert.equal(result.error, undefined);
  });

  test("the seed's JavaScript example prints the lodash chunks", async () => {
    const result = await client.executeCode({
      code: 'const _ = require("lodash"); console.log(_.chunk([1,2,3,4], 2));', language: 'javascript',
    });
    assert.equal(result.stdout, '[ [ 1, 2 ], [ 3, 4 ] ]\n');
    assert.equal(result.exitCode, 0);
  });

  test('stdin reaches the program', async () => {
    const result = await client.executeCode({ code: 'print(input()[::-1])', language: 'python', stdin: 'abc\n' });
    assert.equal(result.stdout, 'cba\n');
  });

  test('a failing snippet resolves with exit code 1 and the traceback', async () => {
    const result = await client.executeCode({ code: 'print(1/0)', language: 'python' });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /ZeroDivisionError: division by zero/);
    assert.equal(result.timedOut, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.cost, 0.002);
  });

  test('a snippet that never ends times out with exit code 124', async () => {
    const result = await client.executeCode({ code: 'while True:\n    pass', language: 'python' });
    assert.equal(result.exitCode, 124);
    assert.equal(result.timedOut, true);
    assert.equal(result.status, 'timed_out');
  });

  test('a wrong key is an AuthenticationError', async () => {
    const wrong = new Client({ apiKey: 'uc-not-a-real-key', baseUrl: BASE_URL });
    await assert.rejects(wrong.executeCode({ code: 'print(1)', language: 'python' }), (error) =>
      error instanceof AuthenticationError && error.status === 401);
  });

  test('an unknown language is a ValidationError naming the field', async () => {
    await assert.rejects(client.executeCode({ code: 'puts 1', language: 'ruby' }), (error) =>
      error instanceof ValidationError && error.status === 400 && error.field === 'language');
  });

  test('an input CSV read with pandas, a chart.png from Pillow and a JSON file come back as Buffers', async () => {
    const code = [
      'import json, pandas as pd',
      'from PIL import Image',
      "frame = pd.read_csv('data/in.csv')",
      "Image.new('RGB', (8, 8), (0, 128, 255)).save('chart.png')",
      "json.dump({'total': int(frame['n'].sum())}, open('out/sum.json', 'w'))",
    ].join('\n');
    const result = await client.executeCode({
      code, language: 'python',
      files: [{ path: 'data/in.csv', content: 'n\n1\n2\n39\n' }, { path: 'out/.keep', content: Buffer.alloc(0) }],
    });
    assert.equal(result.status, 'completed', result.stderr);
    const byPath = Object.fromEntries(result.files.map((file) => [file.path, file]));
    assert.ok(Buffer.isBuffer(byPath['chart.png'].content));
    assert.deepEqual(byPath['chart.png'].content.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.equal(byPath['chart.png'].mimeType, 'image/png');
    assert.equal(byPath['chart.png'].sizeBytes, byPath['chart.png'].content.length);
    assert.deepEqual(JSON.parse(byPath['out/sum.json'].content.toString('utf8')), { total: 42 });
    assert.equal(byPath['data/in.csv'], undefined, 'an input file the run did not change is not returned');
    assert.equal(result.filesTruncated, false);
  });

  test('bytes go in as they are, env and args reach JavaScript', async () => {
    const result = await client.executeCode({
      code: 'const fs = require("fs"); console.log(JSON.stringify([[...fs.readFileSync("b.bin")], process.env.WHO, process.argv.slice(2)]));',
      language: 'javascript',
      files: [{ path: 'b.bin', content: new Uint8Array([0, 255, 128]) }],
      env: { WHO: 'sdk' },
      args: ['one', 'two words'],
    });
    assert.deepEqual(JSON.parse(result.stdout), [[0, 255, 128], 'sdk', ['one', 'two words']]);
  });

  test('a run limited to 1500 ms times out against its own limit', async () => {
    const result = await client.executeCode({ code: 'import time; time.sleep(5)', language: 'python', timeoutMs: 1500 });
    assert.equal(result.status, 'timed_out');
    assert.equal(result.exitCode, 124);
    assert.ok(result.executionTimeMs < 2500, `executionTimeMs ${result.executionTimeMs}`);
  });

  test('a limit above the plan is a ValidationError naming it', async () => {
    await assert.rejects(client.executeCode({ code: 'print(1)', language: 'python', memoryMb: 1024 }),
      (error) => error instanceof ValidationError && error.field === 'memoryMb');
  });

  test('onStdout gets each line as the program prints it, well before the result', async () => {
    const arrivals = [];
    const started = performance.now();
    const result = await client.executeCode({
      code: "import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b')",
      language: 'python',
      onStdout: (chunk) => arrivals.push([chunk, performance.now()]),
      onStderr: (chunk) => assert.fail(`unexpected stderr ${chunk}`),
    });
    const resolved = performance.now();
    assert.equal(result.stdout, 'a\nb\n');
    assert.equal(arrivals.map(([chunk]) => chunk).join(''), 'a\nb\n');
    assert.equal(arrivals[0][0], 'a\n');
    // the contract's own figure: the first line is seen at least 0.7 s before the result (the program sleeps 1 s)
    assert.ok(resolved - arrivals[0][1] >= 700, `a arrived ${resolved - arrivals[0][1]} ms before the result`);
    assert.ok(arrivals[0][1] > started);
  });

  test("the seed's snippet, pasted into a fresh project that installs sdk/node, prints the seed's output", (t) => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'builde2e-seed-'));
    t.after(() => fs.rmSync(app, { recursive: true, force: true }));
    fs.writeFileSync(path.join(app, 'package.json'), '{"private": true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', path.join(__dirname, '..')], { cwd: app, stdio: 'pipe' });
    // The one edit a user makes after pasting: their own key in place of the placeholder.
    const snippet = fs.readFileSync(path.join(__dirname, 'seed-snippet.mjs'), 'utf8');
    assert.ok(snippet.includes("'uc-YOUR-API-KEY'"));
    fs.writeFileSync(path.join(app, 'index.mjs'), snippet.replace("'uc-YOUR-API-KEY'", JSON.stringify(API_KEY)));

    const output = execFileSync(process.execPath, ['index.mjs'], {
      cwd: app, encoding: 'utf8', env: { ...process.env, BUILDE2E_BASE_URL: BASE_URL },
    });
    assert.match(output, /^\[1 2 3\]\n\n\[ \[ 1, 2 \], \[ 3, 4 \] \]\n\n\d+(\.\d+)?\n$/);
  });
});
