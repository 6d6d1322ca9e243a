// The Functions screen: save = deploy, a load error marked at its line, the open file's logs by invocation,
// versions with rollback, the project's limits and write-only secrets; no console errors and no serious axe violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

const code = (word) => `routerAdd("GET", "/api/e2e", (e) => {\n  console.log("${word} from e2e")\n  return e.json(200, { word: "${word}" })\n})\n`;

test('Functions: deploy from the editor, a load error at its line, logs by invocation, rollback', async () => {
  const server = await startServer();
  const b = await openBrowser('functions', { allowStatuses: [400] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Functions' }).click();
    await page.getByRole('heading', { name: 'Functions', exact: true }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Code of main.pb.js' });
    await editor.waitFor();

    // Code that does not load: the server's file:line:column, the editor marked invalid; nothing deployed.
    await editor.fill('routerAdd("GET", "/api/e2e", (e) => {\n  let x = ;\n})\n');
    await page.getByRole('button', { name: 'Save and deploy' }).click();
    await page.getByRole('alert').filter({ hasText: 'main.pb.js:2' }).waitFor();
    await waitFor(async () => (await editor.getAttribute('aria-invalid')) === 'true', 'the editor marked invalid');
    await page.getByText(/Load error in main\.pb\.js:2:/).waitFor();
    assert.equal((await fetch(`${server.url}/api/e2e`)).status, 404);
    await b.shot('functions-error');

    // Valid code, saved with Ctrl+Enter: version 1 runs.
    await editor.fill(code('hello'));
    await editor.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Deployed version 1.' }).waitFor();
    assert.equal((await (await fetch(`${server.url}/api/e2e`)).json()).word, 'hello');
    await fetch(`${server.url}/api/e2e`);

    // The file's log lines, one group per invocation (the log writer is asynchronous: refresh until they are there).
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh logs' }).click();
      return (await page.locator('details.invocation').count()) >= 2;
    }, 'two invocations in the logs');
    const group = page.locator('details.invocation').first();
    assert.match(await group.locator('summary').textContent(), /GET \/api\/e2e .* 1 line \([a-z0-9]{12}\)/);
    assert.match(await group.locator('li').first().textContent(), /hello from e2e/);

    // Version 2, then roll back to version 1 (a new version 3 with version 1's files).
    await editor.fill(code('bye'));
    await page.getByRole('button', { name: 'Save and deploy' }).click();
    await page.getByRole('status').filter({ hasText: 'Deployed version 2.' }).waitFor();
    assert.equal((await (await fetch(`${server.url}/api/e2e`)).json()).word, 'bye');
    const versions = page.getByRole('table', { name: 'Deployed versions' });
    await versions.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('status').filter({ hasText: "version 3 runs version 1's files" }).waitFor();
    assert.equal((await (await fetch(`${server.url}/api/e2e`)).json()).word, 'hello');
    await versions.getByText('v3').waitFor();
    assert.match(await editor.textContent(), /hello from e2e/);
    await b.shot('functions');

    await page.waitForLoadState('networkidle');
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('Functions: the project limits (server values are ceilings) and write-only secrets', async () => {
  const server = await startServer();
  const b = await openBrowser('functions-settings', { allowStatuses: [400] });
  try {
    const admin = new PocketBase(server.url);
    await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
    await admin.send('/api/functions', { method: 'PUT', body: { files: { 'main.pb.js': 'routerAdd("GET", "/api/e2e-secret", (e) => e.json(200, { value: $os.getenv("E2E_KEY") }))\n' } } });
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Functions' }).click();
    const limits = page.getByRole('form', { name: 'Limits' });
    const timeout = limits.getByRole('spinbutton', { name: 'Request call time (seconds)' });
    await timeout.waitFor();

    // Above the server's value (5 s): the server's field error under the input, the input marked and focused.
    await timeout.fill('10');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByRole('alert').waitFor();
    await waitFor(async () => (await timeout.getAttribute('aria-invalid')) === 'true', 'the limit marked invalid');
    const described = (await timeout.getAttribute('aria-describedby')).split(' ');
    const message = await page.locator(`[id="${described[0]}"]`).textContent();
    assert.match(message, /from 0\.1 to 5 \(the server's limit\)/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid')), 'true');
    assert.equal((await admin.send('/api/functions/settings', {})).limits.timeoutSeconds, undefined);
    await b.shot('functions-limits-error');

    // Lower is allowed: saved, shown in force, and the error is gone.
    await timeout.fill('2');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Limits saved.' }).waitFor();
    assert.equal(await timeout.getAttribute('aria-invalid'), null);
    await limits.getByText('In force: 2 · server: 5').waitFor();
    assert.equal((await admin.send('/api/functions/settings', {})).effectiveLimits.timeoutSeconds, 2);

    // A secret: saved, listed by name only, the value never shown again; functions read it.
    const secrets = page.getByRole('region', { name: 'Secrets' });
    const name = secrets.getByRole('textbox', { name: 'Name' });
    const value = secrets.getByLabel('Value (write-only)');
    await name.fill('bad-name');
    await value.fill('x');
    await secrets.getByRole('button', { name: 'Save secret' }).click();
    await waitFor(async () => (await name.getAttribute('aria-invalid')) === 'true', 'the secret name marked invalid');
    assert.match(await page.locator(`[id="${await name.getAttribute('aria-describedby')}"]`).textContent(), /Invalid secret name "bad-name"/);
    await name.fill('E2E_KEY');
    await value.fill('s3cret-value-e2e');
    await secrets.getByRole('button', { name: 'Save secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Secret E2E_KEY saved.' }).waitFor();
    await secrets.getByRole('list', { name: 'Secret names' }).getByText('E2E_KEY').waitFor();
    assert.equal(await value.inputValue(), '');
    assert.equal(await name.getAttribute('aria-invalid'), null);
    assert.ok(!(await page.content()).includes('s3cret-value-e2e'), 'the secret value is not in the page');
    assert.equal((await (await fetch(`${server.url}/api/e2e-secret`)).json()).value, 's3cret-value-e2e');
    await page.reload();
    await page.getByRole('region', { name: 'Secrets' }).getByText('E2E_KEY').waitFor();
    assert.ok(!(await page.content()).includes('s3cret-value-e2e'), 'the secret value is not shown after a reload');
    await b.shot('functions-settings');

    await page.waitForLoadState('networkidle');
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));

    // Removed after a confirmation: functions read "" from then on.
    await page.getByRole('button', { name: 'Remove secret E2E_KEY' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: 'Secret E2E_KEY removed.' }).waitFor();
    await page.getByRole('region', { name: 'Secrets' }).getByText('No secrets.').waitFor();
    await waitFor(async () => (await (await fetch(`${server.url}/api/e2e-secret`)).json()).value === '', 'the removed secret to read as ""');
  } finally {
    await b.close().finally(() => server.stop());
  }
});
