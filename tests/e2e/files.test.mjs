// Upload a file through the record form and see its thumbnail in the table; a refused upload shows the server's
// message in the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { makePng } from './lib/png.mjs';

test('upload an image, see its thumbnail; a refused upload shows the server message (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('files', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({
    name: 'photos', type: 'base',
    fields: [{ name: 'caption', type: 'text' }, { name: 'image', type: 'file', maxSelect: 1, maxSize: 200_000, mimeTypes: ['image/png', 'image/jpeg'] }],
  });
  const png = makePng(300, 200);
  const notAnImage = Buffer.from('MZ this is not a picture at all, whatever its name says\n'.repeat(20));
  try {
    // What the server says about the bad file (asked directly, to compare with what the UI shows).
    const form = new FormData();
    form.append('image', new Blob([notAnImage], { type: 'image/png' }), 'fake.png');
    const direct = await fetch(`${server.url}/api/collections/photos/records`, { method: 'POST', body: form, headers: { Authorization: admin.authStore.token } });
    assert.equal(direct.status, 400);
    const serverMessage = (await direct.json()).data.image.message;
    assert.ok(serverMessage.length > 0);

    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/records/photos`);
    await page.getByRole('button', { name: 'New record' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('caption').fill('A gradient');
    await dialog.getByLabel('image').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: notAnImage });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').filter({ hasText: serverMessage }).waitFor();
    await dialog.getByText(serverMessage, { exact: true }).waitFor();
    await b.shot('upload-refused');
    assert.equal((await admin.collection('photos').getList(1, 1)).totalItems, 0);

    await dialog.getByLabel('image').setInputFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: png });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'A gradient' }).waitFor();
    const thumb = page.locator('img.thumb');
    await thumb.waitFor();
    assert.match(await thumb.getAttribute('src'), /\/api\/files\/.+\/gradient_\w+\.png\?thumb=100x100$/);
    // The browser loaded a 100x100 thumbnail (the original is 300x200).
    const size = await waitFor(() => thumb.evaluate((img) => (img.complete && img.naturalWidth > 0 ? [img.naturalWidth, img.naturalHeight] : null)), 'the thumbnail to load');
    assert.deepEqual(size, [100, 100]);
    await b.shot('thumbnail');

    const rec = (await admin.collection('photos').getFullList())[0];
    const original = await fetch(admin.files.getURL(rec, rec.image));
    assert.deepEqual(Buffer.from(await original.arrayBuffer()), png);

    // The Files screen lists it with its thumbnail and links.
    await page.getByRole('link', { name: 'Files' }).click();
    const card = page.getByRole('figure', { name: rec.image });
    await card.waitFor();
    await waitFor(() => card.getByRole('img').evaluate((img) => img.complete && img.naturalWidth === 100), 'the Files thumbnail');
    assert.match(await card.getByRole('link', { name: 'Download' }).getAttribute('href'), /download=(1|true)/);
    await b.shot('files-screen');

    // Remove the file from the record in its form.
    await page.goto(`${server.url}/_/#/records/photos`);
    await page.getByRole('link', { name: rec.id }).click();
    await dialog.getByRole('button', { name: `Remove file ${rec.image}` }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await admin.collection('photos').getOne(rec.id)).image, '');
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByText('No files in photos.').waitFor();
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
