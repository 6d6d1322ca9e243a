#!/usr/bin/env bash
# Metrics benchmark: the cost of metrics on the cheapest request (GET /api/health), A B A B in one run: A is a server
# without metrics (no --metrics-listen, nothing collected), B the same server with --metrics-listen and /metrics
# scraped every SCRAPE_SECONDS (default 15, a common Prometheus scrape interval; 1 shows the cost of scraping itself).
# Each phase starts its own server; the server is pinned to CPU 0 and autocannon to CPU 1 (as run.sh does).
#
#   bench/metrics.sh [--duration 10] [--warmup 3] [--connections 32] [--no-build] [--out-md FILE]
#
# Writes bench/results/metrics-latest.md.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
REPO=$(cd "$BENCH_DIR/.." && pwd)
DURATION=10 WARMUP=3 CONNECTIONS=32 BUILD=1
OUT_MD="$BENCH_DIR/results/metrics-latest.md"
SCRAPE_SECONDS=${SCRAPE_SECONDS:-15}
while (( $# )); do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out-md) OUT_MD="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if (( BUILD )); then dotnet build "$REPO/src/PaperGao.Server/PaperGao.Server.csproj" -c Release -nologo -clp:ErrorsOnly >&2; fi
if [[ ! -f "$BENCH_DIR/node_modules/autocannon/package.json" ]]; then (cd "$BENCH_DIR" && npm ci --no-audit --no-fund >&2); fi
BIN="${PAPERGAO_BIN:-$REPO/artifacts/bin/PaperGao.Server/release/papergao.dll}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/papergao-metrics-bench.XXXXXX")
PID="" SCRAPER=""
cleanup() { [[ -n "$SCRAPER" ]] && kill "$SCRAPER" 2>/dev/null; [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
SRV_PIN=() LOAD_PIN=() CORE_ARG=()
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then SRV_PIN=(taskset -c 0); LOAD_PIN=(taskset -c 1); CORE_ARG=(--server-cpu 0); fi
echo '{}' > "$WORK/state.json"
ROWS=()

phase() { # phase NAME on|off
  local port mport start args=()
  port=$(node "$BENCH_DIR/lib/free-port.js")
  if [[ "$2" == on ]]; then mport=$(node "$BENCH_DIR/lib/free-port.js"); args=(--metrics-listen "127.0.0.1:$mport"); fi
  start=$(date +%s%3N)
  "${SRV_PIN[@]}" dotnet "$BIN" serve --http "127.0.0.1:$port" --dir "$WORK/data" "${args[@]}" > "$WORK/server-$1.log" 2>&1 &
  PID=$!
  node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$port/api/health" --start-ms "$start" --pid "$PID" > /dev/null
  if [[ "$2" == on ]]; then
    local scraped; scraped=$(curl -sf "http://127.0.0.1:$mport/metrics")
    [[ "$scraped" == *http_server_request_duration_seconds_count* ]] || { echo "metrics not served" >&2; exit 1; }
    ( while sleep "$SCRAPE_SECONDS"; do curl -s -o /dev/null "http://127.0.0.1:$mport/metrics"; done ) &
    SCRAPER=$!
  fi
  local json
  json=$("${LOAD_PIN[@]}" node "$BENCH_DIR/lib/load.js" --url "http://127.0.0.1:$port" --scenario health --state "$WORK/state.json" \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --pid "$PID" "${CORE_ARG[@]}")
  [[ -n "$SCRAPER" ]] && { kill "$SCRAPER"; wait "$SCRAPER" 2>/dev/null || true; SCRAPER=""; }
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  ROWS+=("$1 $2 $json")
}

phase A1 off; phase B1 on; phase A2 off; phase B2 on

{
  echo "# Metrics benchmark ($(date -u +%Y-%m-%dT%H:%MZ), SQLite, GET /api/health)"
  echo
  echo "A: no metrics (nothing collected). B: --metrics-listen, /metrics scraped every $SCRAPE_SECONDS s. $CONNECTIONS connections,"
  echo "${WARMUP} s warm-up + ${DURATION} s per phase, a fresh server per phase, server on CPU 0 and autocannon on CPU 1."
  echo "Shared 2-core machine, other engineers' builds and tests running: compare rows of this run only."
  echo
  echo "| phase | metrics | req/s | p50 ms | p99 ms | server CPU µs/req | other load on CPU 0 % |"
  echo "|---|---|---|---|---|---|---|"
  for row in "${ROWS[@]}"; do
    read -r name mode json <<< "$row"
    node -e 'const [n,m,j]=process.argv.slice(1);const r=JSON.parse(j);console.log(`| ${n} | ${m} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuUsPerReq} | ${r.otherCpuPct} |`)' "$name" "$mode" "$json"
  done
  printf '%s\n' "${ROWS[@]}" | node -e '
    const rows=require("fs").readFileSync(0,"utf8").trim().split("\n").map(l=>{const p=l.split(" ");return {m:p[1],r:JSON.parse(p.slice(2).join(" "))}})
    const avg=(m,k)=>{const v=rows.filter(x=>x.m===m).map(x=>x.r[k]);return v.reduce((a,b)=>a+b,0)/v.length}
    const pct=(a,b)=>((b-a)/a*100).toFixed(1)
    console.log(`\nMean of the two phases each: req/s ${avg("off","rps").toFixed(0)} off, ${avg("on","rps").toFixed(0)} on (${pct(avg("off","rps"),avg("on","rps"))}%);`)
    console.log(`server CPU per request ${avg("off","cpuUsPerReq").toFixed(0)} µs off, ${avg("on","cpuUsPerReq").toFixed(0)} µs on (${pct(avg("off","cpuUsPerReq"),avg("on","cpuUsPerReq"))}%);`)
    console.log(`p50 ${avg("off","p50").toFixed(2)} ms off, ${avg("on","p50").toFixed(2)} ms on.`)'
} | tee "$OUT_MD"
