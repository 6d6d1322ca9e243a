// The collection editor shows the whole change before a schema change is saved (issue 19): fields added, removed,
// renamed and with changed options, rules and indexes, grouped, the risky lines marked, with Cancel (nothing sent)
// or confirm. Rule-only edits save at once. meta.hideControls (PocketBase's "Hide collection create and edit
// controls") makes the schema read-only in the dashboard and hides create/import/delete. axe-clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('schema diff before saving: fields, options, rules, indexes; cancel sends nothing; risky lines marked', async () => {
  const server = await startServer();
  const b = await openBrowser('schema-diff');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [
    { name: 'title', type: 'text' }, { name: 'views', type: 'number' }, { name: 'body', type: 'text' },
    { name: 'created', type: 'autodate', onCreate: true },
  ] });
  const rec = await admin.collection('posts').create({ title: 'Hello', views: 7, body: 'text' });
  const card = (page, name) => page.locator(`fieldset.field-card[data-field="${name}"]`);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('heading', { name: 'Collection posts' }).waitFor();
    await card(page, 'title').getByLabel('Max length').fill('100');
    await card(page, 'body').getByRole('button', { name: 'Remove field body' }).click();
    await card(page, 'views').getByLabel(/^Name of field/).fill('score');
    await page.getByLabel('New field type').selectOption('text');
    await page.getByRole('button', { name: 'Add field' }).click();
    await card(page, 'field').getByLabel(/^Name of field/).fill('summary');
    const listRule = page.getByRole('group', { name: 'listRule rule' });
    await listRule.getByRole('checkbox').uncheck();
    await listRule.getByRole('textbox').fill('score > 0');
    await page.getByLabel(/^One per line/).fill('CREATE INDEX idx_posts_title ON posts (title)');
    await page.getByRole('button', { name: 'Save' }).click();

    const dialog = page.getByRole('dialog', { name: 'Confirm schema change' });
    await dialog.waitFor();
    const items = async (area) => (await dialog.getByRole('region', { name: area }).getByRole('listitem').allTextContents());
    assert.deepEqual(await items('Fields'), [
      'field title: max 0 → 100',
      'Risky: field views renamed to score: filters, rules and apps using the old name stop working',
      'Risky: field body (text) removed: its data is deleted for good',
      'field summary (text) added',
    ]);
    assert.deepEqual(await items('API rules'), ['listRule: superusers only → score > 0']);
    assert.deepEqual(await items('Indexes'), ['added: CREATE INDEX idx_posts_title ON posts (title)']);
    const found = (await seriousViolations(page)).map((v) => `diff dialog: ${v}`);
    await b.shot('schema-diff');

    // Cancel: nothing was sent.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    let saved = await admin.collections.getOne('posts');
    assert.deepEqual(saved.fields.map((f) => f.name), ['id', 'title', 'views', 'body', 'created']);
    assert.equal(saved.listRule, null);
    // Confirm: all of it is saved, the renamed field keeps its data.
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    saved = await admin.collections.getOne('posts');
    assert.deepEqual(saved.fields.map((f) => f.name), ['id', 'title', 'score', 'summary', 'created']);
    assert.equal(saved.fields.find((f) => f.name === 'title').max, 100);
    assert.equal(saved.listRule, 'score > 0');
    assert.equal(saved.indexes.length, 1);
    assert.equal((await admin.collection('posts').getOne(rec.id)).score, 7);

    // A change with nothing risky: the same review, "Apply changes", no risky line.
    await card(page, 'summary').getByLabel('Required').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor();
    assert.deepEqual(await items('Fields'), ['field summary: required false → true']);
    assert.equal(await dialog.getByText('Risky:').count(), 0);
    await dialog.getByRole('button', { name: 'Apply changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await waitFor(async () => (await admin.collections.getOne('posts')).fields.find((f) => f.name === 'summary').required === true, 'required saved');

    // A rule-only edit saves at once.
    await page.getByRole('group', { name: 'viewRule rule' }).getByRole('checkbox').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await waitFor(async () => (await admin.collections.getOne('posts')).viewRule === '', 'viewRule saved without a dialog');
    assert.equal(await dialog.count(), 0);
    // The server has it before the page has the answer: until then the editor still has unsaved work, and leaving
    // it would ask first (CI once timed out on the next page here).
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('Unsaved changes', { exact: true }).waitFor({ state: 'hidden' });

    // An auth collection's field edits are saved too (they were left out of the request).
    await page.goto(`${server.url}/_/#/collections/users`);
    await page.getByRole('heading', { name: 'Collection users' }).waitFor();
    await page.getByLabel('New field type').selectOption('text');
    await page.getByRole('button', { name: 'Add field' }).click();
    await card(page, 'field').getByLabel(/^Name of field/).fill('nickname');
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor();
    assert.deepEqual(await items('Fields'), ['field nickname (text) added']);
    await dialog.getByRole('button', { name: 'Apply changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.ok((await admin.collections.getOne('users')).fields.some((f) => f.name === 'nickname'), 'the new field of users is saved');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('meta.hideControls: no create/import/delete, the schema read-only; turned off again from Settings', async () => {
  const server = await startServer();
  const b = await openBrowser('hide-controls');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }] });
  await admin.settings.update({ meta: { hideControls: true } });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'View schema' }).first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'New collection' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Import' }).count(), 0);
    await page.getByRole('button', { name: 'Export' }).waitFor();
    await page.keyboard.press('n');
    assert.doesNotMatch(new URL(page.url()).hash, /new/, '"n" has nothing to open');
    assert.equal(await page.getByRole('heading', { name: 'New collection' }).count(), 0);

    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('note').filter({ hasText: 'Collection controls are hidden' }).waitFor();
    assert.equal(await page.getByLabel('Name', { exact: true }).isDisabled(), true);
    assert.equal(await page.getByLabel('Name of field 2').isDisabled(), true);
    for (const name of ['Save', 'Delete', 'Duplicate', 'Truncate', 'Add field']) assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name}`);
    const found = (await seriousViolations(page)).map((v) => `read-only editor: ${v}`);
    await b.shot('hide-controls');

    // Off again from Settings → Application: the controls are back.
    await page.goto(`${server.url}/_/#/settings`);
    const app = page.getByRole('form', { name: 'Application' });
    await app.getByLabel(/^Hide collection create and edit controls/).uncheck();
    await app.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).first().waitFor();
    assert.equal((await admin.settings.getAll()).meta.hideControls, false);
    await page.getByRole('link', { name: 'Collections' }).click();
    await page.getByRole('link', { name: 'New collection' }).waitFor();
    await page.getByRole('link', { name: 'Edit schema' }).first().click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
