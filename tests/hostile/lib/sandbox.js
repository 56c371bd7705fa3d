'use strict';
// A plain-fetch client for POST /v1/code-sandbox/execute that keeps the raw answer, so a test can tell "the JSON was
// invalid" apart from "the JSON said something unexpected".

const REQUEST_TIMEOUT_MS = 60_000;
// The service answers 503 + Retry-After ("all sandboxes are busy") when its bulkhead is full: the corpus then waits
// and asks again, since saturation is flow control, not a result. Bounded so a service stuck at 503 fails the case instead of hanging.
const SATURATION_RETRIES = 40;
const MAX_RETRY_WAIT_MS = 2_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function postOnce(baseUrl, apiKey, body) {
  const res = await fetch(`${baseUrl}/v1/code-sandbox/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json = null;
  let jsonError = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    jsonError = e.message;
  }
  return { httpStatus: res.status, headers: res.headers, text, json, jsonError };
}

// Only "busy" is flow control; a 503 for an agent or database that is down is a result the case must see.
function isSaturated(answer) {
  return answer.httpStatus === 503 && answer.headers.has('retry-after') && /busy/i.test(answer.json?.error ?? '');
}

/** Runs one request; retries only while the service says it is saturated. */
async function execute(baseUrl, apiKey, body) {
  for (let attempt = 0; ; attempt++) {
    const answer = await postOnce(baseUrl, apiKey, body);
    if (!isSaturated(answer) || attempt >= SATURATION_RETRIES) return answer;
    const seconds = Number(answer.headers.get('retry-after')) || 1;
    await sleep(Math.min(seconds * 1000, MAX_RETRY_WAIT_MS) * (0.5 + Math.random()));
  }
}

module.exports = { execute, postOnce, sleep };
