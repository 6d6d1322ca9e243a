'use strict'
// Prepares a started server for the auth scenarios (bench/run.sh --suite auth):
//   superuser sign-in -> enable batch -> sign up N users with a password (records API creates on
//   `users` as a guest, 8 in parallel) -> create `notes` (owner relation to users, index on owner,
//   listRule/viewRule `owner = @request.auth.id`) -> seed M notes spread evenly over the users
//   (POST /api/batch of 1,000 creates as the superuser) -> sign in as one user -> functional checks
//   (the list returns only that user's notes, with the exact count; auth-refresh answers a usable
//   token for the same record; auth-with-password works) -> write the state file.
// Usage: node setup-auth.js --url URL --email E --password P --state FILE [--records 100000] [--users 1000]
const fs = require('fs')
const parseArgs = require('./args')
const client = require('./api')
const { excerpt, must } = client

const args = parseArgs(process.argv.slice(2))
const base = args.url
const records = Number(args.records || 100000)
const userCount = Number(args.users || 1000)
const USER_PASSWORD = 'bench-user-password-1'
const log = (...m) => console.error('setup-auth:', ...m)

const userEmail = i => `user${String(i).padStart(5, '0')}@bench.example.com`

// Runs `bodies` as creates on `collection` through POST /api/batch, `size` per call; returns the ids.
async function batchCreate (api, collection, bodies, size) {
  const ids = []
  for (let off = 0; off < bodies.length; off += size) {
    const requests = bodies.slice(off, off + size).map(body => ({
      method: 'POST', url: `/api/collections/${collection}/records`, body
    }))
    const r = must(await api('POST', '/api/batch', { requests }), `POST /api/batch (${collection} ${off}..${off + requests.length})`)
    for (const [i, item] of (r.json || []).entries()) {
      if (item.status !== 200 || !item.body || !item.body.id) {
        throw new Error(`batch ${collection} item ${off + i} answered ${JSON.stringify(item).slice(0, 300)}`)
      }
      ids.push(item.body.id)
    }
  }
  if (ids.length !== bodies.length) throw new Error(`batch ${collection}: ${ids.length} ids for ${bodies.length} creates`)
  return ids
}

function jwtPayload (token) {
  try { return JSON.parse(Buffer.from(String(token).split('.')[1], 'base64url').toString('utf8')) } catch { return null }
}

async function check (state) {
  const problems = []
  const expect = (cond, msg) => { if (!cond) problems.push(msg) }
  const me = client(base, state.token)
  const perUser = state.notesPerUser

  // list with the count: only my notes, exactly perUser of them
  let r = await me('GET', state.listPath)
  expect(r.status === 200, `notes-list: expected 200, got ${excerpt(r)}`)
  let firstIds = null
  if (r.status === 200) {
    const j = r.json || {}
    const items = j.items || []
    firstIds = items.map(i => i.id)
    expect(items.length === 20, `notes-list: ${items.length} items, expected 20`)
    expect(items.every(i => i.owner === state.userId), 'notes-list: an item belongs to another user')
    expect(j.totalItems === perUser, `notes-list: totalItems ${j.totalItems}, expected ${perUser}`)
    expect(j.totalPages === Math.ceil(perUser / 20), `notes-list: totalPages ${j.totalPages}`)
  }
  r = await me('GET', state.listSkipPath)
  expect(r.status === 200, `notes-list-skiptotal: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    const items = j.items || []
    expect(items.length === 20, `notes-list-skiptotal: ${items.length} items, expected 20`)
    expect(items.every(i => i.owner === state.userId), 'notes-list-skiptotal: an item belongs to another user')
    expect(j.totalItems === -1 && j.totalPages === -1, `notes-list-skiptotal: totals ${j.totalItems}/${j.totalPages}, expected -1/-1`)
    expect(firstIds === null || JSON.stringify(items.map(i => i.id)) === JSON.stringify(firstIds), 'notes-list-skiptotal: items differ from the list with total')
  }
  // the rule, not the absence of one: a guest sees nothing, another user's note is a 404 for me
  r = await client(base)('GET', state.listSkipPath)
  expect(r.status === 200 && (r.json.items || []).length === 0, `notes-list as a guest: expected 200 with no items, got ${excerpt(r)}`)
  r = await me('GET', `/api/collections/notes/records/${state.otherNoteId}`)
  expect(r.status === 404, `view of another user's note: expected 404, got ${excerpt(r)}`)

  // auth-refresh: a token for the same record that itself works
  r = await me('POST', '/api/collections/users/auth-refresh')
  expect(r.status === 200, `auth-refresh: expected 200, got ${excerpt(r)}`)
  if (r.status === 200) {
    const j = r.json || {}
    const p = jwtPayload(j.token)
    expect(Boolean(p), 'auth-refresh: token is not a JWT')
    expect(j.record && j.record.id === state.userId, `auth-refresh: record ${JSON.stringify(j.record).slice(0, 200)}`)
    expect(p && p.id === state.userId, `auth-refresh: token id ${p && p.id}`)
    const old = jwtPayload(state.token)
    expect(p && old && p.exp >= old.exp, 'auth-refresh: new token expires before the old one')
    state.refreshDiffers = j.token !== state.token
    const again = await client(base, j.token)('GET', state.listSkipPath)
    expect(again.status === 200 && (again.json.items || []).length === 20, `list with the refreshed token: ${excerpt(again)}`)
  }
  // auth-with-password: right password 200, wrong one 400
  r = await client(base)('POST', '/api/collections/users/auth-with-password', { identity: state.passwordUsers[0], password: USER_PASSWORD })
  expect(r.status === 200 && r.json && r.json.token, `auth-with-password: expected 200 with a token, got ${excerpt(r)}`)
  r = await client(base)('POST', '/api/collections/users/auth-with-password', { identity: state.passwordUsers[0], password: 'wrong-password-123' })
  expect(r.status === 400, `auth-with-password with a wrong password: expected 400, got ${excerpt(r)}`)
  return problems
}

async function main () {
  const anon = client(base)
  const auth = must(await anon('POST', '/api/collections/_superusers/auth-with-password',
    { identity: args.email, password: args.password }), 'superuser auth-with-password')
  const su = client(base, auth.json.token)
  const notes = []

  must(await su('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 1000, timeout: 120 } }), 'PATCH /api/settings (enable batch)')

  const usersCol = must(await su('GET', '/api/collections/users'), 'GET /api/collections/users').json
  let t0 = Date.now()
  const userBodies = Array.from({ length: userCount }, (_, i) => ({
    email: userEmail(i), password: USER_PASSWORD, passwordConfirm: USER_PASSWORD, name: `user ${i}`
  }))
  // sign-ups as a guest (createRule ""), 8 in parallel: each hashes its password (bcrypt cost 10),
  // which a batch would do one after the other inside its transaction
  const userIds = new Array(userCount)
  let next = 0
  async function worker () {
    while (next < userCount) {
      const i = next++
      userIds[i] = must(await anon('POST', '/api/collections/users/records', userBodies[i]), `sign up user ${i}`).json.id
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  const usersMs = Date.now() - t0
  log(`signed up ${userIds.length} users in ${usersMs} ms`)

  const existing = await su('GET', '/api/collections/notes')
  if (existing.status === 200) {
    must(await su('DELETE', '/api/collections/notes'), 'DELETE old notes collection', [200, 204])
    notes.push('an existing `notes` collection was deleted first')
  }
  const rule = 'owner = @request.auth.id'
  const col = must(await su('POST', '/api/collections', {
    name: 'notes',
    type: 'base',
    listRule: rule,
    viewRule: rule,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [
      { name: 'owner', type: 'relation', collectionId: usersCol.id, maxSelect: 1, required: true },
      { name: 'title', type: 'text' },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false }
    ],
    indexes: ['CREATE INDEX idx_notes_owner ON notes (owner)']
  }), 'POST /api/collections (notes)').json

  t0 = Date.now()
  const noteBodies = Array.from({ length: records }, (_, i) => ({ owner: userIds[i % userIds.length], title: `note ${i}` }))
  const noteIds = await batchCreate(su, 'notes', noteBodies, 1000)
  const notesMs = Date.now() - t0
  log(`seeded ${noteIds.length} notes in ${notesMs} ms`)

  // sign in as user 0 (owner of notes 0, N, 2N, ...)
  const signIn = must(await anon('POST', '/api/collections/users/auth-with-password',
    { identity: userEmail(0), password: USER_PASSWORD }), 'user auth-with-password')
  const notesPerUser = Math.floor(records / userIds.length) + (records % userIds.length > 0 ? 1 : 0)
  const state = {
    collectionId: col.id,
    userId: userIds[0],
    token: signIn.json.token,
    otherNoteId: noteIds[1],
    notesPerUser,
    password: USER_PASSWORD,
    passwordUsers: Array.from({ length: Math.min(64, userCount) }, (_, i) => userEmail(i)),
    listPath: '/api/collections/notes/records?page=1&perPage=20',
    listSkipPath: '/api/collections/notes/records?page=1&perPage=20&skipTotal=1',
    seed: { records, users: userIds.length, method: 'users: parallel sign-ups; notes: batch', ms: usersMs + notesMs, usersMs, notesMs },
    notes
  }
  state.problems = await check(state)
  if (state.refreshDiffers === false) {
    notes.push('auth-refresh answered the same token string (issued within the same second as the sign-in: same iat/exp)')
  }
  for (const n of notes) log('note:', n)
  for (const p of state.problems) log('PROBLEM:', p)
  fs.writeFileSync(args.state, JSON.stringify(state))
}

main().catch(e => {
  console.error('setup-auth: FAILED:', e.message)
  process.exit(1)
})
