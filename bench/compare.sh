#!/usr/bin/env bash
# A/B comparison of two server builds in one invocation, interleaved A B A B so that drift of the
# machine (other load, thermal state, page cache) hits both sides alike.
#
#   bench/compare.sh ARTIFACTS_A ARTIFACTS_B [run.sh options, e.g. --duration 5 --scenarios "view list"]
#
# Each ARTIFACTS_* is an --artifacts-path the server was built into, for example:
#   git worktree add /tmp/pg-a main && dotnet build /tmp/pg-a/src/PaperGao.Server -c Release --artifacts-path /tmp/art-a
#   dotnet build src/PaperGao.Server -c Release --artifacts-path /tmp/art-b
# Writes bench/results/compare.md. The baseline scenario is skipped (it does not depend on the build).
# With COMPARE_SQLITE=1 and --db among the options, each round also runs B on SQLite (label S, same options
# without --db): A B S A B S, and the report adds B/S, PostgreSQL's req/s as a share of SQLite's in the same run.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
A=$1; B=$2; shift 2
OUT=$(mktemp -d /tmp/papergao-compare.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

sides=(A B)
sqlite_args=()
if [ "${COMPARE_SQLITE:-0}" = 1 ]; then
  sides=(A B S)
  skip=0
  for a in "$@"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    if [ "$a" = --db ]; then skip=1; continue; fi
    sqlite_args+=("$a")
  done
fi
files=(); labels=()
for round in 1 2; do
  for side in "${sides[@]}"; do
    if [ "$side" = A ]; then art=$A; else art=$B; fi
    echo "[compare] round $round, $side ($art)" >&2
    if [ "$side" = S ]; then set_args=("${sqlite_args[@]}"); else set_args=("$@"); fi
    "$BENCH_DIR/run.sh" --no-build --no-baseline --artifacts "$art" \
      --out-md "$OUT/$side$round.md" --out-json "$OUT/$side$round.json" "${set_args[@]}" >&2
    files+=("$OUT/$side$round.json"); labels+=("$side")
  done
done
mkdir -p "$BENCH_DIR/results"
node "$BENCH_DIR/lib/report.js" --compare "$(IFS=,; echo "${files[*]}")" --labels "$(IFS=,; echo "${labels[*]}")" \
  --md "$BENCH_DIR/results/compare.md"
