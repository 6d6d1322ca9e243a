'use strict'
// Creates the `posts` collection the cluster bench writes to (guests may create, list and view), with a `file` field;
// with --s3-endpoint the project's files go to that S3-compatible store (every node then serves every file).
// Usage: node setup.js --url URL --email E --password P [--s3-endpoint http://localhost:PORT --s3-bucket B]
const args = require('../lib/args')(process.argv.slice(2))
const client = require('../lib/api')
async function main () {
  const auth = await client(args.url)('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  if (auth.status !== 200) throw new Error(`superuser sign-in: ${auth.status} ${auth.text}`)
  const su = client(args.url, auth.json.token)
  const r = await su('POST', '/api/collections', {
    name: 'posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: null, deleteRule: null,
    fields: [{ name: 'title', type: 'text' }, { name: 'views', type: 'number' }, { name: 'file', type: 'file', maxSelect: 1, maxSize: 1048576 }]
  })
  if (r.status !== 200) throw new Error(`create posts: ${r.status} ${r.text}`)
  if (args['s3-endpoint']) {
    // tests/s3-server (s3rver): fixed credentials S3RVER/S3RVER. Saving checks that the bucket answers.
    const s3 = { enabled: true, bucket: args['s3-bucket'], region: 'us-east-1', endpoint: args['s3-endpoint'], accessKey: 'S3RVER', secret: 'S3RVER', forcePathStyle: true }
    const g = await su('PATCH', '/api/settings', { s3 })
    if (g.status !== 200) throw new Error(`s3 settings: ${g.status} ${g.text}`)
  }
}
main().catch(e => { console.error(e.message); process.exit(1) })
