// Calls to the service. Every URL is relative to the page, so the console works wherever the service is mounted
// (at / or under /api, whose /api/v1/... the service also answers). A failure becomes an ApiError whose message a
// person can act on; nothing is swallowed.
import { readEvents } from './sse.js';

/** A failed call: message for people, status (0 for no answer at all), retryAfterSeconds when the service said. */
export class ApiError extends Error {
  constructor(message, { status = 0, retryAfterSeconds = null, field = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.field = field;
  }
}

const REFUSED = {
  key: 'The API key was refused: it is wrong, revoked or mistyped. Check the key and try again.',
  admin: 'The admin token was refused: it is invalid or has expired. Paste a fresh one (make admin-token).',
};

async function send(path, credential, who, init = {}) {
  if (!credential) {
    throw new ApiError(who === 'admin' ? 'Paste an admin token first.' : 'Type your API key first.');
  }
  const headers = { ...init.headers, Authorization: `Bearer ${credential}` };
  let response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError('Could not reach the service: check your network connection and that the service is running.');
  }
  if (!response.ok) {
    throw await failure(response, who);
  }
  return response;
}

/** The ApiError for a non-2xx answer, from its status, its JSON error body and its Retry-After. */
async function failure(response, who) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's page, say): the status alone says enough
  }
  const said = body && typeof body.error === 'string' ? body.error : null;
  const field = body && typeof body.field === 'string' ? body.field : null;
  const status = response.status;
  if (status === 401) {
    return new ApiError(REFUSED[who], { status });
  }
  if (status === 403) {
    const message = who === 'admin'
      ? 'This is not an admin token: paste an admin JWT, not an API key.'
      : 'This credential may not do that.';
    return new ApiError(message, { status });
  }
  if (status === 503) {
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    const retryAfterSeconds = Number.isFinite(retry) ? retry : null;
    const when = retryAfterSeconds === null ? 'Try again shortly.' : `Try again in ${retryAfterSeconds} s.`;
    return new ApiError(`The service is busy or unavailable${said ? ` (${said})` : ''}. ${when}`,
      { status, retryAfterSeconds });
  }
  const what = said ?? `The service answered ${status} ${response.statusText}`.trim();
  return new ApiError(field ? `${what} (field: ${field})` : what, { status, field });
}

/**
 * Runs a snippet. Asks for live output; when the service streams (text/event-stream), onOutput(stream, text) is
 * called as each chunk arrives; otherwise the one JSON answer is the result. Resolves to the full response.
 */
export async function execute(apiKey, request, onOutput) {
  const response = await send('v1/code-sandbox/execute', apiKey, 'key', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json;q=0.9' },
    body: JSON.stringify(request),
  });
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.startsWith('text/event-stream')) {
    return response.json();
  }
  let result = null;
  try {
    for await (const event of readEvents(response.body)) {
      if (event.name === 'stdout' || event.name === 'stderr') {
        onOutput(event.name, JSON.parse(event.data));
      } else if (event.name === 'result') {
        result = JSON.parse(event.data);
      } else if (event.name === 'error') {
        const body = JSON.parse(event.data);
        throw new ApiError(body.error ?? 'The run failed on the service.');
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('The connection broke while the run was streaming its output; its result is unknown.');
  }
  if (!result) {
    throw new ApiError('The service ended the stream without a result.');
  }
  return result;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value) search.set(name, value);
  }
  return search.toString();
}

/** The calling key's usage per day over [from, to] (dates, both whole UTC days). */
export async function ownUsage(apiKey, from, to) {
  const response = await send(`v1/usage?${query({ from, to, groupBy: 'day' })}`, apiKey, 'key',
    { headers: { Accept: 'application/json' } });
  return response.json();
}

/** The same report as CSV text. */
export async function ownUsageCsv(apiKey, from, to) {
  const response = await send(`v1/usage?${query({ from, to, groupBy: 'day' })}`, apiKey, 'key',
    { headers: { Accept: 'text/csv' } });
  return response.text();
}

/** Every key's usage, one row per key. */
export async function usagePerKey(token, from, to) {
  const response = await send(`v1/admin/usage?${query({ from, to, groupBy: 'key' })}`, token, 'admin',
    { headers: { Accept: 'application/json' } });
  return response.json();
}

export async function listKeys(token) {
  const response = await send('v1/admin/api-keys', token, 'admin', { headers: { Accept: 'application/json' } });
  return response.json();
}

export async function createKey(token, name) {
  const response = await send('v1/admin/api-keys', token, 'admin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name }),
  });
  return response.json();
}

export async function revokeKey(token, id) {
  const response = await send(`v1/admin/api-keys/${encodeURIComponent(id)}`, token, 'admin', {
    method: 'DELETE',
    headers: { Accept: 'application/json' },
  });
  return response.json();
}
