// Shared by the files here: one server per test file (tests/compat/server.mjs), a schema with every field type,
// tsc from node_modules.
import { before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import PocketBase from 'pocketbase';
import { startServer } from '../compat/server.mjs';

const execFileAsync = promisify(execFile);
export const here = dirname(fileURLToPath(import.meta.url));

export function useServer(setup = async () => {}) {
  const ctx = { server: null, url: '', pb: null, token: '' };
  before(async () => {
    ctx.server = await startServer();
    ctx.url = ctx.server.url;
    ctx.pb = new PocketBase(ctx.url);
    ctx.pb.autoCancellation(false);
    await ctx.pb.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password);
    ctx.token = ctx.pb.authStore.token;
    await setup(ctx);
  });
  after(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}

/** A fresh folder under .tmp/ for generated files. */
export async function workDir(prefix) {
  const root = join(here, '.tmp');
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, prefix));
}

/** Runs tsc with ARGS in CWD; resolves to {code, output} (never throws for compile errors). */
export async function tsc(cwd, args) {
  const bin = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { cwd, timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    if (typeof err.code !== 'number') throw err;
    return { code: err.code, output: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

/** tags, posts (every field type, relations to tags and users), and a view over posts. */
export async function createShopSchema(pb) {
  const users = await pb.collections.getOne('users');
  const tags = await pb.collections.create({
    name: 'tags',
    type: 'base',
    listRule: '', viewRule: '', createRule: '', updateRule: '',
    fields: [
      { name: 'name', type: 'text', required: true },
      { name: 'color', type: 'select', values: ['red', 'green', 'blue'], maxSelect: 1, required: true },
    ],
  });
  const posts = await pb.collections.create({
    name: 'posts',
    type: 'base',
    listRule: '', viewRule: '', createRule: '', updateRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, help: 'Shown as the page title */ not a comment end' },
      { name: 'status', type: 'select', values: ['draft', 'published', 'in-progress'], maxSelect: 1 },
      { name: 'labels', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'tags', type: 'relation', collectionId: tags.id, maxSelect: 5 },
      { name: 'author', type: 'relation', collectionId: users.id, maxSelect: 1 },
      { name: 'cover', type: 'file', maxSelect: 1 },
      { name: 'gallery', type: 'file', maxSelect: 4 },
      { name: 'views', type: 'number', onlyInt: true },
      { name: 'rating', type: 'number' },
      { name: 'featured', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'location', type: 'geoPoint' },
      { name: 'body', type: 'editor' },
      { name: 'published', type: 'date' },
      { name: 'website', type: 'url' },
      { name: 'contact', type: 'email' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'created', type: 'autodate', onCreate: true },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
  await pb.collections.create({
    name: 'post_titles',
    type: 'view',
    listRule: '', viewRule: '',
    viewQuery: 'SELECT id, title, views FROM posts',
  });
  return { tags, posts };
}
