// The settings that had no screen (issue 19, "every setting reachable"): log level and auth ids, the trusted proxy
// headers, GraphQL introspection. Saved through the API's settings; a bad header name refused with the server's
// message under its input; axe-clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('settings: logs level/auth id, trusted proxy, GraphQL introspection saved; a bad header refused', async () => {
  const server = await startServer();
  const b = await openBrowser('settings-more', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/settings`);
    const logs = page.getByRole('form', { name: 'Logs' });
    await logs.getByLabel(/^Minimum level/).fill('4');
    await logs.getByLabel('Log the caller\'s auth id').check();
    await logs.getByRole('button', { name: 'Save logs' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).first().waitFor();
    await waitFor(async () => (await admin.settings.getAll()).logs.minLevel === 4, 'logs.minLevel saved');
    assert.equal((await admin.settings.getAll()).logs.logAuthId, true);

    const proxy = page.getByRole('form', { name: 'Trusted proxy' });
    await proxy.getByLabel(/^Client IP headers/).fill('bad header!');
    await proxy.getByRole('button', { name: 'Save trusted proxy' }).click();
    await waitFor(async () => (await proxy.getByLabel(/^Client IP headers/).getAttribute('aria-invalid')) === 'true', 'the server error under the headers');
    assert.deepEqual((await admin.settings.getAll()).trustedProxy.headers, []);
    await proxy.getByLabel(/^Client IP headers/).fill('X-Forwarded-For');
    await proxy.getByLabel('Use the leftmost IP of the header').check();
    await proxy.getByRole('button', { name: 'Save trusted proxy' }).click();
    await waitFor(async () => (await admin.settings.getAll()).trustedProxy.headers[0] === 'X-Forwarded-For', 'trusted proxy saved');
    assert.equal((await admin.settings.getAll()).trustedProxy.useLeftmostIP, true);

    const gql = page.getByRole('form', { name: 'GraphQL' });
    await gql.getByLabel('Schema introspection').selectOption('none');
    await gql.getByRole('button', { name: 'Save graphql' }).click();
    await waitFor(async () => (await admin.settings.getAll()).graphql.introspection === 'none', 'introspection saved');
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
    await b.shot('settings-more');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
