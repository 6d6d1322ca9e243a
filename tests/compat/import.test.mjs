// `papergao import pocketbase` (docs/migrating-from-pocketbase.md): PocketBase's own test pb_data
// (../shared/fixtures/pocketbase-pb_data, never copied into the repository) imported into a project of a running
// server, then used through the unmodified SDK as an app would after the move. Skipped when the fixture is absent,
// failed instead with PAPERGAO_REQUIRE_FIXTURES=1 (.ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import PocketBase from 'pocketbase';
import { useServer, rejects } from './lib/harness.mjs';
import { repoRoot } from './server.mjs';

function findFixture() {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'fixtures', 'pocketbase-pb_data');
    if (existsSync(join(candidate, 'data.db'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

const fixture = findFixture();
const required = ['1', 'true'].includes(process.env.PAPERGAO_REQUIRE_FIXTURES ?? '');
const ctx = useServer();
const PASSWORD = '1234567890'; // every account of PocketBase's tests/data

function client(base) {
  const pb = new PocketBase(base);
  pb.autoCancellation(false);
  return pb;
}

test('a PocketBase project imported with the CLI answers the SDK like PocketBase', { skip: !fixture && !required && 'shared/fixtures/pocketbase-pb_data not found (set PAPERGAO_REQUIRE_FIXTURES=1 to fail instead)' }, async () => {
  assert.ok(fixture, 'shared/fixtures/pocketbase-pb_data not found and PAPERGAO_REQUIRE_FIXTURES=1');
  const report = await ctx.server.importPocketBase(fixture, 'pbshop');
  assert.match(report, /demo1\s+base\s+3\s+7/);

  const base = `${ctx.url}/p/pbshop`;
  const su = client(base);
  await su.collection('_superusers').authWithPassword('test@example.com', PASSWORD);
  assert.ok(su.authStore.isSuperuser);
  await rejects(client(base).collection('_superusers').authWithPassword('test@example.com', 'not-the-password'));

  const demo1 = await su.collection('demo1').getFullList({ sort: 'created' });
  assert.deepEqual(demo1.map((r) => r.id), ['84nmscqy84lsi1t', 'al1h9ijdeojtsjy', 'imy661ixudk5izi']);
  assert.equal(demo1[0].text, 'test');
  assert.deepEqual(demo1[0].select_many, ['optionB', 'optionC']);
  assert.equal(demo1[0].created, '2022-10-14 10:13:12.397Z');

  // A client of the "clients" auth collection signs in with its PocketBase password; demo3's rule lets clients in, not users.
  const clients = await su.collection('clients').getFullList({ filter: 'verified = true' });
  const app = client(base);
  await app.collection('clients').authWithPassword(clients[0].email, PASSWORD);
  assert.equal((await app.collection('demo3').getFullList()).length, 4);
  await app.collection('clients').authRefresh();

  // Files: same bytes through the SDK's URL.
  const user = await su.collection('users').getOne('4q1xlclmfloku33');
  const res = await fetch(su.files.getURL(user, user.avatar));
  assert.equal(res.status, 200);
  const expected = await readFile(join(fixture, 'storage', '_pb_users_auth_', '4q1xlclmfloku33', user.avatar));
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), expected);
});
