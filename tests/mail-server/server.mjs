// Test SMTP server: `node server.mjs <folder>` listens on a free 127.0.0.1 port, prints {"port":N} on stdout,
// and writes each received message (raw RFC 5322) as <folder>/<seq>.eml (written to a temp name, then renamed,
// so a reader never sees half a message). AUTH is optional; when given, the password must be "test-smtp-password".
// Exits when stdin closes (the test process that started it has gone).
import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import path from 'node:path';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node server.mjs <folder>');
  process.exit(2);
}
fs.mkdirSync(folder, { recursive: true });
let seq = 0;

const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    if (auth.password === 'test-smtp-password') return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const n = String(++seq).padStart(6, '0');
      const header = `X-Test-Envelope-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
      const tmp = path.join(folder, `${n}.tmp`);
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(header), ...chunks]));
      fs.renameSync(tmp, path.join(folder, `${n}.eml`));
      callback();
    });
  },
});

server.on('error', (err) => console.error('smtp error:', err.message));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\n');
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
