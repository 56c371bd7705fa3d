// Type-checked (never run) by test/types.test.js: the same usage seen from a CommonJS module.
import BuildE2E = require('@builde2e/sdk');

async function main(): Promise<void> {
  BuildE2E.setApiKey('uc-YOUR-API-KEY');
  const request: BuildE2E.ExecuteRequest = { code: 'print(1)', language: 'python' };
  const result: BuildE2E.ExecuteResult = await BuildE2E.executeCode(request);
  const client: BuildE2E.Client = new BuildE2E.Client({ timeoutMs: 5000 });
  try {
    await client.executeCode(request);
  } catch (error) {
    if (error instanceof BuildE2E.ServiceUnavailableError) console.log(error.retryAfterMs);
    if (error instanceof BuildE2E.SandboxError) console.log(error.status);
  }
  const same: typeof BuildE2E.default = BuildE2E.default;
  console.log(result.outputTruncated, result.executionId, same);
  // @ts-expect-error: code is required
  await BuildE2E.executeCode({ language: 'python' });
}

main();
