import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOAuthServer } from './lib/oauth-server.mjs';
import { useServer, rejects } from './lib/harness.mjs';

const REDIRECT = 'https://app.example.test/oauth2-redirect';
let oauth = null;

after(async () => {
  await oauth?.stop();
});

const ctx = useServer(async (c) => {
  oauth = await startOAuthServer();
  await c.pb.collections.create({
    name: 'members', type: 'auth', createRule: '',
    fields: [{ name: 'name', type: 'text' }],
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name' },
      providers: [{ name: 'oidc', clientId: 'compat-client', clientSecret: 'compat-secret', extra: { issuer: oauth.url } }],
    },
  });
});

/** Plays the browser: opens authURL + redirect for a test user, returns the code after checking the state. */
async function authorize(provider, user) {
  const res = await fetch(provider.authURL + encodeURIComponent(REDIRECT) + '&test_user=' + encodeURIComponent(JSON.stringify(user)), { redirect: 'manual' });
  const location = new URL(res.headers.get('location'));
  assert.equal(location.searchParams.get('state'), provider.state);
  return location.searchParams.get('code');
}

test('listAuthMethods reports the provider with PKCE; authWithOAuth2Code signs up, then signs in', async () => {
  const pb = ctx.guest();
  const methods = await pb.collection('members').listAuthMethods();
  assert.equal(methods.oauth2.enabled, true);
  const provider = methods.oauth2.providers.find((p) => p.name === 'oidc');
  assert.ok(provider.authURL.endsWith('&redirect_uri='));
  assert.equal(provider.codeChallengeMethod, 'S256');
  assert.equal(JSON.stringify(methods).includes('compat-secret'), false);

  const user = { sub: 'compat-1', email: 'compat@x.test', email_verified: true, name: 'Compat User' };
  const first = await pb.collection('members').authWithOAuth2Code('oidc', await authorize(provider, user), provider.codeVerifier, REDIRECT);
  assert.equal(first.meta.isNew, true);
  assert.equal(first.meta.id, 'compat-1');
  assert.equal(first.record.email, 'compat@x.test');
  assert.equal(first.record.name, 'Compat User');
  assert.equal(first.record.verified, true);
  assert.equal(pb.authStore.isValid, true);
  assert.equal(pb.authStore.record.id, first.record.id);

  const again = ctx.guest();
  const p2 = (await again.collection('members').listAuthMethods()).oauth2.providers[0];
  const second = await again.collection('members').authWithOAuth2Code('oidc', await authorize(p2, user), p2.codeVerifier, REDIRECT);
  assert.equal(second.meta.isNew, false);
  assert.equal(second.record.id, first.record.id);
});

test('authWithOAuth2Code with a wrong verifier or an unknown provider rejects with 400', async () => {
  const pb = ctx.guest();
  const provider = (await pb.collection('members').listAuthMethods()).oauth2.providers[0];
  const code = await authorize(provider, { sub: 'compat-2', email: 'two@x.test', email_verified: true });
  const wrong = await rejects(pb.collection('members').authWithOAuth2Code('oidc', code, 'x'.repeat(43), REDIRECT));
  assert.equal(wrong.status, 400);
  assert.equal(pb.authStore.isValid, false);
  const unknown = await rejects(pb.collection('members').authWithOAuth2Code('nope', 'code', 'v', REDIRECT));
  assert.equal(unknown.status, 400);
  assert.equal(unknown.response.data.provider.code, 'validation_invalid_provider');
});
