// A real OAuth2/OpenID Connect server for the tests (oauth2-mock-server), listening on 127.0.0.1 on a free port.
// Prints one line "OAUTH_SERVER_URL=<issuer url>" once it listens, then runs until stdin closes or it is killed.
//
// Test users: the authorize request may carry `test_user` = a JSON object (sub, email, email_verified, name,
// preferred_username, picture). The code issued for that request signs in that user: the token answer, the
// id_token (sub/email claims) and GET /userinfo (by access token) all describe it. Without `test_user` the
// package default (sub "johndoe") applies. `fail_token=1` on authorize makes the token call for that code answer
// 500 with a body the API must not echo. The `nonce` of the authorize request goes into the id_token issued for
// its code; a `nonce` key in `test_user` replaces it (a string) or leaves the claim out (null), to test refusals.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

const usersByCode = new Map();
const usersByAccessToken = new Map();
const failingCodes = new Set();
const noncesByCode = new Map();

server.service.on('beforeAuthorizeRedirect', (redirect, req) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const code = redirect.url.searchParams.get('code');
  if (!code) return;
  const raw = url.searchParams.get('test_user');
  if (raw) usersByCode.set(code, JSON.parse(raw));
  const nonce = url.searchParams.get('nonce');
  if (nonce) noncesByCode.set(code, nonce);
  if (url.searchParams.get('fail_token') === '1') failingCodes.add(code);
});

server.service.on('beforeTokenSigning', (token, req) => {
  const nonce = req.body?.code ? noncesByCode.get(req.body.code) : undefined;
  if (nonce) token.payload.nonce = nonce;
  const user = req.body?.code ? usersByCode.get(req.body.code) : undefined;
  if (!user) return;
  // Runs for the access token and again for the id_token (whose sub/aud the package then overwrites with
  // "johndoe"/client_id; the id_token subject is fixed below in beforeResponse's answer).
  Object.assign(token.payload, user);
  if (token.payload.nonce === null) delete token.payload.nonce;
});

server.service.on('beforeResponse', (response, req) => {
  const code = req.body?.code;
  if (code && response.body?.access_token) noncesByCode.delete(code);
  if (code && failingCodes.has(code)) {
    failingCodes.delete(code);
    response.statusCode = 500;
    response.body = { error: 'server_error', error_description: 'PROVIDER-SECRET-DIAGNOSTIC internal trace' };
    return;
  }
  const user = code ? usersByCode.get(code) : undefined;
  if (user && response.body.access_token) {
    usersByAccessToken.set(response.body.access_token, user);
    usersByCode.delete(code);
  }
});

server.service.on('beforeUserinfo', (response, req) => {
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  const user = usersByAccessToken.get(token);
  if (user) response.body = { ...user };
  else if (token === '') { response.statusCode = 401; response.body = { error: 'invalid_token' }; }
});

await server.start(0, '127.0.0.1');
// Reached as "localhost": the server under test allow-lists that name for outbound requests (PAPERGAO_OUTBOUND_ALLOW),
// while 127.0.0.1 itself stays refused, as the SSRF tests check.
server.issuer.url = `http://localhost:${server.address().port}`;
process.stdout.write(`OAUTH_SERVER_URL=${server.issuer.url}\n`);

const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
