'use strict'
// Push benchmark (issue 17), through the local stand-ins (tests/push-server: Web Push messages are decrypted and their
// VAPID token verified, FCM's OAuth2 assertion and bearer tokens checked, APNs spoken over HTTP/2 + TLS with its
// ES256 provider token checked, so the stand-in's own CPU is part of each figure):
//   1. deliveries per second of one send to N devices of each platform (a topic all of them registered), from the
//      202 to "done" (the log's created/updated times);
//   2. the latency of the request that queues a send (p50/p99 of 50 small sends) while the big Web Push send runs,
//      next to a plain GET /api/push/vapid-public-key at the same moment: queueing should add next to nothing.
// APNs needs TLS: a self-signed certificate for localhost is made with openssl, and the server (only the bench's
// server process) trusts it through SSL_CERT_FILE (the system bundle plus that certificate).
// Usage: node bench/push.js [--dll artifacts/bin/PaperGao.Server/release/papergao.dll] [--devices 10000] [--platforms web,fcm,apns]
// Needs `npm ci` in tests/push-server, and openssl on PATH for apns.
const { spawn, execFileSync } = require('child_process')
const crypto = require('crypto')
const fs = require('fs')
const os = require('os')
const path = require('path')
const net = require('net')
const parseArgs = require('./lib/args')
const { runtimeEnv } = require('./lib/runtime-env')

const args = parseArgs(process.argv.slice(2))
const dll = args.dll || path.join(__dirname, '..', 'artifacts', 'bin', 'PaperGao.Server', 'release', 'papergao.dll')
const devices = Number(args.devices || 10000)
const platforms = String(args.platforms || 'web,fcm,apns').split(',')
const perUser = 20 // PushLimits.DevicesPerUser
const email = 'bench@example.com'
const password = 'bench-password-123'

function freePort () {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)) })
  })
}

async function api (url, token, method, p, body) {
  const headers = { 'content-type': 'application/json' }
  if (token) headers.authorization = token
  const res = await fetch(url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const json = await res.json().catch(() => null)
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

async function waitHealthy (url) {
  const deadline = Date.now() + 60000
  while (Date.now() < deadline) {
    try { if ((await fetch(url + '/api/health')).ok) return } catch {}
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error('server did not become healthy')
}

async function pool (items, size, fn) {
  let i = 0
  await Promise.all(Array.from({ length: size }, async () => { while (i < items.length) { const k = i++; await fn(items[k], k) } }))
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }

async function post (url, body) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`${url}: ${res.status}`)
  return res.status === 204 ? null : res.json()
}

/** A self-signed certificate for localhost (PEM cert and key), made with openssl. */
function localhostCertificate (dir) {
  const key = path.join(dir, 'apns-key.pem')
  const cert = path.join(dir, 'apns-cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' })
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') }
}

async function waitDone (url, su, id) {
  while (true) {
    const log = await api(url, su, 'GET', '/api/push/sends/' + id)
    if (log.status === 'done' || log.status === 'failed') return log
    await new Promise(r => setTimeout(r, 100))
  }
}

async function main () {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pushbench-'))
  const tls = platforms.includes('apns') ? localhostCertificate(work) : null
  const standIn = spawn('node', [path.join(__dirname, '..', 'tests', 'push-server', 'server.mjs'), work, ...(tls ? [tls.cert, tls.key] : [])], { stdio: ['pipe', 'pipe', 'inherit'] })
  const { port: pushPort, apnsPort } = JSON.parse(await new Promise(resolve => standIn.stdout.once('data', d => resolve(d.toString()))))
  const push = `http://127.0.0.1:${pushPort}`
  const dir = path.join(work, 'data')
  execFileSync('dotnet', [dll, 'superuser', 'upsert', email, password, '--dir', dir], { stdio: 'ignore' })
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = runtimeEnv()
  if (tls) {
    const bundle = path.join(work, 'ca-bundle.pem')
    const system = ['/etc/ssl/certs/ca-certificates.crt'].filter(f => fs.existsSync(f)).map(f => fs.readFileSync(f, 'utf8')).join('\n')
    fs.writeFileSync(bundle, system + '\n' + tls.cert)
    env.SSL_CERT_FILE = bundle
  }
  const server = spawn('dotnet', [dll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--outbound-allow', 'localhost'], { stdio: 'ignore', env })
  try {
    await waitHealthy(url)
    const su = (await api(url, null, 'POST', '/api/collections/_superusers/auth-with-password', { identity: email, password })).token
    await api(url, su, 'POST', '/api/push/vapid-keys')
    const settings = { enabled: platforms.includes('web'), subject: 'mailto:bench@example.com', maxRecipients: Math.max(devices, 1000) }
    if (platforms.includes('fcm')) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      const clientEmail = 'bench@papergao-bench.iam.gserviceaccount.com'
      await post(push + '/fcm/config', { projectId: 'papergao-bench', clientEmail, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) })
      Object.assign(settings, {
        fcmEnabled: true,
        fcmServiceAccount: JSON.stringify({ type: 'service_account', project_id: 'papergao-bench', client_email: clientEmail, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
        fcmEndpoint: `http://localhost:${pushPort}`,
        fcmTokenUrl: `http://localhost:${pushPort}/fcm/token`,
      })
    }
    if (platforms.includes('apns')) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      await post(push + '/apns/config', { keyId: 'KEY1234567', teamId: 'TEAM123456', topic: 'com.papergao.bench', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) })
      Object.assign(settings, {
        apnsEnabled: true, apnsKeyId: 'KEY1234567', apnsTeamId: 'TEAM123456', apnsTopic: 'com.papergao.bench',
        apnsPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }), apnsEndpoint: `https://localhost:${apnsPort}`,
      })
    }
    await api(url, su, 'PATCH', '/api/settings', { push: settings })

    // Devices: N per platform, 20 per user (the per-user cap), each on the topic "bench-<platform>".
    const users = Math.ceil(devices / perUser) * platforms.length
    const made = {}
    for (const p of platforms) {
      made[p] = p === 'web'
        ? (await post(push + '/subscriptions', { count: devices })).map(s => ({ platform: 'web', subscription: s.subscription }))
        : (await post(push + `/${p}/devices`, { count: devices })).map(d => ({ platform: p, token: d.token }))
    }
    const all = platforms.flatMap(p => made[p].map((d, k) => ({ ...d, topics: ['bench-' + p, p === 'web' && k < 10 ? 'small' : 'rest'] })))
    const t0 = Date.now()
    await pool([...Array(users).keys()], 8, async (u) => {
      const mail = `u${u}@bench.test`
      await api(url, null, 'POST', '/api/collections/users/records', { email: mail, password, passwordConfirm: password })
      const token = (await api(url, null, 'POST', '/api/collections/users/auth-with-password', { identity: mail, password })).token
      for (let k = u * perUser; k < Math.min(all.length, (u + 1) * perUser); k++) await api(url, token, 'POST', '/api/push/devices', all[k])
    })
    console.log(`devices: ${devices} per platform (${platforms.join(', ')}; ${users} users; registration took ${((Date.now() - t0) / 1000).toFixed(1)} s)`)

    for (const p of platforms) {
      const started = Date.now()
      const big = await api(url, su, 'POST', '/api/push/send', { topic: 'bench-' + p, title: 'Bench', body: 'x'.repeat(100), data: { n: '1' } })
      const queueMs = []
      const plainMs = []
      if (p === platforms[0]) {
        for (let i = 0; i < 50; i++) {
          let t = performance.now()
          await api(url, su, 'POST', '/api/push/send', { topic: 'small', title: 'small ' + i })
          queueMs.push(performance.now() - t)
          t = performance.now()
          await api(url, null, 'GET', '/api/push/vapid-public-key')
          plainMs.push(performance.now() - t)
        }
      }
      const log = await waitDone(url, su, big.id)
      const seconds = (Date.parse(log.updated.replace(' ', 'T')) - Date.parse(big.created.replace(' ', 'T'))) / 1000
      console.log(`${p}: ${log.status}, accepted ${log.accepted}, rejected ${log.rejected}, invalid ${log.invalid}, retried ${log.retried}${log.error ? ' (' + log.error + ')' : ''}`)
      console.log(`${p}: deliveries/s ${(log.accepted / seconds).toFixed(0)} (${seconds.toFixed(2)} s from queued to done; wall ${(Date.now() - started) / 1000} s)`)
      if (queueMs.length) {
        console.log(`POST /api/push/send while the ${p} send runs: p50 ${pct(queueMs, 0.5).toFixed(1)} ms, p99 ${pct(queueMs, 0.99).toFixed(1)} ms`)
        console.log(`GET /api/push/vapid-public-key at the same time: p50 ${pct(plainMs, 0.5).toFixed(1)} ms, p99 ${pct(plainMs, 0.99).toFixed(1)} ms`)
      }
    }
    const stats = await (await fetch(push + '/stats')).json()
    console.log(`stand-in: received ${stats.received}, web decrypted+verified ${stats.decrypted}, failed ${stats.failed}, fcm token exchanges ${stats.fcmTokenExchanges}`)
  } finally {
    server.kill('SIGTERM')
    standIn.stdin.end()
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch(e => { console.error(e); process.exit(1) })
