// Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Every console error or page error fails the
// test at close(), and so does any HTTP answer >= 400 other than the statuses a test expects (its bad-input answers).
// A test hands its own failure to fail(e) (in a catch before the finally that calls close()): close() then throws
// that failure first, with the browser's errors attached, instead of hiding it behind them.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { e2eRoot } from './server.mjs';

const CHROMIUM = process.env.PAPERGAO_E2E_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * @param {string} name test name (screenshots go to tests/e2e/screenshots/<name>/)
 * @param {{viewport?: {width:number,height:number}, allowStatuses?: number[]}} options
 */
export async function openBrowser(name, { viewport = DESKTOP, allowStatuses = [] } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // Failed HTTP answers are reported (with their URL) by the response handler below.
    if (/^Failed to load resource: the server responded with a status of \d{3}/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !allowStatuses.includes(res.status())) problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (d) => { void d.accept(); });
  const shots = join(e2eRoot, 'screenshots', name);
  await mkdir(shots, { recursive: true });
  let n = 0;
  let failure;
  return {
    page,
    browser,
    /** Saves a screenshot and prints its path. */
    async shot(label) {
      const file = join(shots, `${String(++n).padStart(2, '0')}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot: ${file}`);
      return file;
    },
    problems,
    /** Keeps the test's own failure for close(), which throws it (the first one kept, when called more than once). */
    fail(error) {
      failure ??= error;
    },
    /**
     * Closes the browser, then throws: the failure handed to fail() with the browser's errors attached (in its
     * message and stack, and as `browserProblems`), or else an error listing the browser's errors, if any.
     */
    async close() {
      // A failed test leaves a picture of where it stopped.
      if (failure) await this.shot('failure').catch(() => {});
      try {
        await browser.close();
      } catch (e) {
        if (!failure) throw e;
      }
      if (failure) throw attachProblems(failure, problems);
      if (problems.length) throw new Error(`browser reported errors:\n${problems.join('\n')}`);
    },
  };
}

/** The test's failure, with the browser's errors (if any) added after its own message. */
export function attachProblems(failure, problems) {
  if (!problems.length) return failure;
  const error = failure instanceof Error ? failure : new Error(String(failure));
  const note = `\n\nThe browser also reported:\n${problems.join('\n')}`;
  try {
    error.browserProblems = [...problems];
    error.message += note;
    if (typeof error.stack === 'string') error.stack += note;
  } catch {
    return new AggregateError([error, new Error(note.trim())], error.message);
  }
  return error;
}

/** Signs in through the form (keyboard only: type, then Enter). */
export async function signIn(page, url, email, password) {
  await page.goto(`${url}/_/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Collections' }).waitFor();
}
