// The GraphQL explorer (GraphiQL, /_/graphiql/): opened from the dashboard's nav, it runs queries with the signed-in
// superuser session against /api/graphql, or /p/<project>/api/graphql for a project; without a session it only
// points to the sign-in. Any console error (a Content-Security-Policy violation is one) fails the test at close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import PocketBase from 'pocketbase';
import { startServer, dll, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';

const run = promisify(execFile);

/** Replaces the query editor's text (CodeMirror 5 would auto-close typed brackets) and runs it. */
async function runQuery(page, query) {
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  await page.evaluate((q) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q), query);
  await page.getByRole('button', { name: /Execute query/ }).click();
}

test('GraphQL explorer: open it from the nav, run a query with the session, see the result (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('graphiql');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number', onlyInt: true }] });
  await admin.collection('posts').create({ title: 'Hello from GraphQL', views: 42 });
  await admin.collection('posts').create({ title: 'Few views', views: 1 });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    const requests = [];
    page.on('request', (r) => { if (r.url().includes('/graphql')) requests.push([r.url(), r.headers().authorization ?? '']); });
    await page.getByRole('link', { name: 'GraphQL' }).click();
    await page.waitForURL(/\/_\/graphiql\/\?project=main$/);
    await page.getByText('/api/graphql', { exact: true }).waitFor();

    await runQuery(page, '{ postsList(filter: "views > 10", sort: "-views") { totalItems items { title views } } }');
    const result = page.locator('.graphiql-response .CodeMirror');
    await result.getByText('Hello from GraphQL').waitFor();
    const text = await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
    assert.deepEqual(JSON.parse(text), { data: { postsList: { totalItems: 1, items: [{ title: 'Hello from GraphQL', views: 42 }] } } });
    await b.shot('query-result');

    // Every request went to the main project's endpoint with the dashboard's token (the schema's introspection too,
    // which only a superuser may run by default).
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('pg_auth_main')).token);
    assert.ok(requests.length >= 2, `introspection and the query: ${requests.length} requests`);
    for (const [url, auth] of requests) {
      assert.equal(url, `${server.url}/api/graphql`);
      assert.equal(auth, token);
    }
    // The schema arrived (introspection): the documentation explorer lists the collection's root field.
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.getByText('postsList', { exact: false }).first().waitFor();

    const res = await fetch(`${server.url}/_/graphiql/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('GraphQL explorer: a project other than main uses /p/<project>/api/graphql; signed out, it asks for a sign-in', async () => {
  const server = await startServer();
  const b = await openBrowser('graphiql-project');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const created = await fetch(`${server.url}/api/platform/projects`, { method: 'POST', headers: { Authorization: admin.authStore.token, 'content-type': 'application/json' }, body: '{"name":"shop"}' });
  assert.equal(created.status, 200);
  await run('dotnet', [dll, 'superuser', 'upsert', 'admin@shop.test', PASSWORD, '--project', 'shop', '--dir', server.data], { timeout: 60_000 });
  const shop = new PocketBase(`${server.url}/p/shop`);
  await shop.collection('_superusers').authWithPassword('admin@shop.test', PASSWORD);
  await shop.collections.create({ name: 'products', type: 'base', fields: [{ name: 'name', type: 'text' }] });
  await shop.collection('products').create({ name: 'Teapot' });
  try {
    const { page } = b;
    // Signed out: the explorer sends nothing and links to the dashboard's sign-in.
    await page.goto(`${server.url}/_/graphiql/?project=shop`);
    await page.getByText(/Sign in to the dashboard as a superuser of project/).waitFor();
    await page.getByRole('link', { name: 'Open the dashboard' }).waitFor();

    // The dashboard's sign-in for project shop, then the explorer from its nav.
    await page.evaluate(() => localStorage.setItem('pg_project', 'shop'));
    await signIn(page, server.url, 'admin@shop.test', PASSWORD);
    const urls = [];
    page.on('request', (r) => { if (r.url().includes('/graphql')) urls.push(r.url()); });
    await page.getByRole('link', { name: 'GraphQL' }).click();
    await page.waitForURL(/\/_\/graphiql\/\?project=shop$/);
    await runQuery(page, '{ productsList { items { name } } }');
    await page.locator('.graphiql-response .CodeMirror').getByText('Teapot').waitFor();
    assert.ok(urls.length >= 2);
    for (const url of urls) assert.equal(url, `${server.url}/p/shop/api/graphql`);
    await b.shot('project-shop');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

test('GraphQL explorer: a subscription runs over a WebSocket with the session and shows the events as they come', async () => {
  const server = await startServer();
  const b = await openBrowser('graphiql-subscription');
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  await admin.collections.create({ name: 'posts', type: 'base', fields: [{ name: 'title', type: 'text' }] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.getByRole('link', { name: 'GraphQL' }).click();
    await page.waitForURL(/\/_\/graphiql\/\?project=main$/);
    await runQuery(page, 'subscription { posts(filter: "title ~ \'live\'") { action record { title } } }');

    // The subscription is live once an event arrives: create matching records until one shows (deadline 30 s), and a
    // record the filter excludes never does.
    const response = page.locator('.graphiql-response .CodeMirror');
    await admin.collection('posts').create({ title: 'not shown' });
    const deadline = Date.now() + 30_000;
    let shown = null;
    for (let i = 0; !shown; i++) {
      assert.ok(Date.now() < deadline, 'no subscription event reached the explorer within 30 s');
      await admin.collection('posts').create({ title: `live ${i}` });
      try {
        await response.getByText(`live ${i}`).waitFor({ timeout: 1_000 });
        shown = `live ${i}`;
      } catch { /* not subscribed yet: the next record */ }
    }
    const text = await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
    assert.deepEqual(JSON.parse(text), { data: { posts: { action: 'create', record: { title: shown } } } });
    assert.doesNotMatch(text, /not shown/);
    assert.deepEqual([...new Set(sockets)], [`${server.url.replace('http:', 'ws:')}/api/graphql`]);
    await b.shot('subscription-event');

    // Stopping it closes the socket: no HTTP request carried the subscription.
    await page.getByRole('button', { name: /Stop query/ }).click();
    await page.getByRole('button', { name: /Execute query/ }).waitFor();

    // Bad input: a subscription whose filter names an unknown field gets the server's error in the response pane.
    await runQuery(page, 'subscription { posts(filter: "nope = 1") { action } }');
    await response.getByText('"errors"').waitFor();
    const error = JSON.parse(await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));
    assert.ok(Array.isArray(error.errors) && error.errors.length > 0, JSON.stringify(error));
    assert.match(error.errors[0].message, /nope/);
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
