// Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Every console error or page error fails the
// test at close(), and so does any HTTP answer >= 400 other than the statuses a test expects (its bad-input answers).
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
    async close() {
      await browser.close();
      if (problems.length) throw new Error(`browser reported errors:\n${problems.join('\n')}`);
    },
  };
}

/** Signs in through the form (keyboard only: type, then Enter). */
export async function signIn(page, url, email, password) {
  await page.goto(`${url}/_/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Collections' }).waitFor();
}
