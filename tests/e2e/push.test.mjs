// The push screen (issue 17): VAPID keys generated, Web Push / FCM / APNs configured with write-only credentials
// (shown as set / not set, never echoed), a bad contact refused with the server's message under its input, a dry run
// that counts the recipients, a real send queued and listed in the delivery log; axe-clean, no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import PocketBase from 'pocketbase';
import { startServer, waitFor, EMAIL, PASSWORD } from './lib/server.mjs';
import { openBrowser, signIn } from './lib/browser.mjs';
import { seriousViolations } from './lib/axe.mjs';

test('push: credentials configured write-only, a dry run counts, a send shows in the delivery log', async () => {
  const server = await startServer();
  const b = await openBrowser('push', { allowStatuses: [400] });
  const admin = new PocketBase(server.url);
  await admin.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
  const user = await admin.collection('users').create({ email: 'pat@papergao.test', password: 'Pat-password-123', passwordConfirm: 'Pat-password-123' });
  try {
    const { page } = b;
    await signIn(page, server.url, EMAIL, PASSWORD);
    await page.getByRole('link', { name: 'Push' }).click();
    await page.getByRole('heading', { name: 'Push notifications' }).waitFor();

    // Web Push: generate the keys, a bad contact is refused under its input, then saved.
    const web = page.getByRole('form', { name: 'Web Push' });
    await web.getByText('VAPID private key: not set').waitFor();
    await web.getByRole('button', { name: 'Generate VAPID keys' }).click();
    await web.getByText('VAPID private key: set').waitFor();
    const publicKey = (await admin.settings.getAll()).push.vapidPublicKey;
    assert.match(publicKey, /^B[A-Za-z0-9_-]{86}$/);
    assert.equal(await web.getByLabel(/^VAPID public key/).inputValue(), publicKey);
    await web.getByLabel('Send Web Push').check();
    await web.getByLabel(/^Contact/).fill('not a contact');
    await web.getByRole('button', { name: 'Save Web Push' }).click();
    await waitFor(async () => (await web.getByLabel(/^Contact/).getAttribute('aria-invalid')) === 'true', 'the server error under the contact');
    assert.equal((await admin.settings.getAll()).push.enabled, false);
    await web.getByLabel(/^Contact/).fill('mailto:ops@papergao.test');
    await web.getByRole('button', { name: 'Save Web Push' }).click();
    await waitFor(async () => (await admin.settings.getAll()).push.enabled === true, 'Web Push enabled');

    // FCM: the service-account JSON is write-only: "set" afterwards, the box empty, the settings never return it.
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const account = JSON.stringify({ type: 'service_account', project_id: 'papergao-e2e', private_key_id: 'k1', client_email: 'push@papergao-e2e.iam.gserviceaccount.com',
      private_key: rsa.export({ type: 'pkcs8', format: 'pem' }), token_uri: 'https://oauth2.googleapis.com/token' }, null, 2);
    const fcm = page.getByRole('form', { name: 'Firebase Cloud Messaging' });
    await fcm.getByLabel('Send to FCM devices').check();
    await fcm.getByLabel(/^Service-account JSON \(write-only, not set/).fill(account);
    await fcm.getByRole('button', { name: 'Save FCM' }).click();
    await fcm.getByLabel(/^Service-account JSON \(write-only, set/).waitFor();
    assert.equal(await fcm.getByLabel(/^Service-account JSON/).inputValue(), '');
    let settings = await admin.settings.getAll();
    assert.equal(settings.push.fcmEnabled, true);
    assert.equal(settings.push.fcmServiceAccount, undefined);

    // APNs: .p8 key, key id, team id, topic, sandbox.
    const { privateKey: ec } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const apns = page.getByRole('form', { name: 'Apple Push Notification service' });
    await apns.getByLabel('Send to APNs devices').check();
    await apns.getByLabel(/^\.p8 key \(write-only, not set/).fill(ec.export({ type: 'pkcs8', format: 'pem' }));
    await apns.getByLabel('Key id').fill('KEY1234567');
    await apns.getByLabel('Team id').fill('TEAM123456');
    await apns.getByLabel('Topic (bundle id)').fill('com.papergao.e2e');
    await apns.getByRole('button', { name: 'Save APNs' }).click();
    await apns.getByLabel(/^\.p8 key \(write-only, set/).waitFor();
    settings = await admin.settings.getAll();
    assert.equal(settings.push.apnsEnabled, true);
    assert.equal(settings.push.apnsProduction, false);
    assert.equal(settings.push.apnsPrivateKey, undefined);

    // A dry run counts the recipients (the user has no device yet); a real send is queued and logged.
    const send = page.getByRole('form', { name: 'Send a notification' });
    await send.getByText('Platforms ready: web, fcm, apns').waitFor();
    await send.getByLabel(/^User ids/).fill(user.id);
    await send.getByLabel('Title').fill('Hello from the dashboard');
    await send.getByLabel(/^Data/).fill('{"url": "/inbox"');
    await send.getByRole('button', { name: 'Count recipients' }).click();
    await waitFor(async () => (await send.getByLabel(/^Data/).getAttribute('aria-invalid')) === 'true', 'bad data JSON flagged');
    await send.getByLabel(/^Data/).fill('{"url": "/inbox"}');
    await send.getByRole('button', { name: 'Count recipients' }).click();
    await send.getByRole('status').filter({ hasText: 'Dry run: 0 recipients' }).waitFor();
    await send.getByLabel(/^Dry run/).uncheck();
    await send.getByRole('button', { name: 'Send' }).click();
    await send.getByRole('status').filter({ hasText: /^Queued send/ }).waitFor();
    const log = page.getByRole('table', { name: 'Recent sends' });
    await log.getByText('users:1').waitFor();
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await log.getByText('done').count()) === 1;
    }, 'the send done in the delivery log');

    const found = await seriousViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
    await b.shot('push');
  } finally {
    await b.close().finally(() => server.stop());
  }
});
