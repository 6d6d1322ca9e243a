// The project switcher in the menu (issue 19): it lists the server's projects (GET /api/platform/projects, for a
// superuser of main) and the projects this browser holds a session for; switching shows that project's sign-in and
// keeps each project's session. Keyboard shortcuts: "/" focuses the page's search/filter, "n" opens a new record or
// collection, "g c" goes to Collections, "?" lists them; none fire while typing in a field. axe-clean; phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import PocketBase from 'pocketbase';
import { startServer, dll, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

const run = promisify(execFile);
const hash = (page) => new URL(page.url()).hash;

test('project switcher: lists the server projects, switches with a sign-in per project, keeps each session', async () => {
  const server = await startServer();
  const b = await openBrowser('project-switcher');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  for (const name of ['shop', 'blog']) await admin.send('/api/platform/projects', { method: 'POST', body: { name } });
  await run('dotnet', [dll, 'superuser', 'upsert', 'admin@shop.test', PASSWORD, '--project', 'shop', '--dir', server.data], { timeout: 60_000 });
  const shop = new PocketBase(`${server.url}/p/shop`);
  await shop.collection('_superusers').authWithPassword('admin@shop.test', PASSWORD);
  await shop.collections.create({ name: 'products', type: 'base', fields: [{ name: 'name', type: 'text' }] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const switcher = nav.getByLabel('Project');
    assert.equal(await switcher.inputValue(), 'main');
    await page.waitForFunction(() => document.querySelectorAll('nav[aria-label=Main] .project-switch option').length === 3);
    assert.deepEqual(await switcher.locator('option').allTextContents(), ['main', 'blog', 'shop']);
    const found = (await seriousViolations(page)).map((v) => `nav: ${v}`);

    // Switch to shop: its own sign-in, then its collections; the switcher says shop.
    await switcher.selectOption('shop');
    await page.getByText('Sign in as a superuser of project shop.').waitFor();
    await page.getByLabel('Email').fill('admin@shop.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    await page.getByRole('link', { name: 'products' }).waitFor();
    assert.equal(await switcher.inputValue(), 'shop');
    // Signed in to shop, main's stored session still lists every project.
    await page.waitForFunction(() => document.querySelectorAll('nav[aria-label=Main] .project-switch option').length === 3);

    // Back to main without a new sign-in (its session was kept), and to shop again the same way.
    await switcher.selectOption('main');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'products' }).count(), 0, 'main has no products');
    assert.equal(await switcher.inputValue(), 'main');
    await switcher.selectOption('shop');
    await page.getByRole('link', { name: 'products' }).waitFor();

    // A project created on the Projects page shows in the switcher at once.
    await switcher.selectOption('main');
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByLabel(/New project name/).fill('docs');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('nav[aria-label=Main] .project-switch option')].some((o) => o.textContent === 'docs'));

    await page.setViewportSize(PHONE);
    await switcher.waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `wider than the phone by ${overflow}px`);
    await b.shot('switcher-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('keyboard shortcuts: / focuses the filter, n opens a new record or collection, g c, ? lists them; never while typing', async () => {
  const server = await startServer();
  const b = await openBrowser('shortcuts');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'notes', type: 'base', fields: [{ name: 'title', type: 'text' }] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    // "?" opens the list (a dialog, axe-clean), Escape closes it.
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByRole('cell', { name: '/', exact: true }).waitFor();
    const found = (await seriousViolations(page)).map((v) => `help: ${v}`);
    await b.shot('shortcuts-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // "n" on the collections page: a new collection.
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'New collection' }).waitFor();
    // Typing "n" or "?" in a field types it, and nothing else happens.
    await page.getByLabel('Name', { exact: true }).pressSequentially('n?g');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'n?g');
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.equal(hash(page), '#/collections/new');
    await page.getByLabel('Name', { exact: true }).fill('');

    // "g c" goes to Collections.
    await page.locator('body').click({ position: { x: 600, y: 5 } });
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();

    // On the records page: "/" focuses the filter (the "/" is not typed), "n" opens the new-record panel.
    await page.goto(`${server.url}/_/#/records/notes`);
    const filter = page.getByLabel('Filter', { exact: true });
    await filter.waitFor();
    await page.locator('body').press('/');
    assert.equal(await filter.evaluate((el) => el === document.activeElement), true, '/ focuses the filter');
    // The filter is a code editor: its text without the placeholder shown while it is empty.
    assert.equal(await filter.evaluate((el) => el.querySelector('.cm-placeholder') ? '' : el.textContent), '');
    await page.keyboard.type('title != "n"');
    assert.equal(await filter.textContent(), 'title != "n"', 'keys typed in the filter stay there');
    assert.equal(await page.getByRole('dialog').count(), 0);
    await filter.evaluate((el) => el.blur());
    await page.keyboard.press('n');
    const panel = page.getByRole('dialog', { name: 'New notes record' });
    await panel.waitFor();
    // Inside an open dialog the keys are the dialog's: "?" does not open the list over it.
    await page.keyboard.press('?');
    assert.equal(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count(), 0);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    // With a modifier, nothing.
    await page.keyboard.press('Control+n').catch(() => {});
    assert.equal(await page.getByRole('dialog').count(), 0);
    // The menu's Shortcuts button opens the same list.
    await page.getByRole('button', { name: /^Shortcuts/ }).click();
    await help.waitFor();
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
