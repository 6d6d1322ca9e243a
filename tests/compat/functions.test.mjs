import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, rejects } from './lib/harness.mjs';

// A PocketBase-style hooks file deployed through the API; the unmodified SDK talks to its routes and hooks.
const HOOKS = `
routerAdd("GET", "/api/hello/{name}", (e) => e.json(200, { message: "Hello " + e.request.pathValue("name") }))
routerAdd("POST", "/api/me", (e) => e.json(200, { id: e.auth.id }), $apis.requireAuth())
onRecordCreateRequest((e) => { if (e.record.get("title") === "spam") throw new BadRequestError("No spam."); e.next() }, "notes")
onRecordCreate((e) => { e.record.set("title", e.record.get("title").trim()); e.next() }, "notes")
onRecordAfterCreateSuccess((e) => { $app.logger().info("created", "id", e.record.id); e.next() }, "notes")
cronAdd("tick", "*/5 * * * *", () => {})
`;

const ctx = useServer(async () => {
  await ctx.pb.collections.create({
    name: 'notes',
    type: 'base',
    listRule: '', viewRule: '', createRule: '',
    fields: [{ name: 'title', type: 'text' }],
  });
  const deployed = await ctx.pb.send('/api/functions', { method: 'PUT', body: { files: { 'main.pb.js': HOOKS } } });
  assert.equal(deployed.version, 1);
});

test('routes answer through pb.send, with the SDK auth', async () => {
  const hello = await ctx.guest().send('/api/hello/sdk', { method: 'GET' });
  assert.equal(hello.message, 'Hello sdk');
  const me = await ctx.pb.send('/api/me', { method: 'POST' });
  assert.equal(me.id, ctx.pb.authStore.record.id);
  assert.equal((await rejects(ctx.guest().send('/api/me', { method: 'POST' }))).status, 401);
});

test('record hooks refuse and change what the SDK writes', async () => {
  const err = await rejects(ctx.guest().collection('notes').create({ title: 'spam' }));
  assert.equal(err.status, 400);
  assert.equal(err.message, 'No spam.');
  const note = await ctx.guest().collection('notes').create({ title: '  padded  ' });
  assert.equal(note.title, 'padded');
});

test('crons are listed and run on demand; a broken deploy is refused with its line', async () => {
  const crons = await ctx.pb.send('/api/crons', { method: 'GET' });
  assert.deepEqual(crons, [{ id: 'tick', expression: '*/5 * * * *' }]);
  await ctx.pb.send('/api/crons/tick', { method: 'POST' });
  const bad = await rejects(ctx.pb.send('/api/functions', { method: 'PUT', body: { files: { 'main.pb.js': 'routerAdd(\n' } } }));
  assert.equal(bad.status, 400);
  assert.match(bad.response.data.files.message, /^main\.pb\.js:\d+:\d+: /);
  const hello = await ctx.guest().send('/api/hello/still', { method: 'GET' });
  assert.equal(hello.message, 'Hello still');
});
