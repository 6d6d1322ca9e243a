// The Functions screen: save = deploy, a load error marked at its line, the open file's logs by invocation,
// versions with rollback; no console errors and no serious axe violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
