// Collections and records through the UI: create a collection with fields and rules, add/edit/delete records,
// sort, filter, bulk delete, lock a rule and see a guest denied, and the bad inputs (rule syntax, field rename).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';

test('collection with fields and rules, records CRUD, guest denied after a rule change (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('collections', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const guestList = () => fetch(`${server.url}/api/collections/posts/records`);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'New collection' }).click();
    await page.getByRole('heading', { name: 'New collection' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('posts');

    const addField = async (type, name) => {
      await page.getByLabel('New field type').selectOption(type);
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.locator('fieldset.field-card[data-field="field"]').getByLabel(/^Name of field/).fill(name);
      return page.locator(`fieldset.field-card[data-field="${name}"]`);
    };
    const title = await addField('text', 'title');
    await title.getByLabel('Required').check();
    await title.getByLabel('Max length').fill('200');
    const views = await addField('number', 'views');
    await views.getByLabel('Integers only').check();
    await addField('json', 'meta');
    await addField('bool', 'published');
    const tags = await addField('select', 'tags');
    await tags.getByLabel('Values (comma separated)').fill('news, tech, life');
    await tags.getByLabel('Max select').fill('2');

    // Bad input: a rule with a syntax error is flagged as you type, points at the position, and cannot be saved.
    const listRule = page.getByRole('group', { name: 'listRule rule' });
    await listRule.getByRole('checkbox').uncheck();
    await listRule.getByRole('textbox').fill('title = "x" && ');
    const err = listRule.getByTestId('rule-error');
    await err.waitFor();
    assert.match(await err.textContent(), /position 15/);
    // The editor marks the end of the text (its last character: the expression stops there).
    await listRule.locator('.cm-lintRange-error').waitFor();
    await b.shot('rule-syntax-error');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Fix the rule syntax errors' }).waitFor();
    assert.equal((await fetch(`${server.url}/api/collections/posts`, { headers: { Authorization: admin.authStore.token } })).status, 404);

    // Completion: typing the start of a field name offers it; Tab takes it.
    await listRule.getByRole('textbox').fill('');
    await listRule.getByRole('textbox').pressSequentially('vi');
    await listRule.getByRole('option', { name: 'views' }).waitFor();
    await listRule.getByRole('textbox').press('Tab');
    assert.equal(await listRule.getByRole('textbox').textContent(), 'views');
    await listRule.getByRole('textbox').fill('');
    await page.getByRole('group', { name: 'viewRule rule' }).getByRole('checkbox').uncheck();

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Collection posts' }).waitFor();
    await b.shot('collection-saved');
    const saved = await admin.collections.getOne('posts');
    assert.deepEqual(saved.fields.map((f) => f.name).filter((n) => n !== 'id'), ['title', 'views', 'meta', 'published', 'tags', 'created', 'updated']);
    assert.equal(saved.listRule, '');
    assert.equal(saved.createRule, null);
    assert.equal(saved.fields.find((f) => f.name === 'tags').maxSelect, 2);

    // Records: create (with a JSON check first), edit, sort, filter.
    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('button', { name: 'New record' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('title').fill('Hello');
    await form.getByLabel('views').fill('3');
    await form.getByLabel('meta').fill('{bad json');
    await form.getByLabel('published').check();
    await form.getByLabel('tags').selectOption(['news', 'tech']);
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByRole('alert').filter({ hasText: 'not valid JSON' }).waitFor();
    await form.getByLabel('meta').fill('{"lang": "en"}');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'Hello' }).waitFor();
    let rec = (await admin.collection('posts').getFullList())[0];
    assert.deepEqual([rec.title, rec.views, rec.meta, rec.published, rec.tags], ['Hello', 3, { lang: 'en' }, true, ['news', 'tech']]);

    await page.getByRole('link', { name: rec.id }).click();
    await form.getByLabel('title').fill('Hello again');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Hello again' }).waitFor();
    await b.shot('records');

    await admin.collection('posts').create({ title: 'Second', views: 10 });
    await admin.collection('posts').create({ title: 'Third', views: 5 });
    await page.reload();
    await page.getByRole('cell', { name: 'Third' }).waitFor();
    await page.getByRole('button', { name: 'Sort by views' }).click();
    await waitFor(async () => (await page.locator('tbody tr td:nth-child(3)').allTextContents()).join() === 'Hello again,Third,Second', 'ascending sort by title order');
    await page.getByRole('button', { name: 'Sort by views' }).click();
    await waitFor(async () => (await page.locator('tbody tr td:nth-child(3)').allTextContents()).join() === 'Second,Third,Hello again', 'descending sort');
    await page.getByLabel('Filter', { exact: true }).fill('views >= 5');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('2 records').waitFor();

    // A guest can list while the rule is empty; after locking it, the guest is denied.
    assert.equal((await guestList()).status, 200);
    await page.getByRole('link', { name: 'Schema & rules' }).click();
    // Bad input the server finds (an unknown field): its message shows under the rule and nothing is saved.
    const listGroup = page.getByRole('group', { name: 'listRule rule' });
    await listGroup.getByRole('textbox').fill('nosuchfield = 1');
    await page.getByRole('button', { name: 'Save' }).click();
    await listGroup.getByTestId('rule-error').filter({ hasText: 'nosuchfield' }).waitFor();
    assert.equal((await admin.collections.getOne('posts')).listRule, '');
    await b.shot('rule-server-error');
    await page.getByRole('group', { name: 'listRule rule' }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await guestList()).status, 403);

    // Bad input: renaming a field asks for confirmation; cancel keeps the old name, confirm renames (data kept).
    await page.locator('fieldset.field-card').filter({ has: page.locator('input[value="views"]') }).getByLabel(/^Name of field/).fill('score');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm schema change' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /views.*renamed to.*score/);
    await b.shot('rename-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.ok((await admin.collections.getOne('posts')).fields.some((f) => f.name === 'views'));
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    rec = await admin.collection('posts').getOne(rec.id);
    assert.equal(rec.score, 3);

    // Delete one record from its form, then the rest with the bulk delete.
    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('link', { name: rec.id }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete record' }).click();
    await page.getByRole('dialog', { name: 'Delete record?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('2 records').waitFor();
    await page.getByLabel('Select all').check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByRole('dialog', { name: 'Delete records?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('0 records').waitFor();
    assert.equal((await admin.collection('posts').getList(1, 1)).totalItems, 0);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
