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
//   GET /messages[?sub=ID]                             what was received, in order (every service; "service" says which)
//   GET /stats                                         counts only (for the bench)
//   GET /info                                          {port, apnsPort}
// FCM (HTTP v1), on the same port:
//   POST /fcm/config {projectId, clientEmail, publicKeyPem}  the service account the tokens must be signed by
//   POST /fcm/devices {count?, status?, script?}      -> [{token}] registration tokens (status/script as above)
//   POST /fcm/token                                    the OAuth2 token endpoint: a JWT bearer grant whose RS256
//        assertion verifies with the configured key (jws), iss = clientEmail, scope firebase.messaging, aud = this URL,
//        iat now, exp at most 1 h later -> {access_token, expires_in, token_type}; else 400 invalid_grant
//   POST /v1/projects/:project/messages:send           needs a bearer token issued above; answers 200 {name} or the
//        scripted status with FCM's error body (404 UNREGISTERED, 429 RESOURCE_EXHAUSTED + retry-after, ...)
//   POST /fcm/bulk {prefix, delayMs?}                  every token starting with prefix is a device answering 200
//        (after delayMs); only counts are kept.  GET /fcm/bulk -> {messages, devices, repeated}
// APNs, over HTTP/2 with TLS on apnsPort (argv[3]/argv[4]: the certificate and key PEM the test made and trusts):
//   POST /apns/config {keyId, teamId, topic, publicKeyPem} (on the HTTP port) what the provider tokens must match
//   POST /apns/devices {count?, status?, script?}     -> [{token}] (on the HTTP port) 64-hex device tokens
//   POST /3/device/:token                              checks the ES256 provider token (kid, iss, iat under 1 h),
//        apns-topic, apns-push-type and the payload (JSON with aps, at most 4096 bytes); answers 200 + apns-id or the
//        scripted status with APNs' {reason} (410 Unregistered, 429 TooManyRequests, ...); an unknown token: 400 BadDeviceToken
// Everything is independent of the server under test: only the npm packages do the crypto.
import http from 'node:http';
import http2 from 'node:http2';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ece = require('http_ece');
const jws = require('jws');
const vapidHelper = require('web-push/src/vapid-helper.js');

const subs = new Map();
const messages = [];
const stats = { received: 0, decrypted: 0, failed: 0, byStatus: {}, fcmTokenExchanges: 0, fcmTokensRefused: 0 };
let port = 0;
let apnsPort = 0;
const fcm = { config: null, devices: new Map(), accessTokens: new Set(), bulk: null };
const apns = { config: null, devices: new Map() };

function newDevice(map, token, status, script) {
  map.set(token, { status: status ?? 200, script: [...(script ?? [])] });
  return { token };
}

function nextStep(device) {
  return device.script.length > 0 ? device.script.shift() : { status: device.status };
}

function retryHeaders(step) {
  return step.retryAfter !== undefined ? { 'retry-after': String(step.retryAfter) } : {};
}

// Verifies a compact JWS with the given algorithm and key; returns {header, claims} or throws with the reason.
function verifyJwt(token, alg, publicKeyPem) {
  if (!jws.verify(token, alg, publicKeyPem)) throw new Error(`the ${alg} signature does not verify with the configured key`);
  const decoded = jws.decode(token);
  if (decoded.header.alg !== alg) throw new Error('unexpected alg ' + decoded.header.alg);
  const claims = typeof decoded.payload === 'string' ? JSON.parse(decoded.payload) : decoded.payload;
  return { header: decoded.header, claims };
}

async function onFcmToken(req, res) {
  stats.fcmTokenExchanges++;
  const form = new URLSearchParams((await readBody(req)).toString());
  const refuse = (why) => {
    stats.fcmTokensRefused++;
    messages.push({ service: 'fcm-token', at: Date.now(), error: why });
    return answer(res, 400, { error: 'invalid_grant', error_description: why });
  };
  if (!fcm.config) return refuse('no service account configured');
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse('grant_type is not jwt-bearer');
  let jwt;
  try { jwt = verifyJwt(form.get('assertion') ?? '', 'RS256', fcm.config.publicKeyPem); } catch (e) { return refuse(e.message); }
  const { header, claims } = jwt;
  const now = Math.floor(Date.now() / 1000);
  if (header.typ !== 'JWT') return refuse('typ is not JWT');
  if (claims.iss !== fcm.config.clientEmail) return refuse(`iss ${claims.iss} is not the service account`);
  if (!String(claims.scope ?? '').split(' ').includes('https://www.googleapis.com/auth/firebase.messaging')) return refuse('scope lacks firebase.messaging');
  if (claims.aud !== `http://${req.headers.host}/fcm/token`) return refuse(`aud ${claims.aud} is not the token URL`);
  if (Math.abs(claims.iat - now) > 300) return refuse('iat is not now');
  if (!(claims.exp > now && claims.exp - claims.iat <= 3600)) return refuse('exp is not within an hour of iat');
  const accessToken = 'ya29.' + crypto.randomBytes(24).toString('base64url');
  fcm.accessTokens.add(accessToken);
  return answer(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
}

function fcmError(res, status, code, extra = {}) {
  const names = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
  const details = code ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: code }] : [];
  return answer(res, status, { error: { code: status, message: code ?? names[status] ?? 'error', status: names[status] ?? 'UNKNOWN', details } }, extra);
}

async function onFcmSend(req, res, project) {
  stats.received++;
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!auth || !fcm.accessTokens.has(auth[1])) {
    messages.push({ service: 'fcm', at: Date.now(), error: 'unknown bearer token', status: 401 });
    return fcmError(res, 401, null);
  }
  if (!fcm.config || project !== fcm.config.projectId) return fcmError(res, 403, 'SENDER_ID_MISMATCH');
  let body;
  try { body = JSON.parse((await readBody(req)).toString('utf8')); } catch { return fcmError(res, 400, 'INVALID_ARGUMENT'); }
  const message = body?.message ?? {};
  if (fcm.bulk && typeof message.token === 'string' && message.token.startsWith(fcm.bulk.prefix)) return onFcmBulk(res, project, message.token);
  const record = { service: 'fcm', sub: message.token ?? null, at: Date.now(), message };
  const device = fcm.devices.get(message.token);
  const badData = Object.entries(message.data ?? {}).find(([, v]) => typeof v !== 'string');
  if (badData) {
    record.error = `data.${badData[0]} is not a string`;
    record.status = 400;
    messages.push(record);
    return fcmError(res, 400, 'INVALID_ARGUMENT');
  }
  if (!device) {
    record.status = 404;
    messages.push(record);
    return fcmError(res, 404, 'UNREGISTERED');
  }
  const step = nextStep(device);
  record.status = step.status;
  messages.push(record);
  if (step.status === 200) return answer(res, 200, { name: `projects/${project}/messages/${crypto.randomBytes(8).toString('hex')}` });
  const code = { 404: 'UNREGISTERED', 429: 'QUOTA_EXCEEDED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 403: 'SENDER_ID_MISMATCH', 400: 'INVALID_ARGUMENT' }[step.status];
  return fcmError(res, step.status, code, retryHeaders(step));
}

// Bulk devices: every token with the configured prefix is a device that answers 200 after delayMs; only a count per
// token is kept (no message bodies), so a test can send to 100,000 of them and check each got exactly one.
function onFcmBulk(res, project, token) {
  const bulk = fcm.bulk;
  bulk.messages++;
  bulk.counts.set(token, (bulk.counts.get(token) ?? 0) + 1);
  const done = () => answer(res, 200, { name: `projects/${project}/messages/b${bulk.messages}` });
  if (bulk.delayMs > 0) setTimeout(done, bulk.delayMs); else done();
}

function bulkSummary() {
  const b = fcm.bulk;
  if (!b) return { messages: 0, devices: 0, repeated: 0 };
  let repeated = 0;
  for (const n of b.counts.values()) if (n > 1) repeated++;
  return { messages: b.messages, devices: b.counts.size, repeated };
}

function onApns(stream, headers, body) {
  stats.received++;
  const path = headers[':path'] ?? '';
  const m = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path);
  const reply = (status, reason, extra = {}) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    stream.respond({ ':status': status, 'apns-id': crypto.randomUUID(), ...(reason ? { 'content-type': 'application/json' } : {}), ...extra });
    stream.end(reason ? JSON.stringify(status === 410 ? { reason, timestamp: Date.now() } : { reason }) : '');
  };
  const record = {
    service: 'apns',
    sub: m ? m[1] : null,
    at: Date.now(),
    topic: headers['apns-topic'] ?? null,
    pushType: headers['apns-push-type'] ?? null,
    priority: headers['apns-priority'] ?? null,
    expiration: headers['apns-expiration'] ?? null,
    collapseId: headers['apns-collapse-id'] ?? null,
    protocol: stream.session?.alpnProtocol ?? null,
    size: body.length,
  };
  const fail = (status, reason) => { record.error = reason; record.status = status; messages.push(record); return reply(status, reason); };
  if (headers[':method'] !== 'POST' || !m) return fail(404, 'BadPath');
  if (!apns.config) return fail(403, 'InvalidProviderToken');
  const bearer = /^bearer (.+)$/.exec(headers.authorization ?? '');
  if (!bearer) return fail(403, 'MissingProviderToken');
  try {
    const { header, claims } = verifyJwt(bearer[1], 'ES256', apns.config.publicKeyPem);
    if (header.kid !== apns.config.keyId) throw new Error('kid');
    if (claims.iss !== apns.config.teamId) throw new Error('iss');
    const now = Math.floor(Date.now() / 1000);
    if (!(claims.iat <= now + 60)) throw new Error('iat in the future');
    if (now - claims.iat > 3600) return fail(403, 'ExpiredProviderToken');
    record.jwt = { kid: header.kid, iss: claims.iss };
  } catch (e) {
    record.jwtError = e.message;
    return fail(403, 'InvalidProviderToken');
  }
  if (record.topic !== apns.config.topic) return fail(400, 'DeviceTokenNotForTopic');
  if (!['alert', 'background', 'voip', 'complication', 'fileprovider', 'mdm', 'location', 'liveactivity', 'pushtotalk'].includes(record.pushType)) return fail(400, 'InvalidPushType');
  if (body.length > 4096) return fail(413, 'PayloadTooLarge');
  try { record.payload = JSON.parse(body.toString('utf8')); } catch { return fail(400, 'BadPayload'); }
  if (typeof record.payload?.aps !== 'object') return fail(400, 'PayloadEmpty');
  const device = apns.devices.get(m[1].toLowerCase());
  if (!device) return fail(400, 'BadDeviceToken');
  const step = nextStep(device);
  record.status = step.status;
  messages.push(record);
  if (step.status === 200) return reply(200, null);
  const reason = { 410: 'Unregistered', 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable', 400: 'BadDeviceToken', 403: 'InvalidProviderToken' }[step.status] ?? 'Error';
  stats.byStatus[step.status] = (stats.byStatus[step.status] ?? 0) + 1;
  stream.respond({ ':status': step.status, 'content-type': 'application/json', ...retryHeaders(step) });
  return stream.end(JSON.stringify(step.status === 410 ? { reason, timestamp: Date.now() } : { reason }));
}

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
    if (req.method === 'POST' && url.pathname === '/fcm/token') return await onFcmToken(req, res);
    if (req.method === 'POST' && parts[0] === 'v1' && parts[1] === 'projects' && parts[3] === 'messages:send' && parts.length === 4) return await onFcmSend(req, res, decodeURIComponent(parts[2]));
    if (req.method === 'POST' && (url.pathname === '/fcm/config' || url.pathname === '/apns/config')) {
      const config = JSON.parse((await readBody(req)).toString() || '{}');
      if (url.pathname === '/fcm/config') fcm.config = config; else apns.config = config;
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'POST' && (url.pathname === '/fcm/devices' || url.pathname === '/apns/devices')) {
      const opts = JSON.parse((await readBody(req)).toString() || '{}');
      const count = Math.min(Math.max(opts.count ?? 1, 1), 100000);
      const list = [];
      for (let i = 0; i < count; i++) {
        list.push(url.pathname === '/fcm/devices'
          ? newDevice(fcm.devices, 'f' + crypto.randomBytes(8).toString('hex') + ':APA91b' + crypto.randomBytes(96).toString('base64url'), opts.status, opts.script)
          : newDevice(apns.devices, crypto.randomBytes(32).toString('hex'), opts.status, opts.script));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(list));
    }
    if (req.method === 'POST' && url.pathname === '/fcm/bulk') {
      const opts = JSON.parse((await readBody(req)).toString() || '{}');
      fcm.bulk = { prefix: String(opts.prefix ?? 'bulk-'), delayMs: Number(opts.delayMs ?? 0), messages: 0, counts: new Map() };
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/fcm/bulk') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(bulkSummary()));
    }
    if (req.method === 'GET' && url.pathname === '/info') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ port, apnsPort }));
    }
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

// APNs: HTTP/2 only (no HTTP/1.1 fallback, like Apple's servers), TLS with the test's certificate when given.
const [certPem, keyPem] = [process.argv[3], process.argv[4]];
const apnsServer = certPem && keyPem ? http2.createSecureServer({ cert: certPem, key: keyPem, allowHTTP1: false }) : null;
apnsServer?.on('stream', (stream, headers) => {
  const chunks = [];
  let size = 0;
  stream.on('data', (c) => { size += c.length; if (size <= 64 * 1024) chunks.push(c); });
  stream.on('end', () => {
    try { onApns(stream, headers, Buffer.concat(chunks)); } catch (e) { stream.respond({ ':status': 500 }); stream.end(String(e?.message ?? e)); }
  });
});
apnsServer?.on('sessionError', () => {});

server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  const ready = () => process.stdout.write(JSON.stringify({ port, apnsPort }) + '\n');
  if (!apnsServer) return ready();
  apnsServer.listen(0, '127.0.0.1', () => { apnsPort = apnsServer.address().port; ready(); });
});

const stop = () => { apnsServer?.close(); server.close(() => process.exit(0)); };
process.stdin.resume();
process.stdin.on('end', stop);
process.on('SIGTERM', stop);
