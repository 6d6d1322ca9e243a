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

function cpuTicks (pid) {
  if (!pid) return null
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12]) // utime + stime (fields 14 and 15)
  } catch { return null }
}

function treeTicks (ppid) {
  if (!ppid) return null
  let sum = 0
  for (const d of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (d === String(ppid) || fields[1] === String(ppid)) sum += Number(fields[11]) + Number(fields[12])
    } catch { /* the process ended between the listing and the read */ }
  }
  return sum
}

function coreTicks (cpu) {
  if (cpu === undefined) return null
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find(l => l.startsWith(`cpu${cpu} `))
  if (!line) return null
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal
  return { busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7], idle: v[3] + v[4] }
}

function percentile (sorted, p) {
  if (sorted.length === 0) return null
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]
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
    otherCpuPct: core0 === null || core1 === null || cpuSec === null
      ? null
      : Math.max(0, Math.round((((core1.busy - core0.busy) / tck - cpuSec) / res.duration) * 1000) / 10)
  }
  console.log(JSON.stringify(out))
}

main().catch(e => {
  console.error('load: FAILED:', e.message)
  process.exit(1)
})
