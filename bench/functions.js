'use strict'
// Functions benchmarks (issue 11), A B A B in one run on one server:
//   1. a routerAdd route returning small JSON vs viewing one record (target: >= 50%)
//   2. create with a no-op onRecordCreateRequest hook vs create without functions (target: >= 85%)
//   3. create with a hook reading one record ($app.findRecordById) vs create without functions (target: >= 70%)
//   4. p99 of record views while one function loops until its time limit vs the quiet p99 (target: within 2x)
//   (and, for the cost of a handler that waits inside e.next() on a thread of its own: create with a request hook
//   that has code after e.next(), vs create without functions)
//   5. a list (30 records) with a no-op onRecordEnrich hook vs the same list without functions, and a list of another
//      collection (no enrich hook for it, functions loaded) vs without functions (target: ~100%, lists without such a
//      hook keep their fast path)
// "Without functions" phases deploy an empty version; "with" phases deploy the bench functions.
// Usage: node bench/functions.js [--dll artifacts/bin/PaperGao.Server/release/papergao.dll] [--duration 5] [--connections 16] [--warmup 5] [--only list|core]
// The warm-up runs every path for --warmup seconds first: on a loaded machine the JIT needs that long to leave tier 0.
const { spawn, execFileSync } = require('child_process')
const fs = require('fs')
const { runtimeEnv } = require('./lib/runtime-env')
const os = require('os')
const path = require('path')
const autocannon = require('autocannon')
const parseArgs = require('./lib/args')
const net = require('net')

function freePort () {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)) })
  })
}

const args = parseArgs(process.argv.slice(2))
const dll = args.dll || path.join(__dirname, '..', 'artifacts', 'bin', 'PaperGao.Server', 'release', 'papergao.dll')
const duration = Number(args.duration || 5)
const connections = Number(args.connections || 16)
const warmup = Number(args.warmup || 5)
const only = args.only || ''
const runCore = only !== 'list'
const runList = only !== 'core'
const email = 'bench@example.com'
const password = 'bench-password-123'

const CODE = `
routerAdd("GET", "/api/bench/json", (e) => e.json(200, { ok: true, n: 1 }))
routerAdd("GET", "/api/bench/loop", (e) => { while (true) {} })
onRecordCreateRequest((e) => e.next(), "noop")
onRecordCreateRequest((e) => { e.next(); e.record.id }, "after")
let target = null
onRecordCreate((e) => { target = target || $app.findFirstRecordByFilter("posts", "").id; $app.findRecordById("posts", target); e.next() }, "reader")
onRecordEnrich((e) => e.next(), "posts")
`

async function main () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papergao-fnbench-'))
  execFileSync('dotnet', [dll, 'superuser', 'upsert', email, password, '--dir', dir], { stdio: 'ignore' })
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = spawn('dotnet', [dll, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir], { stdio: 'ignore', env: runtimeEnv() })
  try {
    await waitHealthy(url)
    const token = (await api(url, null, 'POST', '/api/collections/_superusers/auth-with-password', { identity: email, password })).token
    const call = (m, p, b) => api(url, token, m, p, b)
    for (const name of ['posts', 'plain', 'noop', 'reader', 'listed', 'after']) {
      await call('POST', '/api/collections', { name, type: 'base', listRule: '', viewRule: '', createRule: '', fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' }] })
    }
    let id = null
    for (let i = 0; i < 100; i++) id = (await call('POST', '/api/collections/posts/records', { title: 'post ' + i, views: i })).id
    for (let i = 0; i < 100; i++) await call('POST', '/api/collections/listed/records', { title: 'post ' + i, views: i })
    const list = { url: `${url}/api/collections/posts/records?perPage=30&skipTotal=1` }
    const listOther = { url: `${url}/api/collections/listed/records?perPage=30&skipTotal=1` }
    const body = JSON.stringify({ title: 'bench', views: 1 })
    const view = { url: `${url}/api/collections/posts/records/${id}` }
    const route = { url: `${url}/api/bench/json` }
    const create = (c) => ({ url: `${url}/api/collections/${c}/records`, method: 'POST', headers: { 'content-type': 'application/json' }, body })

    // Warm-up (not measured): JIT and the engine pool of every path, so round 1 does not measure start-up.
    await call('PUT', '/api/functions', { files: {} })
    for (const o of [...(runCore ? [view, create('plain')] : []), ...(runList ? [list, listOther] : [])]) await load(o, warmup)
    await call('PUT', '/api/functions', { files: { 'main.pb.js': CODE } })
    for (const o of [...(runCore ? [route, create('noop'), create('reader'), create('after')] : []), ...(runList ? [list, listOther] : [])]) await load(o, warmup)

    load.pid = server.pid
    const rows = []
    for (const round of [1, 2]) {
      await call('PUT', '/api/functions', { files: {} })
      if (runList) {
        rows.push(['A', round, 'list', await load(list)])
        rows.push(['A', round, 'list other', await load(listOther)])
      }
      if (runCore) {
        rows.push(['A', round, 'view', await load(view)])
        rows.push(['A', round, 'create (no functions)', await load(create('plain'))])
      }
      await call('PUT', '/api/functions', { files: { 'main.pb.js': CODE } })
      if (runList) {
        rows.push(['B', round, 'list + no-op enrich hook', await load(list)])
        rows.push(['B', round, 'list other (no enrich hook for it)', await load(listOther)])
      }
      if (!runCore) continue
      rows.push(['B', round, 'route json', await load(route)])
      rows.push(['B', round, 'create + no-op request hook', await load(create('noop'))])
      rows.push(['B', round, 'create + hook reading a record', await load(create('reader'))])
      rows.push(['B', round, 'create + request hook with code after e.next()', await load(create('after'))])
      let looping = true
      const loops = (async () => { while (looping) await fetch(`${url}/api/bench/loop`).then(r => r.text()).catch(() => {}) })()
      rows.push(['B', round, 'view while a function loops', await load(view)])
      looping = false
      await loops
    }
    console.log('| phase | round | scenario | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/req |')
    console.log('|---|---|---|---|---|---|---|---|')
    for (const [phase, round, name, r] of rows) {
      console.log(`| ${phase} | ${round} | ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.cpu.toFixed(0)} |`)
    }
    const avg = (name, key) => { const xs = rows.filter(r => r[2] === name).map(r => r[3][key]); return xs.reduce((a, b) => a + b, 0) / xs.length }
    const ratio = (a, b, key = 'rps') => (100 * avg(a, key) / avg(b, key)).toFixed(0) + '%'
    console.log()
    if (runList) {
      console.log(`list + no-op enrich vs list: ${ratio('list + no-op enrich hook', 'list')} (CPU/req: ${ratio('list', 'list + no-op enrich hook', 'cpu')})`)
      console.log(`list without an enrich hook for it, functions loaded, vs no functions: ${ratio('list other (no enrich hook for it)', 'list other')} (CPU/req: ${ratio('list other', 'list other (no enrich hook for it)', 'cpu')})`)
    }
    if (!runCore) return
    console.log(`route json vs view: ${ratio('route json', 'view')} (target >= 50%)`)
    console.log(`create + no-op hook vs create: ${ratio('create + no-op request hook', 'create (no functions)')} (target >= 85%)`)
    console.log(`create + reading hook vs create: ${ratio('create + hook reading a record', 'create (no functions)')} (target >= 70%)`)
    // CPU per request is steadier than req/s on a shared machine (other processes take the cores, not our CPU time).
    console.log(`server CPU per request, create + no-op hook vs create: ${ratio('create (no functions)', 'create + no-op request hook', 'cpu')} (higher is better; 100% = no added cost)`)
    console.log(`server CPU per request, create + reading hook vs create: ${ratio('create (no functions)', 'create + hook reading a record', 'cpu')}`)
    console.log(`create + hook with code after e.next() vs create: ${ratio('create + request hook with code after e.next()', 'create (no functions)')} (CPU/req: ${ratio('create (no functions)', 'create + request hook with code after e.next()', 'cpu')})`)
    console.log(`p99 view while looping vs quiet: ${(avg('view while a function loops', 'p99') / avg('view', 'p99')).toFixed(2)}x (target <= 2x)`)
  } finally {
    server.kill('SIGTERM')
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function load (opts, seconds = duration) {
  const before = cpuSeconds(load.pid)
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration: seconds, timeout: 10, ...opts }, (err, res) => err ? reject(err) : resolve({
      rps: res.requests.average,
      p50: res.latency.p50,
      p99: res.latency.p99,
      non2xx: res.non2xx,
      cpu: 1e6 * (cpuSeconds(load.pid) - before) / Math.max(1, res.requests.total)
    }))
  })
}

// User + system CPU seconds the server process used so far (Linux /proc; 0 elsewhere).
function cpuSeconds (pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
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

main().catch(e => { console.error(e); process.exit(1) })
