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
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$OUT"' EXIT
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
      echo "[growth] done: $kind:$n:$round:$f" >&2
    done
  done
done
mkdir -p "$BENCH_DIR/results"
node "$BENCH_DIR/lib/growth-report.js" "$BENCH_DIR/results/growth.md" "$BENCH_DIR/results/growth.json" "${runs[@]}"
