'use strict'
// Realtime benchmark (issue 5): starts the Release server on a fresh data dir (SQLite, or --db POSTGRES_CONN),
// then measures
//   1. 10,000 concurrent SSE clients on one node: server RSS (target < 500 MB);
//   2. one event to 1,000 subscribers: delivery latency from the create request to each client, p50/p99/max
//      over --events events (target p99 < 100 ms);
//   3. 1,000 events/s to 100 subscribers for --sustain seconds: delivered rate and server RSS over time
//      (target: no growth).
// Prints the figures and writes bench/results/realtime-latest.md (and .json).
//   node bench/realtime.js [--artifacts DIR] [--db CONN] [--clients 10000] [--fanout 1000] [--events 30]
//                          [--subscribers 100] [--rate 1000] [--sustain 30]
const { spawn, execFileSync } = require('child_process')
const fs = require('fs')
const { runtimeEnv } = require('./lib/runtime-env')
const http = require('http')
const os = require('os')
const path = require('path')
const { performance } = require('perf_hooks')
const parseArgs = require('./lib/args')
const sse = require('./lib/sse')
const { sleep, waitFor } = sse
const { cpuTicks } = require('./lib/cpu')

const args = parseArgs(process.argv.slice(2))
const repo = path.resolve(__dirname, '..')
const artifacts = args.artifacts || path.join(repo, 'artifacts')
const dll = path.join(artifacts, 'bin', 'PaperGao.Server', 'release', 'papergao.dll')
const db = args.db || null
const CLIENTS = Number(args.clients || 10000)
const FANOUT = Number(args.fanout || 1000)
const EVENTS = Number(args.events || 30)
const SUBSCRIBERS = Number(args.subscribers || 100)
const RATE = Number(args.rate || 1000)
const SUSTAIN = Number(args.sustain || 30)
const EMAIL = 'bench-rt@example.com'
const PASSWORD = 'bench-password-1234'

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
let port = 0
let server = null

function request (method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body))
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) } }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        if (res.statusCode >= 400) return reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`))
        resolve(text.length ? JSON.parse(text) : null)
      })
    })
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
}

/** CPU time (user + system) the server process has used, in ms (from /proc, clock ticks of 10 ms). */
const cpuMs = () => cpuTicks(server.pid) * 10

function rssMb () {
  const line = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))
  return Number(line.split(/\s+/)[1]) / 1024
}

const openMany = (n, onEvent) => sse.openMany(port, n, onEvent)
const subscribeAll = (clients, topics) => sse.subscribeAll(clients, topics, body => request('POST', '/api/realtime', body))

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

async function main () {
  if (!fs.existsSync(dll)) throw new Error(`build first: ${dll} is missing`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papergao-bench-rt-'))
  const dbArgs = db ? ['--db', db] : []
  execFileSync('dotnet', [dll, 'superuser', 'upsert', EMAIL, PASSWORD, '--dir', dir, ...dbArgs], { stdio: 'ignore' })
  port = Number(execFileSync('node', [path.join(__dirname, 'lib', 'free-port.js')]).toString().trim())
  server = spawn('dotnet', [dll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, ...dbArgs], { stdio: 'ignore', env: runtimeEnv() })
  execFileSync('node', [path.join(__dirname, 'lib', 'wait-health.js'), '--url', `http://127.0.0.1:${port}/api/health`, '--pid', String(server.pid)])
  const results = { date: new Date().toISOString(), db: db ? 'postgres' : 'sqlite', cores: os.cpus().length, loadAverageAtStart: +os.loadavg()[0].toFixed(1) }
  try {
    const auth = await request('POST', '/api/collections/_superusers/auth-with-password', { identity: EMAIL, password: PASSWORD })
    const su = { authorization: auth.token }
    await request('POST', '/api/collections', { name: 'ticks', type: 'base', listRule: '', viewRule: '', fields: [{ name: 'sent', type: 'number' }, { name: 'n', type: 'number' }] }, su)
    const idleRss = rssMb()

    // 1. Many concurrent clients.
    const t0 = performance.now()
    const many = await openMany(CLIENTS, null)
    await subscribeAll(many.slice(0, Math.min(many.length, 1000)), ['ticks/*'])
    await sleep(1000)
    results.concurrent = { clients: many.length, connectSeconds: +((performance.now() - t0) / 1000).toFixed(1), rssMb: +rssMb().toFixed(0), idleRssMb: +idleRss.toFixed(0) }
    console.log(`concurrent SSE clients: ${many.length}, server RSS ${results.concurrent.rssMb} MB (idle ${results.concurrent.idleRssMb} MB), opened in ${results.concurrent.connectSeconds} s`)
    for (const c of many) c.close()
    await sleep(2000)

    // 2. One event to FANOUT subscribers.
    const latencies = []
    let received = 0
    const fan = await openMany(FANOUT, data => {
      const rec = JSON.parse(data).record
      latencies.push(performance.now() - rec.sent)
      received++
    })
    await subscribeAll(fan, ['ticks/*'])
    for (let i = 0; i < 3; i++) { // warm-up events, not counted
      const before = received
      await request('POST', '/api/collections/ticks/records', { sent: performance.now(), n: -1 }, su)
      await waitFor(() => received >= before + FANOUT, 10000, 'warm-up delivery')
    }
    latencies.length = 0
    received = 0
    const perEventMax = []
    const cpuBefore = cpuMs()
    for (let i = 0; i < EVENTS; i++) {
      const start = latencies.length
      await request('POST', '/api/collections/ticks/records', { sent: performance.now(), n: i }, su)
      await waitFor(() => received >= (i + 1) * FANOUT, 10000, `event ${i} to ${FANOUT} subscribers`)
      perEventMax.push(Math.max(...latencies.slice(start)))
      await sleep(50)
    }
    const cpuPerEvent = (cpuMs() - cpuBefore) / EVENTS
    const sorted = [...latencies].sort((a, b) => a - b)
    results.fanout = { subscribers: FANOUT, events: EVENTS, deliveries: sorted.length, p50Ms: +pct(sorted, 0.5).toFixed(1), p99Ms: +pct(sorted, 0.99).toFixed(1), maxMs: +sorted[sorted.length - 1].toFixed(1), serverCpuMsPerEvent: +cpuPerEvent.toFixed(1) }
    console.log(`one event to ${FANOUT} subscribers (${EVENTS} events): p50 ${results.fanout.p50Ms} ms, p99 ${results.fanout.p99Ms} ms, max ${results.fanout.maxMs} ms, server CPU ${results.fanout.serverCpuMsPerEvent} ms per event`)
    for (const c of fan) c.close()
    await sleep(1000)

    // 3. Sustained RATE events/s to SUBSCRIBERS subscribers.
    let got = 0
    const subs = await openMany(SUBSCRIBERS, () => { got++ })
    await subscribeAll(subs, ['ticks/*'])
    const samples = []
    let sent = 0
    let failed = 0
    const sustainCpuBefore = cpuMs()
    const begin = performance.now()
    const stopAt = begin + SUSTAIN * 1000
    const sampler = setInterval(() => samples.push({ t: +((performance.now() - begin) / 1000).toFixed(1), rssMb: +rssMb().toFixed(0) }), 1000)
    const writers = Array.from({ length: 16 }, async () => {
      while (performance.now() < stopAt) {
        const due = begin + (sent * 1000) / RATE
        const wait = due - performance.now()
        if (wait > 0) await sleep(wait)
        sent++
        try { await request('POST', '/api/collections/ticks/records', { sent: performance.now(), n: sent }, su) } catch { failed++ }
      }
    })
    await Promise.all(writers)
    const elapsed = (performance.now() - begin) / 1000
    await waitFor(() => got >= (sent - failed) * SUBSCRIBERS, 30000, 'the sustained events to drain').catch(() => {})
    clearInterval(sampler)
    const sustainCpu = cpuMs() - sustainCpuBefore
    const third = Math.max(1, Math.floor(samples.length / 3))
    const avg = xs => xs.reduce((a, b) => a + b.rssMb, 0) / xs.length
    results.sustained = {
      subscribers: SUBSCRIBERS, targetRate: RATE, seconds: +elapsed.toFixed(1), writes: sent - failed, failedWrites: failed,
      writeRate: +((sent - failed) / elapsed).toFixed(0), deliveries: got, expectedDeliveries: (sent - failed) * SUBSCRIBERS,
      rssFirstThirdMb: +avg(samples.slice(0, third)).toFixed(0), rssLastThirdMb: +avg(samples.slice(-third)).toFixed(0), rssMaxMb: Math.max(...samples.map(s => s.rssMb)),
      serverCpuUsPerWrite: +((sustainCpu * 1000) / Math.max(1, sent - failed)).toFixed(0),
    }
    console.log(`sustained: ${results.sustained.writeRate} writes/s for ${results.sustained.seconds} s to ${SUBSCRIBERS} subscribers, ` +
      `${got}/${results.sustained.expectedDeliveries} delivered, RSS first third ${results.sustained.rssFirstThirdMb} MB, last third ${results.sustained.rssLastThirdMb} MB, max ${results.sustained.rssMaxMb} MB`)
    for (const c of subs) c.close()
  } finally {
    server.kill('SIGTERM')
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const md = [
    `# Realtime benchmark (${results.date}, ${results.db}, ${results.cores} cores shared with the load generator; load average ${results.loadAverageAtStart} at the start)`,
    '',
    '| figure | target | measured |',
    '|---|---|---|',
    `| server RSS with ${results.concurrent.clients} concurrent SSE clients | < 500 MB | ${results.concurrent.rssMb} MB (idle ${results.concurrent.idleRssMb} MB) |`,
    `| one event to ${results.fanout.subscribers} subscribers, delivery latency (${results.fanout.events} events) | p99 < 100 ms | p50 ${results.fanout.p50Ms} ms, p99 ${results.fanout.p99Ms} ms, max ${results.fanout.maxMs} ms; server CPU ${results.fanout.serverCpuMsPerEvent} ms per event |`,
    `| ${results.sustained.targetRate} events/s to ${results.sustained.subscribers} subscribers for ${results.sustained.seconds} s | no memory growth | ${results.sustained.writeRate} writes/s, ${results.sustained.deliveries}/${results.sustained.expectedDeliveries} delivered; RSS ${results.sustained.rssFirstThirdMb} MB (first third) → ${results.sustained.rssLastThirdMb} MB (last third), max ${results.sustained.rssMaxMb} MB; server CPU ${results.sustained.serverCpuUsPerWrite} µs per write (create + 100 deliveries) |`,
    '',
  ].join('\n')
  const out = path.join(__dirname, 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(path.join(out, 'realtime-latest.md'), md)
  fs.writeFileSync(path.join(out, 'realtime-latest.json'), JSON.stringify(results, null, 2) + '\n')
  console.log(md)
}

main().then(() => process.exit(0), err => { console.error(err); if (server) server.kill('SIGKILL'); process.exit(1) })
