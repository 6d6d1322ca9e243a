import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from './lib/harness.mjs';
import { startMailServer, otpCode, SMTP_PASSWORD } from './lib/mail.mjs';

let mail = null;
const PASSWORD = 'user-password-123';

const ctx = useServer(async (c) => {
  mail = await startMailServer();
  await c.pb.settings.update({
    meta: { appName: 'Compat', appURL: 'https://compat.example.test', senderName: 'Compat', senderAddress: 'no-reply@compat.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: mail.port, username: 'mailer', password: SMTP_PASSWORD, tls: false },
  });
  await c.pb.collections.update('users', { otp: { enabled: true, duration: 180, length: 8 }, mfa: { enabled: true, duration: 600, rule: '' } });
});
after(async () => { await mail?.stop(); });

test('MFA: authWithPassword answers 401 with mfaId, authWithOTP with that mfaId signs in', async () => {
  const pb = ctx.guest();
  const user = await pb.collection('users').create({ email: 'mfa@compat.test', password: PASSWORD, passwordConfirm: PASSWORD });

  const methods = await pb.collection('users').listAuthMethods();
  assert.equal(methods.mfa.enabled, true);
  assert.equal(methods.otp.enabled, true);

  let mfaId = '';
  await assert.rejects(pb.collection('users').authWithPassword('mfa@compat.test', PASSWORD), (err) => {
    assert.equal(err.status, 401);
    mfaId = err.response.mfaId;
    return typeof mfaId === 'string' && mfaId.length > 0;
  });
  assert.equal(pb.authStore.isValid, false);

  const { otpId } = await pb.collection('users').requestOTP('mfa@compat.test');
  const code = otpCode(await mail.waitForMail('mfa@compat.test'));
  const auth = await pb.collection('users').authWithOTP(otpId, code, { mfaId });
  assert.equal(auth.record.id, user.id);
  assert.equal(pb.authStore.isValid, true);
});
