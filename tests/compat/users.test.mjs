import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';

const PASSWORD = 'User-password-123';

const ctx = useServer(async (c) => {
  await c.pb.collections.create({
    name: 'notes',
    type: 'base',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: "@request.auth.id != '' && @request.body.owner = @request.auth.id",
    updateRule: 'owner = @request.auth.id',
    deleteRule: 'owner = @request.auth.id',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    ],
  });
});

let counter = 0;
async function signUp() {
  const email = `user${++counter}-${Date.now()}@compat.test`;
  const pb = ctx.guest();
  const rec = await pb.collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  await pb.collection('users').authWithPassword(email, PASSWORD);
  return { pb, rec, email };
}

test('users sign up, sign in and refresh with the SDK', async () => {
  const { pb, rec, email } = await signUp();
  assert.equal(pb.authStore.isValid, true);
  assert.equal(pb.authStore.isSuperuser, false);
  assert.equal(pb.authStore.record.id, rec.id);
  assert.equal(pb.authStore.record.email, email);
  const refreshed = await pb.collection('users').authRefresh();
  assert.equal(refreshed.record.id, rec.id);
  assert.equal(pb.authStore.token, refreshed.token);

  const dup = await rejects(ctx.guest().collection('users').create({ email: email.toUpperCase(), password: PASSWORD, passwordConfirm: PASSWORD }));
  assert.equal(dup.status, 400);
  assert.equal(dup.response.data.email.code, 'validation_not_unique');
});

test('owner rules separate two users', async () => {
  const a = await signUp();
  const b = await signUp();
  const note = await a.pb.collection('notes').create({ title: 'mine', owner: a.rec.id });
  const list = await b.pb.collection('notes').getList(1, 10);
  assert.equal(list.items.some((n) => n.id === note.id), false);
  assert.equal((await rejects(b.pb.collection('notes').getOne(note.id))).status, 404);
  assert.equal((await rejects(b.pb.collection('notes').update(note.id, { title: 'x' }))).status, 404);
  assert.equal((await rejects(b.pb.collection('notes').delete(note.id))).status, 404);
  assert.equal((await rejects(b.pb.collection('notes').create({ title: 'x', owner: a.rec.id }))).status, 400);
  assert.equal((await a.pb.collection('notes').getOne(note.id)).title, 'mine');
  // b cannot see or write a's user record.
  assert.equal((await rejects(b.pb.collection('users').update(a.rec.id, { name: 'x' }))).status, 404);
});

test('superusers impersonate a user with a non-refreshable token', async () => {
  const { rec } = await signUp();
  const imp = await ctx.pb.collection('users').impersonate(rec.id, 3600);
  assert.equal(imp.authStore.record.id, rec.id);
  const claims = JSON.parse(Buffer.from(imp.authStore.token.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.refreshable, false);
  const before = imp.authStore.token;
  const refreshed = await imp.collection('users').authRefresh();
  assert.equal(refreshed.token, before);
  assert.equal((await imp.collection('users').getOne(rec.id)).id, rec.id);

  const { pb } = await signUp();
  assert.equal((await rejects(pb.collection('users').impersonate(rec.id, 60))).status, 403);
});

test('a password change kills the old token', async () => {
  const { pb, rec, email } = await signUp();
  const oldToken = pb.authStore.token;
  await pb.collection('users').update(rec.id, { oldPassword: PASSWORD, password: 'New-password-456', passwordConfirm: 'New-password-456' });
  const stale = ctx.guest();
  stale.authStore.save(oldToken, null);
  assert.equal((await rejects(stale.collection('users').authRefresh())).status, 401);
  const fresh = ctx.guest();
  await fresh.collection('users').authWithPassword(email, 'New-password-456');
  assert.equal(fresh.authStore.record.id, rec.id);
});
