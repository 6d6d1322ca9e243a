// papergao typegen --lang ts: the generated types compile with tsc --strict against the official SDK, a small app
// using them runs against the server, and misuses of the types are compile errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serverDll } from '../compat/server.mjs';
import { useServer, workDir, tsc, createShopSchema, here } from './lib.mjs';

const ctx = useServer(async (c) => { await createShopSchema(c.pb); });

async function typegen(lang, token = ctx.token) {
  const res = await fetch(`${ctx.url}/api/typegen?lang=${lang}`, { headers: token ? { Authorization: token } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function appDir() {
  const dir = await workDir('app-');
  for (const f of ['main.ts', 'wrong.ts', 'tsconfig.json', 'tsconfig.wrong.json']) await copyFile(join(here, 'app', f), join(dir, f));
  // The app imports "pocketbase" from this folder's node_modules (Node resolution walks up from .tmp/app-*).
  const ts = await typegen('ts');
  assert.equal(ts.status, 200, ts.text);
  await writeFile(join(dir, 'pb-types.ts'), ts.text);
  return { dir, types: ts.text };
}

test('generated TypeScript compiles with the official SDK and the typed app runs against the server', async () => {
  const { dir, types } = await appDir();
  assert.match(types, /export const PostsStatusOptions = \["draft", "published", "in-progress"\] as const;/);
  assert.match(types, /collection\(idOrName: "posts"\): RecordService<PostsResponse>;/);
  assert.match(types, /tags\?: TagsResponse\[\];/);
  assert.match(types, /author\?: UsersResponse;/);
  assert.doesNotMatch(types, /\*\/ not a comment end/, 'help text must not close the doc comment');

  const compiled = await tsc(dir, ['-p', 'tsconfig.json']);
  assert.equal(compiled.code, 0, compiled.output);
  await writeFile(join(dir, 'out', 'package.json'), '{"type":"module"}');
  const { run } = await import(pathToFileURL(join(dir, 'out', 'main.js')).href);
  const result = await run(ctx.url, ctx.server.email, ctx.server.password);
  assert.equal(result.statusOfCreated, 'in-progress');
  assert.deepEqual(result.tagColors, ['green']);
  assert.equal(result.views, 5);
  assert.deepEqual(result.labels, ['c']);
  assert.equal(result.collectionName, 'posts');
  assert.deepEqual(result.titles, ['Hello']);
  assert.deepEqual(result.allStatuses, ['draft', 'published', 'in-progress']);
});

test('misusing the generated types is a compile error', async () => {
  const { dir } = await appDir();
  const compiled = await tsc(dir, ['-p', 'tsconfig.wrong.json']);
  assert.notEqual(compiled.code, 0);
  const errors = compiled.output.split('\n').filter((l) => /wrong\.ts\(\d+,\d+\): error/.test(l));
  const lines = new Set(errors.map((l) => Number(/wrong\.ts\((\d+),/.exec(l)[1])));
  assert.deepEqual([...lines].sort((a, b) => a - b), [4, 5, 6, 7], compiled.output);
  assert.ok(errors.every((l) => !/pb-types\.ts/.test(l)), compiled.output);
});

test('GET /api/typegen: C# for lang=cs, superusers only, bad lang is a 400 with the field', async () => {
  const cs = await typegen('cs');
  assert.equal(cs.status, 200);
  assert.match(cs.type, /text\/x-csharp/);
  assert.match(cs.text, /public sealed record PostsRecord/);
  assert.match(cs.text, /public const string InProgress = "in-progress";/);

  const bad = await typegen('java');
  assert.equal(bad.status, 400);
  const body = JSON.parse(bad.text);
  assert.equal(body.status, 400);
  assert.equal(body.data.lang.code, 'validation_invalid_value');

  const guest = await typegen('ts', '');
  assert.equal(guest.status, 401);
  assert.equal(JSON.parse(guest.text).status, 401);
});

test('papergao typegen (the CLI) prints what the API serves; bad options exit 2', async () => {
  const run = promisify(execFile);
  const db = ctx.server.db ? ['--db', ctx.server.db] : [];
  for (const lang of ['ts', 'cs']) {
    const { stdout } = await run('dotnet', [serverDll, 'typegen', '--lang', lang, '--dir', ctx.server.dir, ...db], { timeout: 60_000, maxBuffer: 16 << 20 });
    assert.equal(stdout, (await typegen(lang)).text);
  }
  const bad = await run('dotnet', [serverDll, 'typegen', '--lang', 'java', '--dir', ctx.server.dir, ...db], { timeout: 60_000 }).catch((e) => e);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--lang must be one of: ts, cs/);
});
