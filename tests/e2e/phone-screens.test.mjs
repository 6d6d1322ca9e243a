// Every main screen at 390x844 (a phone): a screenshot of each, saved under this test's own temp dir
// (tests/e2e/.tmp/phone-screens-*, kept; the path is printed), and no screen may be wider than the phone
// (document scrollWidth <= clientWidth: a table or a long line scrolls inside its own frame, never the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, e2eRoot, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';
import { SCREENS, seedScreens } from './lib/screens.mjs';

test('phone (390x844): a screenshot of every main screen, none wider than the phone', async () => {
  const server = await startServer();
  const b = await openBrowser('phone-screens', { viewport: PHONE });
  await seedScreens(server);
  const dir = await mkdtemp(join(e2eRoot, '.tmp', 'phone-screens-'));
  const wide = [];
  const shots = [];
  try {
    const { page } = b;
    const check = async (name) => {
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      if (scroll > client) wide.push(`${name}: ${scroll}px wide in ${client}px`);
      const file = join(dir, `${String(shots.length + 1).padStart(2, '0')}-${name.replaceAll('/', '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
    };
    await page.goto(`${server.url}/_/`);
    await page.getByRole('heading', { name: 'PaperGao' }).waitFor();
    await check('sign-in');
    await signIn(page, server.url, EMAIL, PASSWORD);
    for (const [route, heading] of SCREENS) {
      await page.goto(`${server.url}/_/#/${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await check(route);
    }
    // The record side panel and the shortcuts list, the two dialogs used most.
    await page.goto(`${server.url}/_/#/records/posts?record=new`);
    await page.getByRole('dialog', { name: 'New posts record' }).waitFor();
    await check('records_new-record');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Shortcuts/ }).click();
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await check('shortcuts');
    console.log(`phone screenshots (${shots.length}) in ${dir}`);
    assert.equal(shots.length, SCREENS.length + 3);
    assert.deepEqual(wide, [], `wider than the phone:\n${wide.join('\n')}`);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
