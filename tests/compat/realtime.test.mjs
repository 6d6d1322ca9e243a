// Realtime with the official SDK (protocol.md §6): the SDK needs a global EventSource, which Node 20 lacks; the
// `eventsource` package provides the standard one (pinned in package.json).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { useServer } from './lib/harness.mjs';
import { startOAuthServer } from './lib/oauth-server.mjs';

globalThis.EventSource = EventSource;
let oauth = null;
after(async () => { await oauth?.stop(); });

const ctx = useServer(async (c) => {
  oauth = await startOAuthServer();
  await c.pb.collections.create({
    name: 'notes', type: 'base',
    listRule: 'room = "public" || owner = @request.auth.id', viewRule: 'room = "public" || owner = @request.auth.id',
    createRule: '@request.auth.id != ""', updateRule: 'owner = @request.auth.id', deleteRule: 'owner = @request.auth.id',
    fields: [
      { name: 'text', type: 'text' },
      { name: 'room', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    ],
  });
  for (const name of ['ann', 'ben']) {
    await c.pb.collection('users').create({ email: `${name}@compat.test`, password: 'Compat-user-123', passwordConfirm: 'Compat-user-123', name });
  }
});

/** A queue of events for one callback, with a deadline per wait. */
function inbox() {
  const items = [];
  const waiters = [];
  return {
    push(e) { const w = waiters.shift(); if (w) w(e); else items.push(e); },
    next(ms = 5000) {
      if (items.length) return Promise.resolve(items.shift());
      return new Promise((resolve, reject) => {
        const waiter = (e) => { clearTimeout(t); resolve(e); };
        // A wait that timed out leaves the queue: else the next event would go to it and be lost.
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(waiter), 1); reject(new Error(`no realtime event within ${ms} ms`)); }, ms);
        waiters.push(waiter);
      });
    },
    get size() { return items.length; },
  };
}

async function signedIn(name) {
  const pb = ctx.guest();
  await pb.collection('users').authWithPassword(`${name}@compat.test`, 'Compat-user-123');
  return pb;
}

test('subscribe with filter and expand, rules between two users, unsubscribe', async () => {
  const ann = await signedIn('ann');
  const ben = await signedIn('ben');
  const annEvents = inbox();
  const benEvents = inbox();
  const filtered = inbox();
  const unsubAnn = await ann.collection('notes').subscribe('*', (e) => annEvents.push(e), { expand: 'owner' });
  await ben.collection('notes').subscribe('*', (e) => benEvents.push(e));
  await ben.collection('notes').subscribe('*', (e) => filtered.push(e), { filter: 'room = "public" && text ~ "hello"' });

  const annNote = await ann.collection('notes').create({ text: 'ann only', owner: ann.authStore.record.id });
  const pub = await ann.collection('notes').create({ text: 'hello world', room: 'public', owner: ann.authStore.record.id });

  const e1 = await annEvents.next();
  assert.equal(e1.action, 'create');
  assert.equal(e1.record.id, annNote.id);
  assert.equal(e1.record.expand.owner.name, 'ann');
  assert.equal((await annEvents.next()).record.id, pub.id);
  assert.equal((await benEvents.next()).record.id, pub.id); // ann's private note never reached ben
  assert.equal((await filtered.next()).record.id, pub.id);

  await ann.collection('notes').update(annNote.id, { text: 'edited' });
  const e3 = await annEvents.next();
  assert.equal(e3.action, 'update');
  assert.equal(e3.record.text, 'edited');
  await ann.collection('notes').delete(pub.id);
  assert.equal((await annEvents.next()).action, 'delete');
  const d = await benEvents.next();
  assert.equal(d.action, 'delete');
  assert.equal(d.record.id, pub.id);

  await unsubAnn();
  await ann.collection('notes').create({ text: 'after unsubscribe', room: 'public', owner: ann.authStore.record.id });
  assert.equal((await benEvents.next()).record.text, 'after unsubscribe');
  assert.equal(annEvents.size, 0);
  assert.equal(ann.realtime.isConnected, false); // no listener left: the SDK closed its stream
  await ben.realtime.unsubscribe();
});

test('a single record topic uses the view rule', async () => {
  const ann = await signedIn('ann');
  const ben = await signedIn('ben');
  const note = await ann.collection('notes').create({ text: 'watch me', owner: ann.authStore.record.id });
  const annEvents = inbox();
  const benEvents = inbox();
  await ann.collection('notes').subscribe(note.id, (e) => annEvents.push(e));
  await ben.collection('notes').subscribe(note.id, (e) => benEvents.push(e));
  await ann.collection('notes').update(note.id, { text: 'watched' });
  assert.equal((await annEvents.next()).record.text, 'watched');
  await ann.collection('notes').update(note.id, { room: 'public' });
  assert.equal((await benEvents.next()).record.room, 'public'); // the first event ben may see
  assert.equal(benEvents.size, 0);
  await ann.realtime.unsubscribe();
  await ben.realtime.unsubscribe();
});

test('after a server restart the SDK reconnects, resubscribes and events flow again', async () => {
  const ann = await signedIn('ann');
  const events = inbox();
  await ann.collection('notes').subscribe('*', (e) => events.push(e));
  const firstClient = ann.realtime.clientId;
  await ann.collection('notes').create({ text: 'before', room: 'public', owner: ann.authStore.record.id });
  assert.equal((await events.next()).record.text, 'before');

  await ctx.server.restart();
  try {
    const writer = await signedIn('ann');
    // The SDK retries with backoff; keep writing until an event arrives through the new connection.
    const deadline = Date.now() + 30_000;
    let got = null;
    while (!got && Date.now() < deadline) {
      await writer.collection('notes').create({ text: 'after', room: 'public', owner: writer.authStore.record.id });
      got = await events.next(1000).catch(() => null);
    }
    assert.ok(got, `no event after the restart (connected=${ann.realtime.isConnected}, new client id=${ann.realtime.clientId !== firstClient}, subscriptions=${JSON.stringify(Object.keys(ann.realtime.subscriptions ?? {}))})`);
    assert.equal(got.record.text, 'after');
    assert.notEqual(ann.realtime.clientId, firstClient);
  } finally {
    // Also on failure: a subscription left behind keeps the SDK's reconnect loop (and this process) alive.
    await ann.realtime.unsubscribe().catch(() => {});
  }
});

test('the all-in-one OAuth2 flow hands the code over the @oauth2 subscription (protocol.md §5.5b)', async () => {
  await ctx.pb.collections.create({
    name: 'members', type: 'auth', createRule: '',
    fields: [{ name: 'name', type: 'text' }],
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name' },
      providers: [{ name: 'oidc', clientId: 'rt-client', clientSecret: 'rt-secret', extra: { issuer: oauth.url } }],
    },
  });
  const pb = ctx.guest();
  const user = { sub: 'rt-1', email: 'popup@x.test', email_verified: true, name: 'Popup User' };
  let redirectStatus = 0;
  const auth = await pb.collection('members').authWithOAuth2({
    provider: 'oidc',
    // Plays the browser popup: the provider redirects to <server>/api/oauth2-redirect?code&state=<clientId>.
    urlCallback: async (url) => {
      const res = await fetch(url + '&test_user=' + encodeURIComponent(JSON.stringify(user)), { redirect: 'manual' });
      const location = new URL(res.headers.get('location'));
      assert.equal(location.origin + location.pathname, `${ctx.url}/api/oauth2-redirect`);
      const landed = await fetch(location);
      redirectStatus = landed.status;
    },
  });
  assert.equal(redirectStatus, 200);
  assert.equal(auth.record.email, 'popup@x.test');
  assert.equal(auth.record.name, 'Popup User');
  assert.equal(auth.meta.isNew, true);
  assert.equal(pb.authStore.isValid, true);
  assert.equal(pb.realtime.isConnected, false); // the SDK closed its one-off realtime connection

  // Bad input: no state, and a state that is no realtime client.
  let res = await fetch(`${ctx.url}/api/oauth2-redirect?code=x`);
  assert.equal(res.status, 400);
  assert.equal((await res.json()).data.state.code, 'validation_required');
  res = await fetch(`${ctx.url}/api/oauth2-redirect?code=x&state=nope`);
  assert.equal(res.status, 404);
});
