#!/usr/bin/env bash
# PocketBase import benchmark: generates pb_data folders (lib/make-pb-data.py: an auth collection of members and an
# "items" collection, N records of which F carry a 2 KiB file), runs `papergao import pocketbase` on each into a fresh
# data dir (SQLite, or PostgreSQL with --db), and prints the wall time and the peak RSS of the import process.
# Running two sizes shows whether memory grows with the record count (it must not: rows are streamed).
#
#   bench/import.sh [--records "10000 100000"] [--files 1000] [--db POSTGRES_CONN] [--no-build] [--out-md FILE]
#
# Writes bench/results/import-latest.md.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
REPO=$(cd "$BENCH_DIR/.." && pwd)
RECORDS="10000 100000"
FILES=1000
DB=""
BUILD=1
OUT_MD="$BENCH_DIR/results/import-latest.md"
while (( $# )); do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --files) FILES="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out-md) OUT_MD="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if (( BUILD )); then dotnet build "$REPO/src/PaperGao.Server/PaperGao.Server.csproj" -c Release -nologo -clp:ErrorsOnly >&2; fi
BIN="$REPO/artifacts/bin/PaperGao.Server/release/papergao.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/papergao-import-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

rows=()
for n in $RECORDS; do
  files=$(( FILES < n ? FILES : n ))
  python3 "$BENCH_DIR/lib/make-pb-data.py" "$WORK/pb_$n" --records "$n" --files "$files" >&2
  args=(import pocketbase "$WORK/pb_$n" --dir "$WORK/target_$n" --project "bench$n")
  if [[ -n "$DB" ]]; then args+=(--db "$DB"); fi
  # GNU time: elapsed seconds and the maximum resident set size (KiB) of the import process.
  /usr/bin/time -f "%e %M" -o "$WORK/time_$n" dotnet "$BIN" "${args[@]}" > "$WORK/report_$n"
  read -r secs rss_kb < "$WORK/time_$n"
  total=$(grep -E '^total:' "$WORK/report_$n")
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
  rows+=("| $n | $files | $secs | $rate | $(( rss_kb / 1024 )) | $total |")
  echo "records=$n files=$files time=${secs}s rate=${rate}/s peak_rss=$(( rss_kb / 1024 ))MiB ($total)"
  if [[ -n "$DB" ]]; then
    # A fresh schema per size: drop it again so the next run (and the next size) starts clean.
    psql "$(echo "$DB" | sed -E 's/Host=([^;]+);Port=([^;]+);Username=([^;]+);Database=([^;]+).*/postgresql:\/\/\3@\1:\2\/\4/')" -qc "DROP SCHEMA IF EXISTS p_bench$n CASCADE" >/dev/null 2>&1 || true
  fi
done

mkdir -p "$(dirname "$OUT_MD")"
{
  echo "# PocketBase import benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, target: $([[ -n "$DB" ]] && echo PostgreSQL || echo SQLite). One process per run (includes .NET start-up)."
  echo
  echo "| records | files | seconds | records/s | peak RSS MiB | report |"
  echo "|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
} > "$OUT_MD"
echo "wrote $OUT_MD"
