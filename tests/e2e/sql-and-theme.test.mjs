// The SQL console (POST /api/sql) with its results as a table, and dark mode (system preference and the switch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('SQL console: a query as a table, a write with its row count, a bad query with the server message', async () => {
  const server = await startServer();
  const b = await openBrowser('sql', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' }] });
  await admin.collection('posts').create({ title: 'first', views: 1 });
  await admin.collection('posts').create({ title: 'second', views: 2 });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'SQL' }).click();
    await page.getByRole('heading', { name: 'SQL' }).waitFor();
    const query = page.getByRole('textbox', { name: 'Query' });
    await query.fill('SELECT title, views, NULL AS empty FROM posts ORDER BY views');
    await page.getByRole('button', { name: 'Run' }).click();
    const table = page.getByRole('table', { name: 'Query result' });
    await table.waitFor();
    assert.deepEqual(await table.locator('th').allTextContents(), ['title', 'views', 'empty']);
    assert.deepEqual(await table.locator('tbody tr').first().locator('td').allTextContents(), ['first', '1', 'NULL']);
    await page.getByRole('status').filter({ hasText: '2 rows' }).waitFor();
    await b.shot('sql-select');

    // A write (Ctrl+Enter runs it): the affected row count; the data changed.
    await query.fill("UPDATE posts SET views = views + 10 WHERE title = 'first'");
    await query.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: '1 row affected' }).waitFor();
    assert.equal((await admin.collection('posts').getFirstListItem("title = 'first'")).views, 11);

    // A query the database refuses: the server's message, tied to the query box; no stale table.
    await query.fill('SELECT nosuchcolumn FROM posts');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('alert').filter({ hasText: 'nosuchcolumn' }).waitFor();
    assert.equal(await table.count(), 0);
    assert.equal(await query.getAttribute('aria-invalid'), 'true');
    assert.equal(await query.evaluate((el) => el === document.activeElement), true, 'focus on the query after the error');

    // A query longer than the editor is wide wraps and leaves nothing axe calls unreachable by keyboard.
    await query.fill(`SELECT title, views FROM posts WHERE ${Array.from({ length: 30 }, (_, i) => `views <> ${i}`).join(' AND ')}`);
    assert.deepEqual(await seriousViolations(page), []);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('dark mode: follows the system, the switch overrides it and is kept; no serious axe violations in dark', async () => {
  const server = await startServer();
  const b = await openBrowser('theme');
  try {
    const { page } = b;
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const dark = (rgb) => { const [r, g, bl] = rgb.match(/\d+/g).map(Number); return (r + g + bl) / 3 < 80; };
    await page.emulateMedia({ colorScheme: 'dark' });
    await signIn(page, server.url, EMAIL, PASSWORD);
    assert.ok(dark(await bg()), `dark with the system preference: ${await bg()}`);
    await b.shot('dark-system');
    const found = [];
    for (const [route, heading] of [['collections', 'Collections'], ['collections/users', 'Collection users'], ['settings', 'Settings'], ['sql', 'SQL']]) {
      await page.goto(`${server.url}/_/#/${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      for (const v of await seriousViolations(page)) found.push(`${route} (dark): ${v}`);
    }
    assert.deepEqual(found, [], found.join('\n'));

    await page.getByLabel('Theme').selectOption('light');
    assert.ok(!dark(await bg()), 'the switch overrides the system preference');
    await page.reload();
    await page.getByRole('heading', { name: 'SQL' }).waitFor();
    assert.ok(!dark(await bg()), 'the choice is kept after a reload');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Theme').selectOption('dark');
    assert.ok(dark(await bg()), 'dark by the switch on a light system');
    await b.shot('dark-switch');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
