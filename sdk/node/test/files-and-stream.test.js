'use strict';

// The request's files, env, args and limits, output files as Buffers, and streamed output (Server-Sent Events),
// against a local fake of the service.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Client, SandboxError, ConnectionError, ServiceUnavailableError } = require('@builde2e/sdk');
const { startFakeService, resultBody } = require('./fake-service.js');

const KEY = 'uc-test-key';
const PY = { code: 'print("hello")', language: 'python' };

async function withService(respond, body) {
  const service = await startFakeService(respond);
  try {
    await body(service, new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 1 }));
  } finally {
    await service.close();
  }
}

/** Answers with these Server-Sent Event blocks, written one at a time. */
function eventStream(blocks) {
  return async ({ response }) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (const block of blocks) {
      response.write(block);
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  };
}

const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

test('sends text files as UTF-8, bytes as base64, and env, args and limits as given', () =>
  withService(() => ({ body: resultBody() }), async (service, client) => {
    await client.executeCode({
      ...PY,
      files: [
        { path: 'data/in.csv', content: 'a,b\nü,2\n' },
        { path: 'blob.bin', content: Buffer.from([0, 255, 10]) },
        { path: 'view.bin', content: new Uint8Array([9, 8, 7, 6]).subarray(1, 3) },
        { path: 'given.b64', content: 'AAE=', encoding: 'base64' },
      ],
      env: { GREETING: 'hi' },
      args: ['a', 'b c'],
      timeoutMs: 1500,
      memoryMb: 64,
    });

    assert.deepEqual(service.requests[0].body, {
      ...PY,
      files: [
        { path: 'data/in.csv', content: 'a,b\nü,2\n' },
        { path: 'blob.bin', content: 'AP8K', encoding: 'base64' },
        { path: 'view.bin', content: 'CAc=', encoding: 'base64' },
        { path: 'given.b64', content: 'AAE=', encoding: 'base64' },
      ],
      env: { GREETING: 'hi' },
      args: ['a', 'b c'],
      timeoutMs: 1500,
      memoryMb: 64,
    });
  }));

test('returns output files with their content as a Buffer of the bytes', () =>
  withService(() => ({
    body: resultBody({
      files: [{ path: 'chart.png', sizeBytes: 4, mimeType: 'image/png', encoding: 'base64', content: 'iVBORw==' }],
      filesTruncated: false,
    }),
  }), async (service, client) => {
    const result = await client.executeCode(PY);

    assert.equal(result.files.length, 1);
    const [file] = result.files;
    assert.ok(Buffer.isBuffer(file.content));
    assert.deepEqual([...file.content], [0x89, 0x50, 0x4e, 0x47]);
    assert.deepEqual({ ...file, content: undefined }, { path: 'chart.png', sizeBytes: 4, mimeType: 'image/png',
      content: undefined });
    assert.equal(result.filesTruncated, false);
  }));

test('refuses file content that is neither text nor bytes, before sending', () =>
  withService(() => ({ body: resultBody() }), async (service, client) => {
    await assert.rejects(client.executeCode({ ...PY, files: [{ path: 'n', content: 42 }] }),
      (error) => error instanceof TypeError && /files\[0\]\.content/.test(error.message));
    await assert.rejects(client.executeCode({ ...PY, onStdout: 'not a function' }),
      (error) => error instanceof TypeError && /onStdout/.test(error.message));
    assert.equal(service.requests.length, 0);
  }));

test('with onStdout and onStderr, asks for events and hands each chunk over in order before resolving', () =>
  withService(eventStream([
    ':\n\n',
    event('stdout', 'a\n'),
    event('stderr', 'warn\n'),
    ':\n\n',
    event('stdout', 'ü\r\n'),
    event('result', resultBody({ stdout: 'a\nü\r\n', stderr: 'warn\n' })),
  ]), async (service, client) => {
    const seen = [];
    const result = await client.executeCode({
      ...PY,
      onStdout: (chunk) => seen.push(['stdout', chunk]),
      onStderr: (chunk) => seen.push(['stderr', chunk]),
    });

    assert.equal(service.requests[0].headers.accept, 'text/event-stream');
    assert.deepEqual(seen, [['stdout', 'a\n'], ['stderr', 'warn\n'], ['stdout', 'ü\r\n']]);
    assert.deepEqual(result, resultBody({ stdout: 'a\nü\r\n', stderr: 'warn\n' }));
  }));

test('an event split across network writes is put back together', () =>
  withService(eventStream([
    'event: std', 'out\ndata: "one', ' two"\n', '\n', event('result', resultBody()).slice(0, 9),
    event('result', resultBody()).slice(9),
  ]), async (service, client) => {
    const chunks = [];
    await client.executeCode({ ...PY, onStdout: (chunk) => chunks.push(chunk) });
    assert.deepEqual(chunks, ['one two']);
  }));

test('a stream that ends without a result is a ConnectionError, not retried', () =>
  withService(eventStream([event('stdout', 'a\n')]), async (service, client) => {
    await assert.rejects(client.executeCode({ ...PY, onStdout: () => {} }),
      (error) => error instanceof ConnectionError && error.requestSent === true);
    assert.equal(service.requests.length, 1);
  }));

test('a run the service could not finish after it started rejects, says nothing was billed, and is not retried', () =>
  withService(eventStream([
    event('stdout', 'partial\n'),
    event('result', { ...resultBody({ status: 'infra_error', cost: 0, executionId: null }), error: 'agent lost' }),
  ]), async (service, client) => {
    await assert.rejects(client.executeCode({ ...PY, onStdout: () => {} }),
      (error) => error instanceof SandboxError && /agent lost/.test(error.message) && /Nothing was billed/.test(error.message));
    assert.equal(service.requests.length, 1);
  }));

test('a refusal before the run started is plain JSON and handled as without streaming (a 503 is retried)', () =>
  withService((request, attempt) => (attempt === 1
    ? { status: 503, headers: { 'Retry-After': '0' }, body: { ...resultBody({ status: 'infra_error' }), error: 'busy' } }
    : eventStream([event('stdout', 'x'), event('result', resultBody({ stdout: 'x' }))])(request)),
  async (service, client) => {
    const chunks = [];
    const result = await client.executeCode({ ...PY, onStdout: (chunk) => chunks.push(chunk) });
    assert.equal(result.stdout, 'x');
    assert.deepEqual(chunks, ['x']);
    assert.equal(service.requests.length, 2);
  }));

test('a 503 before the stream is a ServiceUnavailableError once retries are spent', () =>
  withService(() => ({ status: 503, body: { error: 'busy' } }), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 0 });
    await assert.rejects(client.executeCode({ ...PY, onStderr: () => {} }), ServiceUnavailableError);
  }));

test("a listener's own exception ends the call with that exception", () =>
  withService(eventStream([event('stdout', 'a'), event('result', resultBody())]), async (service, client) => {
    const mine = new Error('listener broke');
    await assert.rejects(client.executeCode({ ...PY, onStdout: () => { throw mine; } }), (error) => error === mine);
  }));

test('each chunk reaches its listener while the stream is still open, before the service sends the result', () => {
  let heard;
  const listenerCalled = new Promise((resolve) => { heard = resolve; });
  let resultSentAfterListener;
  return withService(async ({ response }) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.write(event('stdout', 'early\n'));
    // the result waits for the listener; a client that buffered the stream would make this wait run out
    resultSentAfterListener = await Promise.race([
      listenerCalled.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    response.end(event('result', resultBody({ stdout: 'early\n' })));
  }, async (service, client) => {
    const result = await client.executeCode({ ...PY, onStdout: () => heard() });
    assert.equal(result.stdout, 'early\n');
    assert.equal(resultSentAfterListener, true);
  });
});
