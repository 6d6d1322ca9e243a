// The per-project OpenAPI document: valid OpenAPI 3.1 (a real validator), has the project's collections, and
// openapi-typescript generates types from it that compile with tsc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { useServer, workDir, tsc, createShopSchema, here } from './lib.mjs';

const ctx = useServer(async (c) => { await createShopSchema(c.pb); });

async function document(token = ctx.token) {
  const res = await fetch(`${ctx.url}/api/openapi.json`, { headers: token ? { Authorization: token } : {} });
  assert.equal(res.status, 200);
  return res.json();
}

test('the superuser document is valid OpenAPI 3.1 with every collection', async () => {
  const doc = await document();
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(doc.openapi.startsWith('3.1'), true);
  for (const p of ['/api/collections/posts/records', '/api/collections/posts/records/{id}', '/api/collections/users/auth-with-password', '/api/collections/_superusers/auth-with-password']) {
    assert.ok(doc.paths[p], p);
  }
  assert.equal(doc.paths['/api/collections/posts/auth-with-password'], undefined, 'no auth routes for a base collection');
  assert.equal(doc.paths['/api/collections/post_titles/records'].post, undefined, 'views are read-only');
  const post = doc.components.schemas.PostsRecord;
  assert.deepEqual(post.properties.status.enum, ['draft', 'published', 'in-progress', '']);
  assert.equal(post.properties.views.type, 'integer');
  assert.ok(post.properties.secret, 'superusers see hidden fields');
  assert.deepEqual(doc.components.schemas.PostsCreate.required, ['title']);
  assert.ok(doc.paths['/api/collections/posts/records'].post.requestBody.content['multipart/form-data']);
  assert.ok(doc.paths['/api/collections/{collection}/records'], 'the generic routes stay');
});

test('a guest sees only collections their rules let them list, without hidden fields', async () => {
  const doc = await document('');
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.ok(doc.paths['/api/collections/posts/records']);
  assert.equal(doc.paths['/api/collections/_superusers/records'], undefined);
  assert.equal(doc.components.schemas.PostsRecord.properties.secret, undefined);
  assert.equal(doc.paths['/api/collections/posts/records/{id}'].delete, undefined, 'posts has no delete rule');
});

test('openapi-typescript generates types from the document that compile', async () => {
  const dir = await workDir('openapi-');
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(await document()));
  const bin = join(here, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  await promisify(execFile)(process.execPath, [bin, 'openapi.json', '-o', 'api.d.ts'], { cwd: dir, timeout: 120_000 });
  await writeFile(join(dir, 'use.ts'), `import type { components, paths } from "./api.js";
type Post = components["schemas"]["PostsRecord"];
export const status: Post["status"] = "in-progress";
type ListAnswer = paths["/api/collections/posts/records"]["get"]["responses"]["200"]["content"]["application/json"];
export function titles(list: ListAnswer): string[] { return list.items.map((p) => p.title); }
`);
  const compiled = await tsc(dir, ['--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', 'use.ts']);
  assert.equal(compiled.code, 0, compiled.output);
});
