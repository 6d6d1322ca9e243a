// pb.backups (PocketBase's backups API, docs/backups.md): list, create, download with a file token, upload,
// restore (in place, without a restart), delete; names ^[a-z0-9_-]+\.zip$; superusers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects, raw } from './lib/harness.mjs';

const ctx = useServer(async (c) => {
  await c.pb.collections.create({
    name: 'bk_notes', type: 'base', listRule: '', viewRule: '', createRule: '',
    fields: [{ name: 'text', type: 'text' }],
  });
  await c.pb.collection('bk_notes').create({ text: 'before' });
});

test('create, list, download, restore, upload and delete through pb.backups', async () => {
  const pb = ctx.pb;
  assert.equal(await pb.backups.create('sdk_one.zip'), true);
  const list = await pb.backups.getFullList();
  const item = list.find((b) => b.key === 'sdk_one.zip');
  assert.ok(item, JSON.stringify(list));
  assert.ok(item.size > 0);
  assert.match(item.modified, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);

  const token = await pb.files.getToken();
  const res = await fetch(pb.backups.getDownloadURL(token, 'sdk_one.zip'));
  assert.equal(res.status, 200);
  const zip = new Uint8Array(await res.arrayBuffer());
  assert.equal(String.fromCharCode(zip[0], zip[1]), 'PK');

  await pb.collection('bk_notes').create({ text: 'after' });
  assert.equal(await pb.backups.restore('sdk_one.zip'), true);
  const notes = await pb.collection('bk_notes').getFullList();
  assert.deepEqual(notes.map((n) => n.text), ['before']);

  assert.equal(await pb.backups.upload({ file: new File([zip], 'sdk_copy.zip', { type: 'application/zip' }) }), true);
  assert.ok((await pb.backups.getFullList()).some((b) => b.key === 'sdk_copy.zip'));
  assert.equal(await pb.backups.restore('sdk_copy.zip'), true);

  assert.equal(await pb.backups.delete('sdk_copy.zip'), true);
  assert.equal(await pb.backups.delete('sdk_one.zip'), true);
  assert.ok(!(await pb.backups.getFullList()).some((b) => b.key.startsWith('sdk_')));
});

test('bad names, guests and missing backups are refused in the error envelope', async () => {
  const bad = await rejects(ctx.pb.backups.create('../evil.zip'));
  assert.equal(bad.status, 400);
  assert.ok(bad.response.data.name);
  assert.equal((await rejects(ctx.guest().backups.getFullList())).status, 401);
  assert.equal((await rejects(ctx.pb.backups.restore('missing.zip'))).status, 400);
  const dl = await raw(`${ctx.url}/api/backups/missing.zip?token=nope`);
  assert.equal(dl.status, 403);
  const health = await ctx.pb.health.check();
  assert.equal(health.data.canBackup, true);
});
