import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, raw } from './lib/harness.mjs';

const ctx = useServer();

test('pb.health.check() answers healthy', async () => {
  const res = await ctx.guest().health.check();
  assert.deepEqual(res, { message: 'API is healthy.', code: 200, data: {} });
});

test('unknown paths answer the JSON 404 envelope', async () => {
  const res = await raw(`${ctx.url}/api/definitely-not-here`);
  assert.equal(res.status, 404);
  const body = res.json;
  assert.equal(body.status, 404);
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(body.data, {});
});

test('CORS preflight is answered with 204', async () => {
  const res = await raw(`${ctx.url}/api/health`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});
