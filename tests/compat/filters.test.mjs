import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';
import { createBlog, seedBlog } from './lib/blog.mjs';

let s;
const ctx = useServer(async () => {
  await createBlog(ctx.pb);
  s = await seedBlog(ctx.pb);
});

async function titles(filter, sort = 'title') {
  const list = await ctx.pb.collection('posts').getFullList({ filter, sort });
  return list.map((r) => r.title);
}

test('~ is a case-insensitive contains', async () => {
  assert.deepEqual(await titles('title ~ "hello"'), ['Another hello', 'Hello world']);
  assert.deepEqual(await titles('title !~ "hello"'), ['Second post', 'Untagged']);
  assert.deepEqual(await titles('title ~ "Hello%"'), ['Hello world'], 'a % makes it a LIKE pattern');
});

test('= and != on text, number and bool', async () => {
  assert.deepEqual(await titles('title = "Second post"'), ['Second post']);
  assert.deepEqual(await titles('views = 5'), ['Second post', 'Untagged']);
  assert.deepEqual(await titles('views != 5'), ['Another hello', 'Hello world']);
  assert.deepEqual(await titles('published = false'), ['Second post']);
  assert.deepEqual(await titles('author = ""'), ['Untagged'], 'empty relation equals ""');
  assert.deepEqual(await titles('author = null'), ['Untagged'], 'null equals ""');
});

test('&&, || and parentheses', async () => {
  assert.deepEqual(await titles('published = true && views > 10'), ['Another hello']);
  assert.deepEqual(await titles('views = 20 || title = "Second post"'), ['Another hello', 'Second post']);
  assert.deepEqual(await titles('(views = 20 || views = 10) && title ~ "world"'), ['Hello world']);
  assert.deepEqual(await titles('views >= 10 && views <= 20'), ['Another hello', 'Hello world']);
});

test('multi select: ?= through :each, :length, match-all', async () => {
  assert.deepEqual(await titles('tags:each ?= "a"'), ['Hello world']);
  assert.deepEqual(await titles('tags:each ?= "b"'), ['Hello world', 'Second post']);
  assert.deepEqual(await titles('tags:length = 0'), ['Untagged']);
  assert.deepEqual(await titles('tags:length > 1'), ['Hello world']);
  assert.deepEqual(await titles('tags:each = "b" && tags:length > 0'), ['Second post'], 'non-? operator means every value');
  assert.deepEqual(await titles('tags ~ "c"'), ['Another hello'], 'bare multi field is its JSON text');
});

test('relation paths: single, multiple, and back-relation', async () => {
  assert.deepEqual(await titles('author.name = "Jane"'), ['Another hello', 'Hello world']);
  assert.deepEqual(await titles('editors.name ?= "Ann"'), ['Hello world']);
  assert.deepEqual(await titles('editors.id ?= "' + s.jane.id + '"'), ['Second post']);
  assert.deepEqual(await titles('comments_via_post.message ?= "hmm"'), ['Second post']);
  assert.deepEqual(await titles('comments_via_post.author.name ?= "Ann"'), ['Hello world']);
});

test('json paths', async () => {
  assert.deepEqual(await titles('meta.lang = "en"'), ['Hello world']);
});

test('sdk pb.filter() placeholders', async () => {
  const filter = ctx.pb.filter('title = {:t} && views > {:v}', { t: 'Hello world', v: 1 });
  assert.deepEqual(await titles(filter), ['Hello world']);
});

test('sort: -created, multiple fields, relation field', async () => {
  const byCreated = await ctx.pb.collection('posts').getFullList({ sort: '-created' });
  for (let i = 1; i < byCreated.length; i++) {
    assert.ok(byCreated[i - 1].created >= byCreated[i].created, 'descending created');
  }
  if (s.p4.created > s.p1.created) {
    assert.ok(byCreated.findIndex((r) => r.id === s.p4.id) < byCreated.findIndex((r) => r.id === s.p1.id));
  }

  const multi = await ctx.pb.collection('posts').getFullList({ sort: '-views,title' });
  assert.deepEqual(multi.map((r) => r.title), ['Another hello', 'Hello world', 'Second post', 'Untagged']);

  const multi2 = await ctx.pb.collection('posts').getFullList({ sort: 'views,-title' });
  assert.deepEqual(multi2.map((r) => r.title), ['Untagged', 'Second post', 'Hello world', 'Another hello']);

  const byAuthor = await ctx.pb.collection('posts').getFullList({ sort: 'author.name,title', filter: 'author != ""' });
  assert.deepEqual(byAuthor.map((r) => r.title), ['Another hello', 'Hello world', 'Second post']);
});

test('filter combined with paging keeps totals of the filtered set', async () => {
  const res = await ctx.pb.collection('posts').getList(1, 1, { filter: 'published = true', sort: 'title' });
  assert.equal(res.totalItems, 3);
  assert.equal(res.totalPages, 3);
  assert.equal(res.items[0].title, 'Another hello');
});

test('invalid filter, unknown field and invalid sort are 400', async () => {
  for (const filter of ['title = "a" &&', '(title = "a"', 'nosuchfield = 1', 'title =']) {
    const err = await rejects(ctx.pb.collection('posts').getList(1, 10, { filter }));
    assert.equal(err.status, 400, `filter ${filter}`);
    assert.deepEqual(err.response.data, {});
  }
  const err = await rejects(ctx.pb.collection('posts').getList(1, 10, { sort: 'nosuchfield' }));
  assert.equal(err.status, 400);
});
