// Type-checked (never run) by test/types.test.js: the seed's usage and every export, seen from an ES module.
import BuildE2E, { executeCode, Client, ValidationError, RateLimitError, ConnectionError, TimeoutError } from '@builde2e/sdk';
import type { ExecuteRequest, ExecuteResult, ClientOptions } from '@builde2e/sdk';

BuildE2E.setApiKey('uc-YOUR-API-KEY');
BuildE2E.setBaseUrl('http://localhost:8080');
const request: ExecuteRequest = { code: 'print(1)', language: 'python', stdin: '' };
const result: ExecuteResult = await BuildE2E.executeCode(request);
const memory: number = result.memoryUsageMb;
const signal: string | null = result.signal;
const status: 'completed' | 'failed' | 'timed_out' | 'memory_limit' | 'output_limit' | 'killed' = result.status;

const options: ClientOptions = { apiKey: 'uc-x', baseUrl: 'http://h', timeoutMs: 1000, maxRetries: 0 };
const client = new Client(options);
const viaDefault = new BuildE2E.Client();
await client.executeCode({ code: 'console.log(1)', language: 'javascript' });
const named: ExecuteResult = await executeCode({ code: 'print(2)', language: 'python' });

try {
  await viaDefault.executeCode(request);
} catch (error) {
  if (error instanceof ValidationError) console.log(error.field, error.status);
  if (error instanceof RateLimitError) console.log(error.retryAfterMs);
  if (error instanceof ConnectionError) console.log(error.requestSent);
  if (error instanceof TimeoutError) console.log(error.timeoutMs);
  if (error instanceof BuildE2E.AuthenticationError) console.log(error.message);
}

// The rest of the request, and streamed output
const chunks: string[] = [];
const rich: ExecuteResult = await client.executeCode({
  code: 'import sys; print(sys.argv)',
  language: 'python',
  files: [
    { path: 'data/in.csv', content: 'a,b\n1,2\n' },
    { path: 'blob.bin', content: Buffer.from([0, 1, 2]) },
    { path: 'raw.bin', content: new Uint8Array([3, 4]) },
    { path: 'given.b64', content: 'AAE=', encoding: 'base64' },
  ],
  env: { GREETING: 'hi' },
  args: ['a', 'b'],
  timeoutMs: 1500,
  memoryMb: 64,
  onStdout: (chunk) => chunks.push(chunk),
  onStderr: (chunk: string) => process.stderr.write(chunk),
});
const firstBytes: Buffer | undefined = rich.files?.[0]?.content;
const mime: string | undefined = rich.files?.[0]?.mimeType;
const cut: boolean | undefined = rich.filesTruncated;
console.log(firstBytes, mime, cut, chunks);

// @ts-expect-error: file content is text or bytes, not a number
await client.executeCode({ code: 'x', language: 'python', files: [{ path: 'n', content: 1 }] });

// @ts-expect-error: only the two runtimes exist
await BuildE2E.executeCode({ code: 'x', language: 'ruby' });

console.log(memory, signal, status, named.exitCode);
