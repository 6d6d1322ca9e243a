import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';

// The SDK's LogService (pb.logs) against the request logs (docs/logs.md).
const ctx = useServer(async () => {});

async function waitFor(check) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('timed out waiting for the request logs');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('pb.logs lists, reads and counts request logs; guests are refused', async () => {
  await rejects(ctx.guest().collection('nope').getList(1, 1, { filter: 'x = 1' }));
  const page = await waitFor(async () => {
    const p = await ctx.pb.logs.getList(1, 10, { filter: 'data.status = 404 && data.url ~ "/api/collections/nope"', sort: '-created' });
    return p.totalItems >= 1 ? p : null;
  });
  const log = page.items[0];
  assert.equal(log.level, 4);
  assert.equal(log.data.method, 'GET');
  assert.equal(log.data.auth, 'guest');
  assert.equal((await ctx.pb.logs.getOne(log.id)).id, log.id);
  const stats = await ctx.pb.logs.getStats({ filter: 'data.status = 404' });
  assert.ok(stats.length >= 1);
  assert.match(stats[0].date, /^\d{4}-\d{2}-\d{2} \d{2}:00:00$/);
  assert.ok(stats.reduce((n, s) => n + s.total, 0) >= 1);
  assert.equal((await rejects(ctx.pb.logs.getOne('nosuchlog123456'))).status, 404);
  assert.equal((await rejects(ctx.pb.logs.getList(1, 10, { filter: 'data.status = ' }))).status, 400);
  assert.equal((await rejects(ctx.guest().logs.getList(1, 10))).status, 401);
});
