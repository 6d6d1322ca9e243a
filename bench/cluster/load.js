'use strict'
// Steady load through the load balancer until SIGINT: each worker creates a record, then reads it back.
// Writes --out: every request [time ms, ok 0/1, kind, status] and every acknowledged create [id, acknowledged at ms,
// sent at ms].
// Usage: node load.js --url URL --workers 16 --out FILE
const fs = require('fs')
const args = require('../lib/args')(process.argv.slice(2))
const results = []
const acked = []
let stopping = false
let n = 0

async function call (method, path, body) {
  try {
    const res = await fetch(args.url + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10000)
    })
    const text = await res.text()
    return { status: res.status, json: res.ok ? JSON.parse(text) : null }
  } catch (e) {
    return { status: 0, json: null, error: String(e.cause?.code || e.name) }
  }
}

async function worker () {
  while (!stopping) {
    const i = n++
    const t0 = Date.now()
    const c = await call('POST', '/api/collections/posts/records', { title: `cluster ${i}`, views: i % 1000 })
    const t = Date.now()
    results.push([t, c.status === 200 ? 1 : 0, 'create', c.status])
    if (c.status !== 200) continue
    acked.push([c.json.id, t, t0])
    const v = await call('GET', `/api/collections/posts/records/${c.json.id}`)
    results.push([Date.now(), v.status === 200 ? 1 : 0, 'view', v.status])
  }
}

const workers = Array.from({ length: Number(args.workers || 16) }, worker)
process.on('SIGINT', async () => {
  stopping = true
  await Promise.all(workers)
  fs.writeFileSync(args.out, JSON.stringify({ results, acked }))
  process.exit(0)
})
