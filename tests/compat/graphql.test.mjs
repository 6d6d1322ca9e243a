import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { useServer } from './lib/harness.mjs';
import { createBlog, seedBlog } from './lib/blog.mjs';

const ctx = useServer(async (c) => {
  await createBlog(c.pb);
  await seedBlog(c.pb);
});

// The audit introspects (__type), which is for superusers by default: it runs with a superuser's token.
test('the graphql-http server audit (GraphQL-over-HTTP spec) passes in full', async () => {
  const fetchFn = (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), Authorization: ctx.pb.authStore.token } });
  const results = [];
  for (const audit of serverAudits({ url: `${ctx.url}/api/graphql`, fetchFn })) {
    results.push({ id: audit.id, name: audit.name, ...(await audit.fn()) });
  }
  const failed = results.filter((r) => r.status !== 'ok');
  assert.deepEqual(failed.map((r) => `${r.id} ${r.name}: ${r.status} ${r.reason ?? ''}`), []);
  assert.ok(results.length >= 40, `${results.length} audits ran`);
});

test('the issue example: a filtered, sorted page with a relation and a back-relation', async () => {
  const query = `{ postsList(filter: "views > 5", sort: "-created", perPage: 5) { totalItems items { id title author { name } comments_via_post { message } } } }`;
  const res = await fetch(`${ctx.url}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: ctx.pb.authStore.token },
    body: JSON.stringify({ query }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.errors, undefined);
  assert.equal(body.data.postsList.totalItems, 2);
  const hello = body.data.postsList.items.find((p) => p.title === 'Hello world');
  assert.equal(hello.author.name, 'Jane');
  assert.ok(hello.comments_via_post.length > 0);
});

test('subscriptions over graphql-transport-ws: events the subscriber may see, matching its filter', async () => {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const client = createClient({ url: `${ctx.url.replace(/^http/, 'ws')}/api/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  try {
    const events = [];
    let resolveFirst;
    const first = new Promise((r) => { resolveFirst = r; });
    const done = new Promise((resolve, reject) => {
      const unsubscribe = client.subscribe(
        { query: 'subscription { posts(filter: "published = true") { action record { title author { name } } } }' },
        {
          next: (v) => { events.push(v); resolveFirst(); },
          error: reject,
          complete: resolve,
        },
      );
      ctx.unsubscribe = unsubscribe;
    });
    // Wait until the subscription is registered on the server: a query on the same connection is answered after it.
    await new Promise((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));
    const jane = (await ctx.pb.collection('authors').getFirstListItem('name = "Jane"'));
    await ctx.pb.collection('posts').create({ title: 'hidden draft', published: false, author: jane.id });
    await ctx.pb.collection('posts').create({ title: 'live post', published: true, author: jane.id });
    await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no event within 10 s')), 10_000))]);
    ctx.unsubscribe();
    await done;
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.deepEqual(events[0].data.posts, { action: 'create', record: { title: 'live post', author: { name: 'Jane' } } });

    // A collection the guest may not list is not in its subscription type.
    const err = await new Promise((resolve) => client.subscribe({ query: 'subscription { _superusers { action } }' }, { next: () => {}, error: resolve, complete: () => resolve(null) }));
    assert.ok(Array.isArray(err) && err.length > 0, JSON.stringify(err));
  } finally {
    await client.dispose();
  }
});
