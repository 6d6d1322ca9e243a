// The traps a new user fell into (issue 19, "Bugs found"): each test here failed on the dashboard before its fix.
// Settings that broke the server were "Saved.", field errors landed on the wrong field, errors hid the server's
// message, a mail "sent" that was not, a refused filter that looked applied, state lost on reload, native confirm(),
// a banner that never left, Save out of reach, the users' actions off-screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, DESKTOP } from './lib/browser.mjs';

/** The input's error message, found through aria-describedby (so the error is tied to the input). */
async function describedError(input) {
  assert.equal(await input.getAttribute('aria-invalid'), 'true', 'the input is marked invalid');
  const id = await input.getAttribute('aria-describedby');
  assert.ok(id, 'the input names its error message (aria-describedby)');
  return (await input.page().locator(`[id="${id}"]`).textContent()).trim();
}

/** Records every native dialog (alert/confirm/prompt) the page opens: the app must use its own. */
function nativeDialogs(page) {
  const seen = [];
  page.on('dialog', (d) => seen.push(`${d.type()}: ${d.message()}`));
  return seen;
}

test('settings refuse and explain bad S3, SMTP, log retention and rate-limit input', async () => {
  const server = await startServer();
  const b = await openBrowser('traps-settings', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const patches = [];
  b.page.on('request', (r) => { if (r.method() === 'PATCH' && r.url().endsWith('/api/settings')) patches.push(r.postData()); });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();

    // S3 on with an empty bucket: refused in the form, nothing sent, the bucket input says why.
    const s3 = page.getByRole('form', { name: 'File storage (S3)' });
    await s3.getByLabel('Use S3').check();
    await s3.getByRole('button', { name: 'Save file storage (s3)' }).click();
    await s3.getByRole('alert').waitFor();
    assert.match(await describedError(s3.getByLabel(/^Bucket/)), /Required/);
    assert.equal(await s3.getByLabel(/^Bucket/).getAttribute('required'), '', 'the bucket is required while S3 is on');
    assert.equal(patches.length, 0, 'nothing was sent');
    await b.shot('s3-refused');

    // The server's own per-field errors land under their inputs (the secret is checked by the server only).
    await s3.getByLabel(/^Bucket/).fill('files');
    await s3.getByLabel(/^Region/).fill('us-east-1');
    await s3.getByLabel(/^Endpoint/).fill('http://127.0.0.1:9');
    await s3.getByLabel(/^Access key/).fill('key');
    await s3.getByRole('button', { name: 'Save file storage (s3)' }).click();
    await waitFor(async () => (await s3.getByLabel(/^Secret/).getAttribute('aria-invalid')) === 'true', 'the server\'s error under the secret');
    assert.match(await describedError(s3.getByLabel(/^Secret/)), /blank/i);
    assert.equal((await admin.settings.getAll()).s3.enabled, false);

    // SMTP on with an empty host and port 99999.
    const smtp = page.getByRole('form', { name: 'Mail (SMTP)' });
    await smtp.getByLabel('Send mail').check();
    await smtp.getByLabel(/^Host/).fill('');
    await smtp.getByLabel(/^Port/).fill('99999');
    await smtp.getByRole('button', { name: 'Save mail (smtp)' }).click();
    await smtp.getByRole('alert').waitFor();
    assert.match(await describedError(smtp.getByLabel(/^Host/)), /Required/);
    assert.match(await describedError(smtp.getByLabel(/^Port/)), /1 to 65535/);

    // Log retention -3.
    const logs = page.getByRole('form', { name: 'Logs' });
    await logs.getByLabel(/Keep request logs/).fill('-3');
    await logs.getByRole('button', { name: 'Save logs' }).click();
    await logs.getByRole('alert').waitFor();
    assert.match(await describedError(logs.getByLabel(/Keep request logs/)), /0/);
    assert.equal(patches.length, 1, 'only the S3 form with every field filled was sent');
    await b.shot('smtp-logs-refused');

    // A rate-limit rule the server refuses: its message, not just "An error occurred ...".
    const rl = page.getByRole('form', { name: 'Rate limits' });
    await rl.getByLabel('Rules (JSON)').fill('[{"label": "*:auth", "audience": "", "duration": 0, "maxRequests": 10}]');
    await rl.getByRole('button', { name: 'Save rate limits' }).click();
    await rl.getByRole('alert').filter({ hasText: 'Must be a whole number between 1 and 86400' }).waitFor();
    assert.match(await describedError(rl.getByLabel('Rules (JSON)')), /0\.duration: Must be a whole number between 1 and 86400/);
    const s = await admin.settings.getAll();
    assert.deepEqual([s.smtp.enabled, s.logs.maxDays >= 0, s.s3.enabled], [false, true, false]);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('collection editor: errors on the right field, created/updated added, unsaved edits kept, Save within reach', async () => {
  const server = await startServer();
  const b = await openBrowser('traps-collection', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'New collection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('notes');
    const card = (name) => page.locator('fieldset.field-card').filter({ has: page.locator(`input[value="${name}"]`) });
    const addField = async (type, name) => {
      await page.getByLabel('New field type').selectOption(type);
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.locator('fieldset.field-card[data-field="field"]').getByLabel(/^Name of field/).fill(name);
    };
    await addField('text', 'title');
    await addField('text', 'body');
    // A bad regex on the first field of the collection: the server's error shows under that field's pattern.
    await card('title').getByLabel('Pattern (regex)').fill('([');
    await page.getByRole('button', { name: 'Save' }).click();
    await waitFor(async () => (await card('title').getByLabel('Pattern (regex)').getAttribute('aria-invalid')) === 'true', 'the pattern error on the title field');
    assert.match(await describedError(card('title').getByLabel('Pattern (regex)')), /regular expression/i);
    assert.equal(await card('body').locator('.error').count(), 0, 'no error on the other field');
    await b.shot('error-on-right-field');

    // Two fields named "title": the second is marked.
    await card('title').getByLabel('Pattern (regex)').fill('');
    await card('body').getByLabel(/^Name of field/).fill('title');
    await page.getByRole('button', { name: 'Save' }).click();
    const second = page.locator('fieldset.field-card').filter({ has: page.locator('input[value="title"]') }).nth(1);
    assert.match(await describedError(second.getByLabel(/^Name of field/)), /Duplicated/);
    await second.getByLabel(/^Name of field/).fill('body');

    // Unsaved edits: leaving asks first; Cancel keeps them, and the page stays.
    await page.getByRole('link', { name: 'Logs' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    await b.shot('leave-prompt');
    await leave.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'notes');
    assert.match(page.url(), /#\/collections\/new$/);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Collection notes' }).waitFor();
    const saved = await admin.collections.getOne('notes');
    const auto = saved.fields.filter((f) => f.type === 'autodate').map((f) => [f.name, f.onCreate, f.onUpdate]);
    assert.deepEqual(auto, [['created', true, false], ['updated', true, true]], 'new collections get created/updated as in PocketBase');

    // A saved collection leaves without asking; an edited one asks, and "Leave without saving" goes.
    await card('body').getByLabel(/^Name of field/).fill('text');
    await page.getByRole('link', { name: 'Logs' }).click();
    await leave.getByRole('button', { name: 'Leave without saving' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    assert.ok((await admin.collections.getOne('notes')).fields.some((f) => f.name === 'body'));

    // A long schema: Save stays on screen at the bottom and at the top of the page.
    await admin.collections.update('notes', { fields: [...saved.fields, ...Array.from({ length: 24 }, (_, i) => ({ name: `extra${i}`, type: 'text' }))] });
    await page.goto(`${server.url}/_/#/collections/notes`);
    await page.getByLabel('Name of field 29').waitFor();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height > 2 * DESKTOP.height, `the page is long (${height}px)`);
    for (const y of [height, 0]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      const box = await page.getByRole('button', { name: 'Save' }).boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= DESKTOP.height, `Save is on screen at scroll ${y}: ${JSON.stringify(box)}`);
    }
    await b.shot('save-at-bottom');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('records: a refused filter clears the table, state in the URL, "1 record", own confirm dialog, toast goes away', async () => {
  const server = await startServer();
  const b = await openBrowser('traps-records', { allowStatuses: [400] });
  const native = nativeDialogs(b.page);
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'items', type: 'base', fields: [{ name: 'n', type: 'number' }, { name: 'label', type: 'text' },
    { name: 'created', type: 'autodate', onCreate: true }, { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true }] });
  const first = await admin.collection('items').create({ n: 0, label: 'only one' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/items`);
    await page.getByText('Page 1 of 1 · 1 record', { exact: true }).waitFor();

    // A filter the server refuses: the old rows go, the server's message shows (under the filter too).
    await page.getByLabel('Filter', { exact: true }).fill('nosuchfield = 1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'nosuchfield' }).waitFor();
    assert.equal(await page.getByRole('cell', { name: 'only one' }).count(), 0, 'the previous rows are gone');
    assert.equal(await page.getByText(/\d+ records?$/).count(), 0, 'no stale count');
    await page.getByTestId('rule-error').filter({ hasText: 'nosuchfield' }).waitFor();
    await b.shot('bad-filter');

    // Filter, sort, page and the open record are in the URL and survive a reload.
    for (let i = 1; i <= 30; i++) await admin.collection('items').create({ n: i, label: `item ${i}` });
    await page.getByLabel('Filter', { exact: true }).fill('n > 3');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Page 1 of 2 · 27 records').waitFor();
    await page.getByRole('button', { name: 'Sort by n' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 2 · 27 records').waitFor();
    const rec = (await admin.collection('items').getList(2, 20, { filter: 'n > 3', sort: 'n' })).items[0];
    assert.equal(rec.n, 24);
    await page.getByRole('link', { name: rec.id }).click();
    await page.getByRole('dialog').waitFor();
    const url = new URL(page.url());
    const q = new URLSearchParams(url.hash.split('?')[1]);
    assert.deepEqual([q.get('filter'), q.get('sort'), q.get('page'), q.get('record')], ['n > 3', 'n', '2', rec.id]);
    await page.reload();
    const form = page.getByRole('dialog', { name: 'Edit items record' });
    await form.waitFor();
    assert.equal(await form.getByLabel('label').inputValue(), 'item 24');
    assert.equal(await page.getByLabel('Filter', { exact: true }).textContent(), 'n > 3');
    await page.getByText('Page 2 of 2 · 27 records').waitFor();
    await b.shot('state-in-url');

    // Saving shows a toast that goes away by itself.
    await form.getByLabel('label').fill('item 24 edited');
    await form.getByRole('button', { name: 'Save' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Saved.' });
    await toast.waitFor();
    await toast.waitFor({ state: 'detached', timeout: 12_000 });

    // Deleting asks in the app's own dialog; Cancel keeps the record.
    await page.getByLabel('Select all').check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete records?' });
    await ask.waitFor();
    assert.match(await ask.textContent(), /7 records/);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await admin.collection('items').getList(1, 1)).totalItems, 31);
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Page 1 of 1 · 20 records').waitFor();
    assert.deepEqual(native, [], 'no native confirm()');
    assert.ok((await admin.collection('items').getOne(first.id)).id);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('users at 1280px: the actions are on screen; a password reset with mail off says nothing was sent', async () => {
  const server = await startServer();
  const b = await openBrowser('traps-users');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collection('users').create({ email: 'bea.longname.for.the.table@papergao.test', password: 'Bea-password-123', passwordConfirm: 'Bea-password-123', name: 'Beatrice with a rather long display name' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/users`);
    const row = page.getByRole('row').filter({ hasText: 'bea.longname' });
    const button = row.getByRole('button', { name: 'Impersonate' });
    await button.waitFor();
    const box = await button.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= DESKTOP.width, `Impersonate is on screen: ${JSON.stringify(box)}`);
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.textContent, [box.x + box.width / 2, box.y + box.height / 2]);
    assert.equal(hit, 'Impersonate', 'nothing covers it');
    await b.shot('users-actions');

    await row.getByRole('button', { name: 'Reset password' }).click();
    const said = page.getByRole('alert').filter({ hasText: 'No mail was sent' });
    await said.waitFor();
    assert.doesNotMatch(await page.locator('main').textContent(), /Password reset mail sent/);
    assert.match(await said.textContent(), /SMTP\) is off/);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
