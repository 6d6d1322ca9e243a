#!/usr/bin/env bash
# Growth bench: how the cost of view, list (with, without and with an estimated total), create, update and the realtime
# fan-out (SSE subscribers receiving a steady create load) moves with the number of rows. For each database and size,
# run.sh --suite growth starts a fresh server, creates `posts`, writes N rows straight into its table
# (lib/bulk-seed.js) and measures, waiting for the server to go idle before each scenario. The sizes are interleaved
# over rounds (10k 1M 10k 1M …) so that the machine's drift hits every size alike. Run by hand (not part of ./test.sh):
#
#   bench/growth.sh [--sqlite-sizes "10000 1000000"] [--pg-sizes "10000 1000000"] [--db NPGSQL_CONN]
#                   [--rounds 2] [--artifacts DIR] [--no-build] [--suite growth|signin-growth]
#                   [run.sh options, e.g. --duration 5 --rt-subscribers 100 --rt-rate 50]
#
# --suite signin-growth: the sizes are numbers of users (e.g. "1000 1000000"), written straight into `users` with the
# bcrypt hash of one user signed up through the API; the scenario is auth-with-password at 8 connections.
# 10M posts: --sqlite-sizes / --pg-sizes "10000 1000000 10000000" (seeding 10M rows takes about 1-3 minutes on SQLite
# and 2.5-4 on PostgreSQL on the loaded machine; the SQLite file grows to 1.3 GB, PostgreSQL's database to 2.8 GB).
#
# Without --db only SQLite runs. Writes bench/results/growth.md (signin-growth.md) — the table: req/s per size, each
# size's mean over the rounds, and the largest size as a multiple of the smallest's cost — and growth.json.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SQLITE_SIZES="10000 1000000"; PG_SIZES="10000 1000000"; DB=""; ROUNDS=2; ART_ARGS=(); BUILD=1; REST=(); SUITE=growth
while [ $# -gt 0 ]; do
  case "$1" in
    --sqlite-sizes) SQLITE_SIZES=$2; shift 2 ;;
    --pg-sizes) PG_SIZES=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --artifacts) ART_ARGS=(--artifacts "$2"); shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --suite) SUITE=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) REST+=("$1"); shift ;;
  esac
done
OUT=$(mktemp -d /tmp/papergao-growth.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$OUT"' EXIT
runs=()
for round in $(seq "$ROUNDS"); do
  for kind in sqlite postgres; do
    if [ "$kind" = sqlite ]; then sizes=$SQLITE_SIZES; db_args=(); else [ -n "$DB" ] || continue; sizes=$PG_SIZES; db_args=(--db "$DB"); fi
    for n in $sizes; do
      build_args=(--no-build); [ "$BUILD" = 1 ] && [ "${#runs[@]}" = 0 ] && build_args=()
      echo "[growth] round $round, $kind, $n rows" >&2
      f="$OUT/$kind-$n-$round.json"
      size_args=(--records "$n"); [ "$SUITE" = signin-growth ] && size_args=(--users "$n")
      "$BENCH_DIR/run.sh" --suite "$SUITE" "${size_args[@]}" "${build_args[@]}" "${ART_ARGS[@]}" "${db_args[@]}" \
        --out-md "$OUT/$kind-$n-$round.md" --out-json "$f" "${REST[@]}" >&2
      runs+=("$kind:$n:$round:$f")
      echo "[growth] done: $kind:$n:$round:$f" >&2
    done
  done
done
mkdir -p "$BENCH_DIR/results"
name=growth; unit=rows; [ "$SUITE" = signin-growth ] && { name=signin-growth; unit=users; }
GROWTH_UNIT=$unit node "$BENCH_DIR/lib/growth-report.js" "$BENCH_DIR/results/$name.md" "$BENCH_DIR/results/$name.json" "${runs[@]}"
