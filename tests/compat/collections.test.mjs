import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects, sleep, RECORD_ID, DATETIME } from './lib/harness.mjs';

const ctx = useServer();

const byName = (collection, name) => collection.fields.find((f) => f.name === name);

async function createTyped(pb, name) {
  const target = await pb.collections.create({
    name: `${name}_target`,
    type: 'base',
    fields: [{ name: 'label', type: 'text' }],
  });
  const col = await pb.collections.create({
    name,
    type: 'base',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, min: 2, max: 50 },
      { name: 'count', type: 'number', min: 0, max: 1000, onlyInt: true },
      { name: 'active', type: 'bool' },
      { name: 'labels', type: 'select', maxSelect: 3, values: ['red', 'green', 'blue'] },
      { name: 'target', type: 'relation', collectionId: target.id, maxSelect: 1 },
      { name: 'data', type: 'json' },
      { name: 'due', type: 'date' },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
  return { col, target };
}

test('create a base collection with typed fields', async () => {
  const { col, target } = await createTyped(ctx.pb, 'typed');

  assert.match(col.id, /^pbc_\d+$/);
  assert.equal(col.name, 'typed');
  assert.equal(col.type, 'base');
  assert.equal(col.system, false);
  assert.equal(col.listRule, '');
  assert.equal(col.createRule, null, 'rules not given are locked (null)');
  assert.ok(Array.isArray(col.indexes));
  assert.match(col.created, DATETIME);

  const id = byName(col, 'id');
  assert.equal(id.type, 'text');
  assert.equal(id.primaryKey, true);
  assert.equal(id.system, true);

  for (const f of col.fields) {
    assert.equal(typeof f.id, 'string', `field ${f.name} has an id`);
    assert.equal(typeof f.hidden, 'boolean');
    assert.equal(typeof f.presentable, 'boolean');
  }
  assert.equal(byName(col, 'title').required, true);
  assert.equal(byName(col, 'title').max, 50);
  assert.equal(byName(col, 'count').onlyInt, true);
  assert.deepEqual(byName(col, 'labels').values, ['red', 'green', 'blue']);
  assert.equal(byName(col, 'labels').maxSelect, 3);
  assert.equal(byName(col, 'target').collectionId, target.id);
  assert.equal(byName(col, 'created').onCreate, true);
  assert.equal(byName(col, 'created').onUpdate, false);
  assert.equal(byName(col, 'updated').onUpdate, true);

  const again = await ctx.pb.collections.getOne('typed');
  assert.equal(again.id, col.id);
  const byId = await ctx.pb.collections.getOne(col.id);
  assert.equal(byId.name, 'typed');
  const all = await ctx.pb.collections.getFullList();
  assert.ok(all.some((c) => c.name === '_superusers'));
  assert.ok(all.some((c) => c.name === 'typed'));
});

test('records carry typed values, zero values and autodates', async () => {
  const { target } = await createTyped(ctx.pb, 'values');
  const t = await ctx.pb.collection(target.name).create({ label: 'T' });

  const full = await ctx.pb.collection('values').create({
    title: 'Typed',
    count: 42,
    active: true,
    labels: ['blue', 'red'],
    target: t.id,
    data: { nested: { list: [1, 'two', null] }, ok: true },
    due: '2024-01-02T03:04:05Z',
  });
  assert.match(full.id, RECORD_ID);
  assert.equal(full.collectionName, 'values');
  assert.equal(full.title, 'Typed');
  assert.equal(full.count, 42);
  assert.equal(full.active, true);
  assert.deepEqual(full.labels, ['blue', 'red']);
  assert.equal(full.target, t.id);
  assert.deepEqual(full.data, { nested: { list: [1, 'two', null] }, ok: true });
  assert.equal(full.due, '2024-01-02 03:04:05.000Z');
  assert.match(full.created, DATETIME);
  assert.match(full.updated, DATETIME);

  const empty = await ctx.pb.collection('values').create({ title: 'Zero' });
  assert.equal(empty.count, 0);
  assert.equal(empty.active, false);
  assert.deepEqual(empty.labels, []);
  assert.equal(empty.target, '');
  assert.equal(empty.data, null);
  assert.equal(empty.due, '');

  const ignored = await ctx.pb.collection('values').create({ title: 'Dates', created: '2000-01-01 00:00:00.000Z', nonsense: 1 });
  assert.notEqual(ignored.created, '2000-01-01 00:00:00.000Z', 'autodate ignores client values');
  assert.equal(ignored.nonsense, undefined, 'unknown keys are ignored');
});

test('update a collection: add a field and rename one (fields matched by id)', async () => {
  const { col } = await createTyped(ctx.pb, 'evolving');
  const rec = await ctx.pb.collection('evolving').create({ title: 'Before' });

  const fields = col.fields.map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
  fields.push({ name: 'score', type: 'number' });
  const updated = await ctx.pb.collections.update('evolving', { fields, listRule: 'active = true' });

  assert.equal(updated.listRule, 'active = true');
  assert.equal(byName(updated, 'headline').id, byName(col, 'title').id, 'rename keeps the field id');
  assert.equal(byName(updated, 'title'), undefined);
  assert.equal(byName(updated, 'score').type, 'number');

  const after = await ctx.pb.collection('evolving').getOne(rec.id);
  assert.equal(after.headline, 'Before', 'renamed column keeps its data');
  assert.equal(after.score, 0);
  const withScore = await ctx.pb.collection('evolving').update(rec.id, { score: 7 });
  assert.equal(withScore.score, 7);

  const renamed = await ctx.pb.collections.update(col.id, { name: 'evolved' });
  assert.equal(renamed.name, 'evolved');
  assert.equal((await ctx.pb.collection('evolved').getOne(rec.id)).headline, 'Before');
});

test('delete a collection: 204, then 404', async () => {
  const col = await ctx.pb.collections.create({ name: 'doomed', type: 'base', fields: [{ name: 'x', type: 'text' }] });
  await ctx.pb.collection('doomed').create({ x: 'y' });
  assert.equal(await ctx.pb.collections.delete(col.id), true);
  const err = await rejects(ctx.pb.collections.getOne('doomed'));
  assert.equal(err.status, 404);
  const err2 = await rejects(ctx.pb.collection('doomed').getList());
  assert.equal(err2.status, 404);
});

test('invalid collection definitions are 400 with per-field codes', async () => {
  const err = await rejects(ctx.pb.collections.create({ name: 'bad name!', type: 'base' }));
  assert.equal(err.status, 400);
  assert.equal(typeof err.response.data.name?.code, 'string');

  await ctx.pb.collections.create({ name: 'dupe', type: 'base' });
  const dup = await rejects(ctx.pb.collections.create({ name: 'dupe', type: 'base' }));
  assert.equal(dup.status, 400);
  assert.equal(typeof dup.response.data.name?.code, 'string');
});

test('updated autodate moves on update, created does not', async () => {
  await createTyped(ctx.pb, 'stamps');
  const rec = await ctx.pb.collection('stamps').create({ title: 'Tick' });
  await sleep(20);
  const upd = await ctx.pb.collection('stamps').update(rec.id, { title: 'Tock' });
  assert.equal(upd.created, rec.created);
  assert.ok(upd.updated > rec.updated, `${upd.updated} > ${rec.updated}`);
});
