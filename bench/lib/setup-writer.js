'use strict'
// Prepares a started server for the writer suite (bench/run.sh --suite writer): superuser sign-in -> `posts`
// (public create, like the default suite's) -> `media` (public create, file field `f` up to 64 MB) -> the
// `users` collection's createRule opened to guests (sign-ups for the background load) -> checks one plain create,
// one 1 MB upload and one sign-up -> writes the state file.
// Usage: node setup-writer.js --url URL --email E --password P --state FILE
const fs = require('fs')
const parseArgs = require('./args')
const client = require('./api')
const { multipart } = require('./files-data')

const args = parseArgs(process.argv.slice(2))
const base = args.url
const log = (...m) => console.error('setup-writer:', ...m)
const must = (r, what) => { if (r.status !== 200) throw new Error(`${what} failed: HTTP ${r.status} ${String(r.text).slice(0, 300)}`); return r }

async function main () {
  const guest = client(base)
  const login = must(await guest('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password }), 'superuser sign-in')
  const su = client(base, login.json.token)
  must(await su('POST', '/api/collections', {
    name: 'posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '',
    fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' },
      { name: 'status', type: 'select', maxSelect: 1, values: ['a', 'b', 'c'] }]
  }), 'create posts')
  must(await su('POST', '/api/collections', {
    name: 'media', type: 'base', listRule: '', viewRule: '', createRule: '',
    fields: [{ name: 'f', type: 'file', maxSelect: 1, maxSize: 64 * 1024 * 1024 }]
  }), 'create media')
  must(await su('PATCH', '/api/collections/users', { createRule: '' }), 'open users sign-up')
  must(await guest('POST', '/api/collections/posts/records', { title: 'check', views: 1, status: 'a' }), 'create check')
  const { body, contentType } = multipart([['f', 'one.bin', Buffer.alloc(1024 * 1024, 7)]])
  const up = await fetch(`${base}/api/collections/media/records`, { method: 'POST', headers: { 'content-type': contentType }, body })
  if (up.status !== 200) throw new Error(`upload check failed: ${up.status} ${await up.text()}`)
  must(await guest('POST', '/api/collections/users/records', { email: 'check@bench.test', password: 'Bench-password-1', passwordConfirm: 'Bench-password-1' }), 'sign-up check')
  log('posts, media and users ready')
  fs.writeFileSync(args.state, JSON.stringify({ seed: { method: 'no seed (writer suite)', ms: 0 } }))
}

main().catch(e => { console.error(e); process.exit(1) })
