// Projects: POST /api/platform/projects creates a project served at /p/<name> (see docs/projects.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { useServer, rejects } from './lib/harness.mjs';

const ctx = useServer();

test('create project "shop" and use it through new PocketBase(base + "/p/shop")', async () => {
  const created = await ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'shop' } });
  assert.equal(created.name, 'shop');

  const shop = new PocketBase(`${ctx.url}/p/shop`);
  shop.autoCancellation(false);
  assert.deepEqual(await shop.health.check(), { message: 'API is healthy.', code: 200, data: {} });

  // The main project's superuser manages every project.
  shop.authStore.save(ctx.pb.authStore.token, ctx.pb.authStore.record);
  await shop.collections.create({
    name: 'products',
    type: 'base',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'name', type: 'text', required: true }, { name: 'price', type: 'number' }],
  });
  const p = await shop.collection('products').create({ name: 'Widget', price: 9.5 });
  assert.equal(p.collectionName, 'products');

  const guestShop = new PocketBase(`${ctx.url}/p/shop`);
  const list = await guestShop.collection('products').getList();
  assert.equal(list.totalItems, 1);
  assert.equal(list.items[0].name, 'Widget');

  // Isolation: the default project does not see the shop's collection.
  assert.equal((await rejects(ctx.pb.collection('products').getList())).status, 404);
  assert.equal((await rejects(ctx.pb.collections.getOne('products'))).status, 404);
});

test('unknown project is 404; duplicate or invalid names are 400', async () => {
  const ghost = new PocketBase(`${ctx.url}/p/ghost`);
  assert.equal((await rejects(ghost.collection('anything').getList())).status, 404);

  await ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'twice' } });
  const dup = await rejects(ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'twice' } }));
  assert.equal(dup.status, 400);
  const bad = await rejects(ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'Not Valid!' } }));
  assert.equal(bad.status, 400);
});

test('guests cannot create projects', async () => {
  const err = await rejects(ctx.guest().send('/api/platform/projects', { method: 'POST', body: { name: 'sneaky' } }));
  assert.ok(err.status === 401 || err.status === 403, `got ${err.status}`);
});
