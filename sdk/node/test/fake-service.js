'use strict';

const http = require('node:http');

/**
 * A local HTTP server standing in for the code-sandbox service in unit tests. `respond(request, attempt)` decides
 * each answer: it returns `{status, headers, body}` (body is sent as JSON unless it is a string), or handles
 * `request.raw`/`request.response` itself and returns nothing. Every request is recorded with its parsed body.
 * It listens on `port` of 127.0.0.1, by default one the OS picks.
 */
async function startFakeService(respond, port = 0) {
  const requests = [];
  const server = http.createServer(async (raw, response) => {
    let text = '';
    for await (const chunk of raw) text += chunk;
    const request = { method: raw.method, url: raw.url, headers: raw.headers, body: JSON.parse(text || 'null'), raw, response };
    requests.push(request);
    const answer = await respond(request, requests.length);
    if (!answer) return;
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json', ...answer.headers });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

/** A result as the service sends it for a run that printed `stdout`. */
function resultBody(overrides = {}) {
  return {
    stdout: 'hello\n',
    stderr: '',
    exitCode: 0,
    executionTimeMs: 12.5,
    memoryUsageMb: 8.25,
    timedOut: false,
    cost: 0.002,
    status: 'completed',
    signal: null,
    outputTruncated: false,
    executionId: '0b7e1c9a-3f5d-4c2e-9a61-2d4f8b7c6e10',
    ...overrides,
  };
}

module.exports = { startFakeService, resultBody };
