// tests/e2e/lib/browser.mjs itself: a failing test whose page also logged a console error reports its own failure
// first, with the console error attached (close() used to throw only the console errors, hiding the assertion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './lib/browser.mjs';
import { waitFor } from './lib/server.mjs';

async function pageWithConsoleError(name) {
  const b = await openBrowser(name);
  await b.page.setContent('<title>t</title><p>hello</p>');
  await b.page.evaluate(() => console.error('boom from the page'));
  await waitFor(() => b.problems.length > 0, 'the console error to be seen');
  return b;
}

test('close() after fail(): the assertion error comes first, the console errors attached', async () => {
  const b = await pageWithConsoleError('browser-lib-1');
  let assertion;
  try {
    assert.equal(await b.page.locator('p').textContent(), 'goodbye');
  } catch (e) {
    assertion = e;
    b.fail(e);
  }
  assert.ok(assertion, 'the assertion failed');
  await assert.rejects(b.close(), (err) => {
    assert.equal(err, assertion, 'the same error object');
    assert.equal(err.code, 'ERR_ASSERTION');
    assert.match(err.message, /^Expected values to be strictly equal:[\s\S]*'hello'[\s\S]*The browser also reported:\nconsole error: boom from the page$/);
    assert.ok(err.message.indexOf("'hello'") < err.message.indexOf('boom'), 'the assertion first');
    assert.match(err.stack, /The browser also reported:\nconsole error: boom from the page/);
    assert.deepEqual(err.browserProblems, ['console error: boom from the page']);
    return true;
  });
});

test('close() without a failure still fails on console errors; a failure alone is rethrown unchanged', async () => {
  const b = await pageWithConsoleError('browser-lib-2');
  await assert.rejects(b.close(), /^Error: browser reported errors:\nconsole error: boom from the page$/);

  const clean = await openBrowser('browser-lib-3');
  await clean.page.setContent('<title>t</title><p>quiet</p>');
  const own = new Error('the test failed');
  clean.fail(own);
  clean.fail(new Error('a later one is not kept'));
  await assert.rejects(clean.close(), (err) => err === own && err.message === 'the test failed' && err.browserProblems === undefined);

  const passing = await openBrowser('browser-lib-4');
  await passing.page.setContent('<title>t</title><p>fine</p>');
  await passing.close();
});
