import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';

const ctx = useServer(async () => {
  await ctx.pb.collections.create({
    name: 'tasks',
    type: 'base',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, max: 50 },
      { name: 'done', type: 'bool' },
    ],
  });
});

test('batch is disabled by default (403)', async () => {
  const batch = ctx.pb.createBatch();
  batch.collection('tasks').create({ title: 'nope' });
  const err = await rejects(batch.send());
  assert.equal(err.status, 403);
  const list = await ctx.pb.collection('tasks').getList(1, 1, { filter: 'title = "nope"' });
  assert.equal(list.totalItems, 0);
});

test('enable batch through settings', async () => {
  const settings = await ctx.pb.settings.update({ batch: { enabled: true, maxRequests: 50 } });
  assert.equal(settings.batch.enabled, true);
  assert.equal(settings.batch.maxRequests, 50);
  const again = await ctx.pb.settings.getAll();
  assert.equal(again.batch.enabled, true);
});

test('create, update, delete and upsert in one batch', async () => {
  const tasks = ctx.pb.collection('tasks');
  const existing = await tasks.create({ title: 'existing' });
  const doomed = await tasks.create({ title: 'doomed' });

  const batch = ctx.pb.createBatch();
  batch.collection('tasks').create({ title: 'new one' });
  batch.collection('tasks').update(existing.id, { done: true });
  batch.collection('tasks').delete(doomed.id);
  batch.collection('tasks').upsert({ id: existing.id, title: 'upserted' });
  batch.collection('tasks').upsert({ id: 'upsertnew123456', title: 'upsert created' });
  const results = await batch.send();

  assert.deepEqual(results.map((r) => r.status), [200, 200, 204, 200, 200]);
  assert.equal(results[0].body.title, 'new one');
  assert.equal(results[0].body.collectionName, 'tasks');
  assert.equal(results[1].body.done, true);
  assert.equal(results[2].body, null);
  assert.equal(results[3].body.title, 'upserted');
  assert.equal(results[4].body.id, 'upsertnew123456');

  assert.equal((await tasks.getOne(existing.id)).title, 'upserted');
  assert.equal((await rejects(tasks.getOne(doomed.id))).status, 404);
  assert.equal((await tasks.getOne(results[0].body.id)).title, 'new one');
});

test('a failing sub-request rolls the whole batch back', async () => {
  const batch = ctx.pb.createBatch();
  batch.collection('tasks').create({ title: 'would be created' });
  batch.collection('tasks').create({ title: '' });
  const err = await rejects(batch.send());
  assert.equal(err.status, 400);
  const failed = err.response.data.requests['1'];
  assert.equal(failed.code, 'batch_request_failed');
  assert.equal(failed.response.status, 400);
  assert.equal(failed.response.data.title.code, 'validation_required');

  const list = await ctx.pb.collection('tasks').getList(1, 1, { filter: 'title = "would be created"' });
  assert.equal(list.totalItems, 0, 'the first create was rolled back');
});

test('more sub-requests than maxRequests is rejected', async () => {
  await ctx.pb.settings.update({ batch: { enabled: true, maxRequests: 2 } });
  try {
    const batch = ctx.pb.createBatch();
    for (let i = 0; i < 3; i++) batch.collection('tasks').create({ title: `over ${i}` });
    const err = await rejects(batch.send());
    assert.equal(err.status, 400);
  } finally {
    await ctx.pb.settings.update({ batch: { enabled: true, maxRequests: 50 } });
  }
});
