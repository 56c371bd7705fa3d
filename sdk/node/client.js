'use strict';

const {
  SandboxError,
  AuthenticationError,
  ValidationError,
  RetryLaterError,
  RateLimitError,
  ServiceUnavailableError,
  ConnectionError,
  TimeoutError,
} = require('./errors.js');
const { version } = require('./package.json');

const DEFAULT_BASE_URL = 'http://localhost:8080';
const EXECUTE_PATH = '/v1/code-sandbox/execute';
// A run may take the service's 10 s limit plus start-up and queueing; past this we give up waiting.
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const FIRST_BACKOFF_MS = 500;
// A Retry-After longer than this is the service saying "not soon": report it rather than hang the caller.
const MAX_RETRY_WAIT_MS = 60_000;
// Failures during connect, before a byte of the request left: the code cannot have run, so retrying cannot bill twice.
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
]);

/** A connection to the code-sandbox service with one configuration. */
class Client {
  #apiKey;
  #executeUrl;

  /**
   * @param {import('./types').ClientOptions} [options]
   */
  constructor({ apiKey, baseUrl, timeoutMs = DEFAULT_TIMEOUT_MS, maxRetries = DEFAULT_MAX_RETRIES } = {}) {
    this.#apiKey = apiKey ?? process.env.BUILDE2E_API_KEY;
    this.baseUrl = requireHttpUrl(baseUrl ?? process.env.BUILDE2E_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#executeUrl = this.baseUrl + EXECUTE_PATH;
    this.timeoutMs = requireCount(timeoutMs, 'timeoutMs', 1);
    this.maxRetries = requireCount(maxRetries, 'maxRetries', 0);
  }

  /**
   * Runs a snippet in the sandbox. Resolves with the result even when the snippet itself fails (non-zero exitCode);
   * rejects with a SandboxError only when the run could not be requested or answered. With onStdout or onStderr the
   * output arrives as it is produced (Server-Sent Events), and the promise resolves with the same result.
   * @param {import('./types').ExecuteRequest} request
   * @returns {Promise<import('./types').ExecuteResult>}
   */
  async executeCode({
    code, language, stdin, files, env, args, timeoutMs, memoryMb, onStdout, onStderr,
  } = {}) {
    if (!this.#apiKey) {
      throw new AuthenticationError(
        "No API key: call BuildE2E.setApiKey('uc-...'), pass { apiKey } to new Client(), or set BUILDE2E_API_KEY.");
    }
    const listeners = outputListeners(onStdout, onStderr);
    const body = JSON.stringify({ code, language, stdin, files: encodeFiles(files), env, args, timeoutMs, memoryMb });
    for (let attempt = 0; ; attempt++) {
      try {
        return decodeFiles(await this.#post(body, listeners));
      } catch (error) {
        const waitMs = this.#retryWaitMs(error, attempt);
        if (waitMs === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /** How long to wait before retrying after `error`, or undefined when it must not (or need not) be retried. */
  #retryWaitMs(error, attempt) {
    if (attempt >= this.maxRetries) return undefined;
    if (error instanceof ConnectionError && !error.requestSent) return backoffMs(attempt);
    if (error instanceof RetryLaterError) {
      if (error.retryAfterMs === undefined) return backoffMs(attempt);
      return error.retryAfterMs <= MAX_RETRY_WAIT_MS ? error.retryAfterMs : undefined;
    }
    return undefined;
  }

  /**
   * One attempt. Without listeners the answer is one JSON body; with them, an event stream whose output events go
   * to the listeners and whose result event is the answer. A refusal before the run started is plain JSON either way.
   */
  async #post(body, listeners) {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response;
    try {
      response = await fetch(this.#executeUrl, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.#apiKey}`,
          'Content-Type': 'application/json',
          Accept: listeners ? 'text/event-stream' : 'application/json',
          'User-Agent': `builde2e-sdk-node/${version}`,
        },
        body,
        signal,
      });
      if (response.ok && listeners && isEventStream(response)) {
        return this.#resultOf(await readEvents(response.body, listeners), response.status);
      }
      const text = await response.text();
      if (!response.ok) throw this.#statusError(response, text);
      return this.#parseJson(text, response.status);
    } catch (error) {
      if (error instanceof ListenerFailure) throw error.cause;
      if (error instanceof SandboxError) throw error;
      throw this.#transportError(error);
    }
  }

  #parseJson(text, status) {
    try {
      return JSON.parse(text);
    } catch {
      throw new SandboxError(
        `${this.#executeUrl} answered ${status} with a body that is not JSON; ` +
        'check that baseUrl points at the code-sandbox service.', { status });
    }
  }

  /**
   * The stream's result event. A run that failed on the service's side after it started has a result in the shape
   * of a 503's body: nothing was billed, but output may already have reached the listeners, so it is not retried.
   */
  #resultOf(resultData, status) {
    if (resultData === undefined) {
      throw new ConnectionError(
        `The event stream from ${this.#executeUrl} ended without a result event. The code may have run and been ` +
        'billed, so the SDK did not retry.', { requestSent: true });
    }
    const result = this.#parseJson(resultData, status);
    if (result.status === 'infra_error') {
      throw new SandboxError(
        `The sandbox service could not finish the run (${result.error}). Nothing was billed; the output the ` +
        'listeners received may be incomplete. Run it again.', { status });
    }
    return result;
  }

  #transportError(error) {
    if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
      return new TimeoutError(
        `No complete response from ${this.#executeUrl} within ${this.timeoutMs} ms. The code may still have run ` +
        'and been billed, so the SDK did not retry; raise timeoutMs if your runs take longer.',
        { timeoutMs: this.timeoutMs, cause: error });
    }
    const code = error?.cause?.code;
    if (CONNECT_FAILURE_CODES.has(code)) {
      return new ConnectionError(
        `Could not connect to ${this.baseUrl} (${code}). Is the service running? ` +
        'Check baseUrl (or BUILDE2E_BASE_URL).', { requestSent: false, cause: error });
    }
    return new ConnectionError(
      `The connection to ${this.baseUrl} broke before a response arrived (${code ?? error?.message}). ` +
      'The code may have run and been billed, so the SDK did not retry.', { requestSent: true, cause: error });
  }

  #statusError(response, text) {
    const { status } = response;
    const { error: reason = text.slice(0, 200) || response.statusText, field } = parseErrorBody(text);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const waitHint = retryAfterMs === undefined ? 'Retry later' : `Retry after ${retryAfterMs / 1000} s`;
    switch (status) {
      case 400:
      case 413:
        return new ValidationError(
          `The service refused the request (${status}): ${reason}` +
          (field ? `. Fix the "${field}" field.` : '.'), { status, field });
      case 401:
      case 403:
        return new AuthenticationError(
          `The API key was rejected (${status}): ${reason}. Check the key given to setApiKey(), ` +
          'the apiKey option or BUILDE2E_API_KEY.', { status });
      case 429:
        return new RateLimitError(
          `Too many requests (429): ${reason}. ${waitHint}, or raise maxRetries (now ${this.maxRetries}).`,
          { status, retryAfterMs });
      case 503:
        return new ServiceUnavailableError(
          `The sandbox service is busy or cannot run code right now (503): ${reason}. Nothing was billed. ` +
          `${waitHint}, or raise maxRetries (now ${this.maxRetries}).`, { status, retryAfterMs });
      case 404:
        return new SandboxError(
          `${this.#executeUrl} was not found (404). Set baseUrl to the service's root, such as ${DEFAULT_BASE_URL}.`,
          { status });
      default:
        return new SandboxError(`The sandbox service failed (${status}): ${reason}.`, { status });
    }
  }
}

/** The listeners of a streamed run, or undefined for a plain one. */
function outputListeners(onStdout, onStderr) {
  for (const [name, listener] of [['onStdout', onStdout], ['onStderr', onStderr]]) {
    if (listener !== undefined && typeof listener !== 'function') {
      throw new TypeError(`${name} must be a function that takes each chunk of output, got ${typeof listener}.`);
    }
  }
  if (!onStdout && !onStderr) return undefined;
  return { stdout: onStdout ?? (() => {}), stderr: onStderr ?? (() => {}) };
}

/** Input files as the service reads them: text goes as UTF-8, bytes (Buffer, Uint8Array) as base64. */
function encodeFiles(files) {
  if (files === undefined) return undefined;
  if (!Array.isArray(files)) {
    throw new TypeError('files must be an array of { path, content } with content a string, Buffer or Uint8Array.');
  }
  return files.map(({ path, content, encoding } = {}, index) => {
    if (typeof content === 'string') return { path, content, encoding };
    if (content instanceof Uint8Array) {
      return { path, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64'),
        encoding: 'base64' };
    }
    throw new TypeError(`files[${index}].content must be a string, Buffer or Uint8Array, got ${typeof content}.`);
  });
}

/** The result with every output file's content as a Buffer of its bytes instead of base64 text. */
function decodeFiles(result) {
  if (!Array.isArray(result.files)) return result;
  const files = result.files.map(({ encoding, content, ...file }) => ({
    ...file,
    content: Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
  }));
  return { ...result, files };
}

function isEventStream(response) {
  return (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
}

/**
 * Reads Server-Sent Events until the result event: each stdout/stderr event's data (a JSON string) goes to its
 * listener in order. Returns the result event's data, or undefined when the stream ended without one.
 */
async function readEvents(body, listeners) {
  let buffer = '';
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const { name, data } = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (name === 'result') return data;
      if ((name === 'stdout' || name === 'stderr') && data !== undefined) deliver(listeners[name], JSON.parse(data));
    }
  }
  return undefined;
}

/**
 * A listener's own exception ends the call with that exception; leaving the loop closes the connection, which has
 * the service kill the run (billed, as every run that started).
 */
function deliver(listener, chunk) {
  try {
    listener(chunk);
  } catch (error) {
    throw new ListenerFailure(error);
  }
}

class ListenerFailure {
  constructor(cause) {
    this.cause = cause;
  }
}

/** One event block: its `event:` name and its `data:` lines joined; comment lines (heartbeats) are ignored. */
function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return { name, data: data.length ? data.join('\n') : undefined };
}

function requireCount(value, name, min) {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer >= ${min}, got ${value}.`);
  }
  return value;
}

function requireHttpUrl(url) {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new TypeError(`baseUrl must be an absolute http(s) URL such as ${DEFAULT_BASE_URL}, got ${url}.`);
  }
  return url;
}

/** Exponential backoff with jitter, so many clients refused at once do not come back in step. */
function backoffMs(attempt) {
  const ceiling = FIRST_BACKOFF_MS * 2 ** attempt;
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** The service's `{error, field}` body, or an empty object when the body is something else (a proxy's HTML page). */
function parseErrorBody(text) {
  try {
    const body = JSON.parse(text);
    return {
      error: typeof body?.error === 'string' ? body.error : undefined,
      field: typeof body?.field === 'string' ? body.field : undefined,
    };
  } catch {
    return {};
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110, 10.2.3). */
function parseRetryAfter(header) {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

module.exports = { Client, DEFAULT_BASE_URL };
