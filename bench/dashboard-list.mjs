// How long the dashboard takes to show a 1,000-record page of the records table (issue 19: "a 1,000-record list
// under 1 s on this machine"). Not a test: it prints figures. Uses the e2e helpers (tests/e2e: run `npm ci` there
// first) and a built server (artifacts/bin/PaperGao.Server/release/papergao.dll, or PAPERGAO_E2E_DLL).
//
//   node bench/dashboard-list.mjs [--runs N]      (N rounds, 5 by default)
//
// Each round measures, alternating A B A B in one run on one server and one browser:
//   A  cold: a fresh page load of #/records/items?perPage=1000 until the 1,000th row is in the table and painted
//      (navigation start → the frame after the last row appears);
//   B  warm: in the loaded app, from 20 rows a page to 1,000 (the "Per page" select) until the 1,000th row is painted.
// Also printed: the API's own time for the same list request (fetch in the page), so the render share is visible.
import { startServer, EMAIL, PASSWORD } from '../tests/e2e/lib/server.mjs';
import { openBrowser, signIn } from '../tests/e2e/lib/browser.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const N = 1000;

async function api(url, path, token, body, method = 'POST') {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { Authorization: token } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const server = await startServer();
const b = await openBrowser('bench-dashboard-list');
try {
  const { token } = await api(server.url, '/api/collections/_superusers/auth-with-password', null, { identity: EMAIL, password: PASSWORD });
  await api(server.url, '/api/collections', token, { name: 'items', type: 'base', fields: [
    { name: 'title', type: 'text' }, { name: 'views', type: 'number' }, { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'meta', type: 'json' }, { name: 'published', type: 'date' }, { name: 'created', type: 'autodate', onCreate: true },
  ] });
  await api(server.url, '/api/settings', token, { batch: { enabled: true, maxRequests: 1000 } }, 'PATCH');
  const requests = Array.from({ length: N }, (_, i) => ({ method: 'POST', url: '/api/collections/items/records',
    body: { title: `item ${i}`, views: i, status: i % 2 ? 'live' : 'draft', meta: { i, tags: ['a', 'b'] }, published: '2025-01-31 12:00:00.000Z' } }));
  await api(server.url, '/api/batch', token, { requests });

  const { page } = b;
  await signIn(page, server.url, EMAIL, PASSWORD);
  const painted = () => page.waitForFunction((n) => document.querySelectorAll('tbody tr').length >= n && new Promise((r) => requestAnimationFrame(() => r(true))), N, { timeout: 60_000, polling: 'raf' });
  const cold = [];
  const warm = [];
  const apiMs = [];
  for (let i = 0; i < runs; i++) {
    // A: cold load.
    await page.goto('about:blank');
    await page.goto(`${server.url}/_/#/records/items?perPage=${N}`);
    await painted();
    cold.push(await page.evaluate(() => performance.now()));
    // B: warm, 20 → 1000 rows in the running app.
    await page.getByLabel('Per page').selectOption('20');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 20);
    const t0 = await page.evaluate(() => { window.__t0 = performance.now(); return window.__t0; });
    await page.getByLabel('Per page').selectOption(String(N));
    await painted();
    warm.push(await page.evaluate(() => performance.now() - window.__t0));
    void t0;
    apiMs.push(await page.evaluate(async (n) => {
      const auth = JSON.parse(localStorage.getItem('pg_auth_main')).token;
      const s = performance.now();
      await (await fetch(`/api/collections/items/records?page=1&perPage=${n}&sort=-created`, { headers: { Authorization: auth } })).json();
      return performance.now() - s;
    }, N));
  }
  const f = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`1,000-record page, ${runs} rounds (A B A B…), ms:`);
  console.log(`  A cold load to painted: ${f(cold)}  median ${median(cold).toFixed(0)}`);
  console.log(`  B warm 20→1000 rows:    ${f(warm)}  median ${median(warm).toFixed(0)}`);
  console.log(`  the API request alone:  ${f(apiMs)}  median ${median(apiMs).toFixed(0)}`);
} finally {
  await b.close().finally(() => server.stop());
}
