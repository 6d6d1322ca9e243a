'use strict'
// Web Push benchmark (issue 17), through the local push-service stand-in (tests/push-server, which decrypts every
// message and verifies its VAPID token, so its own CPU is part of the figure):
//   1. deliveries per second of one send to N devices (a topic all of them registered), from the 202 to "done";
//   2. the latency of the request that queues a send (p50/p99 of 50 small sends) while the big send runs, next to
//      a plain GET /api/push/vapid-public-key at the same moment: queueing should add next to nothing.
// Usage: node bench/push.js [--dll artifacts/bin/PaperGao.Server/release/papergao.dll] [--devices 10000]
// Needs `npm ci` in tests/push-server.
const { spawn, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const net = require('net')
const parseArgs = require('./lib/args')

const args = parseArgs(process.argv.slice(2))
const dll = args.dll || path.join(__dirname, '..', 'artifacts', 'bin', 'PaperGao.Server', 'release', 'papergao.dll')
const devices = Number(args.devices || 10000)
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

async function main () {
  const standIn = spawn('node', [path.join(__dirname, '..', 'tests', 'push-server', 'server.mjs'), fs.mkdtempSync(path.join(os.tmpdir(), 'pushbench-'))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const { port: pushPort } = JSON.parse(await new Promise(resolve => standIn.stdout.once('data', d => resolve(d.toString()))))
  const push = `http://127.0.0.1:${pushPort}`
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papergao-pushbench-'))
  execFileSync('dotnet', [dll, 'superuser', 'upsert', email, password, '--dir', dir], { stdio: 'ignore' })
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = spawn('dotnet', [dll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, '--outbound-allow', 'localhost'], { stdio: 'ignore' })
  try {
    await waitHealthy(url)
    const su = (await api(url, null, 'POST', '/api/collections/_superusers/auth-with-password', { identity: email, password })).token
    await api(url, su, 'POST', '/api/push/vapid-keys')
    await api(url, su, 'PATCH', '/api/settings', { push: { enabled: true, subject: 'mailto:bench@example.com', maxRecipients: Math.max(devices, 1000) } })

    const subs = await (await fetch(push + '/subscriptions', { method: 'POST', body: JSON.stringify({ count: devices }) })).json()
    const users = Math.ceil(devices / perUser)
    const t0 = Date.now()
    await pool([...Array(users).keys()], 8, async (u) => {
      const mail = `u${u}@bench.test`
      await api(url, null, 'POST', '/api/collections/users/records', { email: mail, password, passwordConfirm: password })
      const token = (await api(url, null, 'POST', '/api/collections/users/auth-with-password', { identity: mail, password })).token
      for (let k = u * perUser; k < Math.min(devices, (u + 1) * perUser); k++) {
        await api(url, token, 'POST', '/api/push/devices', { platform: 'web', subscription: subs[k].subscription, topics: ['bench', k < 10 ? 'small' : 'rest'] })
      }
    })
    const setup = (Date.now() - t0) / 1000

    const started = Date.now()
    const big = await api(url, su, 'POST', '/api/push/send', { topic: 'bench', title: 'Bench', body: 'x'.repeat(100), data: { n: 1 } })
    const queueMs = []
    const plainMs = []
    for (let i = 0; i < 50; i++) {
      let t = performance.now()
      await api(url, su, 'POST', '/api/push/send', { topic: 'small', title: 'small ' + i })
      queueMs.push(performance.now() - t)
      t = performance.now()
      await api(url, null, 'GET', '/api/push/vapid-public-key')
      plainMs.push(performance.now() - t)
    }
    let log
    while (true) {
      log = await api(url, su, 'GET', '/api/push/sends/' + big.id)
      if (log.status === 'done' || log.status === 'failed') break
      await new Promise(r => setTimeout(r, 100))
    }
    const seconds = (Date.parse(log.updated.replace(' ', 'T')) - Date.parse(big.created.replace(' ', 'T'))) / 1000
    const stats = await (await fetch(push + '/stats')).json()
    console.log(`devices: ${devices} (${users} users; registration took ${setup.toFixed(1)} s)`)
    console.log(`big send: ${log.status}, accepted ${log.accepted}, rejected ${log.rejected}, invalid ${log.invalid}, retried ${log.retried}`)
    console.log(`deliveries/s: ${(log.accepted / seconds).toFixed(0)} (${seconds.toFixed(2)} s from queued to done; wall ${(Date.now() - started) / 1000} s)`)
    console.log(`stand-in: received ${stats.received}, decrypted+verified ${stats.decrypted}, failed ${stats.failed}`)
    console.log(`POST /api/push/send while the big send runs: p50 ${pct(queueMs, 0.5).toFixed(1)} ms, p99 ${pct(queueMs, 0.99).toFixed(1)} ms`)
    console.log(`GET /api/push/vapid-public-key at the same time: p50 ${pct(plainMs, 0.5).toFixed(1)} ms, p99 ${pct(plainMs, 0.99).toFixed(1)} ms`)
  } finally {
    server.kill('SIGTERM')
    standIn.stdin.end()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch(e => { console.error(e); process.exit(1) })
