'use strict'
// Changes made on node 1 while the cluster is under load, timed on the other nodes, then a rate limit hammered
// through the load balancer:
//   schema    --rounds times: a text field added to `posts` on node 1; each other node is polled (one request after
//             the other) with a create that sets the field, until its answer carries the value (the node accepts and
//             returns the field). Time: from node 1's answer to that answer.
//   settings  --rounds times: meta.appName changed on node 1; each other node is polled with GET /api/settings.
//   rate      a rule `posts:list` (everyone, --limit requests per --window seconds) set on node 1 (timed like a settings
//             change), then --concurrency guests list posts through the load balancer for --hammer seconds (shorter
//             than the window: one window); every allowed answer (200) counts against the one shared window, so at
//             most --limit may be allowed. The rule is removed afterwards.
// Writes --out: { schema: [[round, node, ms]], settings: [...], rateRule: [...], rate: {...}, load: [loadavg 1 min] }.
// Usage: node changes.js --urls N1,N2,N3 --lb URL --email E --password P --out FILE
//        [--rounds 3] [--limit 100] [--window 30] [--hammer 10] [--concurrency 16]
const fs = require('fs')
const os = require('os')
const args = require('../lib/args')(process.argv.slice(2))
const client = require('../lib/api')

const urls = args.urls.split(',')
const rounds = Number(args.rounds || 3)
const limit = Number(args.limit || 100)
const windowS = Number(args.window || 30)
const hammerS = Number(args.hammer || 10)
const concurrency = Number(args.concurrency || 16)
const loads = []

// Polls each of the other nodes with `check` until it holds (deadline 60 s); returns [[node, ms since `since`]].
async function timeOthers (since, check) {
  return Promise.all(urls.slice(1).map(async (url, k) => {
    const deadline = Date.now() + 60000
    let polls = 0
    while (!(await check(url))) {
      polls++
      if (Date.now() > deadline) throw new Error(`node ${k + 2}: not within 60 s`)
    }
    return [k + 2, Date.now() - since, polls]
  }))
}

async function main () {
  const auth = await client(urls[0])('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  if (auth.status !== 200) throw new Error(`superuser sign-in: ${auth.status} ${auth.text}`)
  const token = auth.json.token
  const su = urls.map(u => client(u, token))
  const out = { schema: [], settings: [], rateRule: [], rate: null, load: loads }
  const ok = (r, what) => { if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`); return r }

  for (let round = 1; round <= rounds; round++) {
    loads.push(os.loadavg()[0])
    const field = `change${round}`
    const posts = ok(await su[0]('GET', '/api/collections/posts'), 'get posts').json
    ok(await su[0]('PATCH', '/api/collections/posts', { fields: [...posts.fields, { name: field, type: 'text' }] }), 'add field')
    let t = Date.now()
    for (const [node, ms, polls] of await timeOthers(t, async url => {
      const r = await client(url)('POST', '/api/collections/posts/records', { title: 'probe', [field]: 'v' })
      return r.status === 200 && r.json[field] === 'v'
    })) out.schema.push([round, node, ms, polls])

    const name = `cluster bench ${round}`
    ok(await su[0]('PATCH', '/api/settings', { meta: { appName: name } }), 'appName')
    t = Date.now()
    for (const [node, ms, polls] of await timeOthers(t, async url => {
      const r = await client(url, token)('GET', '/api/settings')
      return r.status === 200 && r.json.meta.appName === name
    })) out.settings.push([round, node, ms, polls])
  }

  // The rate limit: set on node 1, in force on every node before the hammer.
  loads.push(os.loadavg()[0])
  const rule = { label: 'posts:list', audience: '', duration: windowS, maxRequests: limit }
  ok(await su[0]('PATCH', '/api/settings', { rateLimits: { enabled: true, rules: [rule] } }), 'rate limit')
  const t = Date.now()
  for (const [node, ms, polls] of await timeOthers(t, async url => {
    const r = await client(url, token)('GET', '/api/settings')
    return r.status === 200 && r.json.rateLimits.enabled && r.json.rateLimits.rules.some(x => x.label === rule.label && x.maxRequests === limit)
  })) out.rateRule.push([1, node, ms, polls])

  const counts = {}
  let first = 0; let last = 0
  const until = Date.now() + hammerS * 1000
  const started = Date.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      let status = 0
      try {
        const res = await fetch(args.lb + '/api/collections/posts/records?perPage=1&skipTotal=1', { signal: AbortSignal.timeout(10000) })
        await res.arrayBuffer()
        status = res.status
      } catch { status = 0 }
      counts[status] = (counts[status] || 0) + 1
      if (status === 200) { first = first || Date.now(); last = Date.now() }
    }
  }))
  const elapsed = (Date.now() - started) / 1000
  loads.push(os.loadavg()[0])
  out.rate = { limit, windowS, hammerS: elapsed, concurrency, counts, allowedSpanMs: last - first }
  ok(await su[0]('PATCH', '/api/settings', { rateLimits: { enabled: false, rules: [] } }), 'remove the rate limit')
  fs.writeFileSync(args.out, JSON.stringify(out))
  console.log(JSON.stringify(out))
}
main().catch(e => { console.error(e); process.exit(1) })
