import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';
import { createBlog, seedBlog } from './lib/blog.mjs';

let s;
const ctx = useServer(async () => {
  await createBlog(ctx.pb);
  s = await seedBlog(ctx.pb);
});

test('select modifiers: tags+ appends, +tags prepends, tags- removes, values deduplicated', async () => {
  const posts = ctx.pb.collection('posts');
  const rec = await posts.create({ title: 'Mods', tags: ['a'], views: 1 });

  assert.deepEqual((await posts.update(rec.id, { 'tags+': 'c' })).tags, ['a', 'c']);
  assert.deepEqual((await posts.update(rec.id, { 'tags+': ['d', 'a'] })).tags, ['a', 'c', 'd']);
  assert.deepEqual((await posts.update(rec.id, { 'tags-': 'a' })).tags, ['c', 'd']);
  assert.deepEqual((await posts.update(rec.id, { '+tags': 'b' })).tags, ['b', 'c', 'd']);
  assert.deepEqual((await posts.update(rec.id, { 'tags-': ['b', 'c', 'd'] })).tags, []);
});

test('number modifiers: views+ adds, views- subtracts, applied after the plain key', async () => {
  const posts = ctx.pb.collection('posts');
  const rec = await posts.create({ title: 'Counter', views: 1 });
  assert.equal((await posts.update(rec.id, { 'views+': 5 })).views, 6);
  assert.equal((await posts.update(rec.id, { 'views-': 2 })).views, 4);
  assert.equal((await posts.update(rec.id, { views: 1, 'views-': 5, 'views+': 2 })).views, -2);
});

test('relation modifiers on a multiple relation', async () => {
  const posts = ctx.pb.collection('posts');
  const rec = await posts.create({ title: 'Editors', editors: [s.jane.id] });
  assert.deepEqual((await posts.update(rec.id, { 'editors+': s.john.id })).editors, [s.jane.id, s.john.id]);
  assert.deepEqual((await posts.update(rec.id, { 'editors-': s.jane.id })).editors, [s.john.id]);
});

test('modifiers work on create too', async () => {
  const rec = await ctx.pb.collection('posts').create({ title: 'Created with mods', 'tags+': ['a', 'b'], 'views+': 3 });
  assert.deepEqual(rec.tags, ['a', 'b']);
  assert.equal(rec.views, 3);
});

test('delete cascades to records whose cascadeDelete relation pointed at it', async () => {
  const posts = ctx.pb.collection('posts');
  const comments = ctx.pb.collection('comments');
  assert.equal(await posts.delete(s.p1.id), true);
  for (const c of [s.c1, s.c2]) {
    const err = await rejects(comments.getOne(c.id));
    assert.equal(err.status, 404, `comment ${c.message} is gone with its post`);
  }
  assert.equal((await comments.getOne(s.c3.id)).post, s.p2.id, 'other comments stay');
});

test('deleting a non-cascade relation target clears the references', async () => {
  const ann = await ctx.pb.collection('authors').create({ name: 'Temp' });
  const post = await ctx.pb.collection('posts').create({ title: 'Refs', author: ann.id, editors: [ann.id, s.john.id] });
  await ctx.pb.collection('authors').delete(ann.id);
  const after = await ctx.pb.collection('posts').getOne(post.id);
  assert.equal(after.author, '');
  assert.deepEqual(after.editors, [s.john.id]);
});
