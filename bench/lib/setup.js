'use strict'
// Prepares a started server for the load scenarios:
//   superuser sign-in -> (drop an old `posts`) -> create the `posts` collection -> enable batch ->
//   seed N records (POST /api/batch, or parallel creates when batch is unavailable) ->
//   one functional check per scenario (as a guest) -> write the state file (ids, expectations, checks).
// Usage: node setup.js --url URL --email E --password P --state FILE [--records 10000] [--seed 42]
//        [--bulk-pg NPGSQL_CONN | --bulk-sqlite DATA_DB]   (growth bench: rows written straight into the table, below)
//        [--bulk-users N]   (with a bulk target: N users written straight into `users`, for the sign-in scenario)
const fs = require('fs')
const parseArgs = require('./args')
const client = require('./api')
const { excerpt, must } = client
const { generate } = require('./data')
const bulk = require('./bulk-seed')

const args = parseArgs(process.argv.slice(2))
const base = args.url
const records = Number(args.records || 10000)
const seed = Number(args.seed || 42)
const log = (...m) => console.error('setup:', ...m)

const COLLECTION = {
  name: 'posts',
  type: 'base',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: null,
  fields: [
    { name: 'title', type: 'text' },
    { name: 'views', type: 'number' },
    { name: 'status', type: 'select', values: ['a', 'b', 'c'], maxSelect: 1 },
    { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true }
  ],
  indexes: ['CREATE INDEX idx_posts_views ON posts (views)']
}

async function seedWithBatch (su, rows, notes) {
  const ids = []
  const size = 1000
  for (let off = 0; off < rows.length; off += size) {
    const requests = rows.slice(off, off + size).map(body => ({
      method: 'POST', url: '/api/collections/posts/records', body
    }))
    const r = await su('POST', '/api/batch', { requests })
    if (r.status !== 200 || !Array.isArray(r.json)) {
      if (off === 0) {
        notes.push(`POST /api/batch unusable, seeded with parallel creates instead: ${excerpt(r)}`)
        return null
      }
      throw new Error(`POST /api/batch (records ${off}..${off + size}) failed: ${excerpt(r)}`)
    }
    for (const [i, item] of r.json.entries()) {
      if (item.status !== 200 || !item.body || !item.body.id) {
        throw new Error(`batch item ${off + i} answered ${JSON.stringify(item).slice(0, 300)}`)
      }
      ids.push(item.body.id)
    }
  }
  return ids
}

async function seedWithCreates (guest, rows) {
  const ids = new Array(rows.length)
  let next = 0
  async function worker () {
    while (next < rows.length) {
      const i = next++
      const r = must(await guest('POST', '/api/collections/posts/records', rows[i]), `create record ${i}`)
      ids[i] = r.json.id
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return ids
}

// One request per scenario, checked against what the protocol says, so a wrong answer is
// reported instead of being measured as a fast one.
async function check (guest, state, matching) {
  const problems = []
  const expect = (cond, msg) => { if (!cond) problems.push(msg) }

  let r = await guest('GET', `/api/collections/posts/records/${state.viewId}`)
  expect(r.status === 200, `view: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(j.id === state.viewId, `view: id ${j.id} != ${state.viewId}`)
    expect(j.collectionName === 'posts', `view: collectionName ${JSON.stringify(j.collectionName)}`)
    for (const k of ['title', 'views', 'status', 'created', 'updated', 'collectionId']) expect(k in j, `view: key ${k} missing`)
    expect(typeof j.views === 'number', `view: views is ${typeof j.views}, expected a JSON number`)
  }

  r = await guest('GET', state.listPath)
  expect(r.status === 200, `list: expected 200, got ${excerpt(r)}`)
  let listViews = null
  if (r.status === 200) {
    const j = r.json || {}
    const items = j.items || []
    listViews = items.map(i => i.views)
    expect(items.length === 20, `list: ${items.length} items, expected 20`)
    expect(j.page === 1 && j.perPage === 20, `list: page/perPage ${j.page}/${j.perPage}`)
    expect(j.totalItems === matching, `list: totalItems ${j.totalItems}, expected ${matching}`)
    expect(j.totalPages === Math.ceil(matching / 20), `list: totalPages ${j.totalPages}, expected ${Math.ceil(matching / 20)}`)
    expect(items.every(i => i.views > 500), 'list: an item has views <= 500')
    expect(items.every((it, k) => k === 0 || items[k - 1].views >= it.views), 'list: items not sorted by -views')
  }

  r = await guest('GET', state.listSkipPath)
  expect(r.status === 200, `list skipTotal: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(j.totalItems === -1 && j.totalPages === -1, `list skipTotal: totalItems/totalPages ${j.totalItems}/${j.totalPages}, expected -1/-1`)
    const v = (j.items || []).map(i => i.views)
    expect(listViews === null || JSON.stringify(v) === JSON.stringify(listViews), 'list skipTotal: items differ from the list with total')
  }

  if (state.listEstimatePath) {
    r = await guest('GET', state.listEstimatePath)
    expect(r.status === 200, `list estimateTotal: expected 200, got ${excerpt(r)}`)
    if (r.status === 200) {
      const j = r.json || {}
      // Exact up to 1,000 matches; above, an estimate (reported, not judged: it is the planner's or the sample's).
      expect(j.totalEstimated === (matching > 1000), `list estimateTotal: totalEstimated ${j.totalEstimated} for ${matching} matches`)
      if (!j.totalEstimated) expect(j.totalItems === matching, `list estimateTotal: totalItems ${j.totalItems}, expected ${matching}`)
      state.estimate = { matching, totalItems: j.totalItems }
      const v = (j.items || []).map(i => i.views)
      expect(listViews === null || JSON.stringify(v) === JSON.stringify(listViews), 'list estimateTotal: items differ from the list with total')
    }
  }

  r = await guest('POST', '/api/collections/posts/records', { title: 'check create', views: 7, status: 'b' })
  expect(r.status === 200, `create: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(typeof j.id === 'string' && /^[a-z0-9]{15}$/.test(j.id), `create: id ${JSON.stringify(j.id)}`)
    expect(j.title === 'check create' && j.views === 7 && j.status === 'b', `create: echoed ${JSON.stringify(j).slice(0, 200)}`)
    expect(Boolean(j.created) && Boolean(j.updated), 'create: created/updated empty')
  }

  const upId = state.ids[state.ids.length - 1]
  r = await guest('PATCH', `/api/collections/posts/records/${upId}`, { views: 321, title: 'check update' })
  expect(r.status === 200, `update: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(j.id === upId && j.views === 321 && j.title === 'check update', `update: answered ${JSON.stringify(j).slice(0, 200)}`)
  }
  return problems
}

async function main () {
  const anon = client(base)
  const auth = must(await anon('POST', '/api/collections/_superusers/auth-with-password',
    { identity: args.email, password: args.password }), 'superuser auth-with-password')
  if (!auth.json || !auth.json.token) throw new Error(`auth-with-password returned no token: ${excerpt(auth)}`)
  const su = client(base, auth.json.token)
  const guest = client(base)
  const notes = []

  // A reused PostgreSQL database may still hold a `posts` collection from an earlier run.
  const existing = await su('GET', '/api/collections/posts')
  if (existing.status === 200) {
    must(await su('DELETE', '/api/collections/posts'), 'DELETE old posts collection', [200, 204])
    notes.push('an existing `posts` collection was deleted first')
  }

  const created = must(await su('POST', '/api/collections', COLLECTION), 'POST /api/collections (posts)')
  const col = created.json || {}
  const names = (col.fields || []).map(f => f.name)
  for (const n of ['id', 'title', 'views', 'status', 'created', 'updated']) {
    if (!names.includes(n)) notes.push(`collection answer lacks field ${n} (fields: ${names.join(',')})`)
  }
  if (!(col.indexes || []).some(i => /idx_posts_views/.test(i))) notes.push(`collection answer lacks the index: ${JSON.stringify(col.indexes)}`)

  const settings = await su('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 1000, timeout: 30 } })
  if (settings.status !== 200) notes.push(`PATCH /api/settings (enable batch): ${excerpt(settings)}`)

  let matching, ids, method
  const t0 = Date.now()
  if (args['bulk-pg'] || args['bulk-sqlite']) {
    ({ matching, ids } = bulk.seed(records, args['bulk-pg'] ? { pg: args['bulk-pg'] } : { sqlite: args['bulk-sqlite'] }))
    method = args['bulk-pg'] ? 'bulk (generate_series, then VACUUM ANALYZE)' : 'bulk (INSERT … SELECT from a recursive CTE, 500,000 rows per transaction, 256 MB page cache)'
    // The seeding blocked the event loop (execFileSync) for minutes: let the HTTP client's overdue timers close its idle
    // keep-alive sockets now, or the next request may go out on a socket the server has closed ("fetch failed").
    await new Promise(resolve => setTimeout(resolve, 50))
  } else {
    const rows = generate(records, seed)
    matching = rows.filter(r => r.views > 500).length
    ids = settings.status === 200 ? await seedWithBatch(su, rows, notes) : null
    method = ids ? 'batch' : 'parallel creates'
    if (!ids) ids = await seedWithCreates(guest, rows)
  }
  const seedMs = Date.now() - t0
  log(`seeded ${records} records with ${method} in ${seedMs} ms`)

  const count = await su('GET', '/api/collections/posts/records?perPage=1')
  if (count.status !== 200 || !count.json || count.json.totalItems !== records) {
    notes.push(`after seeding, GET records?perPage=1 answered ${excerpt(count)} (expected totalItems ${records})`)
  }

  const filter = encodeURIComponent('views > 500')
  const state = {
    collectionId: col.id,
    ids,
    viewId: ids[0],
    listPath: `/api/collections/posts/records?page=1&perPage=20&filter=${filter}&sort=-views`,
    listSkipPath: `/api/collections/posts/records?page=1&perPage=20&filter=${filter}&sort=-views&skipTotal=1`,
    listEstimatePath: `/api/collections/posts/records?page=1&perPage=20&filter=${filter}&sort=-views&estimateTotal=1`,
    seed: { records, method, ms: seedMs },
    notes
  }
  if (args['bulk-users'] && (args['bulk-pg'] || args['bulk-sqlite'])) {
    // One user signed up through the API (its password hashed by the server), then N copies of its hash in bulk.
    const password = 'bench-user-password-1'
    const template = 'template@bench.example.com'
    const target = args['bulk-pg'] ? { pg: args['bulk-pg'] } : { sqlite: args['bulk-sqlite'] }
    bulk.clearUsers(target) // a reused PostgreSQL database still holds an earlier run's users
    must(await guest('POST', '/api/collections/users/records', { email: template, password, passwordConfirm: password }), 'sign up the template user')
    const tu = Date.now()
    state.passwordUsers = bulk.seedUsers(Number(args['bulk-users']), target, template)
    state.password = password
    state.seed.users = { count: Number(args['bulk-users']), ms: Date.now() - tu }
    log(`seeded ${args['bulk-users']} users in ${state.seed.users.ms} ms`)
    await new Promise(resolve => setTimeout(resolve, 50)) // as after the records' bulk seed
    const signIn = await guest('POST', '/api/collections/users/auth-with-password', { identity: state.passwordUsers[state.passwordUsers.length - 1], password })
    if (signIn.status !== 200) notes.push(`sign-in of a bulk user: ${excerpt(signIn)}`)
  }
  state.problems = await check(guest, state, matching)
  for (const n of notes) log('note:', n)
  for (const p of state.problems) log('PROBLEM:', p)
  fs.writeFileSync(args.state, JSON.stringify(state))
}

main().catch(e => {
  console.error('setup: FAILED:', e.message)
  process.exit(1)
})
