#!/usr/bin/env bash
# PaperGao benchmark: builds the server and the baseline in Release, starts the server on a fresh
# data dir and a free port, seeds a `posts` collection, measures five API scenarios and a bare
# ASP.NET Core baseline with autocannon, and prints `scenario req/s p50_ms p99_ms` plus the
# server's start-up time and RSS. Writes bench/results/latest.md (and latest.json).
#
#   bench/run.sh [--db POSTGRES_CONN] [--artifacts DIR] [--no-build] [--duration S] [--warmup S]
#                [--connections N] [--records N] [--scenarios "view list ..."] [--no-baseline]
#                [--no-pin] [--out-md FILE] [--out-json FILE] [--keep] [--suite default|auth] [--users N]
#                [--rt-subscribers 100] [--rt-rate 50]
#
# Scenario `realtime` (growth suite; realtime:W for W writers, default 8): --rt-subscribers SSE subscribers to posts/*
# receive the events of a steady load of --rt-rate creates/s (lib/realtime-fanout.js): events delivered / expected,
# delivery latency, creates/s and server CPU per create (the fan-out included).
# --suite files: a `media` collection with a 100 KB file and a PNG (lib/setup-files.js), scenarios
# file-download, file-thumb (cached 100x100), file-upload (1 MB multipart creates), then one streamed upload of
# BIG_UPLOAD_MB (default 1024; 0 skips it) with the server's RSS before and its peak after; writes
# bench/results/files-latest.md (and .json).
# --suite graphql: the default posts plus authors and an author relation (lib/setup-graphql.js); A B A B of the REST
# list and the same page as a GraphQL query, then with the author relation (REST expand=author); the schema build of
# 50 more collections (10 rounds, wall and server CPU time); every scenario is pre-warmed 10 s, unmeasured, first
# (PREWARM=0 to skip); writes bench/results/graphql-latest.md (and .json).
# --suite auth: users + a `notes` collection with listRule `owner = @request.auth.id` (lib/setup-auth.js),
# scenarios auth-refresh, notes-list-skiptotal, notes-list, auth-password (at 8 connections), no baseline;
# defaults --records 100000 --users 1000, writes bench/results/auth-latest.md (and .json).
# A scenario may carry its own connection count: --scenarios "auth-refresh auth-password:8".
#
# Environment: ARTIFACTS (default <repo>/artifacts), PAPERGAO_DB_FLAG (the serve/superuser option
# that takes the PostgreSQL connection string; default --db), BENCH_PG_SCHEMA (the schema holding
# the `posts` table, read by the baseline; default p_main, the server's schema for project main).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
REPO=$(cd "$BENCH_DIR/.." && pwd)

ARTIFACTS=${ARTIFACTS:-$REPO/artifacts}
DB=""
BUILD=1
DURATION=10
WARMUP=2
CONNECTIONS=32
RECORDS=""
USERS=1000
SUITE=default
SCENARIOS=""
BASELINE=
PIN=1
KEEP=0
OUT_MD=""
OUT_JSON=
RT_SUBSCRIBERS=100
RT_RATE=50
DB_FLAG=${PAPERGAO_DB_FLAG:---db}
SU_EMAIL=bench@example.com
SU_PASSWORD=bench-password-1234

while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --artifacts) ARTIFACTS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --no-baseline) BASELINE=0; shift ;;
    --suite) SUITE=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --out-md) OUT_MD=$2; shift 2 ;;
    --out-json) OUT_JSON=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --rt-subscribers) RT_SUBSCRIBERS=$2; shift 2 ;;
    --rt-rate) RT_RATE=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$SUITE" in
  default)
    SETUP_JS=setup.js; RECORDS=${RECORDS:-10000}; BASELINE=${BASELINE:-1}
    SCENARIOS=${SCENARIOS:-"view list list-skiptotal create update"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/latest.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/latest.json} ;;
  files)
    SETUP_JS=setup-files.js; RECORDS=${RECORDS:-1}; BASELINE=0
    SCENARIOS=${SCENARIOS:-"file-download file-thumb file-upload"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/files-latest.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/files-latest.json} ;;
  auth)
    SETUP_JS=setup-auth.js; RECORDS=${RECORDS:-100000}; BASELINE=0
    SCENARIOS=${SCENARIOS:-"auth-refresh notes-list-skiptotal notes-list auth-password:8"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/auth-latest.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/auth-latest.json} ;;
  graphql)
    SETUP_JS=setup-graphql.js; RECORDS=${RECORDS:-10000}; BASELINE=0; PREWARM=${PREWARM:-10}
    SCENARIOS=${SCENARIOS:-"list gql-list list gql-list list-expand gql-list-author list-expand gql-list-author"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/graphql-latest.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/graphql-latest.json} ;;
  writer)
    SETUP_JS=setup-writer.js; RECORDS=${RECORDS:-0}; BASELINE=0
    SCENARIOS=${SCENARIOS:-"create:8 create+uploads:8 create+signups:8"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/writer-latest.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/writer-latest.json} ;;
  growth)
    # The default scenarios on N rows written straight into the table (lib/bulk-seed.js), then `realtime`
    # (lib/realtime-fanout.js: --rt-subscribers SSE subscribers to posts/* receive the events of --rt-rate creates/s);
    # bench/growth.sh runs it per size.
    SETUP_JS=setup.js; RECORDS=${RECORDS:-10000}; BASELINE=0
    SCENARIOS=${SCENARIOS:-"view list list-skiptotal list-estimate create update realtime"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/growth-run.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/growth-run.json} ;;
  signin-growth)
    # Sign-in (auth-with-password, 8 connections) with --users N users written straight into `users` (lib/bulk-seed.js);
    # bench/growth.sh --suite signin-growth runs it per number of users.
    SETUP_JS=setup.js; RECORDS=${RECORDS:-10000}; BASELINE=0
    SCENARIOS=${SCENARIOS:-"auth-password:8"}
    OUT_MD=${OUT_MD:-$BENCH_DIR/results/signin-growth-run.md}; OUT_JSON=${OUT_JSON:-$BENCH_DIR/results/signin-growth-run.json} ;;
  *) echo "run.sh: unknown suite $SUITE (default, auth, files, graphql, writer, growth, signin-growth)" >&2; exit 2 ;;
esac
ARTIFACTS=$(mkdir -p "$ARTIFACTS" && cd "$ARTIFACTS" && pwd)

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }

for tool in dotnet node git; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

# CPU pinning: server on CPU 0, load generator on CPU 1 (the machine has 2 cores).
SRV_PIN=(); LOAD_PIN=(); CORE_ARG=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SRV_PIN=(taskset -c 0); LOAD_PIN=(taskset -c 1); CORE_ARG=(--server-cpu 0)
else
  PIN=0
fi

# --- dependencies and builds -------------------------------------------------------------------
if [ ! -f "$BENCH_DIR/node_modules/autocannon/package.json" ] ||
   ! grep -q '"version": "9.0.0"' "$BENCH_DIR/node_modules/autocannon/package.json"; then
  say "installing autocannon (npm ci)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

SERVER_DLL=$ARTIFACTS/bin/PaperGao.Server/release/papergao.dll
BASELINE_DLL=$ARTIFACTS/bin/Baseline/release/papergao-baseline.dll
if [ "$BUILD" = 1 ]; then
  say "building server (Release) into $ARTIFACTS"
  t=$(now_ms)
  dotnet build "$REPO/src/PaperGao.Server" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q -clp:ErrorsOnly >&2
  say "building baseline (Release)"
  dotnet build "$BENCH_DIR/Baseline" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q -clp:ErrorsOnly >&2
  say "builds took $(( $(now_ms) - t )) ms"
fi
[ -f "$SERVER_DLL" ] || { echo "run.sh: $SERVER_DLL not found (build first or drop --no-build)" >&2; exit 2; }

# --- run directory and cleanup -----------------------------------------------------------------
WORK=$(mktemp -d /tmp/papergao-bench.XXXXXX)
DATA=$WORK/data
META=$WORK/meta.env
: > "$WORK/scenarios.jsonl"
SERVER_PID=""; BASELINE_PID=""

stop_pid() { # stop_pid PID: TERM, then KILL after a 10 s deadline
  local pid=$1 deadline
  [ -n "$pid" ] && [ -e "/proc/$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(now_ms) + 10000 ))
  while [ -e "/proc/$pid" ] && [ "$(now_ms)" -lt "$deadline" ]; do
    if ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then sleep 0.05; else break; fi
  done
  [ -e "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SERVER_PID"; stop_pid "$BASELINE_PID"
  if [ "$KEEP" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

meta() { printf '%s=%s\n' "$1" "$2" >> "$META"; }
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || true; }
hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || true; }
redact() { sed -E 's/(([Pp]assword|PWD|pwd)=)[^;]*/\1***/g; s#(://[^:/@]+:)[^@]*@#\1***@#'; }

report() {
  meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
  mkdir -p "$(dirname "$OUT_MD")" "$(dirname "$OUT_JSON")"
  [ -f "$WORK/setup.json" ] && cp "$WORK/setup.json" "$WORK/state.json"
  node "$BENCH_DIR/lib/report.js" --run "$WORK" --md "$OUT_MD" --json "$OUT_JSON"
  say "wrote $OUT_MD"
}
die() { # die MESSAGE: report what was measured so far, show the server log tail, exit 1
  meta failure "$1"
  say "FAILED: $1"
  if [ -f "$WORK/server.log" ]; then say "server log (last 40 lines):"; tail -n 40 "$WORK/server.log" >&2; fi
  report || true
  exit 1
}

meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta commit "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
meta dirty "$([ -n "$(git -C "$REPO" status --porcelain -- src 2>/dev/null)" ] && echo 1 || echo 0)"
meta artifacts "$ARTIFACTS"
meta cpu "$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
meta cores "$(nproc)"
meta dotnet "$(dotnet --version)"
meta node "$(node --version)"
meta autocannon "$(node -p "require('$BENCH_DIR/node_modules/autocannon/package.json').version")"
meta connections "$CONNECTIONS"; meta duration "$DURATION"; meta warmup "$WARMUP"; meta records "$RECORDS"
meta suite "$SUITE"; [ "$SUITE" = auth ] && meta users "$USERS"
meta pinned "$PIN"
meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
if [ -n "$DB" ]; then meta db "postgres ($(printf '%s' "$DB" | redact))"; else meta db sqlite; fi

DB_ARGS=()
[ -n "$DB" ] && DB_ARGS=("$DB_FLAG" "$DB")
export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# --- server ------------------------------------------------------------------------------------
say "creating superuser in $DATA"
dotnet "$SERVER_DLL" superuser upsert "$SU_EMAIL" "$SU_PASSWORD" --dir "$DATA" "${DB_ARGS[@]}" > "$WORK/superuser.log" 2>&1 ||
  { cat "$WORK/superuser.log" >&2; die "superuser upsert exited non-zero"; }

PORT=$(node "$BENCH_DIR/lib/free-port.js")
URL=http://127.0.0.1:$PORT
say "starting server on $URL"
START_MS=$(now_ms)
"${SRV_PIN[@]}" dotnet "$SERVER_DLL" serve --http "127.0.0.1:$PORT" --dir "$DATA" "${DB_ARGS[@]}" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
STARTUP_MS=$("${LOAD_PIN[@]}" node "$BENCH_DIR/lib/wait-health.js" --url "$URL/api/health" --start-ms "$START_MS" --pid "$SERVER_PID" --deadline-ms 60000) ||
  die "server did not become healthy"
meta startup_ms "$STARTUP_MS"
meta rss_idle_kib "$(rss_kib "$SERVER_PID")"
say "healthy after $STARTUP_MS ms, RSS $(rss_kib "$SERVER_PID") KiB"

say "setup ($SETUP_JS): seeding $RECORDS records"
BULK_ARGS=()
if [ "$SUITE" = growth ] || [ "$SUITE" = signin-growth ]; then
  if [ -n "$DB" ]; then BULK_ARGS=(--bulk-pg "$DB"); else BULK_ARGS=(--bulk-sqlite "$DATA/projects/main/data.db"); fi
  [ "$SUITE" = signin-growth ] && BULK_ARGS+=(--bulk-users "$USERS")
fi
"${LOAD_PIN[@]}" node "$BENCH_DIR/lib/$SETUP_JS" --url "$URL" --email "$SU_EMAIL" --password "$SU_PASSWORD" \
  --records "$RECORDS" --users "$USERS" --state "$WORK/setup.json" --pid "$SERVER_PID" --clk-tck "$CLK_TCK" "${BULK_ARGS[@]}" || die "setup failed"
meta rss_seeded_kib "$(rss_kib "$SERVER_PID")"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
settle() { # settle PID: wait (at most 90 s) until the server uses under 10% of a core over a second
  # Growth suite: a list with an exact total over millions of rows takes seconds, and the requests autocannon abandons
  # at the end of a scenario still run on the server; without this the next scenario is measured against them.
  local pid=$1 t0 t1 start deadline
  start=$(now_ms); deadline=$(( start + 90000 ))
  while [ "$(now_ms)" -lt "$deadline" ] && [ -e "/proc/$pid" ]; do
    t0=$(cpu_ticks "$pid"); sleep 1; t1=$(cpu_ticks "$pid")
    if [ $(( t1 - t0 )) -lt $(( CLK_TCK / 10 )) ]; then
      [ $(( $(now_ms) - start )) -gt 1500 ] && say "server busy for $(( ($(now_ms) - start) / 1000 )) s after the previous scenario"
      return 0
    fi
  done
  say "server still busy 90 s after the previous scenario"
}

run_scenario() { # run_scenario NAME[:CONNECTIONS] URL PID
  local name=${1%%:*} conns=$CONNECTIONS
  [ "$name" != "$1" ] && conns=${1#*:}
  if [ "$SUITE" = growth ]; then settle "$3"; fi
  if [ "$name" = realtime ]; then
    [ "$name" != "$1" ] || conns=8
    say "scenario realtime: $RT_SUBSCRIBERS subscribers, creates at $RT_RATE/s from $conns writers, ${WARMUP}s warm-up + ${DURATION}s"
    "${LOAD_PIN[@]}" node "$BENCH_DIR/lib/realtime-fanout.js" --url "$2" --subscribers "$RT_SUBSCRIBERS" --rate "$RT_RATE" \
      --writers "$conns" --duration "$DURATION" --warmup "$WARMUP" --pid "$3" --clk-tck "$CLK_TCK" "${CORE_ARG[@]}" >> "$WORK/scenarios.jsonl" ||
      die "scenario realtime failed"
    tail -n 1 "$WORK/scenarios.jsonl" >&2
    return
  fi
  say "scenario $name: ${WARMUP}s warm-up + ${DURATION}s at $conns connections"
  "${LOAD_PIN[@]}" node "$BENCH_DIR/lib/load.js" --url "$2" --scenario "$name" --state "$WORK/setup.json" \
    --connections "$conns" --duration "$DURATION" --warmup "$WARMUP" --pid "$3" --clk-tck "$CLK_TCK" "${CORE_ARG[@]}" >> "$WORK/scenarios.jsonl" ||
    die "scenario $name failed"
  tail -n 1 "$WORK/scenarios.jsonl" >&2
}

# PREWARM (graphql suite: every scenario once, 10 s, not measured): the JIT's tier-1 code and SQLite's state after
# seeding otherwise favour whichever scenario runs last (GraphQL runs far more code, so it stays longer on tier-0).
if [ "${PREWARM:-0}" != 0 ]; then
  for s in $(printf '%s\n' $SCENARIOS | awk '!seen[$0]++'); do
    say "pre-warm $s: ${PREWARM}s, not measured"
    "${LOAD_PIN[@]}" node "$BENCH_DIR/lib/load.js" --url "$URL" --scenario "${s%%:*}" --state "$WORK/setup.json" \
      --connections "$CONNECTIONS" --duration "$PREWARM" --warmup 0 > /dev/null || die "pre-warm $s failed"
  done
fi

for s in $SCENARIOS; do
  [ -e "/proc/$SERVER_PID" ] || die "server exited during the run"
  run_scenario "$s" "$URL" "$SERVER_PID"
done
meta rss_after_kib "$(rss_kib "$SERVER_PID")"
meta hwm_after_kib "$(hwm_kib "$SERVER_PID")"
if [ "$SUITE" = files ] && [ "${BIG_UPLOAD_MB:-1024}" != 0 ]; then
  say "big upload: ${BIG_UPLOAD_MB:-1024} MB streamed in one multipart request"
  node "$BENCH_DIR/lib/big-upload.js" --url "$URL" --pid "$SERVER_PID" --mb "${BIG_UPLOAD_MB:-1024}" > "$WORK/big-upload.json" || die "big upload failed"
  cat "$WORK/big-upload.json" >&2
  meta big_upload "$(cat "$WORK/big-upload.json")"
fi
stop_pid "$SERVER_PID"; SERVER_PID=""

# --- baseline: the same row from the same database, no PaperGao code ---------------------------
if [ "$BASELINE" = 1 ] && [ -f "$BASELINE_DLL" ]; then
  if [ -n "$DB" ]; then
    SRC_ARGS=(--pg "$DB" --pg-schema "${BENCH_PG_SCHEMA:-p_main}")
  else
    SRC_ARGS=(--sqlite "$DATA/projects/main/data.db")
  fi
  BPORT=$(node "$BENCH_DIR/lib/free-port.js")
  say "starting baseline on 127.0.0.1:$BPORT"
  BSTART=$(now_ms)
  "${SRV_PIN[@]}" dotnet "$BASELINE_DLL" --http "127.0.0.1:$BPORT" "${SRC_ARGS[@]}" > "$WORK/baseline.log" 2>&1 &
  BASELINE_PID=$!
  BSTARTUP=$("${LOAD_PIN[@]}" node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$BPORT/health" --start-ms "$BSTART" --pid "$BASELINE_PID" --deadline-ms 30000) ||
    { cat "$WORK/baseline.log" >&2; die "baseline did not become healthy"; }
  meta baseline_startup_ms "$BSTARTUP"
  run_scenario baseline "http://127.0.0.1:$BPORT" "$BASELINE_PID"
  meta baseline_rss_after_kib "$(rss_kib "$BASELINE_PID")"
  stop_pid "$BASELINE_PID"; BASELINE_PID=""
elif [ "$BASELINE" = 1 ]; then
  say "baseline not built ($BASELINE_DLL missing); skipped"
fi

report
