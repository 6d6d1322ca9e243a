// The test SMTP server (tests/mail-server/server.mjs, npm smtp-server) for SDK compat tests: started on a free
// 127.0.0.1 port, each received message stored as a file; waitForMail polls that folder with a deadline.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join, dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, '..', '..', 'mail-server', 'server.mjs');
export const SMTP_PASSWORD = 'test-smtp-password';

export async function startMailServer() {
  const dir = await mkdtemp(join(tmpdir(), 'papergao-compat-mail-'));
  const child = spawn(process.execPath, [script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('mail server did not start within 20 s')), 20_000);
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`mail server exited (${code}); run npm ci in tests/mail-server`)); });
    createInterface({ input: child.stdout }).once('line', (line) => { clearTimeout(timer); res(JSON.parse(line).port); });
  });
  const taken = new Set();
  return {
    port,
    /** The next message (raw text, quoted-printable decoded) sent to `to` that was not returned before. */
    async waitForMail(to, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const name of (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort()) {
          if (taken.has(name)) continue;
          const text = await readFile(join(dir, name), 'utf8');
          const rcpt = /^X-Test-Envelope-To: (.*)$/m.exec(text)?.[1] ?? '';
          if (rcpt.toLowerCase().split(', ').includes(to.toLowerCase())) {
            taken.add(name);
            return decodeQuotedPrintable(text);
          }
        }
        if (Date.now() > deadline) throw new Error(`no email to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function decodeQuotedPrintable(s) {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** The token of a "{APP_URL}/_/#/auth/confirm-KIND/{TOKEN}" link in a mail. */
export function linkToken(mail, kind) {
  const m = new RegExp(`/_/#/auth/confirm-${kind}/([A-Za-z0-9_.-]+)"`).exec(mail);
  if (!m) throw new Error(`no confirm-${kind} link in:\n${mail}`);
  return m[1];
}

export function otpCode(mail) {
  const m = /<strong>([0-9]+)<\/strong>/.exec(mail);
  if (!m) throw new Error(`no OTP code in:\n${mail}`);
  return m[1];
}
