#!/usr/bin/env bash
# Growth bench: how the cost of view, list (with and without the total), create and update moves with the number of
# rows. For each database and size, run.sh --suite growth starts a fresh server, creates `posts`, writes N rows straight
# into its table (lib/bulk-seed.js) and measures. The sizes are interleaved over rounds (10k 1M 10k 1M …) so that the
# machine's drift hits every size alike. Run by hand (not part of ./test.sh):
#
#   bench/growth.sh [--sqlite-sizes "10000 1000000"] [--pg-sizes "10000 1000000"] [--db NPGSQL_CONN]
#                   [--rounds 2] [--artifacts DIR] [--no-build] [run.sh options, e.g. --duration 5]
#
# Without --db only SQLite runs. Writes bench/results/growth.md (the table: req/s per size, each size's mean over the
# rounds, and the largest size as a multiple of the smallest's cost) and growth.json.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SQLITE_SIZES="10000 1000000"; PG_SIZES="10000 1000000"; DB=""; ROUNDS=2; ART_ARGS=(); BUILD=1; REST=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sqlite-sizes) SQLITE_SIZES=$2; shift 2 ;;
    --pg-sizes) PG_SIZES=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --artifacts) ART_ARGS=(--artifacts "$2"); shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) REST+=("$1"); shift ;;
  esac
done
OUT=$(mktemp -d /tmp/papergao-growth.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
runs=()
for round in $(seq "$ROUNDS"); do
  for kind in sqlite postgres; do
    if [ "$kind" = sqlite ]; then sizes=$SQLITE_SIZES; db_args=(); else [ -n "$DB" ] || continue; sizes=$PG_SIZES; db_args=(--db "$DB"); fi
    for n in $sizes; do
      build_args=(--no-build); [ "$BUILD" = 1 ] && [ "${#runs[@]}" = 0 ] && build_args=()
      echo "[growth] round $round, $kind, $n rows" >&2
      f="$OUT/$kind-$n-$round.json"
      "$BENCH_DIR/run.sh" --suite growth --records "$n" "${build_args[@]}" "${ART_ARGS[@]}" "${db_args[@]}" \
        --out-md "$OUT/$kind-$n-$round.md" --out-json "$f" "${REST[@]}" >&2
      runs+=("$kind:$n:$round:$f")
    done
  done
done
mkdir -p "$BENCH_DIR/results"
node - "$BENCH_DIR/results/growth.md" "$BENCH_DIR/results/growth.json" "${runs[@]}" <<'JS'
const fs = require('fs')
const [md, jsonOut, ...runs] = process.argv.slice(2)
const rows = runs.map(r => { const [kind, n, round, f] = r.split(':'); return { kind, n: Number(n), round: Number(round), run: JSON.parse(fs.readFileSync(f, 'utf8')) } })
const scen = ['view', 'list', 'list-skiptotal', 'create', 'update']
const mean = a => a.reduce((x, y) => x + y, 0) / a.length
const out = ['# Growth bench (bench/growth.sh)', '']
out.push(`Runs: ${rows.map(r => `${r.kind} ${r.n} round ${r.round} (${r.run.meta.date}, load ${r.run.meta.loadavg_start}, seed ${r.run.seed ? r.run.seed.ms + ' ms' : 'n/a'})`).join('; ')}.`)
const problems = rows.flatMap(r => (r.run.problems || []).map(p => `${r.kind} ${r.n}: ${p}`))
if (problems.length) out.push('', 'PROBLEMS: ' + problems.join('; '))
const summary = {}
for (const kind of ['sqlite', 'postgres']) {
  const sizes = [...new Set(rows.filter(r => r.kind === kind).map(r => r.n))].sort((a, b) => a - b)
  if (!sizes.length) continue
  out.push('', `## ${kind}`, '', `| scenario | ${sizes.map(n => `${n.toLocaleString('en')} rows req/s (rounds)`).join(' | ')} | ${sizes.map(n => `${n.toLocaleString('en')} µs/req`).join(' | ')} | largest / smallest cost |`)
  out.push(`|---|${sizes.map(() => '---:').join('|')}|${sizes.map(() => '---:').join('|')}|---:|`)
  summary[kind] = {}
  for (const s of scen) {
    const per = sizes.map(n => rows.filter(r => r.kind === kind && r.n === n).map(r => (r.run.scenarios.find(x => x.scenario === s) || {})).filter(x => x.rps))
    if (per.every(p => !p.length)) continue
    const rps = per.map(p => p.map(x => x.rps))
    const cpu = per.map(p => p.map(x => x.cpuUsPerReq))
    const ratio = mean(rps[0]) / mean(rps[rps.length - 1])
    summary[kind][s] = sizes.map((n, i) => ({ rows: n, rps: rps[i], cpuUsPerReq: cpu[i] }))
    out.push(`| ${s} | ${rps.map(a => `${Math.round(mean(a)).toLocaleString('en')} (${a.map(Math.round).join(' / ')})`).join(' | ')} | ${cpu.map(a => Math.round(mean(a))).join(' | ')} | ×${ratio.toFixed(2)} |`)
  }
}
out.push('', '"largest / smallest cost" = mean req/s at the smallest size over mean req/s at the largest (1.00 = flat; the issue\'s goal is ≤ 1.5 for view, create, update and the indexed list).', '')
fs.writeFileSync(md, out.join('\n'))
fs.writeFileSync(jsonOut, JSON.stringify(summary, null, 2) + '\n')
console.log(out.join('\n'))
JS
