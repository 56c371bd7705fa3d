'use strict';

const { test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const BuildE2E = require('@builde2e/sdk');
const { startFakeService, resultBody } = require('./fake-service.js');

const PY = { code: 'print(1)', language: 'python' };
const ENV_NAMES = ['BUILDE2E_API_KEY', 'BUILDE2E_BASE_URL'];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  BuildE2E.setApiKey(undefined);
  BuildE2E.setBaseUrl(undefined);
});

async function withService(body) {
  const service = await startFakeService(() => ({ body: resultBody() }));
  try {
    await body(service);
  } finally {
    await service.close();
  }
}

test('the base URL defaults to the local service', () => {
  delete process.env.BUILDE2E_BASE_URL;
  assert.equal(new BuildE2E.Client().baseUrl, 'http://localhost:8080');
  assert.equal(BuildE2E.DEFAULT_BASE_URL, 'http://localhost:8080');
});

test('documented option defaults', () => {
  const client = new BuildE2E.Client();
  assert.equal(client.timeoutMs, 30_000);
  assert.equal(client.maxRetries, 2);
});

test('a Client takes its key and URL from the environment', () => withService(async (service) => {
  process.env.BUILDE2E_API_KEY = 'uc-from-env';
  process.env.BUILDE2E_BASE_URL = service.url;
  await new BuildE2E.Client().executeCode(PY);
  assert.equal(service.requests[0].headers.authorization, 'Bearer uc-from-env');
}));

test('options given to a Client win over the environment', () => withService(async (service) => {
  process.env.BUILDE2E_API_KEY = 'uc-from-env';
  process.env.BUILDE2E_BASE_URL = 'http://127.0.0.1:1';
  await new BuildE2E.Client({ apiKey: 'uc-from-options', baseUrl: service.url }).executeCode(PY);
  assert.equal(service.requests[0].headers.authorization, 'Bearer uc-from-options');
}));

test('the default export uses setApiKey and setBaseUrl', () => withService(async (service) => {
  process.env.BUILDE2E_API_KEY = 'uc-from-env';
  BuildE2E.setApiKey('uc-set');
  BuildE2E.setBaseUrl(service.url);
  const result = await BuildE2E.executeCode(PY);
  assert.equal(result.stdout, 'hello\n');
  assert.equal(service.requests[0].headers.authorization, 'Bearer uc-set');
}));

test('the default export falls back to the environment at each call', () => withService(async (service) => {
  process.env.BUILDE2E_API_KEY = 'uc-first';
  process.env.BUILDE2E_BASE_URL = service.url;
  await BuildE2E.executeCode(PY);
  process.env.BUILDE2E_API_KEY = 'uc-second';
  await BuildE2E.executeCode(PY);
  assert.deepEqual(service.requests.map((request) => request.headers.authorization),
    ['Bearer uc-first', 'Bearer uc-second']);
}));
