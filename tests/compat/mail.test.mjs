import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, RECORD_ID } from './lib/harness.mjs';
import { startMailServer, linkToken, otpCode, SMTP_PASSWORD } from './lib/mail.mjs';

let mail = null;
const PASSWORD = 'user-password-123';

const ctx = useServer(async (c) => {
  mail = await startMailServer();
  await c.pb.settings.update({
    meta: { appName: 'Compat', appURL: 'https://compat.example.test', senderName: 'Compat', senderAddress: 'no-reply@compat.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: mail.port, username: 'mailer', password: SMTP_PASSWORD, tls: false },
  });
  await c.pb.collections.update('users', { otp: { enabled: true, duration: 180, length: 8 } });
});
after(async () => { await mail?.stop(); });

async function newUser(email) {
  const pb = ctx.guest();
  return pb.collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
}

test('requestVerification / confirmVerification', async () => {
  const user = await newUser('v@compat.test');
  const pb = ctx.guest();
  assert.equal(await pb.collection('users').requestVerification('v@compat.test'), true);
  const token = linkToken(await mail.waitForMail('v@compat.test'), 'verification');
  assert.equal(await pb.collection('users').confirmVerification(token), true);
  const auth = await pb.collection('users').authWithPassword('v@compat.test', PASSWORD);
  assert.equal(auth.record.id, user.id);
  assert.equal(auth.record.verified, true);
  await assert.rejects(pb.collection('users').confirmVerification('bad-token'), (err) => err.status === 400 && err.response.data.token.code === 'validation_invalid_token');
});

test('requestPasswordReset / confirmPasswordReset', async () => {
  await newUser('r@compat.test');
  const pb = ctx.guest();
  assert.equal(await pb.collection('users').requestPasswordReset('r@compat.test'), true);
  assert.equal(await pb.collection('users').requestPasswordReset('nobody@compat.test'), true);
  const token = linkToken(await mail.waitForMail('r@compat.test'), 'password-reset');
  await assert.rejects(pb.collection('users').confirmPasswordReset(token, 'new-password-1', 'other-password-1'), (err) => err.status === 400);
  assert.equal(await pb.collection('users').confirmPasswordReset(token, 'new-password-1', 'new-password-1'), true);
  const auth = await pb.collection('users').authWithPassword('r@compat.test', 'new-password-1');
  assert.equal(auth.record.email, 'r@compat.test');
  await assert.rejects(pb.collection('users').authWithPassword('r@compat.test', PASSWORD), (err) => err.status === 400);
});

test('requestEmailChange / confirmEmailChange', async () => {
  await newUser('c@compat.test');
  const pb = ctx.guest();
  await pb.collection('users').authWithPassword('c@compat.test', PASSWORD);
  assert.equal(await pb.collection('users').requestEmailChange('c2@compat.test'), true);
  const token = linkToken(await mail.waitForMail('c2@compat.test'), 'email-change');
  assert.equal(await pb.collection('users').confirmEmailChange(token, PASSWORD), true);
  assert.equal(pb.authStore.isValid, false, 'the SDK clears the auth store of the changed record');
  const auth = await pb.collection('users').authWithPassword('c2@compat.test', PASSWORD);
  assert.equal(auth.record.email, 'c2@compat.test');
  assert.equal(auth.record.verified, true);
});

test('requestOTP / authWithOTP', async () => {
  const user = await newUser('o@compat.test');
  const pb = ctx.guest();
  const { otpId } = await pb.collection('users').requestOTP('o@compat.test');
  assert.match(otpId, RECORD_ID);
  const code = otpCode(await mail.waitForMail('o@compat.test'));
  assert.match(code, /^[0-9]{8}$/);
  const auth = await pb.collection('users').authWithOTP(otpId, code);
  assert.equal(auth.record.id, user.id);
  assert.equal(pb.authStore.isValid, true);
  await assert.rejects(ctx.guest().collection('users').authWithOTP(otpId, code), (err) => err.status === 400);
  const fake = await pb.collection('users').requestOTP('ghost@compat.test');
  assert.match(fake.otpId, RECORD_ID);
});
