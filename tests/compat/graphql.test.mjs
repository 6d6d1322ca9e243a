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

// Opens a graphql-ws client that sends the given headers on the upgrade request (an API key cannot go in connectionParams).
async function wsClient(headers) {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  class WithHeaders extends WebSocket {
    constructor(url, protocols) { super(url, protocols, { headers }); }
  }
  return createClient({ url: `${ctx.url.replace(/^http/, 'ws')}/api/graphql`, webSocketImpl: WithHeaders, retryAttempts: 0, lazy: false });
}

function once(client, payload) {
  return new Promise((resolve) => {
    const results = [];
    client.subscribe(payload, { next: (v) => results.push(v), error: (e) => resolve({ error: e, results }), complete: () => resolve({ results }) });
  });
}

test('subscriptions with a scoped API key follow the key: its locked collection streams, a relation filter into a locked collection is refused', async () => {
  const vault = await ctx.pb.collections.create({ name: 'vault', type: 'base', fields: [{ name: 'secret', type: 'text' }] });
  await ctx.pb.collections.create({
    name: 'memos',
    type: 'base',
    fields: [{ name: 'text', type: 'text' }, { name: 'box', type: 'relation', collectionId: vault.id, maxSelect: 1 }],
  });
  const key = await ctx.pb.send('/api/keys', { method: 'POST', body: { name: 'memo-reader', scopes: [{ collection: 'memos', actions: ['list', 'view'] }] } });
  const client = await wsClient({ 'X-API-Key': key.key });
  try {
    const events = [];
    let resolveFirst;
    const first = new Promise((r) => { resolveFirst = r; });
    const unsubscribe = client.subscribe(
      { query: 'subscription { memos { action record { text } } }' },
      { next: (v) => { events.push(v); resolveFirst(); }, error: (e) => resolveFirst(e), complete: () => {} },
    );
    // The subscription is registered once a later operation on the same connection is answered.
    assert.equal((await once(client, { query: '{ __typename }' })).error, undefined);
    await ctx.pb.collection('memos').create({ text: 'for the key' });
    await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no event within 10 s')), 10_000))]);
    unsubscribe();
    assert.deepEqual(events.map((e) => e.data?.memos), [{ action: 'create', record: { text: 'for the key' } }], JSON.stringify(events));

    // The key evaluates filters as itself: through the relation into the locked vault it is refused, not run as a superuser.
    const refused = await once(client, { query: 'subscription { memos(filter: "box.secret = \'x\'") { action } }' });
    assert.ok(Array.isArray(refused.error) && refused.error[0].extensions?.status === 403, JSON.stringify(refused));
    // A collection outside the key's scope is not in its subscription type.
    const outside = await once(client, { query: 'subscription { posts { action } }' });
    assert.ok(Array.isArray(outside.error) && outside.error.length > 0, JSON.stringify(outside));
  } finally {
    await client.dispose();
  }

  // A guest gets no subscription on the locked collection at all.
  const guest = await wsClient({});
  try {
    const denied = await once(guest, { query: 'subscription { memos { action } }' });
    assert.ok(Array.isArray(denied.error) && denied.error.length > 0, JSON.stringify(denied));
  } finally {
    await guest.dispose();
  }
});

test('subscription events show an email to a user the auth collection\'s manageRule allows, as REST does', async () => {
  const members = await ctx.pb.collections.create({
    name: 'members',
    type: 'auth',
    listRule: '@request.auth.id != ""',
    viewRule: '@request.auth.id != ""',
    manageRule: '@request.auth.admin = true',
    fields: [{ name: 'admin', type: 'bool' }, { name: 'nick', type: 'text' }],
  });
  assert.ok(members.id);
  const boss = await ctx.pb.collection('members').create({ email: 'boss@example.com', password: 'password123', passwordConfirm: 'password123', admin: true });
  const peer = await ctx.pb.collection('members').create({ email: 'peer@example.com', password: 'password123', passwordConfirm: 'password123', admin: false });
  const other = await ctx.pb.collection('members').create({ email: 'other@example.com', password: 'password123', passwordConfirm: 'password123', emailVisibility: false });
  const tokenOf = async (email) => (await ctx.guest().collection('members').authWithPassword(email, 'password123')).token;
  const seen = {};
  for (const [who, token] of [['boss', await tokenOf('boss@example.com')], ['peer', await tokenOf('peer@example.com')]]) {
    const client = await wsClient({ Authorization: token });
    try {
      let resolveFirst;
      const first = new Promise((r) => { resolveFirst = r; });
      const unsubscribe = client.subscribe(
        { query: `subscription { members(filter: "id = '${other.id}'") { action record { id email } } }` },
        { next: (v) => resolveFirst(v), error: (e) => resolveFirst(e), complete: () => {} },
      );
      assert.equal((await once(client, { query: '{ __typename }' })).error, undefined);
      await ctx.pb.collection('members').update(other.id, { nick: `touched by ${who}` });
      const event = await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('no event within 10 s')), 10_000))]);
      unsubscribe();
      seen[who] = event.data?.members?.record ?? event;
    } finally {
      await client.dispose();
    }
  }
  // REST: the manager sees the hidden email on a single record, the peer does not.
  const bossRest = ctx.guest();
  await bossRest.collection('members').authWithPassword('boss@example.com', 'password123');
  assert.equal((await bossRest.collection('members').getOne(other.id)).email, 'other@example.com');
  assert.deepEqual(seen.boss, { id: other.id, email: 'other@example.com' });
  assert.deepEqual(seen.peer, { id: other.id, email: null });
  assert.ok(boss.id && peer.id);
});
