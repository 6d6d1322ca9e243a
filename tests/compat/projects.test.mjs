// Projects (docs/projects.md): POST /api/platform/projects (superusers of "main" only) creates a project
// served at /p/<name>; each project has its own _superusers, made with `papergao superuser upsert --project`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { useServer, rejects } from './lib/harness.mjs';

const ctx = useServer();
const SHOP_ADMIN = { email: 'admin@shop.test', password: 'Shop-password-123' };

function client(base) {
  const pb = new PocketBase(base);
  pb.autoCancellation(false);
  return pb;
}

test('create project "shop" and use it through new PocketBase(base + "/p/shop")', async () => {
  const created = await ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'shop' } });
  assert.equal(created.name, 'shop');

  const listed = await ctx.pb.send('/api/platform/projects', { method: 'GET' });
  assert.ok(listed.items.some((p) => p.name === 'shop'));
  assert.ok(listed.items.some((p) => p.name === 'main'));

  const shop = client(`${ctx.url}/p/shop`);
  assert.deepEqual(await shop.health.check(), { message: 'API is healthy.', code: 200, data: {} });

  // A superuser of main is not a superuser of shop.
  const borrowed = client(`${ctx.url}/p/shop`);
  borrowed.authStore.save(ctx.pb.authStore.token, ctx.pb.authStore.record);
  const denied = await rejects(borrowed.collections.getList());
  assert.ok(denied.status === 401 || denied.status === 403, `got ${denied.status}`);
  const wrongProject = await rejects(shop.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password));
  assert.equal(wrongProject.status, 400);

  await ctx.server.upsertSuperuser(SHOP_ADMIN.email, SHOP_ADMIN.password, 'shop');
  const auth = await shop.collection('_superusers').authWithPassword(SHOP_ADMIN.email, SHOP_ADMIN.password);
  assert.equal(auth.record.collectionName, '_superusers');
  assert.equal(shop.authStore.isSuperuser, true);

  await shop.collections.create({
    name: 'products',
    type: 'base',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'name', type: 'text', required: true }, { name: 'price', type: 'number' }],
  });
  const p = await shop.collection('products').create({ name: 'Widget', price: 9.5 });
  assert.equal(p.collectionName, 'products');
  assert.equal(p.price, 9.5);

  const list = await client(`${ctx.url}/p/shop`).collection('products').getList();
  assert.equal(list.totalItems, 1);
  assert.equal(list.items[0].name, 'Widget');

  // Isolation: the default project does not see the shop's collection.
  assert.equal((await rejects(ctx.pb.collection('products').getList())).status, 404);
  assert.equal((await rejects(ctx.pb.collections.getOne('products'))).status, 404);
});

test('unknown project is 404; duplicate or invalid names are 400', async () => {
  const ghost = client(`${ctx.url}/p/ghost`);
  assert.equal((await rejects(ghost.collection('anything').getList())).status, 404);

  await ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'twice' } });
  const dup = await rejects(ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'twice' } }));
  assert.equal(dup.status, 400);
  assert.equal(dup.response.data.name.code, 'validation_not_unique');
  const bad = await rejects(ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'Not Valid!' } }));
  assert.equal(bad.status, 400);
  assert.equal(bad.response.data.name.code, 'validation_invalid_name');
});

test('delete a project: 204, then its URLs are 404; main cannot be deleted', async () => {
  await ctx.pb.send('/api/platform/projects', { method: 'POST', body: { name: 'temp' } });
  assert.equal((await ctx.pb.send('/api/platform/projects/temp', { method: 'GET' })).name, 'temp');
  await ctx.pb.send('/api/platform/projects/temp', { method: 'DELETE' });
  assert.equal((await rejects(ctx.pb.send('/api/platform/projects/temp', { method: 'GET' }))).status, 404);
  assert.equal((await rejects(client(`${ctx.url}/p/temp`).health.check())).status, 404);
  assert.equal((await rejects(ctx.pb.send('/api/platform/projects/main', { method: 'DELETE' }))).status, 400);
});

test('guests cannot use the platform endpoints', async () => {
  const err = await rejects(ctx.guest().send('/api/platform/projects', { method: 'POST', body: { name: 'sneaky' } }));
  assert.ok(err.status === 401 || err.status === 403, `got ${err.status}`);
});
