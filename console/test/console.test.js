// The web console in a real browser (Debian's chromium, headless) against the real service that
// scripts/test-console.sh starts: SANDBOX_TEST_URL, SANDBOX_TEST_API_KEY and SANDBOX_TEST_ADMIN_TOKEN. The tests
// run in order: the usage test reads the runs the playground tests made. Screenshots of the three views go to
// CONSOLE_SCREENSHOTS (default console/screenshots).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launch, openConsole, paintedPixels, run, setCode, textOf } from './browser.js';

const BASE = required('SANDBOX_TEST_URL');
const API_KEY = required('SANDBOX_TEST_API_KEY');
const ADMIN_TOKEN = required('SANDBOX_TEST_ADMIN_TOKEN');
const SHOTS = process.env.CONSOLE_SCREENSHOTS || path.join(import.meta.dirname, '..', 'screenshots');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the console tests with scripts/test-console.sh`);
  return value;
}

let browser;
before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens the console at `url`, runs `body`, and fails if the page logged an error or broke its CSP, except the
 * browser's own note of each answer with an `expected` status (a refused key's 401, say).
 */
async function withConsole(url, body, expected = []) {
  const { context, page, problems } = await openConsole(browser, url);
  const noted = (problem) => expected.some((status) => problem.startsWith(`console: Failed to load resource: ${
    typeof status === 'number' ? `the server responded with a status of ${status} ` : status}`));
  try {
    await body(page);
    assert.deepEqual(problems.filter((p) => !noted(p)), [],
      'the console logged errors (a CSP refusal shows here too)');
  } finally {
    await context.close();
  }
}

async function typeKey(page, key) {
  await page.getByLabel('API key').fill(key);
}

async function api(pathAndQuery, credential, accept = 'application/json') {
  const response = await fetch(`${BASE}/${pathAndQuery}`, {
    headers: { Authorization: `Bearer ${credential}`, Accept: accept },
  });
  assert.equal(response.status, 200, `${pathAndQuery}: ${response.status}`);
  return accept === 'application/json' ? response.json() : response.text();
}

test('the console is served with a strict Content-Security-Policy and no inline script or style', async () => {
  const response = await fetch(`${BASE}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/html/);
  const csp = response.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'an inline <script>');
  assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i, 'an inline style or event handler attribute');
  const script = html.match(/<script[^>]*src="([^"]+)"/)[1];
  const asset = await fetch(`${BASE}/${script}`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type'), /^text\/javascript/);
  assert.equal(asset.headers.get('content-security-policy'), csp);
  assert.equal((await fetch(`${BASE}/assets/..%2Fconsole%2Findex.html`)).status, 404);
});

test('a Python run shows its status, stdout and stderr; the key stays in sessionStorage', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, API_KEY);
    await page.getByLabel('Language').selectOption('python');
    await setCode(page, 'import sys\nname = input()\nprint(f"Hello, {name}!")\nprint(sum(range(1, 101)))\n'
      + 'print("a warning", file=sys.stderr)\n');
    await page.getByLabel('stdin').fill('console');
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/code-sandbox/execute'));
    await run(page);
    // the service streams the output live when asked to, and the console asks
    assert.match((await answer).headers()['content-type'], /^text\/event-stream/);
    assert.equal(await textOf(page, 'region', 'stdout'), 'Hello, console!\n5050\n');
    assert.equal(await textOf(page, 'region', 'stderr'), 'a warning\n');
    const status = await page.getByRole('status').first().textContent();
    assert.match(status, /Status: completed · exit code 0 · time .* ms · memory .* MB · cost \$0\.002/);

    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('sandbox.apiKey'),
      local: Object.keys(localStorage).length,
      url: location.href,
      cookies: document.cookie,
    }));
    assert.equal(stored.session, API_KEY);
    assert.equal(stored.local, 0, 'nothing in localStorage');
    assert.ok(!stored.url.includes(API_KEY), 'the key is not in the URL');
    assert.equal(stored.cookies, '');
    await page.screenshot({ path: path.join(SHOTS, 'playground.png'), fullPage: true });
  });
});

test('a JavaScript run, from the keyboard alone (Tab to the controls, Ctrl+Enter runs)', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, API_KEY);
    await page.getByLabel('Language').selectOption('javascript');
    await setCode(page, 'const _ = require("lodash");\nconsole.log([3, 1, 2].sort().join("-"));\n'
      + 'console.error(_.sum([1, 2, 3]));\n');
    await run(page, () => page.keyboard.press('Control+Enter'));
    assert.equal(await textOf(page, 'region', 'stdout'), '1-2-3\n');
    assert.equal(await textOf(page, 'region', 'stderr'), '6\n');

    // Tab leaves the editor (it does not indent): the next control is stdin
    await page.getByRole('textbox', { name: 'Code' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'stdin');

    // the Run button is reachable by Tab from the key field, and Enter on it runs again
    await page.getByLabel('API key').focus();
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'run');
    }
    assert.ok(reached, 'Tab reaches the Run button');
    await page.evaluate(() => { document.getElementById('stdout').textContent = ''; });
    await run(page, () => page.keyboard.press('Enter'));
    assert.equal(await textOf(page, 'region', 'stdout'), '1-2-3\n');
  });
});

test('a wrong key shows an error a person understands', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, 'uc-thisKeyWasNeverIssuedToAnyone');
    await run(page);
    const alert = await page.getByRole('alert').filter({ hasText: 'refused' }).textContent();
    assert.match(alert, /API key was refused/);
    assert.equal(await textOf(page, 'region', 'stdout'), '');
  }, [401]);
});

test('usage: after a few runs the chart draws, the totals match /v1/usage, and the CSV downloads', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, API_KEY);
    await page.getByLabel('Language').selectOption('python');
    await setCode(page, 'raise SystemExit(3)\n');
    await run(page);
    assert.match(await page.getByRole('status').first().textContent(), /Status: failed · exit code 3/);

    await page.getByRole('button', { name: 'Usage', exact: true }).click();
    await page.locator('#usage-totals dd[data-total="executions"]').waitFor();
    const from = await page.locator('#usage-from').inputValue();
    const to = await page.locator('#usage-to').inputValue();
    const report = await api(`v1/usage?from=${from}&to=${to}&groupBy=day`, API_KEY);
    assert.ok(report.totals.executions >= 4, 'the runs of the tests before are counted');
    assert.ok(report.totals.failures >= 1);
    const shown = await page.$$eval('#usage-totals dd', (dds) =>
      Object.fromEntries(dds.map((dd) => [dd.dataset.total, dd.textContent])));
    assert.equal(shown.executions, String(report.totals.executions));
    assert.equal(shown.failures, String(report.totals.failures));
    assert.equal(shown.timeouts, String(report.totals.timeouts));
    assert.match(shown.totalCost, /^\$\d+\.\d{2,}$/);
    assert.equal(Number(shown.totalCost.slice(1)), Number(report.totals.totalCost));
    assert.ok(await paintedPixels(page, '#usage-chart') > 1000, 'the usage chart is drawn');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(csv, await api(`v1/usage?from=${from}&to=${to}&groupBy=day`, API_KEY, 'text/csv'));
    assert.match(csv, /^day,executions,failures/);
    await page.screenshot({ path: path.join(SHOTS, 'usage.png'), fullPage: true });
  });
});

test('admin: create a key (shown once, copied), use it in the playground, revoke it, and see it refused', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const name = `console test ${Date.now()}`;
    await page.getByRole('button', { name: 'Admin', exact: true }).click();
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Load keys' }).click();
    await page.locator('#keys tbody tr').first().waitFor();

    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyField = page.getByLabel('New key');
    await keyField.waitFor();
    const newKey = await keyField.inputValue();
    assert.match(newKey, /^uc-[A-Za-z0-9_-]{22,}$/);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), newKey);
    const listed = page.locator('#keys tbody tr', { hasText: name });
    await listed.getByText('active').waitFor();

    await page.getByRole('button', { name: 'Playground', exact: true }).click();
    await typeKey(page, newKey);
    await page.getByLabel('Language').selectOption('python');
    await setCode(page, 'print("the new key works")\n');
    await run(page);
    assert.equal(await textOf(page, 'region', 'stdout'), 'the new key works\n');

    await page.getByRole('button', { name: 'Admin', exact: true }).click();
    const usageRow = page.locator('#admin-usage tbody tr', { hasText: name });
    await usageRow.waitFor();
    assert.deepEqual(await usageRow.locator('td').allTextContents(),
      [name, newKey.slice(0, 11), '1', '0', '0', '0', '$0.002']);
    assert.ok(await paintedPixels(page, '#admin-chart') > 1000, 'the per-key chart is drawn');
    await page.screenshot({ path: path.join(SHOTS, 'admin.png'), fullPage: true });

    await listed.getByRole('button', { name: /^Revoke / }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.waitForFunction((n) => [...document.querySelectorAll('#keys tbody tr')]
      .some((tr) => tr.textContent.includes(n) && !tr.textContent.includes('active')), name);
    assert.equal(await listed.getByRole('button', { name: /^Revoke / }).count(), 0);

    await page.getByRole('button', { name: 'Playground', exact: true }).click();
    await run(page);
    assert.match(await page.getByRole('alert').filter({ hasText: 'refused' }).textContent(),
      /API key was refused/);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sandbox.adminToken')), ADMIN_TOKEN);
  }, [401]);
});

test('under /api the console works the same, calling /api/v1/...', async () => {
  await withConsole(`${BASE}/api/`, async (page) => {
    const calls = [];
    page.on('request', (request) => calls.push(new URL(request.url()).pathname));
    await typeKey(page, API_KEY);
    await page.getByLabel('Language').selectOption('javascript');
    await setCode(page, 'console.log(6 * 7);\n');
    await run(page);
    assert.equal(await textOf(page, 'region', 'stdout'), '42\n');
    assert.ok(calls.includes('/api/v1/code-sandbox/execute'), `calls: ${calls.join(', ')}`);
  });
});

// The two answers below cannot be had from the real service on demand (it is not busy and it is reachable), so
// the browser itself is told to answer them; what is tested is what the console makes of them.
test('a 503 tells when to try again; a network failure says the service cannot be reached', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, API_KEY);
    await page.route('**/v1/code-sandbox/execute', (route) => route.fulfill({
      status: 503,
      headers: { 'Retry-After': '5', 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: 'all sandboxes are busy', cost: 0 }),
    }));
    await run(page);
    assert.match(await page.getByRole('alert').first().textContent(),
      /busy or unavailable \(all sandboxes are busy\)\. Try again in 5 s\./);

    await page.unroute('**/v1/code-sandbox/execute');
    await page.route('**/v1/code-sandbox/execute', (route) => route.abort('internetdisconnected'));
    await run(page);
    assert.match(await page.getByRole('alert').first().textContent(), /Could not reach the service/);
  }, [503, 'net::ERR_INTERNET_DISCONNECTED']);
});

// A 1x1 red PNG, as a run that wrote out.png would return it.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

test('an event-stream answer shows its output chunks and the images the run wrote', async () => {
  await withConsole(`${BASE}/`, async (page) => {
    await typeKey(page, API_KEY);
    let accept = null;
    const result = {
      stdout: 'one\ntwo\n', stderr: 'warn\n', exitCode: 0, executionTimeMs: 12.5, memoryUsageMb: 3.1,
      timedOut: false, cost: 0.002, status: 'completed', signal: null, outputTruncated: false,
      executionId: '00000000-0000-0000-0000-000000000000',
      files: [{ path: 'out.png', sizeBytes: 70, mimeType: 'image/png', encoding: 'base64', content: PNG }],
    };
    const events = [
      ['stdout', JSON.stringify('one\n')], ['stderr', JSON.stringify('warn\n')],
      ['stdout', JSON.stringify('two\n')], ['result', JSON.stringify(result)],
    ];
    await page.route('**/v1/code-sandbox/execute', (route) => {
      accept = route.request().headers().accept;
      route.fulfill({
        status: 200,
        headers: { 'Content-Type': 'text/event-stream' },
        body: events.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`).join(''),
      });
    });
    await run(page);
    assert.match(accept, /text\/event-stream/);
    assert.equal(await textOf(page, 'region', 'stdout'), 'one\ntwo\n');
    assert.equal(await textOf(page, 'region', 'stderr'), 'warn\n');
    const image = page.getByRole('img', { name: 'image the run wrote: out.png' });
    await image.waitFor();
    assert.equal(await image.evaluate((img) => img.complete && img.naturalWidth), 1);
  });
});
