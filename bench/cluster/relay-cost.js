'use strict'
// The cost of a subscription request that reaches another node than the one holding the SSE stream (it is forwarded
// over the bus) against one that reaches the holding node. Opens one SSE stream on --holder, then runs blocks of --n
// sequential POST /api/realtime, alternating A (to the holder) and B (to --other) for --rounds rounds (A B A B ...).
// Per block: latency (mean, p50, p90, p99) and the CPU time of both server processes (--pids, utime+stime from
// /proc) per request, since a forwarded request costs CPU on both nodes, also net of what the two idle nodes use over
// the block's duration (measured for 3 s before the blocks: timers, the log writer, heartbeats). Prints a Markdown table.
// Usage: node relay-cost.js --holder URL --other URL --pids PID1,PID2 [--n 200] [--rounds 2]
const fs = require('fs')
const http = require('http')
const args = require('../lib/args')(process.argv.slice(2))
const n = Number(args.n || 200)
const rounds = Number(args.rounds || 2)
const pids = String(args.pids).split(',')
const tick = 10000 // µs per clock tick (USER_HZ 100)
let idleUsPerMs = 0

function cpuTicks () {
  let sum = 0
  for (const pid of pids) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    sum += Number(fields[11]) + Number(fields[12])
  }
  return sum
}

function openStream (url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url + '/api/realtime', { headers: { accept: 'text/event-stream' } }, res => {
      if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`))
      res.setEncoding('utf8')
      let buf = ''
      res.on('data', chunk => {
        buf += chunk
        const m = /event:PB_CONNECT\ndata:(.*)\n\n/.exec(buf)
        if (m) resolve({ clientId: JSON.parse(m[1]).clientId, req })
      })
    })
    req.on('error', reject)
  })
}

async function block (url, clientId, count = n) {
  const times = []
  const body = JSON.stringify({ clientId, subscriptions: ['posts/*'] })
  const cpu0 = cpuTicks()
  const w0 = Date.now()
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint()
    const res = await fetch(url + '/api/realtime', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    await res.arrayBuffer()
    if (res.status !== 204) throw new Error(`subscribe: ${res.status}`)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const cpu = (cpuTicks() - cpu0) * tick / count
  const ms = Date.now() - w0
  times.sort((a, b) => a - b)
  const q = p => times[Math.min(times.length - 1, Math.floor(p * times.length))]
  return { mean: times.reduce((a, b) => a + b, 0) / count, p50: q(0.5), p90: q(0.9), p99: q(0.99), cpu, net: cpu - idleUsPerMs * ms / count }
}

async function main () {
  const { clientId, req } = await openStream(args.holder)
  // Warm-up: both paths once, untimed (JIT, connections, the other node has heard the holder's heartbeat).
  await block(args.holder, clientId, 20)
  const deadline = Date.now() + 30000
  while (true) {
    try { await block(args.other, clientId, 20); break } catch (e) {
      if (Date.now() > deadline) throw e
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  const idle0 = cpuTicks()
  const i0 = Date.now()
  await new Promise(resolve => setTimeout(resolve, 3000)) // a measurement window, not a synchronisation
  idleUsPerMs = (cpuTicks() - idle0) * tick / (Date.now() - i0)
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const rows = []
  for (let r = 0; r < rounds; r++) {
    rows.push(['A holding node', await block(args.holder, clientId)])
    rows.push(['B other node', await block(args.other, clientId)])
  }
  const load2 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  console.log(`${n} sequential subscription requests per block; load average ${load} → ${load2}; ` +
    `the two idle nodes used ${(idleUsPerMs / 10).toFixed(1)}% of a core\n`)
  console.log('| block | mean ms | p50 ms | p90 ms | p99 ms | CPU of both nodes µs/req | net of idle µs/req |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const [name, s] of rows) {
    console.log(`| ${name} | ${s.mean.toFixed(2)} | ${s.p50.toFixed(2)} | ${s.p90.toFixed(2)} | ${s.p99.toFixed(2)} | ${Math.round(s.cpu)} | ${Math.round(s.net)} |`)
  }
  req.destroy()
}
main().catch(e => { console.error(e.message); process.exit(1) })
