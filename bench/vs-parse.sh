#!/usr/bin/env bash
# PaperGao against Parse Server 9.10.0 (bench/parse) on the same PostgreSQL cluster, in one invocation, interleaved
# P G S P G S …: P = Parse Server on its own database parse_bench, G = PaperGao on its own database papergao_bench,
# S = PaperGao on SQLite. Every run drops and recreates its database (or data dir), seeds the same 10,000 posts
# (bench/lib/data.js) with an index on views and measures the default suite's scenarios (view, list with count,
# list without count, create, update) through each server's own REST API with the same autocannon, connections,
# warm-up, duration and CPU pinning as bench/run.sh. Writes bench/results/vs-parse.md: each side's figures and
# PaperGao-PostgreSQL/Parse and PaperGao-SQLite/Parse per scenario, and bench/results/vs-parse.json: every run's
# summary (lib/report.js's, labelled P, G or S).
#
#   bench/vs-parse.sh --db NPGSQL_CONN --artifacts DIR [--no-build] [--rounds 2] [--duration 10] [--warmup 2]
#                     [--connections 32] [--records 10000] [--scenarios "view list list-skiptotal create update"]
#                     [--out-md FILE] [--out-json FILE] [--no-pin]
#
# --db: a connection string to the cluster (Npgsql form, as bench/run.sh; its database is only used to create the two
# bench databases). --artifacts: where PaperGao's Release server is (built there first unless --no-build).
# bench/parse's npm packages are installed here on first use (npm ci); the tests never install them.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
PARSE_DIR=$BENCH_DIR/parse

DB=""; ARTIFACTS=""; BUILD=1; ROUNDS=2; DURATION=10; WARMUP=2; CONNECTIONS=32; RECORDS=10000; PIN=1
SCENARIOS="view list list-skiptotal create update"
OUT_MD=$BENCH_DIR/results/vs-parse.md
OUT_JSON=""
usage() { sed -n '2,17p' "$0"; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --artifacts) ARTIFACTS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --out-md) OUT_MD=$2; shift 2 ;;
    --out-json) OUT_JSON=$2; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    -h|--help) usage ;;
    *) echo "vs-parse.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$DB" ] && [ -n "$ARTIFACTS" ] || usage
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "vs-parse.sh: --rounds must be a positive integer" >&2; exit 2; }

say() { printf '[vs-parse %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

# The same pinning as run.sh: server on CPU 0, load generator on CPU 1.
SRV_PIN=(); LOAD_PIN=(); CORE_ARG=(); PIN_ARG=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SRV_PIN=(taskset -c 0); LOAD_PIN=(taskset -c 1); CORE_ARG=(--server-cpu 0)
else
  PIN=0; PIN_ARG=(--no-pin)
fi

if [ ! -f "$BENCH_DIR/node_modules/autocannon/package.json" ]; then
  say "installing bench's packages (npm ci)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if [ ! -f "$PARSE_DIR/node_modules/parse-server/package.json" ] ||
   ! grep -q '"version": "9.10.0"' "$PARSE_DIR/node_modules/parse-server/package.json"; then
  say "installing Parse Server 9.10.0 (npm ci in bench/parse)"
  (cd "$PARSE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

OUT=$(mktemp -d /tmp/papergao-vs-parse.XXXXXX)
PARSE_PID=""
stop_parse() { # TERM, then KILL after a 10 s deadline
  local pid=$PARSE_PID deadline
  PARSE_PID=""
  [ -n "$pid" ] && [ -e "/proc/$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(now_ms) + 10000 ))
  while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
  [ -e "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap 'stop_parse; rm -rf "$OUT"' EXIT

rss_kib() { awk "/^$2:/{print \$2}" "/proc/$1/status" 2>/dev/null || true; }
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# P: Parse Server on a fresh parse_bench, the run's files in the layout lib/report.js reads (meta.env, scenarios.jsonl,
# state.json), summarised into $OUT/P<round>.json.
run_parse() {
  local round=$1 work=$OUT/parse$round port url start startup s
  mkdir -p "$work"
  meta() { printf '%s=%s\n' "$1" "$2" >> "$work/meta.env"; }
  meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  meta commit "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
  meta artifacts "parse-server $(node -p "require('$PARSE_DIR/node_modules/parse-server/package.json').version")"
  meta cpu "$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  meta cores "$(nproc)"
  meta node "$(node --version)"
  meta autocannon "$(node -p "require('$BENCH_DIR/node_modules/autocannon/package.json').version")"
  meta connections "$CONNECTIONS"; meta duration "$DURATION"; meta warmup "$WARMUP"; meta records "$RECORDS"
  meta suite parse; meta pinned "$PIN"; meta db "postgres (parse_bench)"
  meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"

  port=$(node "$BENCH_DIR/lib/free-port.js")
  url=http://127.0.0.1:$port
  say "round $round, P: Parse Server on $url (database parse_bench, dropped and recreated)"
  start=$(now_ms)
  "${SRV_PIN[@]}" node "$PARSE_DIR/server.js" --db "$DB" --port "$port" --database parse_bench --fresh --logs "$work/logs" \
    > "$work/server.log" 2>&1 &
  PARSE_PID=$!
  startup=$("${LOAD_PIN[@]}" node "$BENCH_DIR/lib/wait-health.js" --url "$url/parse/health" --start-ms "$start" --pid "$PARSE_PID" --deadline-ms 60000) ||
    { tail -n 40 "$work/server.log" >&2; return 1; }
  meta startup_ms "$startup"
  meta rss_idle_kib "$(rss_kib "$PARSE_PID" VmRSS)"
  "${LOAD_PIN[@]}" node "$PARSE_DIR/setup.js" --url "$url" --records "$RECORDS" --state "$work/setup.json" ||
    { tail -n 40 "$work/server.log" >&2; return 1; }
  meta rss_seeded_kib "$(rss_kib "$PARSE_PID" VmRSS)"
  : > "$work/scenarios.jsonl"
  for s in $SCENARIOS; do
    [ -e "/proc/$PARSE_PID" ] || { say "Parse Server exited"; tail -n 40 "$work/server.log" >&2; return 1; }
    say "round $round, P: $s, ${WARMUP}s warm-up + ${DURATION}s at $CONNECTIONS connections"
    "${LOAD_PIN[@]}" node "$BENCH_DIR/lib/load.js" --url "$url" --scenario "$s" --state "$work/setup.json" \
      --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --pid "$PARSE_PID" --clk-tck "$CLK_TCK" "${CORE_ARG[@]}" \
      >> "$work/scenarios.jsonl"
    tail -n 1 "$work/scenarios.jsonl" >&2
  done
  meta rss_after_kib "$(rss_kib "$PARSE_PID" VmRSS)"
  meta hwm_after_kib "$(rss_kib "$PARSE_PID" VmHWM)"
  stop_parse
  meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
  cp "$work/setup.json" "$work/state.json"
  node "$BENCH_DIR/lib/report.js" --run "$work" --json "$OUT/P$round.json" > /dev/null
}

# G and S: PaperGao through bench/run.sh (its own seeding, checks and figures), G on a fresh papergao_bench.
PG_CONN=$(node "$PARSE_DIR/database.js" --db "$DB" --database papergao_bench)
PG_VERSION=$(node "$PARSE_DIR/database.js" --db "$DB" --server-version)
# PostgreSQL's own CPU per request (lib/load.js, every side's: run.sh passes the environment on), when the cluster runs here.
BENCH_DB_PID=$(node "$PARSE_DIR/database.js" --db "$DB" --postmaster-pid)
export BENCH_DB_PID
[ -n "$BENCH_DB_PID" ] || say "the cluster's postmaster is not on this machine: no PostgreSQL CPU per request"
BUILD_ARG=()
[ "$BUILD" = 0 ] && BUILD_ARG=(--no-build)
run_papergao() {
  local side=$1 round=$2 db_args=()
  if [ "$side" = G ]; then
    node "$PARSE_DIR/database.js" --db "$DB" --database papergao_bench --fresh > /dev/null
    db_args=(--db "$PG_CONN")
  fi
  say "round $round, $side: PaperGao on $([ "$side" = G ] && echo 'PostgreSQL (database papergao_bench, dropped and recreated)' || echo SQLite)"
  # S: no PostgreSQL CPU figure (the cluster idles).
  BENCH_DB_PID=$([ "$side" = G ] && echo "$BENCH_DB_PID") BENCH_PG_SCHEMA=p_main "$BENCH_DIR/run.sh" --artifacts "$ARTIFACTS" "${BUILD_ARG[@]}" --no-baseline "${PIN_ARG[@]}" \
    --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" --records "$RECORDS" --scenarios "$SCENARIOS" \
    --out-md "$OUT/$side$round.md" --out-json "$OUT/$side$round.json" "${db_args[@]}" >&2
  BUILD_ARG=(--no-build) # built once, by the first PaperGao run
}

files=(); labels=()
for round in $(seq 1 "$ROUNDS"); do
  run_parse "$round"; files+=("$OUT/P$round.json"); labels+=(P)
  run_papergao G "$round"; files+=("$OUT/G$round.json"); labels+=(G)
  run_papergao S "$round"; files+=("$OUT/S$round.json"); labels+=(S)
done

OUT_JSON=${OUT_JSON:-${OUT_MD%.md}.json}
mkdir -p "$(dirname "$OUT_MD")" "$(dirname "$OUT_JSON")"
node "$BENCH_DIR/lib/report.js" --versus "$(IFS=,; echo "${files[*]}")" --labels "$(IFS=,; echo "${labels[*]}")" \
  --title 'PaperGao and Parse Server 9.10.0, side by side' --goal 3 \
  --names "P=Parse Server 9.10.0 on PostgreSQL $PG_VERSION, its own database (bench/parse: express 5.2.1, Parse's defaults)|G=PaperGao on the same PostgreSQL cluster, its own database|S=PaperGao on SQLite" \
  --md "$OUT_MD" --json "$OUT_JSON" > /dev/null
say "wrote $OUT_MD and $OUT_JSON"
