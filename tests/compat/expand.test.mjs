import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, raw } from './lib/harness.mjs';
import { createBlog, seedBlog } from './lib/blog.mjs';

let s;
const ctx = useServer(async () => {
  await createBlog(ctx.pb);
  s = await seedBlog(ctx.pb);
});

test('expand a single relation', async () => {
  const p1 = await ctx.pb.collection('posts').getOne(s.p1.id, { expand: 'author' });
  assert.equal(p1.author, s.jane.id, 'the relation value stays the id');
  assert.equal(p1.expand.author.id, s.jane.id);
  assert.equal(p1.expand.author.name, 'Jane');
  assert.equal(p1.expand.author.collectionName, 'authors');
});

test('expand a multiple relation keeps the stored order', async () => {
  const p1 = await ctx.pb.collection('posts').getOne(s.p1.id, { expand: 'editors' });
  assert.ok(Array.isArray(p1.expand.editors));
  assert.deepEqual(p1.expand.editors.map((a) => a.name), ['John', 'Ann']);
});

test('expand several paths, nested and back-relations', async () => {
  const c1 = await ctx.pb.collection('comments').getOne(s.c1.id, { expand: 'post.author,author' });
  assert.equal(c1.expand.author.name, 'John');
  assert.equal(c1.expand.post.id, s.p1.id);
  assert.equal(c1.expand.post.expand.author.name, 'Jane');

  const p1 = await ctx.pb.collection('posts').getOne(s.p1.id, { expand: 'comments_via_post' });
  assert.ok(Array.isArray(p1.expand.comments_via_post));
  assert.deepEqual(p1.expand.comments_via_post.map((c) => c.message).sort(), ['first!', 'nice post']);

  const nested = await ctx.pb.collection('posts').getOne(s.p1.id, { expand: 'author, editors, comments_via_post.author' });
  assert.equal(nested.expand.author.name, 'Jane');
  assert.equal(nested.expand.editors.length, 2);
  const commenters = nested.expand.comments_via_post.map((c) => c.expand.author.name).sort();
  assert.deepEqual(commenters, ['Ann', 'John']);
});

test('expand on lists; missing relations and unknown paths are silently skipped', async () => {
  const list = await ctx.pb.collection('posts').getFullList({ expand: 'author', sort: 'title' });
  const byTitle = Object.fromEntries(list.map((r) => [r.title, r]));
  assert.equal(byTitle['Second post'].expand.author.name, 'John');
  assert.equal(byTitle.Untagged.expand?.author, undefined);

  const unknown = await ctx.pb.collection('posts').getOne(s.p1.id, { expand: 'nosuchfield' });
  assert.equal(unknown.id, s.p1.id);
});

test('expand on create and update responses', async () => {
  const created = await ctx.pb.collection('posts').create({ title: 'Expanded', author: s.ann.id }, { expand: 'author' });
  assert.equal(created.expand.author.name, 'Ann');
  const updated = await ctx.pb.collection('posts').update(created.id, { author: s.john.id }, { expand: 'author' });
  assert.equal(updated.expand.author.name, 'John');
  await ctx.pb.collection('posts').delete(created.id);
});

test('fields picker keeps only the listed paths', async () => {
  const res = await ctx.pb.collection('posts').getList(1, 10, {
    filter: `id = "${s.p1.id}"`,
    expand: 'author',
    fields: 'id,title,expand.author.name',
  });
  assert.equal(res.totalItems, 1, 'the list envelope is kept');
  const [item] = res.items;
  assert.deepEqual(Object.keys(item).sort(), ['expand', 'id', 'title']);
  assert.deepEqual(item.expand, { author: { name: 'Jane' } });

  const one = await ctx.pb.collection('posts').getOne(s.p2.id, { fields: 'id,views' });
  assert.deepEqual(one, { id: s.p2.id, views: 5 });

  const star = await ctx.pb.collection('posts').getOne(s.p2.id, { expand: 'author', fields: '*,expand.author.id' });
  assert.equal(star.title, 'Second post');
  assert.deepEqual(star.expand, { author: { id: s.john.id } });

  const res2 = await raw(`${ctx.url}/api/collections/_superusers/auth-with-password?fields=token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identity: ctx.server.email, password: ctx.server.password }),
  });
  assert.equal(res2.status, 200);
  assert.deepEqual(Object.keys(res2.json ?? {}), ['token'], 'fields applies to auth responses too');
});

test('skipTotal with a filter and expand', async () => {
  const res = await ctx.pb.collection('posts').getList(1, 2, { skipTotal: true, filter: 'published = true', expand: 'author', sort: 'title' });
  assert.equal(res.totalItems, -1);
  assert.equal(res.totalPages, -1);
  assert.equal(res.items.length, 2);
  assert.equal(res.items[0].expand.author.name, 'Jane');
});
