// The browser the console tests drive: Debian's chromium, headless, through playwright-core (which downloads no
// browser of its own). Each page records what the console must never do: break its Content-Security-Policy, log an
// error, or throw.
import { chromium } from 'playwright-core';

const EXECUTABLE = process.env.CONSOLE_TEST_CHROMIUM || '/usr/bin/chromium';
/** Generous: a cold run on a loaded machine takes seconds; nothing here measures speed. */
export const WAIT_MS = 90_000;

export async function launch() {
  return chromium.launch({ executablePath: EXECUTABLE, headless: true });
}

/** A fresh context (its own sessionStorage) and page at `url`; `problems` collects errors and CSP refusals. */
export async function openConsole(browser, url) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
  return { context, page, problems };
}

/** Replaces the editor's text with `code`, as a paste would (no auto-closed brackets). */
export async function setCode(page, code) {
  const editor = page.getByRole('textbox', { name: 'Code' });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** Clicks Run and waits for the run's end: a status line or an alert. */
export async function run(page, trigger = () => page.getByRole('button', { name: 'Run', exact: true }).click()) {
  await trigger();
  await page.waitForFunction(() => {
    const result = document.getElementById('run-result').textContent;
    const error = document.getElementById('run-error');
    return result.startsWith('Status:') || !error.hidden;
  }, null, { timeout: WAIT_MS });
}

export async function textOf(page, role, name) {
  return page.getByRole(role, { name }).textContent();
}

/** How many of the canvas's pixels are painted (not fully transparent). */
export async function paintedPixels(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
    return painted;
  });
}
