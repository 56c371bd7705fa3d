// The MCP endpoint as an MCP client sees it: the official TypeScript SDK's client over Streamable HTTP, against the
// real service, agent and PostgreSQL that scripts/test-mcp.sh starts (SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY and the
// database settings of scripts/test-env.sh). Every billed call is looked up in the usage table.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BASE_URL = process.env.SANDBOX_TEST_URL;
const API_KEY = process.env.SANDBOX_TEST_API_KEY;
if (!BASE_URL || !API_KEY || !process.env.SANDBOX_DB_URL) {
  throw new Error('no service: run `make test-mcp` from the repository root (it starts one)');
}
const MCP_URL = new URL('/mcp', BASE_URL);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function transport(authorization) {
  const headers = authorization ? { Authorization: authorization } : {};
  return new StreamableHTTPClientTransport(MCP_URL, { requestInit: { headers } });
}

async function connected(authorization) {
  const client = new Client({ name: 'code-sandbox-tests', version: '1.0.0' });
  await client.connect(transport(authorization));
  return client;
}

/** One value from the service's own database (psql with the role scripts/test-env.sh created). */
function sql(query) {
  const url = new URL(process.env.SANDBOX_DB_URL.replace(/^jdbc:/, ''));
  url.username = process.env.SANDBOX_DB_USER;
  return execFileSync('psql', ['-X', '-tA', '-v', 'ON_ERROR_STOP=1', url.toString(), '-c', query], {
    env: { ...process.env, PGPASSWORD: process.env.SANDBOX_DB_PASSWORD },
    encoding: 'utf8',
  }).trim();
}

const usageRows = () => Number(sql('SELECT count(*) FROM usage_record'));
const usageRowsOf = (executionId) => Number(sql(`SELECT count(*) FROM usage_record WHERE id = '${executionId}'`));

describe('MCP over Streamable HTTP', () => {
  let client;
  before(async () => {
    client = await connected(`Bearer ${API_KEY}`);
  });
  after(async () => {
    await client?.close();
  });

  test('the server negotiates a protocol revision of 2025-06-18 or later', () => {
    assert.ok(client.transport.protocolVersion >= '2025-06-18', client.transport.protocolVersion);
    assert.equal(client.getServerVersion().name, 'code-sandbox');
    assert.ok(client.getServerCapabilities().tools, 'tools capability');
  });

  test('run_code is the one tool, with the execute request and response as its schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['run_code']);
    const [runCode] = tools;
    assert.deepEqual(runCode.inputSchema.required, ['code', 'language']);
    assert.deepEqual(runCode.inputSchema.properties.language.enum, ['python', 'javascript']);
    assert.ok(runCode.outputSchema.required.includes('executionId'));
    assert.deepEqual(runCode.outputSchema.properties.status.enum,
      ['completed', 'failed', 'timed_out', 'memory_limit', 'output_limit', 'killed']);
  });

  test('a completed run: structuredContent is the execute response, billed exactly once', async () => {
    const rowsBefore = usageRows();
    const result = await client.callTool({ name: 'run_code', arguments: { code: 'print(6 * 7)', language: 'python' } });
    assert.equal(result.isError, false);
    assert.equal(result.structuredContent.stdout, '42\n');
    assert.equal(result.structuredContent.status, 'completed');
    assert.equal(result.structuredContent.exitCode, 0);
    assert.equal(result.structuredContent.cost, 0.002);
    assert.equal(result.content[0].type, 'text');
    assert.match(result.content[0].text, /status: completed, exit code: 0/);
    assert.match(result.content[0].text, /--- stdout ---\n42\n/);
    assert.equal(usageRowsOf(result.structuredContent.executionId), 1);
    assert.equal(usageRows(), rowsBefore + 1);
  });

  test('JavaScript runs too, with stdin', async () => {
    const result = await client.callTool({
      name: 'run_code',
      arguments: { code: 'process.stdin.on("data", (d) => console.log(String(d).trim().toUpperCase()))',
        language: 'javascript', stdin: 'shout' },
    });
    assert.equal(result.structuredContent.stdout, 'SHOUT\n');
  });

  test('a PNG written by Pillow comes back as an image block', async () => {
    const code = [
      'from PIL import Image',
      "Image.new('RGB', (4, 3), (200, 30, 30)).save('chart.png')",
      "print('saved')",
    ].join('\n');
    const result = await client.callTool({ name: 'run_code', arguments: { code, language: 'python' } });
    assert.equal(result.isError, false, result.content[0].text);
    const images = result.content.filter((block) => block.type === 'image');
    assert.equal(images.length, 1);
    assert.equal(images[0].mimeType, 'image/png');
    const bytes = Buffer.from(images[0].data, 'base64');
    assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
    const [file] = result.structuredContent.files;
    assert.equal(file.path, 'chart.png');
    assert.equal(file.content, images[0].data);
  });

  test('files, env, args and a lower time limit reach the run; the files it writes come back', async () => {
    const code = [
      'import json, os, sys',
      "rows = open('data/in.csv').read().split()",
      "json.dump({'rows': rows, 'who': os.environ['WHO'], 'args': sys.argv[1:]}, open('out.json', 'w'))",
    ].join('\n');
    const result = await client.callTool({
      name: 'run_code',
      arguments: { code, language: 'python', files: [{ path: 'data/in.csv', content: 'a\nb\n' }],
        env: { WHO: 'mcp' }, args: ['x', 'y z'], timeoutMs: 5000, memoryMb: 128 },
    });
    assert.equal(result.isError, false, result.content[0].text);
    const out = result.structuredContent.files.find((file) => file.path === 'out.json');
    assert.deepEqual(JSON.parse(Buffer.from(out.content, 'base64').toString('utf8')),
      { rows: ['a', 'b'], who: 'mcp', args: ['x', 'y z'] });
    assert.equal(result.content.filter((block) => block.type === 'image').length, 0, 'JSON is no image');
  });

  test('a limit above the plan is refused naming the field', async () => {
    const result = await client.callTool({
      name: 'run_code', arguments: { code: 'print(1)', language: 'python', timeoutMs: 60000 },
    });
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /\(field: timeoutMs\)/);
  });

  test('a failing run is an error result carrying its exit code and stderr, and is billed', async () => {
    const result = await client.callTool({ name: 'run_code', arguments: { code: 'print(1/0)', language: 'python' } });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent.status, 'failed');
    assert.equal(result.structuredContent.exitCode, 1);
    assert.match(result.structuredContent.stderr, /ZeroDivisionError/);
    assert.match(result.content[0].text, /status: failed, exit code: 1/);
    assert.equal(usageRowsOf(result.structuredContent.executionId), 1);
  });

  test('long output is cut in the text block with a note, whole in structuredContent', async () => {
    const result = await client.callTool({ name: 'run_code', arguments: { code: "print('x' * 20000)", language: 'python' } });
    assert.equal(result.structuredContent.stdout.length, 20001);
    assert.match(result.content[0].text, /\[stdout cut here: the first 8000 of 20001 characters are shown/);
    assert.ok(result.content[0].text.length < 9000, `text block of ${result.content[0].text.length}`);
  });

  test('an invalid request is an error result naming the field, not run and not billed', async () => {
    const rowsBefore = usageRows();
    const result = await client.callTool({ name: 'run_code', arguments: { code: 'puts 1', language: 'ruby' } });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent, undefined);
    assert.match(result.content[0].text, /\(field: language\)/);
    assert.equal(usageRows(), rowsBefore);
  });
});

describe('what /mcp refuses', () => {
  test('a wrong API key: 401 before any MCP exchange', async () => {
    const client = new Client({ name: 'code-sandbox-tests', version: '1.0.0' });
    await assert.rejects(client.connect(transport('Bearer uc-not-a-real-key-0123456789abcdef')),
      (error) => error instanceof StreamableHTTPError && error.code === 401);
  });

  test('no API key: 401 with a JSON error', async () => {
    const response = await fetch(MCP_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate'), /^Bearer/);
    assert.match((await response.json()).error, /API key/);
  });

  test('an admin token is no API key: 403', async () => {
    const script = fileURLToPath(new URL('../../scripts/admin-token.sh', import.meta.url));
    const token = execFileSync('bash', [script], { encoding: 'utf8' }).trim().split('\n').pop();
    const client = new Client({ name: 'code-sandbox-tests', version: '1.0.0' });
    await assert.rejects(client.connect(transport(`Bearer ${token}`)),
      (error) => error instanceof StreamableHTTPError && error.code === 403);
  });

  test('GET (no server stream) and DELETE (no session) are 405; a browser Origin is 403', async () => {
    const authorization = { Authorization: `Bearer ${API_KEY}` };
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(MCP_URL, { method, headers: { ...authorization, Accept: 'text/event-stream' } });
      assert.equal(response.status, 405, method);
    }
    const fromPage = await fetch(MCP_URL, {
      method: 'POST',
      headers: { ...authorization, Origin: 'http://attacker.example', 'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(fromPage.status, 403);
  });
});
