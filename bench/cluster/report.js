'use strict'
// The cluster bench's figures: per phase requests, errors, the longest run of errors and the recovery time; every
// acknowledged create read back; realtime events missed while subscribed.
const fs = require('fs')
const args = require('../lib/args')(process.argv.slice(2))
const client = require('../lib/api')

async function main () {
  const load = JSON.parse(fs.readFileSync(args.load, 'utf8'))
  const rt = JSON.parse(fs.readFileSync(args.realtime, 'utf8'))
  const marks = fs.readFileSync(args.events, 'utf8').trim().split('\n').map(l => { const sp = l.indexOf(' '); return [Number(l.slice(0, sp)), l.slice(sp + 1)] })
  const out = ['# Cluster bench (bench/cluster/run.sh)', '', `${args.nodes} nodes on one PostgreSQL behind nginx (round-robin), ${new Date().toISOString()}.`, '']
  out.push('| phase | seconds | requests | errors | error statuses | longest error run (ms) |', '|---|---:|---:|---:|---|---:|')
  const results = load.results.sort((a, b) => a[0] - b[0])
  for (let p = 0; p < marks.length - 1; p++) {
    const [from, name] = marks[p]; const to = marks[p + 1][0]
    if (!name.startsWith('phase')) continue
    const rs = results.filter(r => r[0] >= from && r[0] < to)
    const errs = rs.filter(r => !r[1])
    const statuses = {}
    for (const e of errs) statuses[`${e[2]} ${e[3]}`] = (statuses[`${e[2]} ${e[3]}`] || 0) + 1
    // The longest stretch of time in which every request failed.
    let longest = 0; let runStart = null
    for (const r of rs) {
      if (!r[1]) { if (runStart === null) runStart = r[0]; longest = Math.max(longest, r[0] - runStart) } else runStart = null
    }
    out.push(`| ${name.replace(/^phase /, '')} | ${((to - from) / 1000).toFixed(1)} | ${rs.length} | ${errs.length} | ${Object.entries(statuses).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'} | ${longest} |`)
  }
  const total = results.length; const errors = results.filter(r => !r[1]).length
  out.push('', `All phases: ${total} requests, ${errors} errors (${(100 * errors / Math.max(1, total)).toFixed(2)}%).`)

  // Every acknowledged create must be there.
  const auth = await client(args.url)('POST', '/api/collections/_superusers/auth-with-password', { identity: args.email, password: args.password })
  const su = client(args.url, auth.json.token)
  const stored = new Set()
  for (let page = 1; ; page++) {
    const r = await su('GET', `/api/collections/posts/records?perPage=1000&page=${page}&fields=id&skipTotal=1&sort=id`)
    if (r.status !== 200) throw new Error(`read back: ${r.status} ${r.text}`)
    for (const it of r.json.items) stored.add(it.id)
    if (r.json.items.length < 1000) break
  }
  const lost = load.acked.filter(([id]) => !stored.has(id))
  out.push(`Acknowledged creates: ${load.acked.length}; found afterwards: ${load.acked.length - lost.length}; **lost: ${lost.length}**${lost.length ? ` (${lost.slice(0, 5).map(l => l[0]).join(', ')})` : ''}.`)

  // Every acknowledged upload must be served, whole, by the cluster (through the load balancer: any node).
  if (load.files && load.files.length) {
    let bad = 0
    for (const [id, name, size] of load.files) {
      const res = await fetch(`${args.url}/api/files/posts/${id}/${name}`).catch(() => null)
      const got = res ? (await res.arrayBuffer()).byteLength : -1
      if (!res || res.status !== 200 || got !== size) bad++
    }
    out.push(`Acknowledged uploads (${args.storage || 'storage'}): ${load.files.length}; served whole afterwards: ${load.files.length - bad}; **missing or wrong: ${bad}**.`)
  }

  // Realtime: each create sent after a subscription was in place and acknowledged more than 1 s before it dropped (an
  // event on its way when the node died is lost for a client of that node, as with PocketBase) must have reached the
  // client. (A create acknowledged just after the subscription may have committed before it: its send time counts.)
  const got = new Set(rt.received.map(r => r[0]))
  let expected = 0; let missed = 0
  for (const [id, t, sent] of load.acked) {
    if (rt.intervals.some(iv => iv.subscribedAt && (sent ?? t) > iv.subscribedAt && t < iv.droppedAt - 1000)) {
      expected++
      if (!got.has(id)) missed++
    }
  }
  const gaps = []
  for (let i = 1; i < rt.intervals.length; i++) gaps.push(rt.intervals[i].subscribedAt - rt.intervals[i - 1].droppedAt)
  out.push(`Realtime client: ${rt.intervals.length} subscriptions (${rt.intervals.map(iv => iv.url.replace(/^http:\/\/127\.0\.0\.1:/, ':')).join(' → ')}), ` +
    `reconnect + resubscribe took ${gaps.map(g => `${g} ms`).join(', ') || 'n/a'}; events received ${rt.received.length}; ` +
    `creates acknowledged while subscribed ${expected}; **missed ${missed}**; subscription requests refused ` +
    `${(rt.refused || []).length}${(rt.refused || []).length ? ` (${rt.refused.map(r => r[0]).join(', ')})` : ''}.`)
  // --realtime-via lb: nginx's log of /api/realtime ("msec request_time method upstream status") tells which node
  // held each stream and which node each subscription request reached.
  const rtLog = args['realtime-log'] && fs.existsSync(args['realtime-log']) ? fs.readFileSync(args['realtime-log'], 'utf8').trim() : ''
  if (rtLog) {
    const lines = rtLog.split('\n').map(l => l.split(' ')).map(([msec, rtime, method, upstream, status]) =>
      ({ end: Number(msec) * 1000, start: (Number(msec) - Number(rtime)) * 1000, method, upstream: upstream.split(',').pop().trim(), status }))
    const streams = lines.filter(l => l.method === 'GET' && (l.status === '200' || l.status === '499')) // 499: the client left
    let same = 0; let other = 0
    for (const p of lines.filter(l => l.method === 'POST' && l.status === '204')) {
      const s = streams.filter(x => x.start <= p.start && x.end >= p.end).pop()
      if (s && s.upstream === p.upstream) same++
      else if (s) other++
    }
    out.push(`Through nginx: ${streams.length} streams; of the accepted subscription requests ${same} reached the node holding the stream, ` +
      `**${other} another node** (forwarded over the bus).`)
  }
  // Changes made on node 1 under the load (changes.js): the time until each other node served them.
  if (args.changes) {
    const ch = JSON.parse(fs.readFileSync(args.changes, 'utf8'))
    const stats = rows => {
      const ms = rows.map(r => r[2]).sort((a, b) => a - b)
      return ms.length ? `${ms[0]} / ${ms[Math.floor((ms.length - 1) / 2)]} / ${ms[ms.length - 1]} ms (${ms.length} observations: ${rows.map(r => `node ${r[1]} ${r[2]}`).join(', ')})` : 'n/a'
    }
    out.push('', `Changes on node 1 under the load (load average ${ch.load.map(l => l.toFixed(1)).join(', ')}); time from node 1's answer until each other node served the change, min / median / max:`, '')
    out.push(`- schema change (a text field added to posts; the node's answer to a create carries it): ${stats(ch.schema)}`)
    out.push(`- settings change (appName): ${stats(ch.settings)}`)
    out.push(`- rate-limit rule set: ${stats(ch.rateRule)}`)
    const r = ch.rate
    const allowed = r.counts['200'] || 0; const refused = r.counts['429'] || 0
    const other = Object.entries(r.counts).filter(([k]) => k !== '200' && k !== '429')
    out.push(`- rate limit \`posts:list\` ${r.limit} per ${r.windowS} s (everyone), hammered through nginx by ${r.concurrency} guests for ${r.hammerS.toFixed(1)} s (one window): ` +
      `${allowed + refused + other.reduce((a, [, v]) => a + v, 0)} requests, **${allowed} allowed** (limit ${r.limit}${allowed > r.limit ? ': OVER THE LIMIT' : ''}), ${refused} refused (429)` +
      `${other.length ? `, other: ${other.map(([k, v]) => `${k}: ${v}`).join(', ')}` : ''}; the allowed ones came within ${r.allowedSpanMs} ms.`)
  }
  out.push('')
  const text = out.join('\n')
  console.log(text)
  if (args.md) fs.writeFileSync(args.md, text + '\n')
}
main().catch(e => { console.error(e); process.exit(1) })
