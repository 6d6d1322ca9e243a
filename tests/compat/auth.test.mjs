import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects, raw, RECORD_ID, DATETIME } from './lib/harness.mjs';

const ctx = useServer();
const SUPERUSERS_ID = 'pbc_3142635823';

function payload(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWT has three parts');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

test('superuser authWithPassword returns {token, record} and fills the auth store', async () => {
  const pb = ctx.guest();
  const auth = await pb.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password);

  assert.equal(typeof auth.token, 'string');
  assert.match(auth.record.id, RECORD_ID);
  assert.equal(auth.record.collectionId, SUPERUSERS_ID);
  assert.equal(auth.record.collectionName, '_superusers');
  assert.equal(auth.record.email, ctx.server.email);
  assert.equal(auth.record.verified, true);
  assert.match(auth.record.created, DATETIME);
  assert.equal(auth.record.password, undefined);
  assert.equal(auth.record.tokenKey, undefined);

  assert.equal(pb.authStore.isValid, true);
  assert.equal(pb.authStore.isSuperuser, true);
  assert.equal(pb.authStore.token, auth.token);
  assert.equal(pb.authStore.record.id, auth.record.id);
});

test('token payload carries type, id, collectionId, exp, refreshable', async () => {
  const pb = ctx.guest();
  const auth = await pb.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password);
  const p = payload(auth.token);
  assert.equal(p.type, 'auth');
  assert.equal(p.id, auth.record.id);
  assert.equal(p.collectionId, SUPERUSERS_ID);
  assert.equal(p.refreshable, true);
  const now = Math.floor(Date.now() / 1000);
  assert.ok(p.exp > now + 3600, `exp ${p.exp} should be well in the future`);
  assert.ok(p.exp <= now + 86400 + 60, `superuser tokens last 86400 s by default (exp ${p.exp})`);
});

test('wrong password is a 400 ClientResponseError', async () => {
  const pb = ctx.guest();
  const err = await rejects(pb.collection('_superusers').authWithPassword(ctx.server.email, 'not-the-password'));
  assert.equal(err.status, 400);
  assert.equal(err.response.status, 400);
  assert.equal(typeof err.response.message, 'string');
  assert.equal(pb.authStore.isValid, false);
});

test('authRefresh returns a fresh auth response', async () => {
  const pb = ctx.guest();
  const first = await pb.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password);
  const refreshed = await pb.collection('_superusers').authRefresh();
  assert.equal(typeof refreshed.token, 'string');
  assert.equal(refreshed.record.id, first.record.id);
  assert.equal(pb.authStore.isSuperuser, true);
});

test('Authorization works raw and with "Bearer "; a bad token is a guest (401 on superuser-only API)', async () => {
  const token = ctx.pb.authStore.token;
  const get = (auth) => raw(`${ctx.url}/api/collections?perPage=1`, { headers: auth ? { Authorization: auth } : {} });
  assert.equal((await get(token)).status, 200);
  assert.equal((await get(`Bearer ${token}`)).status, 200);
  assert.equal((await get('garbage.token.value')).status, 401);
  assert.equal((await get(null)).status, 401);
});

test('auth-methods of _superusers lists password auth', async () => {
  const methods = await ctx.guest().collection('_superusers').listAuthMethods();
  assert.equal(methods.password.enabled, true);
  assert.ok(methods.password.identityFields.includes('email'));
});
