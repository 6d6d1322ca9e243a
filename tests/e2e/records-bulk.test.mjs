// Bulk actions on the selected records (issue 19): set one field on all of them, export them as JSON, delete them
// with one confirmation. Each record is its own request, so a record the server refuses is named with the server's
// message and stays selected while the others are done. axe-clean with each dialog open; the bar fits 390 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('bulk: set a field (per-record failures named, kept selected), export selected as JSON, delete with one confirmation', async () => {
  const server = await startServer();
  // The refused updates (a unique index) and the refused delete (a required reference) answer 400.
  const b = await openBrowser('records-bulk', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const items = await admin.collections.create({ name: 'items', type: 'base', fields: [
    { name: 'title', type: 'text' },
    { name: 'code', type: 'text' },
    { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'created', type: 'autodate', onCreate: true },
  ], indexes: ['CREATE UNIQUE INDEX idx_items_code ON items (code) WHERE code != \'\''] });
  await admin.collections.create({ name: 'holders', type: 'base', fields: [
    { name: 'item', type: 'relation', collectionId: items.id, maxSelect: 1, required: true, cascadeDelete: false },
  ] });
  const recs = [];
  for (const t of ['alpha', 'beta', 'gamma', 'delta']) recs.push(await admin.collection('items').create({ title: t, status: 'draft' }));
  await admin.collection('holders').create({ item: recs[1].id });
  const found = [];
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/items?sort=created`);
    const select = async (r) => page.getByRole('checkbox', { name: `Select ${r.id}` }).check();
    for (const r of recs.slice(0, 3)) await select(r);
    const bar = page.getByRole('region', { name: 'Selected records' });
    await bar.getByText('3 selected').waitFor();

    // Set status = live on the three: all saved.
    await bar.getByRole('button', { name: 'Set field…' }).click();
    let dlg = page.getByRole('dialog', { name: 'Set a field on 3 records' });
    await dlg.getByLabel('Field').selectOption('status');
    await dlg.getByLabel(/^status/).selectOption('live');
    for (const v of await seriousViolations(page)) found.push(`set dialog: ${v}`);
    await dlg.getByRole('button', { name: 'Set on 3 records' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Set status on 3 records.' }).waitFor();
    for (const r of recs.slice(0, 3)) assert.equal((await admin.collection('items').getOne(r.id)).status, 'live');
    assert.equal((await admin.collection('items').getOne(recs[3].id)).status, 'draft', 'the unselected one is untouched');
    assert.equal(await page.getByRole('region', { name: 'Selected records' }).count(), 0, 'nothing failed: the selection is cleared');

    // Set the same code on three: the unique index lets one through; the other two are named and stay selected.
    for (const r of recs.slice(0, 3)) await select(r);
    await bar.getByRole('button', { name: 'Set field…' }).click();
    dlg = page.getByRole('dialog', { name: 'Set a field on 3 records' });
    await dlg.getByLabel('Field').selectOption('code');
    await dlg.getByLabel(/^code/).fill('same');
    await dlg.getByRole('button', { name: 'Set on 3 records' }).click();
    await dlg.waitFor({ state: 'detached' });
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: '2 of 3 records failed:' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Set code on 1 record.' }).waitFor();
    const codes = await Promise.all(recs.slice(0, 3).map(async (r) => (await admin.collection('items').getOne(r.id)).code));
    assert.equal(codes.filter((c) => c === 'same').length, 1, `one saved: ${codes}`);
    const failedIds = recs.slice(0, 3).filter((_, i) => codes[i] !== 'same').map((r) => r.id);
    const alertText = await alert.textContent();
    for (const id of failedIds) assert.match(alertText, new RegExp(`${id}: .*unique`, 'i'), alertText);
    await bar.getByText('2 selected').waitFor();
    for (const r of recs.slice(0, 3)) assert.equal(await page.getByRole('checkbox', { name: `Select ${r.id}` }).isChecked(), failedIds.includes(r.id));

    // Export the selected (the two that failed) as JSON.
    await bar.getByRole('button', { name: 'Export JSON…' }).click();
    dlg = page.getByRole('dialog', { name: 'Export 2 records' });
    const link = dlg.getByRole('link', { name: 'Download JSON' });
    await link.waitFor();
    assert.equal(await link.getAttribute('download'), 'items-records.json');
    const exported = JSON.parse(decodeURIComponent((await link.getAttribute('href')).replace(/^data:application\/json;charset=utf-8,/, '')));
    assert.deepEqual(exported.map((r) => r.id), failedIds);
    assert.deepEqual(exported.map((r) => r.status), ['live', 'live']);
    assert.equal(exported[0].collectionName, 'items');
    for (const v of await seriousViolations(page)) found.push(`export dialog: ${v}`);
    await dlg.getByRole('button', { name: 'Close' }).click();

    // Delete beta and delta with one confirmation: beta is held by a required relation and stays, named.
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await bar.getByText('4 selected').waitFor();
    await page.getByRole('checkbox', { name: 'Select all' }).uncheck();
    await waitFor(async () => (await page.getByRole('region', { name: 'Selected records' }).count()) === 0, 'the selection cleared');
    await select(recs[1]);
    await select(recs[3]);
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Delete selected' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete records?' });
    await confirm.getByText('Delete 2 records of items?').waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await alert.filter({ hasText: '1 of 2 records failed:' }).waitFor();
    assert.match(await alert.textContent(), new RegExp(`${recs[1].id}: `));
    await page.getByRole('status').filter({ hasText: 'Deleted 1 record.' }).waitFor();
    await assert.rejects(admin.collection('items').getOne(recs[3].id), (e) => e.status === 404);
    assert.equal((await admin.collection('items').getOne(recs[1].id)).title, 'beta');
    await bar.getByText('1 selected').waitFor();
    await page.getByText('Page 1 of 1 · 3 records').waitFor();

    // The bar on a phone: no horizontal overflow.
    await page.setViewportSize(PHONE);
    await bar.getByRole('button', { name: 'Delete selected' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page wider than the phone by ${overflow}px`);
    await b.shot('bulk-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
