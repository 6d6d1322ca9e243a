'use strict'
// The growth bench's table from run.sh's JSON files (bench/growth.sh; also by hand on the files of an interrupted run).
// Usage: node growth-report.js OUT.md OUT.json kind:rows:round:FILE.json …
const fs = require('fs')
const [md, jsonOut, ...runs] = process.argv.slice(2)
const rows = runs.map(r => { const [kind, n, round, f] = r.split(':'); return { kind, n: Number(n), round: Number(round), run: JSON.parse(fs.readFileSync(f, 'utf8')) } })
const scen = ['view', 'list', 'list-skiptotal', 'list-estimate', 'create', 'update', 'realtime', 'auth-password']
// GROWTH_UNIT=users: the sizes are users (bench/growth.sh --suite signin-growth), not posts.
const unit = process.env.GROWTH_UNIT || 'rows'
const mean = a => a.reduce((x, y) => x + y, 0) / a.length
// req/s: whole numbers, with one decimal below 100 (sign-ins run at a few per second)
const fmt = v => (v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'))
const out = ['# Growth bench (bench/growth.sh)', '']
out.push(`Runs: ${rows.map(r => `${r.kind} ${r.n} round ${r.round} (${r.run.meta.date}, load ${r.run.meta.loadavg_start} → ${r.run.meta.loadavg_end}, seed ${r.run.seed ? r.run.seed.ms + ' ms' : 'n/a'})`).join('; ')}.`)
const problems = rows.flatMap(r => (r.run.problems || []).map(p => `${r.kind} ${r.n}: ${p}`))
if (problems.length) out.push('', 'PROBLEMS: ' + problems.join('; '))
const summary = {}
for (const kind of ['sqlite', 'postgres']) {
  const sizes = [...new Set(rows.filter(r => r.kind === kind).map(r => r.n))].sort((a, b) => a - b)
  if (!sizes.length) continue
  out.push('', `## ${kind}`, '', `| scenario | ${sizes.map(n => `${n.toLocaleString('en')} ${unit} req/s (rounds)`).join(' | ')} | ${sizes.map(n => `${n.toLocaleString('en')} µs/req`).join(' | ')} | largest / smallest cost |`)
  out.push(`|---|${sizes.map(() => '---:').join('|')}|${sizes.map(() => '---:').join('|')}|---:|`)
  summary[kind] = {}
  for (const s of scen) {
    const per = sizes.map(n => rows.filter(r => r.kind === kind && r.n === n).map(r => (r.run.scenarios.find(x => x.scenario === s) || {})).filter(x => x.rps !== undefined))
    if (per.every(p => !p.length)) continue
    const rps = per.map(p => p.map(x => x.rps))
    const cpu = per.map(p => p.map(x => x.cpuUsPerReq))
    const ratio = mean(rps[0]) / mean(rps[rps.length - 1])
    summary[kind][s] = sizes.map((n, i) => ({ rows: n, rps: rps[i], cpuUsPerReq: cpu[i] }))
    out.push(`| ${s} | ${rps.map(a => `${fmt(mean(a))} (${a.map(fmt).join(' / ')})`).join(' | ')} | ${cpu.map(a => a.filter(v => v !== null)).map(a => (a.length ? Math.round(mean(a)) : 'n/a')).join(' | ')} | ${isFinite(ratio) ? `×${ratio.toFixed(2)}` : 'no answer at the largest size'} |`)
  }
  // The realtime scenario (lib/realtime-fanout.js): one row per run, since its figures are not req/s alone.
  const rt = rows.filter(r => r.kind === kind).map(r => ({ r, x: r.run.scenarios.find(x => x.scenario === 'realtime') })).filter(o => o.x && o.x.realtime)
  if (rt.length) {
    out.push('', `Realtime fan-out (${kind}): SSE subscribers to posts/* receiving the events of a steady create load; latency from the create's sending to the event's arrival.`, '')
    out.push('| rows | round | subscribers | creates/s (target) | events delivered / expected | latency p50 / p99 ms | event after the answer p50 / p99 ms | create answered p50 / p99 ms | server µs/create | others on its core % |')
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const { r, x } of rt.sort((a, b) => a.r.n - b.r.n || a.r.round - b.r.round)) {
      const t = x.realtime
      out.push(`| ${r.n.toLocaleString('en')} | ${r.round} | ${t.subscribers} | ${x.rps} (${t.targetRate}) | ${t.delivered.toLocaleString('en')} / ${t.expected.toLocaleString('en')} | ${x.p50} / ${x.p99} | ${t.fromAnswerP50} / ${t.fromAnswerP99} | ${t.createP50} / ${t.createP99} | ${x.cpuUsPerReq} | ${x.otherCpuPct} |`)
    }
    summary[kind].realtimeRuns = rt.map(({ r, x }) => ({ rows: r.n, round: r.round, rps: x.rps, p50: x.p50, p99: x.p99, cpuUsPerReq: x.cpuUsPerReq, ...x.realtime }))
  }
}
out.push('', '"largest / smallest cost" = mean req/s at the smallest size over mean req/s at the largest (1.00 = flat; the issue\'s goal is ≤ 1.5 for view, create, update and the indexed list).', '')
fs.writeFileSync(md, out.join('\n'))
fs.writeFileSync(jsonOut, JSON.stringify(summary, null, 2) + '\n')
console.log(out.join('\n'))
