import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';

// API keys work with the unmodified SDK: the key goes in the auth store like a token (sent as Authorization).
const ctx = useServer(async () => {
  await ctx.pb.collections.create({
    name: 'reports',
    type: 'base',
    fields: [{ name: 'title', type: 'text' }],
  });
  await ctx.pb.collection('reports').create({ title: 'q1' });
});

test('a scoped read-only key reads a locked collection and nothing else', async () => {
  const created = await ctx.pb.send('/api/keys', {
    method: 'POST',
    body: { name: 'reader', scopes: [{ collection: 'reports', actions: ['list', 'view'] }] },
  });
  assert.match(created.key, /^pgk_[a-zA-Z0-9]{40}$/);
  const listed = await ctx.pb.send('/api/keys', { method: 'GET' });
  assert.equal(listed.length, 1);
  assert.equal(listed[0].key, undefined);

  const withKey = ctx.guest();
  withKey.authStore.save(created.key, null);
  const page = await withKey.collection('reports').getList(1, 10);
  assert.equal(page.totalItems, 1);
  assert.equal(page.items[0].title, 'q1');
  assert.equal((await withKey.collection('reports').getOne(page.items[0].id)).title, 'q1');

  assert.equal((await rejects(withKey.collection('reports').create({ title: 'no' }))).status, 403);
  assert.equal((await rejects(withKey.collection('reports').delete(page.items[0].id))).status, 403);
  assert.equal((await rejects(withKey.collections.getFullList())).status, 403);
  assert.equal((await rejects(withKey.settings.getAll())).status, 403);

  assert.equal((await rejects(ctx.guest().collection('reports').getList(1, 10))).status, 403);

  await ctx.pb.send(`/api/keys/${created.id}`, { method: 'DELETE' });
  const revoked = await rejects(withKey.collection('reports').getList(1, 10));
  assert.equal(revoked.status, 401);
});

test('bad key input is a 400 with per-field errors', async () => {
  const err = await rejects(ctx.pb.send('/api/keys', { method: 'POST', body: { name: '', scopes: [{ collection: 'nope', actions: ['list'] }] } }));
  assert.equal(err.status, 400);
  assert.equal(err.response.data.name.code, 'validation_required');
  assert.equal(err.response.data.scopes['0'].collection.code, 'validation_unknown_collection');
});
