#!/usr/bin/env bash
# The extra cost of a realtime subscription request that reaches a node other than the one holding the client's SSE
# stream (forwarded over the PostgreSQL bus, docs/realtime.md "Several nodes"): two nodes on one PostgreSQL, one
# stream on node 1, then blocks of sequential subscription requests to node 1 (A) and node 2 (B), A B A B.
#
#   bench/cluster/relay-cost.sh --db NPGSQL_CONN [--artifacts DIR] [--no-build] [--n 200] [--rounds 2]
#
# Uses its own database papergao_relay_bench (dropped at the start). Prints a Markdown table.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$HERE"); ROOT=$(dirname "$BENCH_DIR")
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
DB=""; ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts}; BUILD=1; N=200; ROUNDS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --artifacts) ARTIFACTS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --n) N=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "relay-cost.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$DB" ] || { echo "relay-cost.sh: --db is required" >&2; exit 2; }
[ "$BUILD" = 1 ] && dotnet build "$ROOT/src/PaperGao.Server" -c Release --artifacts-path "$ARTIFACTS" -v q -nologo >&2
SERVER_DLL="$ARTIFACTS/bin/PaperGao.Server/release/papergao.dll"
[ -f "$SERVER_DLL" ] || { echo "relay-cost.sh: $SERVER_DLL missing" >&2; exit 2; }

WORK=$(mktemp -d /tmp/papergao-relay.XXXXXX)
declare -a PIDS PORTS
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${DROP:-}" ]; then node "$HERE/pg.js" --conn "$DB" --sql "DROP DATABASE IF EXISTS papergao_relay_bench WITH (FORCE)" > /dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_DB=$(printf '%s' "$DB" | sed -E 's/(^|;)[Dd]atabase=[^;]*//')
BENCH_DB="$ADMIN_DB;Database=papergao_relay_bench"
node "$HERE/pg.js" --conn "$DB" --sql "DROP DATABASE IF EXISTS papergao_relay_bench WITH (FORCE)" --sql "CREATE DATABASE papergao_relay_bench"
DROP=1
export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
SU_EMAIL=bench@example.com SU_PASSWORD=bench-password-123
dotnet "$SERVER_DLL" superuser upsert "$SU_EMAIL" "$SU_PASSWORD" --dir "$WORK/n1" --db "$BENCH_DB" > "$WORK/superuser.log" 2>&1
for i in 1 2; do
  PORTS[$i]=$(node "$BENCH_DIR/lib/free-port.js")
  dotnet "$SERVER_DLL" serve --http "127.0.0.1:${PORTS[$i]}" --dir "$WORK/n$i" --db "$BENCH_DB" >> "$WORK/node$i.log" 2>&1 &
  PIDS[$i]=$!
  node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:${PORTS[$i]}/api/health" --pid "${PIDS[$i]}" --deadline-ms 120000 > /dev/null
done
node "$HERE/setup.js" --url "http://127.0.0.1:${PORTS[1]}" --email "$SU_EMAIL" --password "$SU_PASSWORD"
node "$HERE/relay-cost.js" --holder "http://127.0.0.1:${PORTS[1]}" --other "http://127.0.0.1:${PORTS[2]}" --pids "${PIDS[1]},${PIDS[2]}" --n "$N" --rounds "$ROUNDS"
