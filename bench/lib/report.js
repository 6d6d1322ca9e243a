'use strict'
// Turns one run's raw files into the stdout table, bench/results/latest.md and a JSON summary,
// or (with --compare) lays several summaries side by side (A B A B).
// Usage: node report.js --run DIR --md FILE --json FILE
//        node report.js --compare A1.json,B1.json,A2.json,B2.json --labels A,B,A,B --md FILE
//        node report.js --versus P1.json,G1.json,S1.json,P2.json,… --labels P,G,S,P,… [--names 'P=…|G=…'] [--title T]
//                       [--goal 3] --md FILE [--json FILE]   (bench/vs-parse.sh: each side as a multiple of the first;
//                       --json keeps every run's summary, labelled)
const fs = require('fs')
const parseArgs = require('./args')

const args = parseArgs(process.argv.slice(2))

function readMeta (file) {
  const meta = {}
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) meta[line.slice(0, i)] = line.slice(i + 1)
  }
  return meta
}

function readJsonLines (file) {
  if (!fs.existsSync(file)) return []
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l))
}

const kib = v => (v ? `${(Number(v) / 1024).toFixed(1)} MiB` : 'n/a')
const num = v => (v === null || v === undefined ? 'n/a' : String(v))
const pad = (s, n) => String(s).padEnd(n)
const lpad = (s, n) => String(s).padStart(n)

function textTable (rows) {
  const head = `${pad('scenario', 22)}${lpad('req/s', 10)}${lpad('p50_ms', 9)}${lpad('p99_ms', 9)}${lpad('non2xx', 8)}${lpad('errors', 8)}${lpad('cpu_us/req', 12)}${lpad('srv_cpu%', 10)}${lpad('other%', 8)}`
  return [head, ...rows.map(r =>
    `${pad(r.scenario, 22)}${lpad(r.rps, 10)}${lpad(num(r.p50), 9)}${lpad(num(r.p99), 9)}${lpad(r.non2xx, 8)}${lpad(r.errors, 8)}${lpad(num(r.cpuUsPerReq), 12)}${lpad(num(r.serverCpuPct), 10)}${lpad(num(r.otherCpuPct), 8)}`)].join('\n')
}

function single () {
  const dir = args.run
  const meta = readMeta(`${dir}/meta.env`)
  const rows = readJsonLines(`${dir}/scenarios.jsonl`)
  const state = fs.existsSync(`${dir}/state.json`) ? JSON.parse(fs.readFileSync(`${dir}/state.json`, 'utf8')) : {}
  const problems = state.problems || []
  const notes = (state.notes || []).concat(meta.failure ? [`run stopped early: ${meta.failure}`] : [])
  const summary = { meta, scenarios: rows, problems, notes, seed: state.seed || null }

  const lines = []
  lines.push(textTable(rows))
  lines.push('')
  lines.push(`server start-up to first healthy /api/health: ${num(meta.startup_ms)} ms`)
  lines.push(`server RSS: idle after start-up ${kib(meta.rss_idle_kib)}, after seeding ${kib(meta.rss_seeded_kib)}, after the run ${kib(meta.rss_after_kib)} (peak VmHWM ${kib(meta.hwm_after_kib)})`)
  const big = meta.big_upload ? JSON.parse(meta.big_upload) : null
  if (big) lines.push(`big upload: ${big.mb} MB in ${big.ms} ms (HTTP ${big.status}); RSS before ${kib(big.rssBeforeKiB)}, peak before ${kib(big.peakBeforeKiB)}, peak after ${kib(big.peakAfterKiB)}`)
  if (meta.baseline_rss_after_kib) lines.push(`baseline RSS after its run: ${kib(meta.baseline_rss_after_kib)}, start-up ${num(meta.baseline_startup_ms)} ms`)
  for (const p of problems) lines.push(`PROBLEM: ${p}`)
  for (const n of notes) lines.push(`note: ${n}`)
  console.log(lines.join('\n'))

  const md = []
  md.push(`# PaperGao benchmark${meta.suite && meta.suite !== 'default' ? ` (${meta.suite} suite)` : ''} — ${meta.date || ''}`)
  md.push('')
  md.push(`Commit \`${meta.commit || '?'}\`${meta.dirty === '1' ? ' (with uncommitted changes)' : ''}, database **${meta.db || 'sqlite'}**, ` +
    `${meta.records} seeded records${meta.users ? ` over ${meta.users} users` : ''} (${state.seed ? `${state.seed.method}, ${state.seed.ms} ms${state.seed.usersMs !== undefined ? `: users ${state.seed.usersMs} ms, records ${state.seed.notesMs} ms` : ''}` : 'seed n/a'}), ` +
    `autocannon ${meta.autocannon} at ${meta.connections} connections unless the table says otherwise, ${meta.duration} s per scenario after a ${meta.warmup} s warm-up.`)
  md.push(`Machine: ${meta.cpu || '?'} (${meta.cores || '?'} cores), .NET ${meta.dotnet || '?'}, Node ${meta.node || '?'}; ` +
    `${meta.pinned === '1' ? 'server pinned to CPU 0, load generator to CPU 1' : 'no CPU pinning'}; ` +
    `load average before/after: ${meta.loadavg_start || '?'} / ${meta.loadavg_end || '?'} (other work on the machine makes req/s noisy; CPU µs/req much less so).`)
  md.push('')
  md.push('| scenario | conns | req/s | p50 ms | p99 ms | non-2xx | errors | server CPU µs/req | server CPU % | others on its core % |')
  md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) md.push(`| ${r.scenario} | ${num(r.connections)} | ${r.rps} | ${num(r.p50)} | ${num(r.p99)} | ${r.non2xx} | ${r.errors} | ${num(r.cpuUsPerReq)} | ${num(r.serverCpuPct)} | ${num(r.otherCpuPct)} |`)
  md.push('')
  md.push('| server process | value |')
  md.push('|---|---:|')
  md.push(`| start-up to first healthy \`/api/health\` | ${num(meta.startup_ms)} ms |`)
  md.push(`| RSS idle after start-up | ${kib(meta.rss_idle_kib)} |`)
  md.push(`| RSS after seeding | ${kib(meta.rss_seeded_kib)} |`)
  md.push(`| RSS after the run | ${kib(meta.rss_after_kib)} |`)
  md.push(`| peak RSS (VmHWM) | ${kib(meta.hwm_after_kib)} |`)
  if (big) {
    md.push(`| ${big.mb} MB upload (one streamed multipart create, HTTP ${big.status}, ${big.ms} ms): RSS before / peak before / peak after | ${kib(big.rssBeforeKiB)} / ${kib(big.peakBeforeKiB)} / ${kib(big.peakAfterKiB)} |`)
  }
  if (meta.baseline_rss_after_kib) {
    md.push(`| baseline: start-up / RSS after its run | ${num(meta.baseline_startup_ms)} ms / ${kib(meta.baseline_rss_after_kib)} |`)
  }
  if (problems.length || notes.length) {
    md.push('')
    md.push('## Problems and notes')
    md.push('')
    for (const p of problems) md.push(`- **problem:** ${p}`)
    for (const n of notes) md.push(`- note: ${n}`)
  }
  for (const r of rows.filter(x => x.realtime)) {
    const t = r.realtime
    md.push('')
    md.push(`Realtime (${r.scenario}): ${t.subscribers} SSE subscribers to posts/*, creates at ${t.targetRate}/s targeted from ${r.connections} writers: ` +
      `${r.rps} creates/s achieved, **${t.delivered} / ${t.expected} events delivered**${t.drained ? '' : ' (drain deadline passed)'}, ` +
      `${t.createsMissingEvents} creates missing an event; delivery latency (create sent → event received) p50 ${num(r.p50)} ms, p99 ${num(r.p99)} ms, max ${num(r.max)} ms; ` +
      `event after the create's answer p50 ${num(t.fromAnswerP50)} ms, p99 ${num(t.fromAnswerP99)} ms; create answered p50 ${num(t.createP50)} ms, p99 ${num(t.createP99)} ms; ` +
      `server CPU ${num(r.cpuUsPerReq)} µs per create (fan-out included).`)
  }
  const codes = rows.filter(r => r.non2xx > 0)
  const bg = rows.filter(r => r.background)
  if (bg.length) {
    md.push('')
    md.push('Background loads: ' + bg.map(r => `${r.scenario}: ${r.background}, max ${num(r.max)} ms`).join('; '))
  }
  if (codes.length) {
    md.push('')
    md.push('Status codes of scenarios with non-2xx answers: ' +
      codes.map(r => `${r.scenario} ${JSON.stringify(r.statusCodes)}`).join('; '))
  }
  md.push('')
  if (args.md) fs.writeFileSync(args.md, md.join('\n'))
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(summary, null, 2) + '\n')
}

function compare () {
  const files = args.compare.split(',')
  const labels = (args.labels || files.map((_, i) => (i % 2 ? 'B' : 'A')).join(',')).split(',')
  const runs = files.map(f => JSON.parse(fs.readFileSync(f, 'utf8')))
  const names = [...new Set(runs.flatMap(r => r.scenarios.map(s => s.scenario)))]
  const perRound = new Set(labels).size
  const cols = runs.map((r, i) => `${labels[i]}${Math.floor(i / perRound) + 1}`)
  const hasS = labels.includes('S')
  const mean = a => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN)
  const md = []
  md.push('# A/B comparison (interleaved in one invocation)')
  md.push('')
  runs.forEach((r, i) => md.push(`- ${cols[i]}: commit \`${r.meta.commit}\`${r.meta.dirty === '1' ? '+dirty' : ''}, artifacts \`${r.meta.artifacts}\`, ${r.meta.date}`))
  md.push('')
  md.push(`| scenario | ${cols.map(c => `${c} req/s`).join(' | ')} | B/A req/s | A spread |${hasS ? ' B/S req/s |' : ''} ${cols.map(c => `${c} p99`).join(' | ')} | ${cols.map(c => `${c} µs/req`).join(' | ')} |`)
  md.push(`|---|${cols.map(() => '---:').join('|')}|---:|---:|${hasS ? '---:|' : ''}${cols.map(() => '---:').join('|')}|${cols.map(() => '---:').join('|')}|`)
  for (const n of names) {
    const get = r => r.scenarios.find(s => s.scenario === n) || {}
    const rps = runs.map(r => get(r).rps)
    const a = rps.filter((_, i) => labels[i] === labels[0])
    const b = rps.filter((_, i) => labels[i] !== labels[0] && labels[i] !== 'S')
    const sq = rps.filter((_, i) => labels[i] === 'S')
    const ratio = mean(b) / mean(a)
    const share = mean(b) / mean(sq)
    const spread = a.length > 1 ? (Math.max(...a) - Math.min(...a)) / mean(a) : NaN
    md.push(`| ${n} | ${rps.map(num).join(' | ')} | ${isFinite(ratio) ? ratio.toFixed(3) : 'n/a'} | ` +
      `${isFinite(spread) ? `${(spread * 100).toFixed(1)}%` : 'n/a'} |${hasS ? ` ${isFinite(share) ? `${(share * 100).toFixed(0)}%` : 'n/a'} |` : ''} ${runs.map(r => num(get(r).p99)).join(' | ')} | ` +
      `${runs.map(r => num(get(r).cpuUsPerReq)).join(' | ')} |`)
  }
  const bg = runs.flatMap((r, i) => r.scenarios.filter(s => s.background).map(s => `${cols[i]} ${s.scenario}: ${s.background}, max ${num(s.max)} ms`))
  if (bg.length) {
    md.push('')
    md.push('Background loads: ' + bg.join('; '))
  }
  md.push('')
  if (hasS) md.push('S is build B on SQLite, same options without --db; B/S is mean B req/s over mean S req/s.')
  md.push('A difference smaller than the A spread (the same build measured twice) is noise. Server CPU µs per')
  md.push('request is the steadier figure when the machine has other work.')
  md.push('')
  const text = md.join('\n')
  console.log(text)
  if (args.md) fs.writeFileSync(args.md, text)
}

// Several servers side by side (bench/vs-parse.sh): the first label is the reference, every other side is given as a
// multiple of it (mean req/s over the rounds; server CPU µs/req as reference ÷ side, so above 1 means less CPU).
function versus () {
  const files = args.versus.split(',')
  const labels = args.labels.split(',')
  if (labels.length !== files.length) throw new Error('--labels must name every --versus file')
  const names = Object.fromEntries((args.names || '').split('|').filter(Boolean).map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const runs = files.map((f, i) => ({ label: labels[i], ...JSON.parse(fs.readFileSync(f, 'utf8')) }))
  const sides = [...new Set(labels)]
  const [ref, ...others] = sides
  const goal = Number(args.goal || 0)
  const scenarioNames = [...new Set(runs.flatMap(r => r.scenarios.map(s => s.scenario)))]
  const of = side => runs.filter(r => r.label === side)
  const pick = (side, n, key) => of(side).map(r => (r.scenarios.find(s => s.scenario === n) || {})[key]).filter(v => typeof v === 'number')
  const mean = a => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN)
  const fmt = (v, d = 0) => (isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a')
  const cell = (side, n, key, d = 0) => {
    const v = pick(side, n, key)
    return v.length > 1 ? `${fmt(mean(v), d)} (${v.map(x => fmt(x, d)).join(' / ')})` : fmt(mean(v), d)
  }
  const name = side => names[side] || side
  const meta0 = runs[0].meta
  const md = []
  md.push(`# ${args.title || 'Side by side'} — ${meta0.date || ''}`)
  md.push('')
  md.push(`One invocation, ${of(ref).length} round(s) of ${sides.join(' ')} in turn; each run starts its server on an empty database, seeds ` +
    `${meta0.records} records and measures every scenario with autocannon ${meta0.autocannon} at ${meta0.connections} connections, ` +
    `${meta0.duration} s after a ${meta0.warmup} s warm-up; ${meta0.pinned === '1' ? 'server on CPU 0, load generator on CPU 1' : 'no CPU pinning'}. ` +
    `Machine: ${meta0.cpu || '?'} (${meta0.cores || '?'} cores), Node ${meta0.node || '?'}, .NET ${runs.map(r => r.meta.dotnet).find(Boolean) || '?'}.`)
  md.push('')
  for (const side of sides) md.push(`- **${side}**: ${name(side)}`)
  md.push('')
  md.push('Load average (1, 5, 15 min) at the start and end of each run, in order: ' +
    runs.map((r, i) => `${r.label}${Math.floor(i / sides.length) + 1} ${r.meta.loadavg_start || '?'} → ${r.meta.loadavg_end || '?'}`).join('; ') + '.')
  md.push('')
  md.push('## Requests per second (mean, then each round)')
  md.push('')
  md.push(`| scenario | ${sides.map(s => `${s} req/s`).join(' | ')} | ${others.map(o => `${o} / ${ref}`).join(' | ')}${goal ? ` | ${others[0]} ≥ ${goal}x ${ref}?` : ''} |`)
  md.push(`|---|${sides.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}${goal ? '|:---:' : ''}|`)
  for (const n of scenarioNames) {
    const r0 = mean(pick(ref, n, 'rps'))
    const ratios = others.map(o => mean(pick(o, n, 'rps')) / r0)
    md.push(`| ${n} | ${sides.map(s => cell(s, n, 'rps')).join(' | ')} | ${ratios.map(x => (isFinite(x) ? `${x.toFixed(2)}x` : 'n/a')).join(' | ')}` +
      `${goal ? ` | ${isFinite(ratios[0]) ? (ratios[0] >= goal ? 'yes' : '**no**') : 'n/a'}` : ''} |`)
  }
  md.push('')
  md.push('## Latency and server CPU per request (mean over the rounds)')
  md.push('')
  md.push(`| scenario | p50 ms ${sides.join(' / ')} | p99 ms ${sides.join(' / ')} | server CPU µs/req ${sides.join(' / ')} | ${others.map(o => `${ref} µs ÷ ${o} µs`).join(' | ')} | others on the server's core % ${sides.join(' / ')} |`)
  md.push(`|---|---:|---:|---:|${others.map(() => '---:').join('|')}|---:|`)
  for (const n of scenarioNames) {
    const us = side => mean(pick(side, n, 'cpuUsPerReq'))
    md.push(`| ${n} | ${sides.map(s => fmt(mean(pick(s, n, 'p50')), 2)).join(' / ')} | ${sides.map(s => fmt(mean(pick(s, n, 'p99')), 2)).join(' / ')} | ` +
      `${sides.map(s => fmt(us(s))).join(' / ')} | ${others.map(o => (isFinite(us(ref) / us(o)) ? `${(us(ref) / us(o)).toFixed(2)}x` : 'n/a')).join(' | ')} | ` +
      `${sides.map(s => fmt(mean(pick(s, n, 'otherCpuPct')))).join(' / ')} |`)
  }
  md.push('')
  const dbSides = sides.filter(side => scenarioNames.some(n => pick(side, n, 'dbCpuUsPerReq').length))
  if (dbSides.length) {
    // PostgreSQL's processes' CPU over the measured part (lib/load.js --db-pid): the database's share of a request.
    const dbRef = dbSides.includes(ref) ? ref : null
    const dbOthers = dbSides.filter(x => x !== ref)
    const total = (side, n) => mean(pick(side, n, 'cpuUsPerReq')) + mean(pick(side, n, 'dbCpuUsPerReq'))
    md.push('## Server and PostgreSQL CPU per request (mean over the rounds)')
    md.push('')
    md.push(`| scenario | PostgreSQL CPU µs/req ${dbSides.join(' / ')} | server + PostgreSQL µs/req ${dbSides.join(' / ')}${dbRef ? ` | ${dbOthers.map(o => `${ref} ÷ ${o}, server + PostgreSQL`).join(' | ')}` : ''} |`)
    md.push(`|---|---:|---:|${dbRef ? dbOthers.map(() => '---:').join('|') + '|' : ''}`)
    for (const n of scenarioNames) {
      md.push(`| ${n} | ${dbSides.map(x => fmt(mean(pick(x, n, 'dbCpuUsPerReq')))).join(' / ')} | ${dbSides.map(x => fmt(total(x, n))).join(' / ')}` +
        `${dbRef ? ` | ${dbOthers.map(o => (isFinite(total(ref, n) / total(o, n)) ? `${(total(ref, n) / total(o, n)).toFixed(2)}x` : 'n/a')).join(' | ')}` : ''} |`)
    }
    md.push('')
  }
  md.push('## Server process (each round)')
  md.push('')
  md.push('| side | start-up to healthy, ms | RSS idle | RSS after seeding | loaded RSS (after the run) | peak RSS (VmHWM) | seeding |')
  md.push('|---|---:|---:|---:|---:|---:|---|')
  runs.forEach((r, i) => md.push(`| ${r.label}${Math.floor(i / sides.length) + 1} | ${num(r.meta.startup_ms)} | ${kib(r.meta.rss_idle_kib)} | ${kib(r.meta.rss_seeded_kib)} | ` +
    `${kib(r.meta.rss_after_kib)} | ${kib(r.meta.hwm_after_kib)} | ${r.seed ? `${r.seed.method}, ${r.seed.ms} ms` : 'n/a'} |`))
  const issues = runs.flatMap((r, i) => [...(r.problems || []).map(p => `**problem** (${r.label}${Math.floor(i / sides.length) + 1}): ${p}`),
    ...(r.notes || []).map(n => `note (${r.label}${Math.floor(i / sides.length) + 1}): ${n}`),
    ...r.scenarios.filter(s => s.non2xx > 0 || s.errors > 0).map(s => `**errors** (${r.label}${Math.floor(i / sides.length) + 1} ${s.scenario}): ${s.non2xx} non-2xx, ${s.errors} errors ${JSON.stringify(s.statusCodes)}`)])
  if (issues.length) {
    md.push('')
    md.push('## Problems and notes')
    md.push('')
    for (const x of issues) md.push(`- ${x}`)
  }
  md.push('')
  md.push('req/s moves with the other work on the machine (see the load averages); the server CPU µs per request, the server')
  md.push("process's own CPU time over the measured part divided by its requests, moves much less. PostgreSQL's CPU (all the")
  md.push("cluster's processes, over the same part) is apart, when the cluster runs on this machine; it is not pinned.")
  md.push('')
  const text = md.join('\n')
  console.log(text)
  if (args.md) fs.writeFileSync(args.md, text)
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(runs, null, 2) + '\n')
}

if (args.versus) versus()
else if (args.compare) compare()
else single()
