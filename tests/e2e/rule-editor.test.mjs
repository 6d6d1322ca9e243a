// Rules and filters in the code editor (issue 19): a rule typed with the keyboard only, taking completions of relation
// paths, @request.auth.*, modifiers and operators; a rule the server refuses, marked at the position it names; the
// records filter and the logs filter applied with Enter and their refused filters marked; axe clean throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

/** The text of a one-line code editor (a contenteditable: no inputValue), without the placeholder of an empty one. */
const textOf = (editor) => editor.evaluate((el) => (el.querySelector('.cm-placeholder') ? '' : el.textContent));

/** Where the editor marks an error: the offset of the first marked character in the line and the marked text. */
const marked = (editor) => editor.evaluate((el) => {
  const marks = [...el.querySelectorAll('.cm-lintRange-error')];
  if (marks.length === 0) return null;
  const range = document.createRange();
  range.setStart(el.querySelector('.cm-line'), 0);
  range.setEnd(marks[0], 0);
  return { offset: range.toString().length, text: marks.map((m) => m.textContent).join('') };
});

/** The option of the open completion list, waited for; the list is inside the editor's rule group. */
const option = (scope, label) => scope.getByRole('option').filter({ has: scope.page().locator('.cm-completionLabel', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });

/**
 * The labels of the open completion list in `scope`, once they are `expected` and the list takes keys: for about 100 ms
 * after a keystroke CodeMirror shows the previous list disabled (Enter and Tab pass through) while it asks again.
 */
const offered = (scope, expected) => waitFor(async () => {
  const labels = await scope.locator('.cm-tooltip-autocomplete:not(.cm-tooltip-autocomplete-disabled) .cm-completionLabel').allTextContents();
  return JSON.stringify(labels) === JSON.stringify(expected) ? labels : null;
}, `the completions ${expected.join(', ')}`);

test('rules: completion by keyboard only, server errors marked at their position, filters applied with Enter (1280x800)', async () => {
  const server = await startServer();
  const b = await openBrowser('rule-editor', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const users = await admin.collections.getOne('users');
  const posts = await admin.collections.create({ name: 'posts', type: 'base', listRule: '', fields: [
    { name: 'title', type: 'text' }, { name: 'views', type: 'number' },
    { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    { name: 'author', type: 'relation', collectionId: users.id, maxSelect: 1 },
  ] });
  await admin.collections.create({ name: 'comments', type: 'base', fields: [
    { name: 'message', type: 'text' }, { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 },
  ] });
  for (const [title, views] of [['one', 1], ['two', 2], ['three', 3]]) await admin.collection('posts').create({ title, views, tags: ['a'] });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('heading', { name: 'Collection posts' }).waitFor();

    // Keyboard only: unlock updateRule with Space, Tab into its editor, type and take completions with Enter and Tab.
    const rule = page.getByRole('group', { name: 'updateRule rule' });
    const editor = rule.getByRole('textbox', { name: 'updateRule' });
    // The editor's chunk loads with the first editor on screen (a plain input stands in until then, without completion).
    await rule.locator('.cm-content').waitFor();
    await rule.getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await waitFor(() => editor.evaluate((el) => el === document.activeElement), 'Tab from the lock goes into the rule editor');
    await page.keyboard.type('au');
    // A relation offers itself and its path one level down; Enter takes "author." and offers the next level.
    await offered(rule, ['author', 'author.']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await option(rule, 'author.email').waitFor();
    await b.shot('completion-relation-path');
    assert.deepEqual(await axeFree(page), []);
    await page.keyboard.type('em');
    await offered(rule, ['author.email', 'author.emailVisibility']);
    await page.keyboard.press('Tab');
    await page.keyboard.type(' = @re');
    await offered(rule, ['@request.']);
    await page.keyboard.press('Enter');
    await option(rule, '@request.auth.').waitFor();
    await page.keyboard.type('au');
    await offered(rule, ['@request.auth.']);
    await page.keyboard.press('Enter');
    // @request.auth.* offers the fields of the auth collections.
    await option(rule, '@request.auth.verified').waitFor();
    await page.keyboard.type('ema');
    await offered(rule, ['@request.auth.email', '@request.auth.emailVisibility']);
    await page.keyboard.press('Enter');
    // Modifiers once ":" is typed; operators as their first character is typed.
    await page.keyboard.type(' && tags:');
    await offered(rule, ['tags:each', 'tags:length', 'tags:lower']);
    await page.keyboard.type('le');
    await offered(rule, ['tags:length']);
    await page.keyboard.press('Tab');
    await page.keyboard.type(' ?');
    await offered(rule, ['?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~']);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('>');
    await offered(rule, ['>=']);
    await page.keyboard.press('Escape');
    await page.keyboard.type(' 0');
    const typed = 'author.email = @request.auth.email && tags:length > 0';
    assert.equal(await textOf(editor), typed);
    // Enter with no list open saves the collection, as Enter in the old input did.
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await admin.collections.getOne('posts')).updateRule, typed);

    // Back-relations are offered too.
    const view = page.getByRole('group', { name: 'viewRule rule' });
    const viewEditor = view.getByRole('textbox', { name: 'viewRule' });
    await view.getByRole('checkbox').uncheck();
    await viewEditor.focus();
    await page.keyboard.type('comm');
    await option(view, 'comments_via_post').waitFor();
    await option(view, 'comments_via_post.').waitFor();
    await page.keyboard.press('Escape');

    // A rule the server refuses (an unknown field): its message, tied to the editor, and the field marked where it is.
    await viewEditor.fill("title = 'x' && nosuchfield = 1");
    await page.getByRole('button', { name: 'Save' }).click();
    const err = view.getByTestId('rule-error');
    await err.filter({ hasText: 'nosuchfield' }).waitFor();
    assert.match(await err.textContent(), /unknown field 'nosuchfield' at position 15/);
    assert.equal(await viewEditor.getAttribute('aria-invalid'), 'true');
    assert.equal(await viewEditor.getAttribute('aria-describedby'), await err.getAttribute('id'));
    await waitFor(async () => (await marked(viewEditor))?.text === 'nosuchfield', 'the unknown field is marked');
    assert.deepEqual(await marked(viewEditor), { offset: 15, text: 'nosuchfield' });
    assert.equal((await admin.collections.getOne('posts')).viewRule, null, 'nothing saved');
    await b.shot('rule-marked-at-server-position');
    assert.deepEqual(await axeFree(page), []);
    // Once the text changes the server's mark goes (its position was about the old text); the message stays.
    await viewEditor.press('End');
    await page.keyboard.type('0');
    await waitFor(async () => (await marked(viewEditor)) === null, 'the stale mark goes');
    // A syntax error is marked as it is typed, before any save.
    await viewEditor.fill('views > 1 &&& views < 5');
    await waitFor(async () => (await marked(viewEditor))?.offset === 12, 'the syntax error is marked at its position');
    assert.match(await err.textContent(), /position 12/);
    await viewEditor.fill('');
    await view.getByRole('checkbox').check();


    // The records filter: "/" focuses it, Enter applies it; a refused filter is marked at the server's position.
    await page.goto(`${server.url}/_/#/records/posts`);
    await page.getByText('3 records').waitFor();
    const filter = page.getByRole('textbox', { name: 'Filter', exact: true });
    await page.locator('[data-shortcut="search"] .cm-content').waitFor();
    await filter.waitFor();
    await page.locator('body').press('/');
    await waitFor(() => filter.evaluate((el) => el === document.activeElement), '/ focuses the filter editor');
    await page.keyboard.type('views >= 2');
    await page.keyboard.press('Enter');
    await page.getByText('2 records').waitFor();
    assert.equal(new URLSearchParams(page.url().split('?')[1]).get('filter'), 'views >= 2');
    await filter.fill('views >= 2 && nope = 1');
    await filter.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'nope' }).waitFor();
    await waitFor(async () => (await marked(filter))?.text === 'nope', 'the unknown field of the filter is marked');
    assert.deepEqual(await marked(filter), { offset: 14, text: 'nope' });
    await b.shot('records-filter-marked');
    assert.deepEqual(await axeFree(page), []);

    // The logs' filter expression: Enter applies it; a refused one is marked in the expression (not the whole filter).
    await page.goto(`${server.url}/_/#/logs`);
    await page.getByText(/\d+ requests$/).waitFor();
    const expr = page.getByRole('textbox', { name: 'Filter expression' });
    await expr.waitFor();
    await expr.fill("data.method = 'GET' && nope = 1");
    await expr.press('Enter');
    await page.getByRole('group', { name: 'Filter expression rule' }).getByTestId('rule-error').filter({ hasText: 'at position 23' }).waitFor();
    await waitFor(async () => (await marked(expr))?.text === 'nope', 'the unknown field of the log filter is marked');
    assert.deepEqual(await marked(expr), { offset: 23, text: 'nope' });
    await expr.fill('data.status >= 400');
    await expr.press('Enter');
    await waitFor(async () => (await page.getByTestId('rule-error').count()) === 0 && (await page.getByRole('alert').filter({ hasText: 'nope' }).count()) === 0, 'the fixed expression applies');
    assert.deepEqual(await axeFree(page), []);

    // The push send form's filter: completion from the chosen auth collection; the server's refusal marked (Enter sends).
    await page.goto(`${server.url}/_/#/push`);
    const send = page.getByRole('form', { name: 'Send a notification' });
    await send.getByLabel('To').selectOption('filter');
    await send.getByLabel('Title').fill('Hello');
    const pushFilter = send.getByRole('textbox', { name: 'Filter (e.g. verified = true)' });
    await send.locator('.cm-content').waitFor();
    await pushFilter.click();
    await page.keyboard.type('veri');
    await offered(send, ['verified']);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' = true && nope = 1');
    await page.keyboard.press('Enter');
    await send.getByTestId('rule-error').filter({ hasText: 'at position 19' }).waitFor();
    await waitFor(async () => (await marked(pushFilter))?.text === 'nope', 'the unknown field of the push filter is marked');
    assert.equal(await pushFilter.getAttribute('aria-required'), 'true');

    // An auth collection: manageRule completes like the others, and the MFA rule's refusal is marked in it too.
    await page.goto(`${server.url}/_/#/collections/users`);
    await page.getByRole('heading', { name: 'Collection users' }).waitFor();
    const manage = page.getByRole('group', { name: 'manageRule rule' });
    await manage.getByRole('checkbox').uncheck();
    await manage.getByRole('textbox', { name: 'manageRule' }).click();
    await page.keyboard.type('@request.auth.ver');
    await offered(manage, ['@request.auth.verified']);
    await page.keyboard.press('Escape');
    await manage.getByRole('textbox', { name: 'manageRule' }).fill('');
    await manage.getByRole('checkbox').check();
    const mfa = page.getByRole('group', { name: 'Only when (rule; empty = always) rule' });
    const mfaEditor = mfa.getByRole('textbox', { name: 'Only when (rule; empty = always)' });
    await mfaEditor.fill('verified = true || nope = 1');
    await page.getByRole('button', { name: 'Save' }).click();
    await mfa.getByTestId('rule-error').filter({ hasText: 'at position 19' }).waitFor();
    await waitFor(async () => (await marked(mfaEditor))?.text === 'nope', 'the unknown field of the MFA rule is marked');
    assert.ok(!JSON.stringify(await admin.collections.getOne('users')).includes('nope'), 'nothing saved');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});

const axeFree = (page) => seriousViolations(page);
