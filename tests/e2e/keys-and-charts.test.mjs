// API keys made in the UI work against the API and stop working when revoked; the analytics page charts real
// traffic; the request log filters by status and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';

test('create a scoped API key, use it, revoke it (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('api-keys');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'notes', type: 'base', fields: [{ name: 'body', type: 'text' }] });
  await admin.collection('notes').create({ body: 'secret note' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill('reporting');
    await page.getByLabel('notes list').check();
    await page.getByLabel('notes view').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyInput = page.getByLabel('New API key');
    await keyInput.waitFor();
    const key = await keyInput.inputValue();
    assert.match(key, /^pgk_[a-z0-9]{15}[A-Za-z0-9]{25}$/);
    await page.getByRole('cell', { name: 'reporting' }).waitFor();
    await b.shot('key-created');

    const list = () => fetch(`${server.url}/api/collections/notes/records`, { headers: { 'X-API-Key': key } });
    const res = await list();
    assert.equal(res.status, 200);
    assert.equal((await res.json()).items[0].body, 'secret note');
    // The key is scoped to list/view: creating is refused.
    const create = await fetch(`${server.url}/api/collections/notes/records`, { method: 'POST', headers: { 'X-API-Key': key, 'content-type': 'application/json' }, body: '{"body":"x"}' });
    assert.equal(create.status, 403);

    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke key?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No keys.').waitFor();
    assert.equal((await list()).status, 401);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('analytics charts and the request log show real traffic (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('analytics');
  try {
    // Traffic: 12 successful requests and 3 client errors.
    for (let i = 0; i < 12; i++) assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/api/collections/nope/records`)).status, 404);
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Analytics' }).click();
    const chart = page.getByRole('figure', { name: 'Requests a minute' });
    await chart.waitFor();
    // The requests series has at least one minute with traffic, and its total counts the requests above.
    const total = await waitFor(async () => {
      await page.reload();
      const label = await page.getByRole('figure', { name: 'Requests a minute' }).getByRole('img').getAttribute('aria-label');
      const m = /requests total (\d+)/.exec(label ?? '');
      return m && Number(m[1]) >= 15 ? Number(m[1]) : null;
    }, 'the requests chart to count the traffic', 20_000);
    assert.ok(total >= 15);
    assert.match(await chart.getByRole('img').getAttribute('aria-label'), /4xx total [3-9]/);
    await page.getByRole('figure', { name: 'Latency (ms)' }).waitFor();
    await b.shot('analytics');

    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByLabel('Status').selectOption('4xx');
    await page.getByLabel('Path contains').fill('/api/collections/nope');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('3 requests').waitFor();
    // The chart over time follows the filter: 24 hourly points, the 3 matching requests in the total.
    const perHour = page.getByRole('figure', { name: 'Requests per hour (UTC)' }).getByRole('img');
    await waitFor(async () => /requests total 3$/.test(await perHour.getAttribute('aria-label') ?? ''), 'the hourly chart to count the 3 filtered requests');
    assert.match(await perHour.getAttribute('data-points'), /^[12]$/, 'in the current hour (or the one before)');
    assert.equal(await perHour.getAttribute('data-x-count'), '24');
    // The pointer over the plot shows that point's hour and count in the legend (uPlot's live legend).
    const plot = perHour.locator('.u-over');
    const box = await plot.boundingBox();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await waitFor(async () => /^\d\d:00$/.test((await perHour.locator('.u-legend .u-value').first().textContent()) ?? ''), 'the legend to name the hour under the pointer');
    const statuses = await page.getByRole('table', { name: 'Request log' }).locator('tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(statuses, ['404', '404', '404']);
    await page.getByRole('table', { name: 'Request log' }).locator('tbody tr').first().press('Enter');
    await page.getByRole('dialog').getByText('"status": 404').waitFor();
    // The dialog's scroll lock is a <style> element added at run time: applied, so the CSP nonce was given to it.
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).overflow), 'hidden');
    await b.shot('logs');
    await page.keyboard.press('Escape');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
