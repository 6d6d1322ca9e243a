// Every auth option of the collections API reachable in the collection editor (issue 19, "Missing"): password
// identity fields, OTP, MFA, token lifetimes, new-sign-in alerts, email templates with a preview (sandboxed) and a
// test email button; a bad lifetime refused with the server's message under its input; axe-clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('auth collection options: OTP, MFA, tokens, templates with preview, test email; bad input refused', async () => {
  const server = await startServer();
  const b = await openBrowser('auth-options', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.goto(`${server.url}/_/#/collections/users`);
    await page.getByRole('heading', { name: 'Auth options' }).waitFor();
    const otp = page.getByRole('group', { name: 'One-time password (OTP) by email' });
    await otp.getByLabel('Sign in with a code sent by email').check();
    await otp.getByLabel('Code lifetime (seconds)').fill('300');
    await otp.getByLabel('Code length (digits)').fill('6');
    const mfa = page.getByRole('group', { name: 'Multi-factor authentication (MFA)' });
    await mfa.getByLabel('Require a second method after the first sign-in').check();
    await mfa.getByLabel('Time to finish the second step (seconds)').fill('900');
    const tokens = page.getByRole('group', { name: 'Token lifetimes (seconds)' });
    await tokens.getByLabel('Sign-in token').fill('3600');
    await page.getByRole('group', { name: 'New sign-in alerts' }).getByLabel(/Email users/).uncheck();

    // A template with its preview: placeholders filled with samples, the HTML in a sandboxed frame.
    const mails = page.getByRole('group', { name: 'Email templates' });
    await mails.getByLabel('Template').selectOption('verification');
    await mails.getByLabel('Subject').fill('Welcome to {APP_NAME}');
    await mails.getByLabel('Body (HTML)').fill('<p>Hi {RECORD:email}, <a href="{APP_URL}/_/#/auth/confirm-verification/{TOKEN}">verify</a></p>');
    await mails.getByText('Preview with sample values').click();
    assert.equal(await mails.getByTestId('preview-subject').textContent(), 'Welcome to Acme');
    const frame = mails.frameLocator('iframe[title="Email preview"]');
    await frame.getByText('Hi jane@example.com').waitFor();
    assert.equal(await mails.locator('iframe').getAttribute('sandbox'), '');
    await mails.getByLabel('Template').selectOption('otp');
    assert.match(await mails.getByLabel('Subject').inputValue(), /\S/, 'the OTP template is there too');
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
    await b.shot('auth-options');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const users = await admin.collections.getOne('users');
    assert.deepEqual([users.otp.enabled, users.otp.duration, users.otp.length], [true, 300, 6]);
    assert.deepEqual([users.mfa.enabled, users.mfa.duration], [true, 900]);
    assert.equal(users.authToken.duration, 3600);
    assert.equal(users.authAlert.enabled, false);
    assert.equal(users.verificationTemplate.subject, 'Welcome to {APP_NAME}');
    assert.match(users.verificationTemplate.body, /\{RECORD:email\}/);

    // A lifetime the server refuses: its message under the input, focus on it, nothing saved.
    await tokens.getByLabel('Sign-in token').fill('-5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitFor(async () => (await tokens.getByLabel('Sign-in token').getAttribute('aria-invalid')) === 'true', 'the server error under the token input');
    assert.equal((await admin.collections.getOne('users')).authToken.duration, 3600);

    // Test email with mail off: the server's answer is shown, not a success.
    await mails.getByLabel('Test email recipient').fill('jane@example.com');
    await mails.getByRole('button', { name: 'Send test email' }).click();
    await mails.getByRole('alert').or(mails.getByRole('status')).waitFor();
    await b.shot('auth-options-errors');
  } catch (e) {
    b.fail(e);
  } finally {
    await b.close().finally(() => server.stop());
  }
});
