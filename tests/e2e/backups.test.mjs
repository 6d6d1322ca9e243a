// The Backups screen: create (refused names show their message, the form is disabled while the backup runs), restore
// after a confirmation naming the project, download, upload (a non-zip is refused), delete, and the schedule's
// validation messages. Screenshots at 1280x800 and 390x844.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn, PHONE } from './lib/browser.mjs';

test('backups: create, restore with confirmation, download, upload, delete, schedule (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('backups', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'notes', type: 'base', fields: [{ name: 'text', type: 'text' }] });
  await admin.collection('notes').create({ text: 'in the backup' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Backups' }).waitFor();
    await page.getByText('No backups yet.').waitFor();
    const create = page.getByRole('form', { name: 'Create a backup' });

    // A name the server would refuse is caught in the form.
    await create.getByLabel(/^Name/).fill('Before Migration.zip');
    await create.getByRole('button', { name: 'Create backup' }).click();
    await create.getByText('Use lowercase letters, digits, "_" or "-", ending with .zip.').waitFor();

    // While the backup runs (its request held here) the screen says so and every action is disabled.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/api/backups', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await create.getByLabel(/^Name/).fill('before_migration.zip');
    await create.getByRole('button', { name: 'Create backup' }).click();
    await page.getByRole('status').filter({ hasText: 'Creating before_migration.zip…' }).waitFor();
    assert.equal(await create.getByRole('button', { name: 'Create backup' }).isDisabled(), true);
    assert.equal(await page.getByRole('form', { name: 'Upload a backup' }).getByRole('button', { name: 'Upload backup' }).isDisabled(), true);
    await b.shot('creating');
    release();
    await page.getByRole('status').filter({ hasText: 'Backup before_migration.zip created.' }).waitFor();
    await page.unroute('**/api/backups');
    const row = page.getByRole('row').filter({ hasText: 'before_migration.zip' });
    await row.waitFor();
    assert.match(await row.innerText(), /\d+(\.\d)? (B|KiB|MiB)/);
    assert.match(await row.innerText(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.equal(await create.getByRole('button', { name: 'Create backup' }).isDisabled(), false);

    // The same name again: the server's message is shown.
    await create.getByLabel(/^Name/).fill('before_migration.zip');
    await create.getByRole('button', { name: 'Create backup' }).click();
    await page.getByRole('alert').filter({ hasText: /already exists/ }).waitFor();

    // Restore: the confirmation names the project and what is replaced; the record written since is gone afterwards.
    await admin.collection('notes').create({ text: 'written after the backup' });
    await row.getByRole('button', { name: 'Restore before_migration.zip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore project main?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Everything in project main is replaced by the content of before_migration\.zip/);
    assert.match(text, /collections, records, files, settings and API keys/);
    await b.shot('restore-confirmation');
    await dialog.getByRole('button', { name: 'Restore before_migration.zip' }).click();
    await page.getByRole('status').filter({ hasText: 'Project main restored from before_migration.zip.' }).waitFor();
    const notes = await admin.collection('notes').getFullList();
    assert.deepEqual(notes.map((n) => n.text), ['in the backup']);

    // Download: a zip.
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download before_migration.zip' }).click()]);
    assert.equal(download.suggestedFilename(), 'before_migration.zip');
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    const zip = Buffer.concat(chunks);
    assert.equal(zip.subarray(0, 2).toString(), 'PK');

    // Upload: a file that is not a zip is refused with the server's message; the downloaded zip is accepted.
    const upload = page.getByRole('form', { name: 'Upload a backup' });
    await upload.getByLabel(/^Backup zip/).setInputFiles({ name: 'not_a_backup.zip', mimeType: 'application/zip', buffer: Buffer.from('plain text, not a zip') });
    await upload.getByRole('button', { name: 'Upload backup' }).click();
    await page.getByRole('alert').filter({ hasText: /zip archive/ }).waitFor();
    await upload.getByLabel(/^Backup zip/).setInputFiles({ name: 'copy.zip', mimeType: 'application/zip', buffer: zip });
    await upload.getByRole('button', { name: 'Upload backup' }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded copy.zip.' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'copy.zip' }).waitFor();
    assert.deepEqual((await admin.backups.getFullList()).map((x) => x.key).sort(), ['before_migration.zip', 'copy.zip']);
    await b.shot('list');

    // Delete, after its confirmation.
    await page.getByRole('row').filter({ hasText: 'copy.zip' }).getByRole('button', { name: 'Delete copy.zip' }).click();
    const del = page.getByRole('dialog', { name: 'Delete backup?' });
    await del.getByRole('button', { name: 'Delete copy.zip' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted copy.zip.' }).waitFor();
    assert.deepEqual((await admin.backups.getFullList()).map((x) => x.key), ['before_migration.zip']);

    // The schedule: the server's messages per field, then a valid schedule saved.
    const schedule = page.getByRole('form', { name: 'Backup schedule' });
    await schedule.getByLabel(/^Cron/).fill('every night');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByText(/Must be a valid cron expression/).waitFor();
    await schedule.getByLabel(/^Cron/).fill('0 3 * * *');
    await schedule.getByLabel('Keep the newest').fill('0');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByText('Cannot be blank.').waitFor();
    await b.shot('schedule-errors');
    await schedule.getByLabel('Keep the newest').fill('5');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByRole('status').filter({ hasText: 'Schedule saved: 0 3 * * * (UTC), keeping the newest 5.' }).waitFor();
    const settings = await admin.settings.getAll();
    assert.equal(settings.backups.cron, '0 3 * * *');
    assert.equal(settings.backups.cronMaxKeep, 5);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('backups on a phone: the list and the restore confirmation fit (390x844)', async () => {
  const server = await startServer();
  const b = await openBrowser('backups-phone', { viewport: PHONE });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.backups.create('nightly_copy.zip');
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Backups' }).click();
    const row = page.getByRole('row').filter({ hasText: 'nightly_copy.zip' });
    await row.waitFor();
    // The page itself does not scroll sideways (the table scrolls in its own box).
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    await b.shot('list');
    await row.getByRole('button', { name: 'Restore nightly_copy.zip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore project main?' });
    await dialog.getByRole('button', { name: 'Restore nightly_copy.zip' }).waitFor();
    const box = await dialog.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `dialog fits: ${JSON.stringify(box)}`);
    await b.shot('restore-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual((await admin.backups.getFullList()).map((x) => x.key), ['nightly_copy.zip']);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
