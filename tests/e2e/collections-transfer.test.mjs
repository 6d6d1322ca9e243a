// Collections: export as JSON (PocketBase's format), import with the changes shown before they are applied (and bad
// input refused with a reason), duplicate, truncate. axe-clean dialogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('collections: export, import with a diff first, bad imports refused, duplicate, truncate', async () => {
  const server = await startServer();
  const b = await openBrowser('collections-transfer', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }, { name: 'created', type: 'autodate', onCreate: true }],
    indexes: ['CREATE INDEX idx_posts_title ON posts (title)'], listRule: '' });
  for (const t of ['a', 'b', 'c']) await admin.collection('posts').create({ title: t });
  const found = [];
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);

    // Export: the JSON of the chosen collections, as a download.
    await page.getByRole('button', { name: 'Export' }).click();
    const exp = page.getByRole('dialog', { name: 'Export collections' });
    await exp.waitFor();
    for (const v of await seriousViolations(page)) found.push(`export: ${v}`);
    await exp.getByRole('checkbox', { name: 'users', exact: true }).uncheck();
    const exported = JSON.parse(await exp.getByLabel(/^JSON/).inputValue());
    assert.deepEqual(exported.map((c) => c.name), ['posts']);
    assert.deepEqual(exported[0].fields.map((f) => f.name), ['id', 'title', 'created']);
    assert.equal(exported[0].listRule, '');
    assert.equal('created' in exported[0], false, 'no timestamps of the collection itself');
    const link = exp.getByRole('link', { name: 'Download JSON' });
    assert.equal(await link.getAttribute('download'), 'pb_schema.json');
    assert.deepEqual(JSON.parse(decodeURIComponent((await link.getAttribute('href')).split(',').slice(1).join(','))), exported);
    await b.shot('export');
    await exp.getByRole('button', { name: 'Close' }).click();

    // Import: bad JSON and a wrong shape are refused in the dialog with the reason.
    await page.getByRole('button', { name: 'Import' }).click();
    const imp = page.getByRole('dialog', { name: 'Import collections' });
    const box = imp.getByLabel('or paste the JSON');
    await box.fill('{"x": 1}');
    await imp.getByRole('button', { name: 'Review changes' }).click();
    await imp.getByRole('alert').filter({ hasText: 'Expected an array of collections' }).waitFor();
    await box.fill('[{"name": "x", ');
    await imp.getByRole('button', { name: 'Review changes' }).click();
    await imp.getByRole('alert').filter({ hasText: 'Not valid' }).waitFor();

    // A real change: a field added to posts, a new collection; the diff comes first, then the import.
    const changed = structuredClone(exported);
    changed[0].fields.splice(2, 0, { name: 'summary', type: 'text' });
    changed.push({ name: 'tags', type: 'base', fields: [{ name: 'label', type: 'text' }] });
    await box.fill(JSON.stringify(changed));
    await imp.getByRole('button', { name: 'Review changes' }).click();
    const diff = imp.getByRole('region', { name: 'Changes' });
    await diff.waitFor();
    assert.match(await diff.textContent(), /posts: fields added: summary/);
    assert.match(await diff.textContent(), /tags: new collection \(label\)/);
    for (const v of await seriousViolations(page)) found.push(`import diff: ${v}`);
    await b.shot('import-diff');
    assert.equal((await admin.collections.getFullList()).some((c) => c.name === 'tags'), false, 'nothing applied before Import');
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported.' }).waitFor();
    await page.getByRole('link', { name: 'tags', exact: true }).waitFor();
    assert.deepEqual((await admin.collections.getOne('posts')).fields.map((f) => f.name), ['id', 'title', 'summary', 'created']);
    assert.equal((await admin.collection('posts').getList(1, 1)).totalItems, 3, 'records kept');

    // An import the server refuses: its message in the dialog, nothing changed.
    await page.getByRole('button', { name: 'Import' }).click();
    await box.fill(JSON.stringify([{ name: 'broken', type: 'base', fields: [{ name: 'x', type: 'nosuchtype' }] }]));
    await imp.getByRole('button', { name: 'Review changes' }).click();
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await imp.getByRole('alert').waitFor();
    assert.equal((await admin.collections.getFullList()).some((c) => c.name === 'broken'), false);
    await imp.getByRole('button', { name: 'Cancel' }).click();

    // Duplicate: same fields and index (renamed for the new table), no records.
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('heading', { name: 'Collection posts' }).waitFor();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { name: 'Collection posts_duplicate' }).waitFor();
    const dup = await admin.collections.getOne('posts_duplicate');
    assert.deepEqual(dup.fields.map((f) => f.name), ['id', 'title', 'summary', 'created']);
    assert.equal(dup.indexes.length, 1);
    assert.match(dup.indexes[0], /^CREATE INDEX `?idx_posts_title_\w+`? ON `?posts_duplicate`? \(/);
    assert.equal(dup.listRule, '');
    assert.equal((await admin.collection('posts_duplicate').getList(1, 1)).totalItems, 0);

    // Truncate: asks first; Cancel keeps the records; confirming deletes them all, the collection stays.
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('heading', { name: 'Collection posts' }).waitFor();
    await page.getByRole('button', { name: 'Truncate' }).click();
    const ask = page.getByRole('dialog', { name: 'Truncate collection?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await admin.collection('posts').getList(1, 1)).totalItems, 3);
    await page.getByRole('button', { name: 'Truncate' }).click();
    await ask.getByRole('button', { name: 'Delete all records' }).click();
    await page.getByRole('status').filter({ hasText: 'All records of posts deleted.' }).waitFor();
    await waitFor(async () => (await admin.collection('posts').getList(1, 1)).totalItems === 0, 'posts to be empty');
    assert.ok(await admin.collections.getOne('posts'));
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
