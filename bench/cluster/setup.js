'use strict'
// Creates the `posts` collection the cluster bench writes to (guests may create, list and view).
// Usage: node setup.js --url URL --email E --password P
const args = require('../lib/args')(process.argv.slice(2))
const client = require('../lib/api')
async function main () {
  const auth = await client(args.url)('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  if (auth.status !== 200) throw new Error(`superuser sign-in: ${auth.status} ${auth.text}`)
  const su = client(args.url, auth.json.token)
  const r = await su('POST', '/api/collections', {
    name: 'posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: null, deleteRule: null,
    fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' }]
  })
  if (r.status !== 200) throw new Error(`create posts: ${r.status} ${r.text}`)
}
main().catch(e => { console.error(e.message); process.exit(1) })
