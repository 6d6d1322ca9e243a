// Editor fields get a rich-text editor (issue 19): Tiptap, loaded as its own chunk only when an editor field is
// shown, with the stored HTML sanitised by DOMPurify before the editor sees it (a stored <img onerror> or <script>
// never runs and never reaches the page) and the edited HTML sanitised again before it is saved. axe-clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('rich text: loaded on demand, stored HTML sanitised, formatting saved as HTML, empty saved as ""', async () => {
  const server = await startServer();
  const b = await openBrowser('rich-text');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }, { name: 'body', type: 'editor' }] });
  const rec = await admin.collection('posts').create({ title: 'First', body: '<p>Hello <b>world</b></p><img src="x" onerror="window.__pwned = 1"><script>window.__pwned = 2</script><p onclick="window.__pwned = 3">two</p>' });
  try {
    const { page } = b;
    const scripts = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/posts`);
    await page.getByRole('cell', { name: 'First' }).waitFor();
    const before = scripts.length;

    await page.getByRole('link', { name: rec.id }).click();
    const panel = page.getByRole('dialog', { name: 'Edit posts record' });
    const editor = panel.getByRole('textbox', { name: 'body (editor)' });
    await editor.waitFor();
    assert.ok(scripts.length > before, `the editor came as its own chunk: ${scripts.slice(before).join(', ')}`);
    // The stored HTML as formatted text; nothing of the img/script/handler is in the page or ran.
    assert.equal(await editor.locator('strong').textContent(), 'world');
    assert.match(await editor.textContent(), /^Hello world\s*two$/);
    assert.equal(await editor.locator('img, script, [onclick]').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const found = (await seriousViolations(page)).map((v) => `editor: ${v}`);
    await b.shot('rich-text');

    // Formatting from the toolbar is saved as HTML.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await panel.getByRole('button', { name: 'Bold', exact: true }).click();
    assert.equal(await panel.getByRole('button', { name: 'Bold', exact: true }).getAttribute('aria-pressed'), 'true');
    // The click leaves the caret in the text (a key typed at once is not lost to the button).
    assert.equal(await editor.evaluate((el) => el.contains(document.activeElement)), true);
    await page.keyboard.type('bold line');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.waitFor({ state: 'detached' });
    const body = (await admin.collection('posts').getOne(rec.id)).body;
    assert.match(body, /<p>Hello <strong>world<\/strong><\/p>/);
    assert.match(body, /<p><strong>bold line<\/strong><\/p>/);
    assert.doesNotMatch(body, /img|script|onerror|onclick/i);

    // A new record with the editor left empty stores "", not "<p></p>".
    await page.getByRole('button', { name: 'New record' }).click();
    const create = page.getByRole('dialog', { name: 'New posts record' });
    await create.getByLabel(/^title/).fill('Second');
    const empty = create.getByRole('textbox', { name: 'body (editor)' });
    await empty.click();
    await page.keyboard.type('x');
    await page.keyboard.press('Backspace');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });
    await waitFor(async () => (await admin.collection('posts').getFullList({ filter: 'title = "Second"' })).length === 1, 'the new record');
    assert.equal((await admin.collection('posts').getFirstListItem('title = "Second"')).body, '');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
