// How long the dashboard takes to show a 1,000-record page of the records table, and its first load (issue 19:
// "first load and a 1,000-record list under 1 s on this machine"). Not a test: it prints figures. Uses the e2e
// helpers (tests/e2e: run `npm ci` there first) and a built server (artifacts/bin/PaperGao.Server/release/papergao.dll,
// or PAPERGAO_E2E_DLL).
//
//   node bench/dashboard-list.mjs [--runs N] [--base OTHER.dll] [--trace FILE.json]
//
// Each round measures, on one server per build and one browser:
//   cold:   a fresh page load of #/records/items?perPage=1000 until the page's rows are in the table and painted
//           (navigation start → the frame after: all 1,000 rows, or with a virtualised table the rows in view and
//           aria-rowcount 1001);
//   warm:   in the loaded app, from 20 rows a page to 1,000 (the "Per page" select) until the same;
//   scroll: from the top of the loaded 1,000-row page to the last row painted (scrolled to the end);
//   first load: a fresh browser context (empty cache) loading /_/ until the app's first frame (the `papergao-ready`
//           mark, as tests/e2e/setup.test.mjs measures it);
//   the API's own time for the same list request (fetch in the page), so the render share is visible.
// With --base, a second server runs another build (e.g. main's) and every round measures both, base first
// (A B A B in one run). --trace writes a Chromium performance trace of this build's last warm round and prints
// where the main thread's time went (inclusive times per event name, so nested names overlap), and the JS functions
// with the most self time (a CDP CPU profile of the same round).
import { writeFile } from 'node:fs/promises';
import { startServer, dll, EMAIL, PASSWORD } from '../tests/e2e/lib/server.mjs';
import { openBrowser, signIn } from '../tests/e2e/lib/browser.mjs';

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const runs = Number(arg('--runs')) || 5;
const base = arg('--base');
const traceFile = arg('--trace');
const N = 1000;

async function api(url, path, token, body, method = 'POST') {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { Authorization: token } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function seed(server) {
  const { token } = await api(server.url, '/api/collections/_superusers/auth-with-password', null, { identity: EMAIL, password: PASSWORD });
  await api(server.url, '/api/collections', token, { name: 'items', type: 'base', fields: [
    { name: 'title', type: 'text' }, { name: 'views', type: 'number' }, { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'meta', type: 'json' }, { name: 'published', type: 'date' }, { name: 'created', type: 'autodate', onCreate: true },
  ] });
  await api(server.url, '/api/settings', token, { batch: { enabled: true, maxRequests: 1000 } }, 'PATCH');
  const requests = Array.from({ length: N }, (_, i) => ({ method: 'POST', url: '/api/collections/items/records',
    body: { title: `item ${i}`, views: i, status: i % 2 ? 'live' : 'draft', meta: { i, tags: ['a', 'b'] }, published: '2025-01-31 12:00:00.000Z' } }));
  await api(server.url, '/api/batch', token, { requests });
}

// The page's rows are shown: all N rows in the DOM (a table that renders every row), or a virtualised table that
// says it has N rows (aria-rowcount counts the header row) and shows the first ones; then the next frame.
const painted = (page) => page.waitForFunction((n) => {
  const table = document.querySelector('table[aria-rowcount]');
  const all = document.querySelectorAll('tbody tr').length >= n;
  const virtual = table?.getAttribute('aria-rowcount') === String(n + 1) && document.querySelectorAll('tbody tr[aria-rowindex]').length >= 10;
  return (all || virtual) && new Promise((r) => requestAnimationFrame(() => r(true)));
}, N, { timeout: 60_000, polling: 'raf' });

async function startBuild(name, serverDll, b) {
  const server = await startServer({ serverDll });
  await seed(server);
  const context = await b.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => console.error(`${name}: page error: ${e.message}`));
  await signIn(page, server.url, EMAIL, PASSWORD);
  return { name, server, context, page, cold: [], warm: [], scroll: [], first: [], apiMs: [] };
}

async function round(x, b, trace) {
  const { page, server } = x;
  // cold
  await page.goto('about:blank');
  await page.goto(`${server.url}/_/#/records/items?perPage=${N}`);
  await painted(page);
  x.cold.push(await page.evaluate(() => performance.now()));

  // scroll to the end: the table's own scroll box when it has one, else the window
  const t0 = await page.evaluate(() => {
    const start = performance.now();
    const wrap = document.querySelector('.table-wrap');
    if (wrap && wrap.scrollHeight > wrap.clientHeight + 1) wrap.scrollTop = wrap.scrollHeight;
    else window.scrollTo(0, document.documentElement.scrollHeight);
    return start;
  });
  await page.waitForFunction((n) => {
    const last = document.querySelector(`tbody tr[aria-rowindex="${n + 1}"]`) ?? (document.querySelector('table[aria-rowcount]') ? null : document.querySelectorAll('tbody tr')[n - 1]);
    if (!last) return false;
    // In view: inside the window and inside the table's scroll box (when it has one).
    const r = last.getBoundingClientRect();
    const box = last.closest('.table-wrap')?.getBoundingClientRect();
    return r.bottom > Math.max(0, box?.top ?? 0) && r.top < Math.min(window.innerHeight, box?.bottom ?? Infinity) && new Promise((res) => requestAnimationFrame(() => res(true)));
  }, N, { timeout: 60_000, polling: 'raf' });
  x.scroll.push(await page.evaluate((s) => performance.now() - s, t0));

  // warm: 20 → 1000 rows
  await page.getByLabel('Per page').selectOption('20');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 20);
  let cdp;
  if (trace) {
    await b.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.evaluate(() => { window.__t0 = performance.now(); });
  await page.getByLabel('Per page').selectOption(String(N));
  await painted(page);
  x.warm.push(await page.evaluate(() => performance.now() - window.__t0));
  if (trace) {
    const { profile } = await cdp.send('Profiler.stop');
    const buffer = await b.browser.stopTracing();
    await writeFile(trace, buffer);
    console.log(`${x.name}: trace of the last warm round: ${trace}`);
    summarizeTrace(JSON.parse(buffer.toString('utf8')));
    summarizeProfile(profile);
  }
  x.apiMs.push(await page.evaluate(async (n) => {
    const auth = JSON.parse(localStorage.getItem('pg_auth_main')).token;
    const s = performance.now();
    await (await fetch(`/api/collections/items/records?page=1&perPage=${n}&sort=-created`, { headers: { Authorization: auth } })).json();
    return performance.now() - s;
  }, N));

  // first load, empty cache
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(`${server.url}/_/`);
  await p.getByRole('form', { name: 'Sign in' }).waitFor();
  x.first.push(await p.evaluate(() => performance.getEntriesByName('papergao-ready')[0]?.startTime ?? NaN));
  await ctx.close();
}

/** Inclusive time per trace event name on the renderer's main thread (the warm round). */
function summarizeTrace(trace) {
  const events = trace.traceEvents ?? trace;
  // The busiest renderer main thread is the measured page's (the browser has others, idle).
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (m) => events.reduce((s, e) => s + (e.ph === 'X' && e.name === 'RunTask' && e.pid === m.pid && e.tid === m.tid ? e.dur ?? 0 : 0), 0);
  const main = mains.map((m) => [m, busy(m)]).sort((x, y) => y[1] - x[1])[0]?.[0];
  const byName = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !main || e.pid !== main.pid || e.tid !== main.tid || !e.dur) continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 14);
  console.log('  main thread, inclusive ms per event:');
  for (const [name, ms] of top) console.log(`    ${ms.toFixed(0).padStart(6)}  ${name}`);
}

/** JS self time per function (CDP CPU profile of the warm round). */
function summarizeProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  console.log('  JS self time, ms:');
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(0).padStart(6)}  ${k}`);
}

const b = await openBrowser('bench-dashboard-list');
const builds = [];
try {
  if (base) builds.push(await startBuild('base', base, b));
  builds.push(await startBuild('this build', dll, b));
  for (let i = 0; i < runs; i++) {
    for (const x of builds) await round(x, b, traceFile && x.name === 'this build' && i === runs - 1 ? traceFile : null);
  }
  const f = (xs) => xs.map((v) => v.toFixed(0)).join(' ');
  console.log(`1,000-record page, ${runs} rounds${base ? ' (base and this build alternating)' : ''}, ms:`);
  for (const x of builds) {
    console.log(`${x.name}:`);
    console.log(`  cold load to painted:   ${f(x.cold)}  median ${median(x.cold).toFixed(0)}`);
    console.log(`  warm 20→1000 rows:      ${f(x.warm)}  median ${median(x.warm).toFixed(0)}`);
    console.log(`  scroll to the last row: ${f(x.scroll)}  median ${median(x.scroll).toFixed(0)}`);
    console.log(`  first load (ready):     ${f(x.first)}  median ${median(x.first).toFixed(0)}`);
    console.log(`  the API request alone:  ${f(x.apiMs)}  median ${median(x.apiMs).toFixed(0)}`);
  }
} finally {
  for (const x of builds) await x.context.close().catch(() => {});
  await b.close().finally(() => Promise.all(builds.map((x) => x.server.stop())));
}
