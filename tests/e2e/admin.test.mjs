// Users of an auth collection (verify, password reset mail, impersonate), settings and projects through the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';

test('users: verify, send a password reset, impersonate; settings; projects (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('admin');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const user = await admin.collection('users').create({ email: 'ann@papergao.test', password: 'Ann-password-123', passwordConfirm: 'Ann-password-123', name: 'Ann' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'users', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'ann@papergao.test' });
    await row.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('status').filter({ hasText: 'is verified' }).waitFor();
    assert.equal((await admin.collection('users').getOne(user.id)).verified, true);
    await row.getByRole('button', { name: 'Reset password' }).click();
    // Mail is off on a new server: the dashboard says nothing was sent (the server answers 204 either way).
    await page.getByRole('alert').filter({ hasText: 'No mail was sent to ann@papergao.test' }).waitFor();
    await row.getByRole('button', { name: 'Impersonate' }).click();
    const token = await page.getByLabel('Impersonation token').inputValue();
    const me = await fetch(`${server.url}/api/collections/users/records/${user.id}`, { headers: { Authorization: token } });
    assert.equal(me.status, 200, 'the impersonation token reads the user\'s own record');
    await b.shot('impersonate');
    await page.keyboard.press('Escape');

    // Settings: the application section and the batch API.
    await page.getByRole('link', { name: 'Settings' }).click();
    const appForm = page.getByRole('form', { name: 'Application' });
    await appForm.getByLabel('App name').fill('Acme Admin');
    await appForm.getByRole('button', { name: 'Save application' }).click();
    await appForm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const batchForm = page.getByRole('form', { name: 'Batch API' });
    await batchForm.getByLabel('Enabled').check();
    await batchForm.getByRole('button', { name: 'Save batch api' }).click();
    await batchForm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const settings = await admin.settings.getAll();
    assert.equal(settings.meta.appName, 'Acme Admin');
    assert.equal(settings.batch.enabled, true);
    await b.shot('settings');
    // OAuth2 providers of the users collection: add one (the client secret is write-only).
    const oauth = page.getByRole('region', { name: 'OAuth2 providers' });
    await oauth.getByLabel('OAuth2 sign-in enabled').check();
    await oauth.getByRole('button', { name: 'Add provider' }).click();
    await oauth.getByLabel('Provider').selectOption('google');
    await oauth.getByLabel('Client id').fill('client-123');
    await oauth.getByLabel(/Client secret/).fill('secret-456');
    await oauth.getByRole('button', { name: 'Save OAuth2' }).click();
    await oauth.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const oauth2 = (await admin.collections.getOne('users')).oauth2;
    assert.equal(oauth2.enabled, true);
    assert.deepEqual(oauth2.providers.map((p) => [p.name, p.clientId]), [['google', 'client-123']]);

    // Projects: create one, see it listed, delete it.
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByLabel(/New project name/).fill('shop');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: '/p/shop/api' }).waitFor();
    assert.equal((await fetch(`${server.url}/p/shop/api/health`)).status, 200);
    // Each row shows the bytes its project uses (a new project already has a database and no files).
    await page.getByRole('row').filter({ hasText: '/p/shop/api' }).getByText(/database \d+(\.\d)? [KM]?B · files 0 B/).waitFor();
    await b.shot('projects');
    await page.getByRole('row').filter({ hasText: '/p/shop/api' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete project?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('cell', { name: '/p/shop/api' }).waitFor({ state: 'detached', timeout: 60_000 });
    await waitFor(async () => (await fetch(`${server.url}/p/shop/api/health`)).status === 404, 'the project to be deleted', 30_000);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
