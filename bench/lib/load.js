'use strict'
// Runs one scenario with autocannon (after a short warm-up) and prints one JSON line of results.
// Latency percentiles are computed from every 2xx response time (float ms), not from autocannon's
// whole-millisecond histogram, so sub-millisecond differences stay visible.
// With --pid, the server's CPU time (utime+stime from /proc/PID/stat) over the measured part gives
// CPU microseconds per request: a figure much less sensitive to other load on the machine than req/s.
// Usage: node load.js --url URL --scenario NAME --state FILE [--connections 32] [--duration 10] [--warmup 2]
//                     [--pid SERVER_PID --clk-tck 100] [--server-cpu 0] [--db-pid POSTMASTER_PID]
// With --server-cpu (the core the server is pinned to), /proc/stat tells how busy that core was
// with *other* processes during the run: high means the figures were taken on a contended machine.
// With --db-pid (or BENCH_DB_PID in the environment, which run.sh passes on), the CPU time of that PostgreSQL
// postmaster and its children (backends, WAL writer, checkpointer, autovacuum) over the same part gives the
// database's CPU microseconds per request (dbCpuUsPerReq; every database of that cluster counts).
const fs = require('fs')
const autocannon = require('autocannon')
const parseArgs = require('./args')
const scenarios = require('./scenarios')
const { cpuTicks, treeTicks, coreTicks, otherCpuPct, percentile } = require('./cpu')

const args = parseArgs(process.argv.slice(2))
// NAME+uploads / NAME+signups: scenario NAME measured while lib/background.js runs that load (writer suite).
const [name, backgroundKind] = args.scenario.split('+')
if (!scenarios[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`)
if (backgroundKind && !['uploads', 'signups'].includes(backgroundKind)) throw new Error(`unknown background load ${backgroundKind} (uploads, signups)`)
const state = JSON.parse(fs.readFileSync(args.state, 'utf8'))
const connections = Number(args.connections || 32)
const duration = Number(args.duration || 10)
const warmup = Number(args.warmup || 2)

function run (seconds, onResponse) {
  return new Promise((resolve, reject) => {
    const inst = autocannon({
      url: args.url,
      connections,
      pipelining: 1,
      duration: seconds,
      timeout: 10,
      ...scenarios[name](state)
    }, (err, res) => (err ? reject(err) : resolve(res)))
    if (onResponse) inst.on('response', onResponse)
  })
}

async function main () {
  const background = backgroundKind ? require('./background').start(backgroundKind, args.url, { mb: Number(process.env.BENCH_UPLOAD_MB || 30) }) : null
  if (warmup > 0) await run(warmup)
  const bg0 = background ? background.count() : 0
  const pid = args.pid
  const tck = Number(args['clk-tck'] || 100)
  const dbPid = args['db-pid'] || process.env.BENCH_DB_PID
  const db0 = treeTicks(dbPid)
  const cpu0 = cpuTicks(pid)
  const core0 = coreTicks(args['server-cpu'])
  let lat = new Float64Array(1 << 16)
  let n = 0
  const res = await run(duration, (_client, status, _bytes, ms) => {
    if (status < 200 || status > 299) return
    if (n === lat.length) {
      const bigger = new Float64Array(lat.length * 2)
      bigger.set(lat)
      lat = bigger
    }
    lat[n++] = ms
  })
  const bgDone = background ? background.count() - bg0 : null
  const cpu1 = cpuTicks(pid)
  const db1 = treeTicks(dbPid)
  const core1 = coreTicks(args['server-cpu'])
  const cpuSec = cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / tck
  const sorted = lat.subarray(0, n).sort()
  const round = v => (v === null ? null : Math.round(v * 100) / 100)
  const codes = {}
  for (const [code, v] of Object.entries(res.statusCodeStats || {})) codes[code] = v.count
  if (background) await background.stop()
  const out = {
    scenario: args.scenario,
    background: backgroundKind ? `${backgroundKind}: ${bgDone} answered 200 in the measured part` : undefined,
    connections,
    duration: res.duration,
    total: res.requests.total,
    ok: n,
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
    rps: Math.round((n / res.duration) * 10) / 10,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(n ? sorted[n - 1] : null),
    statusCodes: codes,
    serverCpuPct: cpuSec === null ? null : Math.round((cpuSec / res.duration) * 1000) / 10,
    cpuUsPerReq: cpuSec === null || res.requests.total === 0 ? null : Math.round((cpuSec * 1e6) / res.requests.total),
    dbCpuUsPerReq: db0 === null || db1 === null || res.requests.total === 0 ? undefined : Math.round(((db1 - db0) / tck * 1e6) / res.requests.total),
    // share of the server's core used by other processes (and the kernel on their behalf)
    otherCpuPct: otherCpuPct(core0, core1, cpuSec, res.duration, tck)
  }
  console.log(JSON.stringify(out))
}

main().catch(e => {
  console.error('load: FAILED:', e.message)
  process.exit(1)
})
