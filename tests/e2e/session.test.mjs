// An expired session sends the user to sign-in without losing the form being edited; the phone layout works with
// the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';

test('expired session: sign in again over the open form, then save it (1280x800)', async () => {
  const server = await startServer();
  // The save with the dropped session answers 401/403 (the app then confirms the session is gone).
  const b = await openBrowser('session', { allowStatuses: [401, 403] });
  const admin = new PocketBase(server.url);
  const auth = await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'drafts', type: 'base', fields: [{ name: 'title', type: 'text', required: true }, { name: 'body', type: 'editor' }] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/drafts`);
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByRole('dialog').getByLabel('title').fill('Draft kept');
    await page.getByRole('dialog').getByRole('textbox', { name: 'body (editor)' }).fill('Typed before the session ended');

    // The server drops every session of this superuser (a password change renews its token key).
    const newPassword = 'Changed-password-456';
    await admin.collection('_superusers').update(auth.record.id, { password: newPassword, passwordConfirm: newPassword });

    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    const again = page.getByRole('form', { name: 'Sign in' });
    await again.waitFor();
    assert.match(await again.textContent(), /session expired/i);
    await b.shot('session-expired');
    await again.getByLabel('Email').fill(EMAIL);
    await again.getByLabel('Password').fill(newPassword);
    await again.getByLabel('Password').press('Enter');
    await again.waitFor({ state: 'detached' });

    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel('title').inputValue(), 'Draft kept');
    assert.equal(await dialog.getByRole('textbox', { name: 'body (editor)' }).textContent(), 'Typed before the session ended');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'Draft kept' }).waitFor();
    await b.shot('saved-after-sign-in');
    const fresh = new PocketBase(server.url);
    await fresh.collection('_superusers').authWithPassword(EMAIL, newPassword);
    assert.equal((await fresh.collection('drafts').getFullList())[0].title, 'Draft kept');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('phone layout (390x844), keyboard only: sign in, open a collection, add a record', async () => {
  const server = await startServer();
  const b = await openBrowser('phone', { viewport: PHONE });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'tasks', type: 'base', fields: [{ name: 'label', type: 'text' }, { name: 'done', type: 'bool' }, { name: 'due', type: 'date' }, { name: 'notes', type: 'editor' }] });
  try {
    const { page } = b;
    await page.goto(`${server.url}/_/`);
    // The email input has the focus on load; Tab moves on, Enter submits.
    await page.waitForFunction(() => document.activeElement?.getAttribute('type') === 'email');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(await noSideScroll(), 'the collections page scrolls sideways at 390 px');
    await b.shot('collections');

    // Tab to the collection link and open it with Enter.
    await page.getByRole('link', { name: 'tasks', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'tasks' }).waitFor();
    await page.getByRole('button', { name: 'New record' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Focus moved into the dialog: type the label, Tab to the checkbox, Space ticks it.
    await dialog.getByLabel('label').focus();
    await page.keyboard.type('Buy milk');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    assert.ok(await dialog.getByLabel('done').isChecked());
    await b.shot('record-form');
    await dialog.getByLabel('label').press('Enter');
    await page.getByRole('cell', { name: 'Buy milk' }).waitFor();
    assert.ok(await noSideScroll(), 'the records page scrolls sideways at 390 px');
    await b.shot('records');
    const rec = (await admin.collection('tasks').getFullList())[0];
    assert.equal(rec.label, 'Buy milk');
    assert.equal(rec.done, true);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
