// Records shown as data (issue 19, "Missing"): related records by their presentable field, select values as chips,
// JSON as a collapsible viewer, dates in local time, editor HTML as text; the column picker (kept after a reload),
// page size and jump to page in the URL, the collections sidebar with search, the record side panel (copy id,
// created/updated, JSON). axe-clean with the viewer and the panel open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

async function seed(url) {
  const admin = new PocketBase(url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const authors = await admin.collections.create({ name: 'authors', type: 'base', fields: [{ name: 'name', type: 'text', presentable: true }, { name: 'country', type: 'text' }] });
  await admin.collections.create({ name: 'posts', type: 'base', fields: [
    { name: 'title', type: 'text' },
    { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
    { name: 'tags', type: 'select', values: ['news', 'tech', 'art'], maxSelect: 3 },
    { name: 'meta', type: 'json' },
    { name: 'body', type: 'editor' },
    { name: 'published', type: 'date' },
    { name: 'created', type: 'autodate', onCreate: true },
    { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
  ] });
  const ada = await admin.collection('authors').create({ name: 'Ada Lovelace', country: 'UK' });
  const first = await admin.collection('posts').create({
    title: 'Engines', author: ada.id, tags: ['news', 'tech'], meta: { lang: 'en', pages: [1, 2, 3] },
    body: '<p>Hello <b>world</b></p><img src="x" onerror="window.__pwned = 1">', published: '2025-01-31 12:00:00.000Z',
  });
  for (let i = 1; i <= 24; i++) await admin.collection('posts').create({ title: `post ${String(i).padStart(2, '0')}` });
  return { admin, ada, first };
}

test('records as data: relation names, chips, JSON viewer, dates, editor text; columns, page size, jump, sidebar', async () => {
  const server = await startServer();
  const b = await openBrowser('records-data');
  const { ada, first } = await seed(server.url);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/posts?sort=created`);
    const row = page.getByRole('row').filter({ hasText: 'Engines' });
    await row.waitFor();

    // The relation shows the author's presentable name; the id is the tooltip only.
    const chip = row.locator('td.cell-relation .chip');
    assert.equal(await chip.textContent(), 'Ada Lovelace');
    assert.equal(await chip.getAttribute('title'), ada.id);
    assert.doesNotMatch(await row.textContent(), new RegExp(ada.id));
    assert.deepEqual(await row.locator('td.cell-select .chip').allTextContents(), ['news', 'tech']);
    // Editor HTML as plain text, and nothing in it ran.
    assert.equal(await row.locator('td.cell-editor').textContent(), 'Hello world');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    // A date in local time with the stored value as the tooltip (the browser runs in UTC here).
    const when = row.locator('td.cell-date time');
    assert.equal(await when.getAttribute('dateTime'), '2025-01-31T12:00:00.000Z');
    assert.equal(await when.getAttribute('title'), '2025-01-31 12:00:00.000Z (UTC)');
    assert.match(await when.textContent(), /^2025-01-3[01] \d\d:00:00$/);
    // JSON: a one-line preview that opens into a tree.
    const json = row.locator('td.cell-json details');
    assert.match(await json.locator('summary').first().textContent(), /^\{"lang":"en"/);
    await json.locator('summary').first().click();
    await json.getByText('"en"', { exact: true }).waitFor();
    await json.getByText('[3 items]').waitFor();
    const found = (await seriousViolations(page)).map((v) => `records: ${v}`);
    await b.shot('records-as-data');

    // Column picker (a menu of checkbox items): hiding "meta" survives a reload.
    await page.getByRole('button', { name: /^Columns \(/ }).click();
    await page.getByRole('menuitemcheckbox', { name: 'meta', exact: true }).uncheck();
    await waitFor(async () => (await page.getByRole('button', { name: 'Sort by meta' }).count()) === 0, 'the meta column to go');
    await page.reload();
    await page.getByRole('button', { name: 'Sort by title' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sort by meta' }).count(), 0, 'the choice is kept');
    // From the keyboard this time: Enter opens the menu on its first item, Space ticks it, Escape closes it.
    const columns = page.getByRole('button', { name: /^Columns \(/ });
    await columns.focus();
    await page.keyboard.press('Enter');
    const meta = page.getByRole('menuitemcheckbox', { name: 'meta', exact: true });
    await page.getByRole('menu', { name: /^Columns \(/ }).waitFor();
    await meta.focus();
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Sort by meta' }).waitFor();
    assert.equal(await meta.getAttribute('aria-checked'), 'true');
    found.push(...(await seriousViolations(page)).map((v) => `columns menu: ${v}`));
    await b.shot('columns-menu');
    await page.keyboard.press('Escape');
    await waitFor(async () => (await page.getByRole('menu').count()) === 0, 'the menu to close');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), await columns.textContent(), 'focus back on the trigger');

    // Page size and jump to page, in the URL.
    await page.getByText('Page 1 of 2 · 25 records').waitFor();
    await page.getByLabel('Per page').selectOption('50');
    await page.getByText('Page 1 of 1 · 25 records').waitFor();
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('perPage'), '50');
    await page.getByLabel('Per page').selectOption('20');
    await page.getByText('Page 1 of 2 · 25 records').waitFor();
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('perPage'), null, 'the default is left out of the URL');

    // The sidebar: search, then switch collection.
    const side = page.getByRole('navigation', { name: 'Collections' });
    await side.getByRole('searchbox', { name: 'Search collections' }).fill('auth');
    await waitFor(async () => (await side.getByRole('link', { name: 'posts' }).count()) === 0, 'posts filtered out');
    await side.getByRole('link', { name: 'authors' }).click();
    await page.getByRole('heading', { name: 'authors', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    assert.deepEqual(found, [], found.join('\n'));
    assert.ok(first.id);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('record side panel: copy id, created/updated, its JSON, the relation picker searches; jump to page; axe-clean; phone', async () => {
  const server = await startServer();
  const b = await openBrowser('records-panel');
  const { admin, first } = await seed(server.url);
  for (let i = 0; i < 30; i++) await admin.collection('authors').create({ name: `Author ${i}` });
  const grace = await admin.collection('authors').create({ name: 'Grace Hopper', country: 'US' });
  await b.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/posts?sort=title`);
    await page.getByRole('button', { name: 'Sort by title' }).waitFor();
    await page.getByLabel('Go to page').fill('2');
    await page.getByLabel('Go to page').press('Enter');
    await page.getByText('Page 2 of 2 · 25 records').waitFor();
    await page.getByRole('cell', { name: 'post 24' }).waitFor();
    await page.goto(`${server.url}/_/#/records/posts?sort=created&record=${first.id}`);
    const panel = page.getByRole('dialog', { name: 'Edit posts record' });
    await panel.waitFor();
    assert.equal(await panel.getByTestId('record-id').textContent(), first.id);
    await panel.getByRole('button', { name: `Copy id ${first.id}` }).click();
    await panel.getByRole('status').filter({ hasText: 'Id copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first.id);
    await panel.locator('time').first().waitFor();
    assert.deepEqual(await panel.locator('.record-info .row .muted').allTextContents().then((t) => t.filter((x) => x === 'created' || x === 'updated')), ['created', 'updated']);
    await panel.getByText('JSON', { exact: true }).click();
    await panel.getByText('"Engines"').waitFor();
    // The panel sits at the right edge, full height.
    const box = await panel.boundingBox();
    assert.ok(box.x + box.width >= 1279 && box.height >= 790, `side panel: ${JSON.stringify(box)}`);
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
    await b.shot('record-panel');

    // The relation picker: the chosen author as a chip; a search on the server finds one among 32 authors.
    const picker = panel.getByRole('group', { name: /^author/ });
    await picker.getByRole('button', { name: 'Remove Ada Lovelace from author' }).click();
    await picker.getByText('None chosen.').waitFor();
    await picker.getByRole('searchbox', { name: 'Search authors' }).fill('grace');
    await picker.getByRole('button', { name: `Choose Grace Hopper (${grace.id})` }).waitFor();
    await waitFor(async () => (await picker.getByRole('list', { name: 'authors found' }).getByRole('button').count()) === 1, 'one author found');
    await picker.getByRole('button', { name: `Choose Grace Hopper (${grace.id})` }).click();
    await picker.getByRole('listitem').filter({ hasText: 'Grace Hopper' }).first().waitFor();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.waitFor({ state: 'detached' });
    assert.equal((await admin.collection('posts').getOne(first.id)).author, grace.id);
    await page.getByRole('row').filter({ hasText: 'Engines' }).locator('td.cell-relation .chip', { hasText: 'Grace Hopper' }).waitFor();

    await page.setViewportSize(PHONE);
    await page.getByRole('searchbox', { name: 'Search collections' }).waitFor();
    await b.shot('records-phone');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
