import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { useServer } from './lib/harness.mjs';
import { createBlog, seedBlog } from './lib/blog.mjs';

const ctx = useServer(async (c) => {
  await createBlog(c.pb);
  await seedBlog(c.pb);
});

// The audit introspects (__type), which is for superusers by default: it runs with a superuser's token.
test('the graphql-http server audit (GraphQL-over-HTTP spec) passes in full', async () => {
  const fetchFn = (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), Authorization: ctx.pb.authStore.token } });
  const results = [];
  for (const audit of serverAudits({ url: `${ctx.url}/api/graphql`, fetchFn })) {
    results.push({ id: audit.id, name: audit.name, ...(await audit.fn()) });
  }
  const failed = results.filter((r) => r.status !== 'ok');
  assert.deepEqual(failed.map((r) => `${r.id} ${r.name}: ${r.status} ${r.reason ?? ''}`), []);
  assert.ok(results.length >= 40, `${results.length} audits ran`);
});

test('the issue example: a filtered, sorted page with a relation and a back-relation', async () => {
  const query = `{ postsList(filter: "views > 5", sort: "-created", perPage: 5) { totalItems items { id title author { name } comments_via_post { message } } } }`;
  const res = await fetch(`${ctx.url}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: ctx.pb.authStore.token },
    body: JSON.stringify({ query }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.errors, undefined);
  assert.equal(body.data.postsList.totalItems, 2);
  const hello = body.data.postsList.items.find((p) => p.title === 'Hello world');
  assert.equal(hello.author.name, 'Jane');
  assert.ok(hello.comments_via_post.length > 0);
});
