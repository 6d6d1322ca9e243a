'use strict'
// Prepares a started server for the file scenarios (bench/run.sh --suite files): superuser sign-in ->
// a `media` collection (public rules, file field `f` up to 2 GiB, thumbs 100x100 allowed by default) ->
// one record holding a 100 KB file and a 400x300 PNG -> the PNG's 100x100 thumbnail made once (so the
// scenario measures the cached thumbnail) -> checks the downloads -> writes the state file.
// Usage: node setup-files.js --url URL --email E --password P --state FILE
const fs = require('fs')
const parseArgs = require('./args')
const client = require('./api')
const { png, multipart } = require('./files-data')

const args = parseArgs(process.argv.slice(2))
const base = args.url
const log = (...m) => console.error('setup-files:', ...m)
const must = (r, what) => { if (r.status !== 200) throw new Error(`${what} failed: HTTP ${r.status} ${String(r.text).slice(0, 300)}`); return r }

async function main () {
  const guest = client(base)
  const login = must(await guest('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password }), 'superuser sign-in')
  const su = client(base, login.json.token)
  must(await su('POST', '/api/collections', {
    name: 'media', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '',
    fields: [{ name: 'f', type: 'file', maxSelect: 10, maxSize: 2 * 1024 * 1024 * 1024 }]
  }), 'create media')
  const t = Date.now()
  const file = Buffer.alloc(100 * 1024, 'a')
  const { body, contentType } = multipart([['f', 'hundred.txt', file], ['f', 'photo.png', png(400, 300)]])
  const res = await fetch(`${base}/api/collections/media/records`, { method: 'POST', headers: { 'content-type': contentType }, body })
  const rec = await res.json()
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(rec)}`)
  const downloadPath = `/api/files/media/${rec.id}/${rec.f[0]}`
  const thumbPath = `/api/files/media/${rec.id}/${rec.f[1]}?thumb=100x100`
  const d = await fetch(base + downloadPath)
  const bytes = Buffer.from(await d.arrayBuffer())
  if (d.status !== 200 || bytes.length !== file.length) throw new Error(`download check failed: ${d.status} ${bytes.length}`)
  const th = await fetch(base + thumbPath)
  const thumb = Buffer.from(await th.arrayBuffer())
  if (th.status !== 200 || thumb.readUInt32BE(16) !== 100 || thumb.readUInt32BE(20) !== 100) throw new Error('thumbnail check failed')
  log(`record ${rec.id}: ${rec.f.join(', ')}; thumbnail cached`)
  fs.writeFileSync(args.state, JSON.stringify({ downloadPath, thumbPath, recordId: rec.id, seed: { method: 'one multipart create', ms: Date.now() - t } }))
}

main().catch(e => { console.error(e); process.exit(1) })
