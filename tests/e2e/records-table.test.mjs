// The records table at scale and its column widths (issue 19): a 1,000-record page renders only the rows in view
// (virtualised, in a scroll box with a sticky header) and stays usable: relation names, selection and bulk actions
// over all 1,000, the keyboard walking past the rendered rows, the last row reached by scrolling, a record opened
// from deep in the list, axe-clean. Columns resize with the mouse and the keyboard, the widths are kept per
// collection across a reload, and Reset widths forgets them. The widths are set through the CSSOM: the dashboard's
// CSP refuses style attributes, and any refusal is a console error that fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE, DESKTOP } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

const N = 1000;

async function seedThousand(url) {
  const admin = new PocketBase(url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const authors = await admin.collections.create({ name: 'authors', type: 'base', fields: [{ name: 'name', type: 'text', presentable: true }] });
  const ada = await admin.collection('authors').create({ name: 'Ada Lovelace' });
  await admin.collections.create({ name: 'items', type: 'base', fields: [
    { name: 'title', type: 'text' }, { name: 'views', type: 'number' },
    { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
    { name: 'meta', type: 'json' }, { name: 'created', type: 'autodate', onCreate: true },
  ] });
  await admin.settings.update({ batch: { enabled: true, maxRequests: N } });
  const batch = admin.createBatch();
  for (let i = 0; i < N; i++) {
    batch.collection('items').create({ title: `item ${String(i).padStart(4, '0')}`, views: i, status: i % 2 ? 'live' : 'draft', author: ada.id, meta: { i } });
  }
  await batch.send();
  return admin;
}

/** The rows the table has in the DOM (not the spacers), and the table's own count. */
const rendered = (page) => page.evaluate(() => ({
  rows: document.querySelectorAll('table.records-table tbody tr[aria-rowindex]').length,
  rowcount: document.querySelector('table.records-table')?.getAttribute('aria-rowcount'),
}));

/** At 390x844 the page is no wider than the phone (the table scrolls in its box); a screenshot; back to desktop. */
async function fitsPhone(b, shown, label) {
  await b.page.setViewportSize(PHONE);
  await shown.waitFor();
  const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await b.shot(label);
  await b.page.setViewportSize(DESKTOP);
}

test('a 1,000-record page: virtualised rows, selection over all, keyboard past the rendered rows, open from deep in the list', async () => {
  const server = await startServer();
  const b = await openBrowser('records-table');
  const found = [];
  try {
    await seedThousand(server.url);
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    const t0 = Date.now();
    await page.goto(`${server.url}/_/#/records/items?sort=views&perPage=${N}`);
    const first = page.getByRole('row').filter({ hasText: 'item 0000' });
    await first.waitFor();
    console.log(`1,000-record page shown ${Date.now() - t0} ms after navigation (this test's machine, for information)`);
    const r0 = await rendered(page);
    assert.equal(r0.rowcount, String(N + 1), 'aria-rowcount counts every row and the header');
    assert.ok(r0.rows > 10 && r0.rows < 80, `only the rows in view are rendered: ${r0.rows}`);
    // Relation cells show the presentable name in virtualised rows too.
    assert.equal(await first.locator('td.cell-relation .chip').textContent(), 'Ada Lovelace');
    // The header stays on top while the box scrolls.
    const box = page.getByRole('region', { name: 'items records (scrolls)' });
    const header = page.getByRole('button', { name: 'Sort by title' });
    const headerTop = (await header.boundingBox()).y;
    await box.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    const middle = page.locator('tbody tr[aria-rowindex="501"]');
    await middle.waitFor();
    assert.ok(Math.abs((await header.boundingBox()).y - headerTop) < 2, 'the sticky header did not move');
    assert.ok((await rendered(page)).rows < 80);
    for (const v of await seriousViolations(page)) found.push(`virtualised table: ${v}`);
    await b.shot('thousand-rows-middle');

    // The last row, by scrolling to the end with the keyboard (the box takes focus; End scrolls it).
    await box.focus();
    await page.keyboard.press('End');
    const last = page.getByRole('row').filter({ hasText: 'item 0999' });
    await last.waitFor();
    assert.equal(await last.getAttribute('aria-rowindex'), String(N + 1));
    await b.shot('thousand-rows-end');

    // Select all takes every record of the page, not only the rendered ones; un-ticking one row leaves 999.
    await page.getByLabel('Select all').check();
    const bar = page.getByRole('region', { name: 'Selected records' });
    await bar.getByText(`${N} selected`).waitFor();
    await last.getByRole('checkbox').uncheck();
    await bar.getByText(`${N - 1} selected`).waitFor();
    assert.equal(await page.getByLabel('Select all').isChecked(), false);
    await page.getByLabel('Select all').check();
    await page.getByLabel('Select all').uncheck();
    await waitFor(async () => (await bar.count()) === 0, 'the bulk bar to go');

    // Keyboard: Tab walks from the first row past the rows rendered at first; each focused row is scrolled into view
    // and rendered. Each row has three tab stops (checkbox, id link, JSON preview).
    await box.evaluate((el) => { el.scrollTop = 0; });
    await first.getByRole('checkbox').focus();
    for (let i = 0; i < 3 * 60; i++) await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const tr = document.activeElement?.closest('tr');
      const r = document.activeElement?.getBoundingClientRect();
      return { index: Number(tr?.getAttribute('aria-rowindex')), inView: !!r && r.top >= 0 && r.bottom <= window.innerHeight };
    });
    assert.ok(focused.index >= 55, `focus reached row ${focused.index}`);
    assert.ok(focused.inView, 'the focused row is in view');
    await page.keyboard.press('Space');
    await bar.getByText('1 selected').waitFor();
    await page.keyboard.press('Space');
    // Scrolled far away (a wheel, the scrollbar), the focused row stays: focus is not dropped, and Tab goes on to
    // the next row, which comes back into view.
    const focusedLabel = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await box.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await last.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), focusedLabel, 'focus stays on the row');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el?.getBoundingClientRect();
      return { index: Number(el?.closest('tr')?.getAttribute('aria-rowindex')), label: el?.getAttribute('aria-label'), inView: !!r && r.top >= 0 && r.bottom <= window.innerHeight };
    });
    assert.equal(next.index, focused.index + 1, `Tab went on to the next row: ${JSON.stringify(next)}`);
    assert.match(next.label ?? '', /^Select /);
    assert.ok(next.inView, 'the next row scrolled into view');

    // A record opened from deep in the list: its side panel, then back to the table.
    await box.evaluate((el) => { el.scrollTop = el.scrollHeight * 0.8; });
    // A row wholly inside the box (below its sticky header): the rows rendered above and below the view are clipped
    // by the box, and clicking one of those would first scroll the box and re-render the window under the pointer.
    let title = '';
    await page.waitForFunction(() => {
      const el = document.querySelector('[aria-label="items records (scrolls)"]');
      if (!el) return false;
      const b = el.getBoundingClientRect();
      const head = el.querySelector('thead')?.getBoundingClientRect().bottom ?? b.top;
      return [...el.querySelectorAll('tbody tr[aria-rowindex]')].some((tr) => {
        const r = tr.getBoundingClientRect();
        return r.top >= head && r.bottom <= b.bottom && /item 0[7-9]\d\d/.test(tr.textContent ?? '');
      });
    });
    title = await box.evaluate((el) => {
      const b = el.getBoundingClientRect();
      const head = el.querySelector('thead')?.getBoundingClientRect().bottom ?? b.top;
      const tr = [...el.querySelectorAll('tbody tr[aria-rowindex]')].find((row) => {
        const r = row.getBoundingClientRect();
        return r.top >= head && r.bottom <= b.bottom && /item 0[7-9]\d\d/.test(row.textContent ?? '');
      });
      return tr?.querySelector('td.cell-text')?.textContent?.trim() ?? '';
    });
    assert.match(title, /^item 0[7-9]\d\d$/, 'a row deep in the list is in view');
    const deep = page.getByRole('row').filter({ hasText: title }).first();
    await deep.getByRole('link').click();
    const panel = page.getByRole('dialog', { name: 'Edit items record' });
    await panel.waitFor();
    assert.equal(await panel.locator('input[name=title]').inputValue(), title);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    // Phone: the box scrolls inside the page, the page does not get wider.
    await fitsPhone(b, page.getByRole('row').filter({ hasText: /item \d{4}/ }).first(), 'thousand-rows-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('column widths: drag and keyboard resize, kept per collection after a reload, reset; phone', async () => {
  const server = await startServer();
  const b = await openBrowser('records-widths');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  for (const name of ['notes', 'others']) {
    await admin.collections.create({ name, type: 'base', fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' }, { name: 'created', type: 'autodate', onCreate: true }] });
    await admin.collection(name).create({ title: `a rather long title that does not fit in the ${name} column at its default width`, views: 7 });
  }
  const found = [];
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/notes`);
    const th = (col) => page.locator('th', { has: page.getByRole('button', { name: `Sort by ${col}`, exact: true }) });
    const handle = (col) => page.getByRole('separator', { name: `Width of column ${col}` });
    const width = async (col) => Math.round((await th(col).boundingBox()).width);
    await handle('title').waitFor();
    const title0 = await width('title');
    const views0 = await width('views');
    assert.equal(Number(await handle('title').getAttribute('aria-valuenow')), title0);
    for (const v of await seriousViolations(page)) found.push(`table with resize handles: ${v}`);

    // Mouse: drag the title handle 150 px to the right.
    const hb = await handle('title').boundingBox();
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 + 75, hb.y + hb.height / 2, { steps: 4 });
    await page.mouse.move(hb.x + hb.width / 2 + 150, hb.y + hb.height / 2, { steps: 4 });
    await page.mouse.up();
    await waitFor(async () => Math.abs((await width('title')) - (title0 + 150)) <= 1, 'the title column to be 150 px wider');
    assert.equal(await width('views'), views0, 'the other columns keep their width');

    // Keyboard: three Right arrows (+30), Shift+Left (-50); Home is the smallest width.
    await handle('views').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowLeft');
    await waitFor(async () => (await width('views')) === views0 - 20, 'views 20 px narrower');
    assert.equal(Number(await handle('views').getAttribute('aria-valuenow')), views0 - 20);
    await b.shot('widths-resized');

    // Kept after a reload, for this collection only.
    await page.reload();
    await handle('title').waitFor();
    assert.equal(await width('title'), title0 + 150);
    assert.equal(await width('views'), views0 - 20);
    await page.goto(`${server.url}/_/#/records/others`);
    await page.getByRole('heading', { name: 'others', exact: true }).waitFor();
    await handle('title').waitFor();
    assert.equal(await width('title'), title0, 'another collection has its own widths');
    await page.goto(`${server.url}/_/#/records/notes`);
    await handle('title').waitFor();
    assert.equal(await width('title'), title0 + 150);

    // Enter on a handle puts that column's default back; Reset widths (Columns) all of them.
    await handle('views').focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await width('views')) === views0, 'views back to its default');
    await page.getByRole('button', { name: /^Columns \(/ }).click();
    await page.getByRole('menuitem', { name: 'Reset widths' }).click();
    await waitFor(async () => (await width('title')) === title0, 'title back to its default');
    await page.getByRole('button', { name: /^Columns \(/ }).click();
    await waitFor(async () => (await page.getByRole('menu').count()) === 0, 'the menu to close');
    await page.reload();
    await handle('title').waitFor();
    assert.equal(await width('title'), title0, 'the reset is kept');

    // Phone: a wide column scrolls inside the table's box, not the page.
    await handle('title').focus();
    await page.keyboard.press('End');
    await fitsPhone(b, handle('title'), 'widths-phone');
    assert.deepEqual(found, [], found.join('\n'));
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
