// Test Web Push service: `node server.mjs <folder>` listens on a free 127.0.0.1 port and prints {"port":N}; it exits
// when stdin closes. It plays the browser's push service for PaperGao's tests and bench:
//   POST /subscriptions {count?, status?, script?}  -> [{id, subscription: {endpoint, keys: {p256dh, auth}}}]
//        makes subscriptions whose private keys it keeps (P-256 key pair + 16-byte auth secret each); "status" is the
//        answer to every message (default 201); "script" is a list of answers used first, e.g. [{status: 429, retryAfter: 1}]
//   POST /subscriptions/:id {status?, script?}        changes how a subscription answers
//   POST /push/:id                                     the push endpoint: checks the VAPID JWT (ES256 signature with the
//        k= key, aud = this origin, exp within 24 h, sub an https:/mailto: URL, via jws and web-push's helpers), decrypts
//        the aes128gcm body with http_ece and the subscription's keys, records the message and answers as scripted.
//        A message that fails a check is recorded with its error and answered 400 (bad crypto) or 401 (bad VAPID).
//   GET /messages[?sub=ID]                             what was received, in order
//   GET /stats                                         counts only (for the bench)
// Everything is independent of the server under test: only the npm packages do the crypto.
import http from 'node:http';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ece = require('http_ece');
const jws = require('jws');
const vapidHelper = require('web-push/src/vapid-helper.js');

const subs = new Map();
const messages = [];
const stats = { received: 0, decrypted: 0, failed: 0, byStatus: {} };
let port = 0;

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

function newSubscription(status, script) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  const id = crypto.randomBytes(9).toString('hex');
  subs.set(id, { ecdh, auth, status: status ?? 201, script: [...(script ?? [])] });
  return {
    id,
    subscription: {
      endpoint: `http://localhost:${port}/push/${id}`,
      expirationTime: null,
      keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
    },
  };
}

// Returns the JWT's claims, or throws with the reason.
function verifyVapid(authorization, origin) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error('Authorization is not "vapid t=..., k=..."');
  const [, token, k] = m;
  vapidHelper.validatePublicKey(k);
  const raw = Buffer.from(k, 'base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) };
  const pem = crypto.createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  if (!jws.verify(token, 'ES256', pem)) throw new Error('the JWT signature does not verify with k');
  const decoded = jws.decode(token);
  if (decoded.header.alg !== 'ES256' || decoded.header.typ !== 'JWT') throw new Error('unexpected JWT header ' + JSON.stringify(decoded.header));
  const claims = typeof decoded.payload === 'string' ? JSON.parse(decoded.payload) : decoded.payload;
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  vapidHelper.validateExpiration(claims.exp);
  const now = Math.floor(Date.now() / 1000);
  if (claims.exp <= now || claims.exp > now + 24 * 3600) throw new Error('exp is not within the next 24 hours');
  vapidHelper.validateSubject(claims.sub);
  return claims;
}

function answer(res, status, body, headers = {}) {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function onPush(req, res, id) {
  stats.received++;
  const body = await readBody(req);
  const sub = subs.get(id);
  if (!sub) return answer(res, 404, { error: 'no such subscription' });
  const record = {
    sub: id,
    at: Date.now(),
    ttl: req.headers['ttl'] ?? null,
    urgency: req.headers['urgency'] ?? null,
    topic: req.headers['topic'] ?? null,
    contentEncoding: req.headers['content-encoding'] ?? null,
    size: body.length,
  };
  const origin = `http://${req.headers.host}`;
  try {
    record.vapid = verifyVapid(req.headers.authorization, origin);
  } catch (e) {
    record.error = 'vapid: ' + e.message;
    stats.failed++;
    messages.push(record);
    return answer(res, 401, { error: record.error });
  }
  try {
    if (record.contentEncoding !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
    if (record.ttl === null || !/^\d+$/.test(record.ttl)) throw new Error('missing or invalid TTL header');
    const plain = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: b64url(sub.auth) });
    record.payload = plain.toString('utf8');
    stats.decrypted++;
  } catch (e) {
    record.error = 'decrypt: ' + e.message;
    stats.failed++;
    messages.push(record);
    return answer(res, 400, { error: record.error });
  }
  const step = sub.script.length > 0 ? sub.script.shift() : { status: sub.status };
  record.status = step.status;
  messages.push(record);
  const headers = step.retryAfter !== undefined ? { 'retry-after': String(step.retryAfter) } : {};
  if (step.status === 201) headers.location = `http://${req.headers.host}/message/${crypto.randomBytes(6).toString('hex')}`;
  return answer(res, step.status, undefined, headers);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && parts[0] === 'push' && parts.length === 2) return await onPush(req, res, parts[1]);
    if (req.method === 'POST' && url.pathname === '/subscriptions') {
      const opts = JSON.parse((await readBody(req)).toString() || '{}');
      const count = Math.min(Math.max(opts.count ?? 1, 1), 100000);
      const list = [];
      for (let i = 0; i < count; i++) list.push(newSubscription(opts.status, opts.script));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(list));
    }
    if (req.method === 'POST' && parts[0] === 'subscriptions' && parts.length === 2) {
      const sub = subs.get(parts[1]);
      if (!sub) { res.writeHead(404); return res.end(); }
      const opts = JSON.parse((await readBody(req)).toString() || '{}');
      if (opts.status !== undefined) sub.status = opts.status;
      if (opts.script !== undefined) sub.script = [...opts.script];
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/messages') {
      const sub = url.searchParams.get('sub');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(sub ? messages.filter((m) => m.sub === sub) : messages));
    }
    if (req.method === 'GET' && url.pathname === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ...stats, subscriptions: subs.size }));
    }
    res.writeHead(404);
    res.end();
  } catch (e) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(e?.message ?? e) }));
  }
});

server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  process.stdout.write(JSON.stringify({ port }) + '\n');
});

const stop = () => server.close(() => process.exit(0));
process.stdin.resume();
process.stdin.on('end', stop);
process.on('SIGTERM', stop);
