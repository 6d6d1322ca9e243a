'use strict'
// The graphql suite: the default setup (posts, 10,000 records), then 20 `authors`, an `author` relation on posts set
// for every record (batch PATCH), and 50 extra collections timed for the schema build. Writes the default state plus
// the GraphQL request bodies and the schema-build figures.
// Usage: node setup-graphql.js --url URL --email E --password P --state FILE [--records 10000]
const fs = require('fs')
const path = require('path')
const { execFileSync } = require('child_process')
const parseArgs = require('./args')
const client = require('./api')

const args = parseArgs(process.argv.slice(2))
const base = args.url
const log = (...m) => console.error('setup-graphql:', ...m)

function must (r, what) {
  if (r.status !== 200) throw new Error(`${what} failed: HTTP ${r.status} ${String(r.text).slice(0, 300)}`)
  return r
}

const gql = (query) => JSON.stringify({ query })

async function main () {
  execFileSync(process.execPath, [path.join(__dirname, 'setup.js'), ...process.argv.slice(2)], { stdio: 'inherit' })
  const state = JSON.parse(fs.readFileSync(args.state, 'utf8'))
  const auth = await client(base)('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  const su = client(base, must(auth, 'superuser sign-in').json.token)

  const authors = must(await su('POST', '/api/collections', {
    name: 'authors', type: 'base', listRule: '', viewRule: '', fields: [{ name: 'name', type: 'text' }]
  }), 'create authors').json
  const authorIds = []
  for (let i = 0; i < 20; i++) authorIds.push(must(await su('POST', '/api/collections/authors/records', { name: `author ${i}` }), 'create author').json.id)
  const posts = must(await su('GET', '/api/collections/posts'), 'get posts').json
  posts.fields.push({ name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 })
  must(await su('PATCH', '/api/collections/posts', { fields: posts.fields }), 'add author relation')
  for (let off = 0; off < state.ids.length; off += 1000) {
    const requests = state.ids.slice(off, off + 1000).map((id, i) => ({
      method: 'PATCH', url: `/api/collections/posts/records/${id}`, body: { author: authorIds[(off + i) % authorIds.length] }
    }))
    must(await su('POST', '/api/batch', { requests }), 'set authors')
  }

  const fields = 'id collectionId collectionName title views status created updated'
  state.gqlList = gql(`{ postsList(filter: "views > 500", sort: "-views", perPage: 20, page: 1) { page perPage totalItems totalPages items { ${fields} } } }`)
  state.gqlListAuthor = gql(`{ postsList(filter: "views > 500", sort: "-views", perPage: 20, page: 1) { page perPage totalItems totalPages items { ${fields} author { id collectionId collectionName name } } } }`)
  state.listExpandPath = state.listPath + '&expand=author'
  const check = await client(base)('POST', '/api/graphql', JSON.parse(state.gqlListAuthor))
  const items = check.json && check.json.data && check.json.data.postsList.items
  if (check.status !== 200 || !items || items.length !== 20 || !items[0].author) throw new Error(`graphql check failed: ${check.text.slice(0, 300)}`)

  // Schema build: 50 more collections (5 fields and a relation each), then the first superuser request after the
  // last change builds the schema; the second one uses the cached schema. The difference is the build.
  let prev = authors.id
  for (let i = 0; i < 50; i++) {
    const c = must(await su('POST', '/api/collections', {
      name: `extra${i}`, type: 'base', listRule: '', viewRule: '',
      fields: [
        { name: 'a', type: 'text' }, { name: 'b', type: 'number' }, { name: 'c', type: 'bool' }, { name: 'd', type: 'json' },
        { name: 'e', type: 'date' }, { name: 'rel', type: 'relation', collectionId: prev, maxSelect: 1 }
      ]
    }), `create extra${i}`).json
    prev = c.id
  }
  // Wall time is noisy on a shared machine; with --pid the server's own CPU time (utime+stime, in clock ticks) over
  // the rounds is reported too: the first requests' CPU minus the cached ones', per build.
  const rounds = Number(args['schema-rounds'] || 10)
  const clkTck = Number(args['clk-tck'] || 100)
  const cpuTicks = () => {
    if (!args.pid) return 0
    const f = fs.readFileSync(`/proc/${args.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Number(f[11]) + Number(f[12])
  }
  const timings = []
  let firstTicks = 0
  let cachedTicks = 0
  for (let round = 0; round < rounds; round++) {
    // A rule change makes a new collection set (hence a rebuild) without adding collections.
    must(await su('PATCH', '/api/collections/extra0', { listRule: round % 2 ? '' : 'id != ""' }), 'touch extra0')
    const c0 = cpuTicks()
    const t0 = performance.now()
    must(await su('POST', '/api/graphql', JSON.parse(gql('{ __typename }'))), 'first graphql request')
    const t1 = performance.now()
    const c1 = cpuTicks()
    must(await su('POST', '/api/graphql', JSON.parse(gql('{ __typename }'))), 'second graphql request')
    const t2 = performance.now()
    const c2 = cpuTicks()
    firstTicks += c1 - c0
    cachedTicks += c2 - c1
    timings.push({ first: t1 - t0, cached: t2 - t1 })
  }
  state.schemaBuild = timings
  const walls = timings.map(t => t.first - t.cached).sort((x, y) => x - y)
  const median = walls[Math.floor(walls.length / 2)]
  const cpuMs = args.pid ? ((firstTicks - cachedTicks) * 1000 / clkTck / rounds) : null
  state.schemaBuildCpuMs = cpuMs
  log('schema build (first minus cached request, ms):', timings.map(t => (t.first - t.cached).toFixed(1)).join(' '))
  const total = must(await su('GET', '/api/collections?perPage=1'), 'count collections').json.totalItems
  state.notes = (state.notes || []).concat([
    `schema build for ${total} collections (first superuser request after a change minus the cached one, ${rounds} rounds): ` +
    `median ${median.toFixed(1)} ms wall (min ${walls[0].toFixed(1)}, max ${walls[walls.length - 1].toFixed(1)})` +
    (cpuMs === null ? '' : `; server CPU ${cpuMs.toFixed(1)} ms per build (clock ticks of ${(1000 / clkTck).toFixed(0)} ms summed over the rounds)`)
  ])
  fs.writeFileSync(args.state, JSON.stringify(state))
}

main().catch(e => { console.error(e); process.exit(1) })
