#!/usr/bin/env bash
# Start-time benchmark of two single-file executables (e.g. the release published without and with ReadyToRun),
# A B A B in one run: each start gets a fresh data folder and a free port, and the time from exec to the first 200 on
# GET /api/health is taken (polled every 20 ms with curl), then the server is stopped with SIGTERM. A first start
# (fresh folder: creates the SQLite files) is what each round measures. Medians per binary.
#
#   bench/startup.sh A_BINARY B_BINARY [ROUNDS=3] [--out-md FILE]
#
# Writes bench/results/startup-latest.md (or FILE). Needs curl and node (free port).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
A="${1:?A binary}" B="${2:?B binary}" ROUNDS="${3:-3}"
OUT_MD="$BENCH_DIR/results/startup-latest.md"
if [[ "${4:-}" == "--out-md" ]]; then OUT_MD="$5"; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/papergao-startup-bench.XXXXXX")
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

start_once() { # start_once BINARY -> prints milliseconds to the first healthy answer
  local bin="$1" port dir t0 t1
  port=$(node "$BENCH_DIR/lib/free-port.js")
  dir="$WORK/data-$RANDOM$RANDOM"
  t0=$(date +%s%N)
  DOTNET_BUNDLE_EXTRACT_BASE_DIR="$WORK/extract" "$bin" serve --http "127.0.0.1:$port" --dir "$dir" >"$WORK/server.log" 2>&1 &
  PID=$!
  local deadline=$(( t0 + 120000000000 ))
  until curl -fs -o /dev/null "http://127.0.0.1:$port/api/health"; do
    if ! kill -0 "$PID" 2>/dev/null; then echo "server exited: $(cat "$WORK/server.log")" >&2; exit 1; fi
    if (( $(date +%s%N) > deadline )); then echo "not healthy within 120 s" >&2; exit 1; fi
    sleep 0.02
  done
  t1=$(date +%s%N)
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# One start of each first, unmeasured: the single-file host unpacks its native libraries on the first run.
start_once "$A" >/dev/null; start_once "$B" >/dev/null
As=() Bs=()
for (( i = 1; i <= ROUNDS; i++ )); do
  As+=("$(start_once "$A")"); Bs+=("$(start_once "$B")")
  echo "round $i: A ${As[-1]} ms, B ${Bs[-1]} ms" >&2
done
ma=$(printf '%s\n' "${As[@]}" | median) mb=$(printf '%s\n' "${Bs[@]}" | median)
{
  echo "# Start to first healthy /api/health ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| binary | size | starts (ms, A B A B order) | median ms |"
  echo "|---|---|---|---|"
  echo "| A $(basename "$A") | $(du -m "$A" | cut -f1) MiB | ${As[*]} | $ma |"
  echo "| B $(basename "$B") | $(du -m "$B" | cut -f1) MiB | ${Bs[*]} | $mb |"
} | tee "$OUT_MD"
