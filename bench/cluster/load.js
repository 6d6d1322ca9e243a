'use strict'
// Steady load through the load balancer until SIGINT: each worker creates a record, then reads it back. With
// --files K every K-th create is a multipart create with a 4-16 KB file, read back through the load balancer (so
// mostly from another node: the store must be shared, e.g. S3).
// Writes --out: every request [time ms, ok 0/1, kind, status], every acknowledged create [id, acknowledged at ms,
// sent at ms] and every acknowledged upload [id, stored file name, size].
// Usage: node load.js --url URL --workers 16 --out FILE [--files 4]
const fs = require('fs')
const args = require('../lib/args')(process.argv.slice(2))
const results = []
const acked = []
const files = []
const every = Number(args.files || 0)
let stopping = false
let n = 0

async function upload (i) {
  const size = 4096 + (i * 997) % 12288
  const form = new FormData()
  form.append('title', `cluster ${i}`)
  form.append('views', String(i % 1000))
  form.append('file', new Blob([Buffer.alloc(size, i % 251)]), `f${i}.bin`)
  try {
    const res = await fetch(args.url + '/api/collections/posts/records', { method: 'POST', body: form, signal: AbortSignal.timeout(10000) })
    const text = await res.text()
    return { status: res.status, json: res.ok ? JSON.parse(text) : null, size }
  } catch (e) {
    return { status: 0, json: null, size, error: String(e.cause?.code || e.name) }
  }
}

async function download (id, name) {
  try {
    const res = await fetch(`${args.url}/api/files/posts/${id}/${name}`, { signal: AbortSignal.timeout(10000) })
    return { status: res.status, size: (await res.arrayBuffer()).byteLength }
  } catch (e) {
    return { status: 0, size: -1 }
  }
}

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
    const withFile = every > 0 && i % every === 0
    const c = withFile ? await upload(i) : await call('POST', '/api/collections/posts/records', { title: `cluster ${i}`, views: i % 1000 })
    const t = Date.now()
    results.push([t, c.status === 200 ? 1 : 0, withFile ? 'upload' : 'create', c.status])
    if (c.status !== 200) continue
    acked.push([c.json.id, t, t0])
    if (withFile) {
      files.push([c.json.id, c.json.file, c.size])
      const d = await download(c.json.id, c.json.file)
      results.push([Date.now(), d.status === 200 && d.size === c.size ? 1 : 0, 'file', d.status])
    }
    const v = await call('GET', `/api/collections/posts/records/${c.json.id}`)
    results.push([Date.now(), v.status === 200 ? 1 : 0, 'view', v.status])
  }
}

const workers = Array.from({ length: Number(args.workers || 16) }, worker)
process.on('SIGINT', async () => {
  stopping = true
  await Promise.all(workers)
  fs.writeFileSync(args.out, JSON.stringify({ results, acked, files }))
  process.exit(0)
})
