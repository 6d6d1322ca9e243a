import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientResponseError } from 'pocketbase';
import { useServer, rejects, raw } from './lib/harness.mjs';
import { createBlog } from './lib/blog.mjs';

const ctx = useServer(async () => {
  await createBlog(ctx.pb);
  await ctx.pb.collections.create({ name: 'locked', type: 'base', fields: [{ name: 'secret', type: 'text' }] });
  await ctx.pb.collection('locked').create({ secret: 's3cr3t' });
});

function assertEnvelope(err, status) {
  assert.ok(err instanceof ClientResponseError, 'SDK wraps failures in ClientResponseError');
  assert.equal(err.status, status);
  assert.equal(err.response.status, status);
  assert.equal(typeof err.response.message, 'string');
  assert.ok(err.response.message.length > 0);
  assert.equal(typeof err.response.data, 'object');
  assert.equal(err.message, err.response.message);
}

test('validation errors are 400 with data.<field>.code', async () => {
  const posts = ctx.pb.collection('posts');

  const missing = await rejects(posts.create({ views: 1 }));
  assertEnvelope(missing, 400);
  assert.equal(missing.response.message, 'Failed to create record.');
  assert.equal(missing.response.data.title.code, 'validation_required');
  assert.equal(typeof missing.response.data.title.message, 'string');

  const badSelect = await rejects(posts.create({ title: 'x', tags: ['zzz'] }));
  assert.equal(badSelect.status, 400);
  assert.equal(badSelect.response.data.tags.code, 'validation_invalid_value');

  const tooLong = await rejects(posts.create({ title: 'x'.repeat(201) }));
  assert.equal(tooLong.response.data.title.code, 'validation_max_text_constraint');

  const notInt = await rejects(posts.create({ title: 'x', views: 1.5 }));
  assert.equal(notInt.response.data.views.code, 'validation_only_int_constraint');

  const badRel = await rejects(posts.create({ title: 'x', author: 'missingid123456' }));
  assert.equal(badRel.response.data.author.code, 'validation_missing_rel_records');

  const ok = await posts.create({ title: 'valid' });
  const badUpdate = await rejects(posts.update(ok.id, { title: '' }));
  assert.equal(badUpdate.status, 400);
  assert.equal(badUpdate.response.message, 'Failed to update record.');
  assert.equal(badUpdate.response.data.title.code, 'validation_required');
});

test('unknown collection is 404', async () => {
  for (const call of [
    () => ctx.pb.collection('nosuchcollection').getList(),
    () => ctx.pb.collection('nosuchcollection').getOne('abcdefghij12345'),
    () => ctx.pb.collection('nosuchcollection').create({ a: 1 }),
    () => ctx.guest().collection('nosuchcollection').getList(),
  ]) {
    assertEnvelope(await rejects(call()), 404);
  }
});

test('missing record is 404', async () => {
  assertEnvelope(await rejects(ctx.pb.collection('posts').getOne('abcdefghij12345')), 404);
});

test('a guest on a locked collection gets 403', async () => {
  const guest = ctx.guest().collection('locked');
  const list = await rejects(guest.getList());
  assertEnvelope(list, 403);
  assert.equal(list.response.message, 'Only superusers can perform this action.');
  assert.equal((await rejects(guest.create({ secret: 'x' }))).status, 403);
  const [rec] = await ctx.pb.collection('locked').getFullList();
  assert.equal((await rejects(guest.getOne(rec.id))).status, 403);
  assert.equal((await rejects(guest.update(rec.id, { secret: 'y' }))).status, 403);
  assert.equal((await rejects(guest.delete(rec.id))).status, 403);
  assert.equal((await ctx.pb.collection('locked').getOne(rec.id)).secret, 's3cr3t', 'superusers bypass rules');
});

test('a guest on the collections API gets 401', async () => {
  assertEnvelope(await rejects(ctx.guest().collections.getList()), 401);
});

test('an invalid filter is 400 with empty data', async () => {
  const err = await rejects(ctx.pb.collection('posts').getList(1, 10, { filter: 'title = "x" &&' }));
  assertEnvelope(err, 400);
  assert.deepEqual(err.response.data, {});
});

test('guests may not use @request in client filters (403)', async () => {
  const err = await rejects(ctx.guest().collection('posts').getList(1, 10, { filter: '@request.auth.id != ""' }));
  assert.equal(err.status, 403);
});

test('unsupported content type is 400', async () => {
  const res = await raw(`${ctx.url}/api/collections/posts/records`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-something', Authorization: ctx.pb.authStore.token },
    body: 'hello',
  });
  assert.equal(res.status, 400);
  assert.equal(res.json?.status, 400);
});
