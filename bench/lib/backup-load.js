'use strict'
// Backup benchmark driver: p50/p99 of record creates while the project is quiet and while a backup runs,
// alternating A (quiet) B (during a backup) A B inside one run. Plain keep-alive HTTP, C concurrent writers.
// Usage: node backup-load.js --url URL --email E --password P [--connections 4] [--quiet-s 10]
const http = require('http')
const parseArgs = require('./args')

const args = parseArgs(process.argv.slice(2))
const base = new URL(args.url)
const C = Number(args.connections || 4)
const QUIET_MS = Number(args['quiet-s'] || 10) * 1000
const agent = new http.Agent({ keepAlive: true, maxSockets: C + 2 })

function request (method, path, body, headers = {}, timeoutMs = 600000) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent, timeout: timeoutMs,
      headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) } }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
}

function pct (sorted, p) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN }

async function writers (untilPromise) {
  const lat = []
  let errors = 0
  let stop = false
  untilPromise.then(() => { stop = true })
  await Promise.all(Array.from({ length: C }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const t = process.hrtime.bigint()
      const r = await request('POST', '/api/collections/notes/records', { text: `w${w}-${i}` })
      lat.push(Number(process.hrtime.bigint() - t) / 1e6)
      if (r.status !== 200) errors++
    }
  }))
  lat.sort((a, b) => a - b)
  return { n: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), errors }
}

async function main () {
  const auth = await request('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  const token = JSON.parse(auth.body).token
  const rows = []
  for (const phase of ['A', 'B', 'A', 'B']) {
    const started = Date.now()
    let backup
    if (phase === 'A') backup = new Promise(resolve => setTimeout(resolve, QUIET_MS))
    else backup = request('POST', '/api/backups', { name: `bench_${Date.now()}.zip` }, { authorization: token })
    const stats = await writers(backup)
    const b = await backup
    if (b && b.status !== 204) throw new Error(`backup failed: ${b.status} ${b.body}`)
    rows.push({ phase: phase === 'A' ? 'quiet' : 'during backup', seconds: (Date.now() - started) / 1000, ...stats })
  }
  const list = JSON.parse((await request('GET', '/api/backups', undefined, { authorization: token })).body)
  console.log(JSON.stringify({ rows, backupBytes: list.length ? list[0].size : 0 }))
  agent.destroy()
}

main().catch(e => { console.error(e); process.exit(1) })
