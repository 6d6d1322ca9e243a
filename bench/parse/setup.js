'use strict'
// Prepares a started Parse Server (server.js) for the default scenarios, the counterpart of bench/lib/setup.js:
//   the `posts` class with the master key (title String, views Number, status String, an index on views; public
//   find/get/count/create/update, no public delete or addField, like PaperGao's posts rules) -> the same N records
//   (bench/lib/data.js, same seed) through POST /parse/batch -> one functional check per scenario (no master key,
//   as a client) -> the state file that bench/lib/load.js reads (its `api` points the scenarios at Parse's REST API).
// Usage: node setup.js --url http://127.0.0.1:PORT --state FILE [--records 10000] [--seed 42]
const fs = require('fs')
const parseArgs = require('../lib/args')
const client = require('../lib/api')
const { excerpt, must } = client
const { generate } = require('../lib/data')
const { APP_ID, MASTER_KEY } = require('./keys')

const args = parseArgs(process.argv.slice(2))
const base = args.url.replace(/\/$/, '')
const records = Number(args.records || 10000)
const seed = Number(args.seed || 42)
const log = (...m) => console.error('parse setup:', ...m)
const CLASS_PATH = '/parse/classes/posts'
const CLIENT_HEADERS = { 'x-parse-application-id': APP_ID }

const SCHEMA = {
  className: 'posts',
  fields: { title: { type: 'String' }, views: { type: 'Number' }, status: { type: 'String' } },
  indexes: { posts_views: { views: 1 } },
  classLevelPermissions: {
    find: { '*': true },
    get: { '*': true },
    count: { '*': true },
    create: { '*': true },
    update: { '*': true },
    delete: {},
    addField: {},
    protectedFields: { '*': [] }
  }
}

async function seedWithBatch (master, rows) {
  const ids = []
  const size = 500
  for (let off = 0; off < rows.length; off += size) {
    const requests = rows.slice(off, off + size).map(body => ({ method: 'POST', path: CLASS_PATH, body }))
    const r = must(await master('POST', '/parse/batch', { requests }), `POST /parse/batch (records ${off}..${off + size})`)
    if (!Array.isArray(r.json) || r.json.length !== requests.length) throw new Error(`batch ${off}: answered ${excerpt(r)}`)
    for (const [i, item] of r.json.entries()) {
      if (!item.success || !item.success.objectId) throw new Error(`batch item ${off + i} answered ${JSON.stringify(item).slice(0, 300)}`)
      ids.push(item.success.objectId)
    }
  }
  return ids
}

// One request per scenario, checked against Parse's REST semantics, so a wrong answer is reported instead of being
// measured as a fast one.
async function check (guest, state, matching) {
  const problems = []
  const expect = (cond, msg) => { if (!cond) problems.push(msg) }

  let r = await guest('GET', `${CLASS_PATH}/${state.viewId}`)
  expect(r.status === 200, `view: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(j.objectId === state.viewId, `view: objectId ${j.objectId} != ${state.viewId}`)
    for (const k of ['title', 'views', 'status', 'createdAt', 'updatedAt']) expect(k in j, `view: key ${k} missing`)
    expect(typeof j.views === 'number', `view: views is ${typeof j.views}, expected a JSON number`)
  }

  r = await guest('GET', state.listPath)
  expect(r.status === 200, `list: expected 200, got ${excerpt(r)}`)
  let listViews = null
  if (r.status === 200) {
    const j = r.json || {}
    const items = j.results || []
    listViews = items.map(i => i.views)
    expect(items.length === 20, `list: ${items.length} results, expected 20`)
    expect(j.count === matching, `list: count ${j.count}, expected ${matching}`)
    expect(items.every(i => i.views > 500), 'list: a result has views <= 500')
    expect(items.every((it, k) => k === 0 || items[k - 1].views >= it.views), 'list: results not sorted by -views')
  }

  r = await guest('GET', state.listSkipPath)
  expect(r.status === 200, `list without count: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    expect(!('count' in j), `list without count: answered a count ${j.count}`)
    const v = (j.results || []).map(i => i.views)
    expect(listViews === null || JSON.stringify(v) === JSON.stringify(listViews), 'list without count: results differ from the list with count')
  }

  r = await guest('POST', CLASS_PATH, { title: 'check create', views: 7, status: 'b' })
  expect(r.status === 201, `create: expected 201, got ${excerpt(r)}`)
  if (r.status === 201) {
    const j = r.json || {}
    expect(typeof j.objectId === 'string' && j.objectId.length >= 10, `create: objectId ${JSON.stringify(j.objectId)}`)
    expect(Boolean(j.createdAt), 'create: createdAt missing')
  }

  const upId = state.ids[state.ids.length - 1]
  r = await guest('PUT', `${CLASS_PATH}/${upId}`, { views: 321, title: 'check update' })
  expect(r.status === 200, `update: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    expect(Boolean((r.json || {}).updatedAt), `update: answered ${excerpt(r)}`)
    const back = await guest('GET', `${CLASS_PATH}/${upId}`)
    const j = back.json || {}
    expect(j.views === 321 && j.title === 'check update', `update: read back ${excerpt(back)}`)
  }

  // A client may not delete (PaperGao's deleteRule is null: superusers only).
  r = await guest('DELETE', `${CLASS_PATH}/${upId}`)
  expect(r.status >= 400, `delete as a client: expected a refusal, got ${excerpt(r)}`)
  return problems
}

async function main () {
  const master = client(base, null, { ...CLIENT_HEADERS, 'x-parse-master-key': MASTER_KEY })
  const guest = client(base, null, CLIENT_HEADERS)
  const notes = []

  const schema = must(await master('POST', '/parse/schemas/posts', SCHEMA), 'POST /parse/schemas/posts')
  const indexes = (schema.json && schema.json.indexes) || {}
  if (!indexes.posts_views) notes.push(`schema answer lacks the index: ${JSON.stringify(indexes)}`)

  const rows = generate(records, seed)
  const matching = rows.filter(r => r.views > 500).length
  const t0 = Date.now()
  const ids = await seedWithBatch(master, rows)
  const seedMs = Date.now() - t0
  log(`seeded ${records} records with batch in ${seedMs} ms`)

  // With no constraint Parse's PostgreSQL count is the planner's estimate (pg_class.reltuples): count with one.
  const all = `${CLASS_PATH}?limit=0&count=1&where=${encodeURIComponent(JSON.stringify({ views: { $gte: 0 } }))}`
  const count = await master('GET', all)
  if (count.status !== 200 || !count.json || count.json.count !== records) {
    notes.push(`after seeding, GET ${all} answered ${excerpt(count)} (expected count ${records})`)
  }

  const where = encodeURIComponent(JSON.stringify({ views: { $gt: 500 } }))
  const state = {
    api: { records: CLASS_PATH, updateMethod: 'PUT', headers: CLIENT_HEADERS },
    ids,
    viewId: ids[0],
    listPath: `${CLASS_PATH}?where=${where}&order=-views&limit=20&count=1`,
    listSkipPath: `${CLASS_PATH}?where=${where}&order=-views&limit=20`,
    seed: { records, method: 'batch (POST /parse/batch, 500 a request, master key)', ms: seedMs },
    notes
  }
  state.problems = await check(guest, state, matching)
  for (const n of notes) log('note:', n)
  for (const p of state.problems) log('PROBLEM:', p)
  fs.writeFileSync(args.state, JSON.stringify(state))
}

main().catch(e => {
  console.error('parse setup: FAILED:', e.message)
  process.exit(1)
})
