'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const {
  Client, SandboxError, AuthenticationError, ValidationError, RateLimitError, ServiceUnavailableError,
  ConnectionError, TimeoutError,
} = require('@builde2e/sdk');
const { version } = require('../package.json');
const { startFakeService, resultBody } = require('./fake-service.js');

const KEY = 'uc-test-key';
const PY = { code: 'print("hello")', language: 'python' };

/** Runs `body` against a fake service answering with `respond`, and closes the service afterwards. */
async function withService(respond, body) {
  const service = await startFakeService(respond);
  try {
    await body(service);
  } finally {
    await service.close();
  }
}

test('posts the request as JSON with the key and returns the result as sent', () =>
  withService(() => ({ body: resultBody() }), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url });
    const result = await client.executeCode({ ...PY, stdin: 'in\n' });

    assert.deepEqual(result, resultBody());
    assert.equal(service.requests.length, 1);
    const [request] = service.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/code-sandbox/execute');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['user-agent'], `builde2e-sdk-node/${version}`);
    assert.deepEqual(request.body, { code: 'print("hello")', language: 'python', stdin: 'in\n' });
  }));

test('sends only code and language when there is no stdin', () =>
  withService(() => ({ body: resultBody() }), async (service) => {
    await new Client({ apiKey: KEY, baseUrl: service.url }).executeCode(PY);
    assert.deepEqual(service.requests[0].body, PY);
  }));

test('keeps a path in baseUrl and drops its trailing slash', () =>
  withService(() => ({ body: resultBody() }), async (service) => {
    await new Client({ apiKey: KEY, baseUrl: `${service.url}/api/` }).executeCode(PY);
    assert.equal(service.requests[0].url, '/api/v1/code-sandbox/execute');
  }));

test("a snippet that fails is a normal result, not an error", () => {
  const failed = resultBody({
    stdout: '', stderr: 'ZeroDivisionError: division by zero\n', exitCode: 1, status: 'failed',
  });
  return withService(() => ({ body: failed }), async (service) => {
    const result = await new Client({ apiKey: KEY, baseUrl: service.url }).executeCode(PY);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /ZeroDivisionError/);
  });
});

test('refuses to send without an API key, saying how to set one', async () => {
  const saved = process.env.BUILDE2E_API_KEY;
  delete process.env.BUILDE2E_API_KEY;
  try {
    await withService(() => ({ body: resultBody() }), async (service) => {
      const client = new Client({ baseUrl: service.url });
      await assert.rejects(client.executeCode(PY), (error) =>
        error instanceof AuthenticationError && /setApiKey/.test(error.message) && /BUILDE2E_API_KEY/.test(error.message));
      assert.equal(service.requests.length, 0);
    });
  } finally {
    if (saved !== undefined) process.env.BUILDE2E_API_KEY = saved;
  }
});

const statusCases = [
  {
    name: '400 with a field is a ValidationError naming the field',
    answer: { status: 400, body: { error: 'language must be "python" or "javascript"', field: 'language' } },
    check: (error) => error instanceof ValidationError && error.status === 400 && error.field === 'language' &&
      /language must be/.test(error.message) && /Fix the "language" field/.test(error.message),
  },
  {
    name: '413 is a ValidationError',
    answer: { status: 413, body: { error: 'code is larger than 102400 bytes', field: 'code' } },
    check: (error) => error instanceof ValidationError && error.status === 413 && error.field === 'code',
  },
  {
    name: '401 is an AuthenticationError that points at the key',
    answer: { status: 401, body: { error: 'unknown API key' } },
    check: (error) => error instanceof AuthenticationError && error.status === 401 &&
      /unknown API key/.test(error.message) && /BUILDE2E_API_KEY/.test(error.message),
  },
  {
    name: '403 is an AuthenticationError',
    answer: { status: 403, body: { error: 'forbidden' } },
    check: (error) => error instanceof AuthenticationError && error.status === 403,
  },
  {
    name: '404 is a SandboxError that points at baseUrl',
    answer: { status: 404, body: '<html>Not Found</html>', headers: { 'Content-Type': 'text/html' } },
    check: (error) => error.constructor === SandboxError && error.status === 404 && /baseUrl/.test(error.message),
  },
  {
    name: '500 is a SandboxError carrying the status and the service message',
    answer: { status: 500, body: { error: 'boom' } },
    check: (error) => error.constructor === SandboxError && error.status === 500 && /boom/.test(error.message),
  },
  {
    name: 'an error body that is not JSON still gives its text',
    answer: { status: 502, body: 'Bad Gateway from proxy', headers: { 'Content-Type': 'text/plain' } },
    check: (error) => error.status === 502 && /Bad Gateway from proxy/.test(error.message),
  },
  {
    name: 'a 200 that is not JSON is a SandboxError',
    answer: { status: 200, body: '<html>hello</html>', headers: { 'Content-Type': 'text/html' } },
    check: (error) => error.constructor === SandboxError && error.status === 200 && /not JSON/.test(error.message),
  },
  {
    name: '429 is a RateLimitError with retryAfterMs',
    answer: { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '7' } },
    check: (error) => error instanceof RateLimitError && error.retryAfterMs === 7000 && /Retry after 7 s/.test(error.message),
  },
  {
    name: '503 is a ServiceUnavailableError with retryAfterMs and the service message',
    answer: { status: 503, body: { error: 'agent unavailable' }, headers: { 'Retry-After': '3' } },
    check: (error) => error instanceof ServiceUnavailableError && error.retryAfterMs === 3000 &&
      /agent unavailable/.test(error.message),
  },
];

for (const { name, answer, check } of statusCases) {
  test(name, () => withService(() => answer, async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 0 });
    await assert.rejects(client.executeCode(PY), (error) => error instanceof SandboxError && check(error));
    assert.equal(service.requests.length, 1);
  }));
}

test('does not retry bad input or a bad key', () =>
  withService(() => ({ status: 401, body: { error: 'revoked' } }), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 2 });
    await assert.rejects(client.executeCode(PY), AuthenticationError);
    assert.equal(service.requests.length, 1);
  }));

test('retries a 503 after Retry-After and returns the later result', () =>
  withService((_, attempt) => (attempt === 1
    ? { status: 503, body: { error: 'saturated' }, headers: { 'Retry-After': '1' } }
    : { body: resultBody() }), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url });
    const started = Date.now();
    const result = await client.executeCode(PY);
    assert.equal(result.stdout, 'hello\n');
    assert.equal(service.requests.length, 2);
    // Honouring Retry-After means the second attempt came no sooner than asked (timers may fire a few ms early).
    assert.ok(Date.now() - started >= 990, 'the retry did not wait for Retry-After');
  }));

test('honours a Retry-After given as an HTTP date', () =>
  withService((_, attempt) => (attempt === 1
    ? { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': new Date(Date.now() + 3000).toUTCString() } }
    : { body: resultBody() }), async (service) => {
    const started = Date.now();
    await new Client({ apiKey: KEY, baseUrl: service.url }).executeCode(PY);
    assert.equal(service.requests.length, 2);
    // The date is cut to whole seconds, so it lies 2 to 3 s ahead; timers may fire a few ms early.
    assert.ok(Date.now() - started >= 1900, 'the retry did not wait for the Retry-After date');
  }));

test('gives up after maxRetries extra attempts and throws the last answer', () =>
  withService(() => ({ status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '0' } }), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 2 });
    await assert.rejects(client.executeCode(PY), RateLimitError);
    assert.equal(service.requests.length, 3);
  }));

test('retries a 503 without Retry-After using backoff', () =>
  withService((_, attempt) => (attempt < 3 ? { status: 503, body: { error: 'busy' } } : { body: resultBody() }),
    async (service) => {
      const result = await new Client({ apiKey: KEY, baseUrl: service.url }).executeCode(PY);
      assert.equal(result.exitCode, 0);
      assert.equal(service.requests.length, 3);
    }));

test('does not wait for a Retry-After beyond a minute', () =>
  withService(() => ({ status: 503, body: { error: 'maintenance' }, headers: { 'Retry-After': '3600' } }),
    async (service) => {
      const client = new Client({ apiKey: KEY, baseUrl: service.url });
      await assert.rejects(client.executeCode(PY), (error) =>
        error instanceof ServiceUnavailableError && error.retryAfterMs === 3_600_000);
      assert.equal(service.requests.length, 1);
    }));

test('a slow answer is a TimeoutError and is not retried, since the run may have been billed', () =>
  withService(() => new Promise((resolve) => setTimeout(() => resolve({ body: resultBody() }), 1500)),
    async (service) => {
      const client = new Client({ apiKey: KEY, baseUrl: service.url, timeoutMs: 200, maxRetries: 2 });
      await assert.rejects(client.executeCode(PY), (error) =>
        error instanceof TimeoutError && error.timeoutMs === 200 && /timeoutMs/.test(error.message));
      assert.equal(service.requests.length, 1);
    }));

test('a connection that breaks after the request was sent is not retried', () =>
  withService((request) => request.raw.socket.destroy(), async (service) => {
    const client = new Client({ apiKey: KEY, baseUrl: service.url, maxRetries: 2 });
    await assert.rejects(client.executeCode(PY), (error) =>
      error instanceof ConnectionError && error.requestSent === true && /did not retry/.test(error.message));
    assert.equal(service.requests.length, 1);
  }));

test('a refused connection is a ConnectionError naming the URL', async () => {
  const port = await freePort();
  const client = new Client({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  await assert.rejects(client.executeCode(PY), (error) =>
    error instanceof ConnectionError && error.requestSent === false && error.status === undefined &&
    /ECONNREFUSED/.test(error.message) && error.message.includes(`127.0.0.1:${port}`));
});

test('a refused connection is retried, reaching a service that comes up meanwhile', async () => {
  const port = await freePort();
  const client = new Client({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 });
  const started = Date.now();
  const pending = client.executeCode(PY);
  // The first attempt is refused at once (nothing listens); the service starts during the first backoff (>= 250 ms).
  await new Promise((resolve) => setTimeout(resolve, 100));
  const service = await startFakeService(() => ({ body: resultBody() }), port);
  try {
    const result = await pending;
    assert.equal(result.stdout, 'hello\n');
    assert.equal(service.requests.length, 1);
    assert.ok(Date.now() - started >= 240, 'the first attempt was not refused and retried');
  } finally {
    await service.close();
  }
});

test('rejects options that cannot work', () => {
  assert.throws(() => new Client({ timeoutMs: 0 }), /timeoutMs must be an integer >= 1/);
  assert.throws(() => new Client({ maxRetries: -1 }), /maxRetries must be an integer >= 0/);
  assert.throws(() => new Client({ maxRetries: 1.5 }), /maxRetries/);
  assert.throws(() => new Client({ baseUrl: 'localhost:8080' }), /baseUrl must be an absolute http\(s\) URL/);
  assert.throws(() => new Client({ baseUrl: '/v1' }), /baseUrl/);
});

/** A port nothing listens on: bound by the OS, then released. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}
