import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects, raw, mapLimit, RECORD_ID, DATETIME } from './lib/harness.mjs';

const ctx = useServer(async () => {
  await collection('notes');
});

async function collection(name) {
  return ctx.pb.collections.create({
    name,
    type: 'base',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'n', type: 'number' },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
}

async function seed(name, count) {
  await collection(name);
  return mapLimit(Array.from({ length: count }, (_, i) => i), 8, (i) => ctx.pb.collection(name).create({ title: `item ${i}`, n: i }));
}

test('create returns 200 with the full record; getOne returns it', async () => {
  const res = await raw(`${ctx.url}/api/collections/notes/records`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: ctx.pb.authStore.token },
    body: JSON.stringify({ title: 'raw', n: 1 }),
  });
  assert.equal(res.status, 200, 'create answers 200, not 201');

  const rec = await ctx.pb.collection('notes').create({ title: 'First', n: 3 });
  assert.match(rec.id, RECORD_ID);
  assert.equal(rec.collectionName, 'notes');
  assert.equal(typeof rec.collectionId, 'string');
  assert.equal(rec.title, 'First');
  assert.equal(rec.n, 3);
  assert.match(rec.created, DATETIME);

  const got = await ctx.pb.collection('notes').getOne(rec.id);
  assert.deepEqual(got, rec);
});

test('create with a client-supplied id', async () => {
  const rec = await ctx.pb.collection('notes').create({ id: 'abcdefghij12345', title: 'Mine' });
  assert.equal(rec.id, 'abcdefghij12345');
  const dup = await rejects(ctx.pb.collection('notes').create({ id: 'abcdefghij12345', title: 'Again' }));
  assert.equal(dup.status, 400);
});

test('update and delete', async () => {
  const rec = await ctx.pb.collection('notes').create({ title: 'Draft', n: 1 });
  const upd = await ctx.pb.collection('notes').update(rec.id, { title: 'Final' });
  assert.equal(upd.title, 'Final');
  assert.equal(upd.n, 1, 'fields not sent are kept');

  assert.equal(await ctx.pb.collection('notes').delete(rec.id), true);
  const err = await rejects(ctx.pb.collection('notes').getOne(rec.id));
  assert.equal(err.status, 404);
  const again = await rejects(ctx.pb.collection('notes').delete(rec.id));
  assert.equal(again.status, 404);
  const upd404 = await rejects(ctx.pb.collection('notes').update(rec.id, { title: 'x' }));
  assert.equal(upd404.status, 404);
});

test('getList pages with page/perPage/totalItems/totalPages', async () => {
  await seed('paged', 25);
  const p1 = await ctx.pb.collection('paged').getList(1, 10, { sort: 'n' });
  assert.equal(p1.page, 1);
  assert.equal(p1.perPage, 10);
  assert.equal(p1.totalItems, 25);
  assert.equal(p1.totalPages, 3);
  assert.deepEqual(p1.items.map((r) => r.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  const p3 = await ctx.pb.collection('paged').getList(3, 10, { sort: 'n' });
  assert.equal(p3.page, 3);
  assert.deepEqual(p3.items.map((r) => r.n), [20, 21, 22, 23, 24]);

  const beyond = await ctx.pb.collection('paged').getList(9, 10);
  assert.equal(beyond.items.length, 0);
  assert.equal(beyond.totalItems, 25);

  const def = await ctx.pb.collection('paged').getList();
  assert.equal(def.page, 1);
  assert.equal(def.perPage, 30);
  assert.equal(def.items.length, 25);

  const clamped = await ctx.pb.collection('paged').getList(1, 5000);
  assert.equal(clamped.perPage, 1000, 'perPage > 1000 is clamped and echoed');
});

test('skipTotal gives -1 totals', async () => {
  await seed('skipped', 3);
  const res = await ctx.pb.collection('skipped').getList(1, 2, { skipTotal: true });
  assert.equal(res.totalItems, -1);
  assert.equal(res.totalPages, -1);
  assert.equal(res.items.length, 2);
});

test('getFullList walks more than 1000 records with the batch size', async () => {
  const created = await seed('many', 1105);
  const all = await ctx.pb.collection('many').getFullList();
  assert.equal(all.length, 1105);
  assert.equal(new Set(all.map((r) => r.id)).size, 1105);
  assert.deepEqual(new Set(all.map((r) => r.id)), new Set(created.map((r) => r.id)));

  const small = await ctx.pb.collection('many').getFullList({ batch: 500, sort: '-n' });
  assert.equal(small.length, 1105);
  assert.equal(small[0].n, 1104);
  assert.equal(small[1104].n, 0);
});

test('getFirstListItem finds one, or rejects with 404', async () => {
  await seed('firsts', 5);
  const one = await ctx.pb.collection('firsts').getFirstListItem('n = 3');
  assert.equal(one.title, 'item 3');
  const err = await rejects(ctx.pb.collection('firsts').getFirstListItem('n = 99'));
  assert.equal(err.status, 404);
});

test('unknown query parameters and a JSON content type on GET are tolerated', async () => {
  const res = await raw(`${ctx.url}/api/collections/notes/records?autoRefresh=true&whatever=1`, {
    headers: { 'Content-Type': 'application/json', Authorization: ctx.pb.authStore.token },
  });
  assert.equal(res.status, 200);
  assert.ok(Array.isArray(res.json?.items));
});
