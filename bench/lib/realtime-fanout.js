'use strict'
// The growth suite's realtime scenario (run.sh --suite growth, scenario `realtime`): N SSE subscribers to `posts/*`
// (as guests: the collection's listRule is "") receive the events of a steady create load, and the run reports
// events delivered / expected, the delivery latency and creates/s, in the JSON line format of lib/load.js (rps =
// creates/s, p50/p99/max = delivery latency) plus a `realtime` object with the details.
//
// The load is open-loop: create k is due at start + k / rate, sent by the first of --writers idle writers (when all are
// busy the load falls behind: the reported creates/s is what was achieved). Each create's title carries its sequence
// number; the subscribers (same process, same clock) take the time of each event's arrival.
//   delivery latency = arrival at a subscriber - the moment its create was sent: the create's commit lies between the
//                      sending and the answer, so this is an upper bound of commit-to-receipt that includes the insert.
//   from the answer  = arrival - the create's answer (the server publishes the notice after the commit and before the
//                      answer, so an event may arrive first: negative values).
// Server CPU per create is measured from the first measured create until every expected event has arrived (or the
// drain deadline), so it includes the fan-out to every subscriber.
// Usage: node realtime-fanout.js --url URL [--subscribers 100] [--rate 50] [--writers 8] [--duration 10] [--warmup 2]
//                                [--pid SERVER_PID --clk-tck 100] [--server-cpu 0]
const { performance } = require('perf_hooks')
const parseArgs = require('./args')
const client = require('./api')
const sse = require('./sse')
const { cpuTicks, coreTicks, otherCpuPct, percentile } = require('./cpu')

const args = parseArgs(process.argv.slice(2))
const url = new URL(args.url)
const SUBSCRIBERS = Number(args.subscribers || 100)
const RATE = Number(args.rate || 50)
const WRITERS = Number(args.writers || 8)
const DURATION = Number(args.duration || 10)
const WARMUP = Number(args.warmup || 2)
const DRAIN_MS = 15000
const tck = Number(args['clk-tck'] || 100)
const api = client(args.url)
const now = () => performance.timeOrigin + performance.now() // wall-clock ms with sub-ms resolution

// Per create (by sequence number): when it was sent and answered, whether it counts (measured phase) and succeeded.
const creates = new Map()
let delivered = 0
let unexpected = 0
const latency = []
const fromAnswer = []

function onEvent (data) {
  const at = now()
  const m = /"title":"rt (\d+)"/.exec(data)
  const c = m && creates.get(Number(m[1]))
  if (!c) { unexpected++; return }
  c.events++
  if (!c.measured) return
  delivered++
  latency.push(at - c.sent)
  if (c.answered !== undefined) fromAnswer.push(at - c.answered)
  else (c.early = c.early || []).push(at) // arrived before the answer: counted when the answer is in
}

/** Creates at RATE per second for `seconds`; returns { ok, failed, seconds, statuses, createMs[] }. */
async function load (seconds, measured, firstSeq) {
  let seq = firstSeq
  let ok = 0
  let failed = 0
  const statuses = {}
  const createMs = []
  const begin = performance.now()
  const stopAt = begin + seconds * 1000
  let due = 0
  const writer = async () => {
    while (true) {
      const at = begin + (due * 1000) / RATE
      if (at >= stopAt) return
      due++
      const wait = at - performance.now()
      if (wait > 0) await sse.sleep(wait)
      const k = seq++
      const c = { sent: now(), measured, events: 0 }
      creates.set(k, c)
      let status = 0
      try {
        status = (await api('POST', '/api/collections/posts/records', { title: `rt ${k}`, views: k % 1000, status: 'a' })).status
      } catch { status = 0 }
      c.answered = now()
      if (c.early) for (const at of c.early) fromAnswer.push(at - c.answered)
      statuses[status] = (statuses[status] || 0) + 1
      if (status === 200) { ok++; c.ok = true; createMs.push(c.answered - c.sent) } else { failed++; c.ok = false }
    }
  }
  await Promise.all(Array.from({ length: WRITERS }, writer))
  return { ok, failed, seconds: (performance.now() - begin) / 1000, statuses, createMs, nextSeq: seq }
}

async function main () {
  const subs = await sse.openMany(Number(url.port), SUBSCRIBERS, onEvent, 50, url.hostname)
  await sse.subscribeAll(subs, ['posts/*'], async body => {
    const r = await api('POST', '/api/realtime', body)
    if (r.status !== 204 && r.status !== 200) throw new Error(`POST /api/realtime: HTTP ${r.status} ${r.text.slice(0, 200)}`)
  })
  const expectedOf = pred => [...creates.values()].filter(pred).length * SUBSCRIBERS
  const deliveredOf = pred => [...creates.values()].filter(pred).reduce((a, c) => a + c.events, 0)

  // Warm-up: the same load, not counted; wait for its events so they do not spill into the measured part.
  const warm = await load(WARMUP, false, 0)
  await sse.waitFor(() => deliveredOf(c => c.ok) >= expectedOf(c => c.ok), DRAIN_MS, 'the warm-up events').catch(() => {})

  const cpu0 = cpuTicks(args.pid)
  const core0 = coreTicks(args['server-cpu'])
  const t0 = performance.now()
  const run = await load(DURATION, true, warm.nextSeq)
  const measured = c => c.measured && c.ok
  const expected = run.ok * SUBSCRIBERS
  let drained = true
  await sse.waitFor(() => delivered >= expected, DRAIN_MS, 'the measured events').catch(() => { drained = false })
  const spanSec = (performance.now() - t0) / 1000
  const cpu1 = cpuTicks(args.pid)
  const core1 = coreTicks(args['server-cpu'])
  for (const s of subs) s.close()

  const cpuSec = cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / tck
  const r2 = v => (v === null || v === undefined ? null : Math.round(v * 100) / 100)
  const lat = Float64Array.from(latency).sort()
  const ans = Float64Array.from(fromAnswer).sort()
  const cms = Float64Array.from(run.createMs).sort()
  const missingCreates = [...creates.values()].filter(c => measured(c) && c.events < SUBSCRIBERS).length
  console.log(JSON.stringify({
    scenario: 'realtime',
    connections: WRITERS,
    duration: r2(run.seconds),
    total: run.ok + run.failed,
    ok: run.ok,
    non2xx: Object.entries(run.statuses).filter(([s]) => s !== '200' && s !== '0').reduce((a, [, n]) => a + n, 0),
    errors: run.statuses[0] || 0,
    timeouts: 0,
    rps: Math.round((run.ok / run.seconds) * 10) / 10,
    p50: r2(percentile(lat, 50)),
    p90: r2(percentile(lat, 90)),
    p99: r2(percentile(lat, 99)),
    max: r2(lat.length ? lat[lat.length - 1] : null),
    statusCodes: run.statuses,
    serverCpuPct: cpuSec === null ? null : Math.round((cpuSec / spanSec) * 1000) / 10,
    cpuUsPerReq: cpuSec === null || run.ok === 0 ? null : Math.round((cpuSec * 1e6) / run.ok),
    otherCpuPct: otherCpuPct(core0, core1, cpuSec, spanSec, tck),
    realtime: {
      subscribers: SUBSCRIBERS,
      targetRate: RATE,
      delivered: deliveredOf(measured),
      expected,
      createsMissingEvents: missingCreates,
      drained,
      unexpectedEvents: unexpected,
      fromAnswerP50: r2(percentile(ans, 50)),
      fromAnswerP99: r2(percentile(ans, 99)),
      createP50: r2(percentile(cms, 50)),
      createP99: r2(percentile(cms, 99)),
      drainSeconds: r2(spanSec - run.seconds)
    }
  }))
}

main().then(() => process.exit(0), e => {
  console.error('realtime-fanout: FAILED:', e.message)
  process.exit(1)
})
