// Accessibility: an axe-core check of every screen (no serious or critical violations), and the keyboard/focus
// behaviour a screen-reader or keyboard user depends on: focus trapped in dialogs, moved to the first error after a
// failed submit and to the content after sign-in, errors tied to their inputs, required fields marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';
import { SCREENS, seedScreens as seedData } from './lib/screens.mjs';

test('axe-core: no serious or critical violations on any screen (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('a11y');
  await seedData(server);
  const found = [];
  try {
    const { page } = b;
    await page.goto(`${server.url}/_/`);
    await page.getByRole('heading', { name: 'PaperGao' }).waitFor();
    for (const v of await seriousViolations(page)) found.push(`sign-in: ${v}`);
    await signIn(page, server.url, EMAIL, PASSWORD);
    for (const [route, heading] of SCREENS) {
      await page.goto(`${server.url}/_/#/${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      for (const v of await seriousViolations(page)) found.push(`${route}: ${v}`);
    }
    // Dialogs: a record form, a confirmation.
    await page.goto(`${server.url}/_/#/records/posts`);
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByRole('dialog').waitFor();
    for (const v of await seriousViolations(page)) found.push(`record form: ${v}`);
    await page.keyboard.press('Escape');
    await page.getByLabel('Select all').check();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByRole('dialog', { name: 'Delete records?' }).waitFor();
    for (const v of await seriousViolations(page)) found.push(`confirm dialog: ${v}`);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    // The public page an auth email links to.
    await page.goto(`${server.url}/_/#/auth/confirm-password-reset/not-a-real-token`);
    await page.getByRole('heading').first().waitFor();
    for (const v of await seriousViolations(page)) found.push(`auth link page: ${v}`);
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('keyboard and focus: sign-in errors and success, dialogs keep focus, a failed save focuses the field', async () => {
  const server = await startServer();
  const b = await openBrowser('a11y-focus', { allowStatuses: [400] });
  await seedData(server);
  const active = () => b.page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), id: el?.id, label: el?.getAttribute('aria-label') ?? '', inDialog: !!el?.closest('[role=dialog]'), text: el?.textContent?.slice(0, 80) };
  });
  try {
    const { page } = b;
    await page.goto(`${server.url}/_/`);
    // A wrong password: focus moves to the error, which says why.
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').waitFor();
    const afterFail = await active();
    assert.match(afterFail.text ?? '', /authenticate|invalid|failed/i, `focus on the error: ${JSON.stringify(afterFail)}`);
    // Signing in moves focus to the page's content (not left on a removed form, i.e. <body>).
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    assert.equal((await active()).id, 'main', 'focus is on the main content after sign-in');

    // A dialog keeps Tab and Shift+Tab inside.
    await page.goto(`${server.url}/_/#/records/posts`);
    await page.getByRole('button', { name: 'New record' }).click();
    const dialog = page.getByRole('dialog', { name: 'New posts record' });
    await dialog.waitFor();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      assert.ok((await active()).inDialog, `Tab ${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok((await active()).inDialog, `Shift+Tab ${i + 1} stays in the dialog`);
    }
    // Required fields say so; a refused save focuses the field and ties the message to it.
    const title = dialog.getByLabel(/^title/);
    assert.equal(await title.getAttribute('required'), '');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    const described = await title.getAttribute('aria-describedby');
    assert.match(await page.locator(`[id="${described}"]`).textContent(), /blank|required/i);
    assert.equal(await title.evaluate((el) => el === document.activeElement), true, 'focus moved to the invalid field');
    await b.shot('record-error-focus');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The collection editor: a failed save focuses the first invalid input.
    await page.goto(`${server.url}/_/#/collections/new`);
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Name', { exact: true }).fill('bad name!');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').first().waitFor();
    const name = page.getByLabel('Name', { exact: true });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'focus on the collection name');
    assert.ok(await name.getAttribute('aria-describedby'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
