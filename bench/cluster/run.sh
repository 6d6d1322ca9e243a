#!/usr/bin/env bash
# Cluster bench: NODES PaperGao nodes on one PostgreSQL behind nginx (Debian's package), a steady create+view load
# through nginx, and this timeline (seconds from the start of the load):
#   0-PHASE          steady
#   PHASE            kill -9 of node 2 (the realtime client is connected to it)
#   2*PHASE          node 2 started again (waits for its health, deadline 60 s)
#   3*PHASE…         rolling restart: each node in turn SIGTERM, started again, healthy, then the next
#   end              PHASE more seconds of steady load
# Counts per phase: requests, errors (any non-2xx or network error), the longest run of consecutive errors, and after
# the kill the time until the first success; then reads back every acknowledged create (a write the client got a 200
# for must exist). A realtime client subscribes to `posts` on node 2 directly; when its stream breaks it reconnects to
# the next node and subscribes again, like the SDK. With --realtime-via lb it goes through nginx instead, round-robin
# like every other request: its stream and its subscription request reach any node (the node that gets the
# subscription forwards it over the bus to the node holding the stream). Every create acknowledged while it was
# subscribed must reach it.
# Files: every K-th create (--files K, 4 by default; 0 for none) uploads a 4-16 KB file that is read back through
# nginx (so mostly from another node); the store is an S3-compatible server (tests/s3-server, s3rver; run
# `npm ci` there once) unless --storage disk (then each node has its own folder and reads from other nodes fail).
# At the end every acknowledged upload is read back whole.
# Changes under load (after the first steady phase, before the kill; changes.js): a field added to `posts` on node 1
# and a settings change (appName) on node 1, each timed until the other nodes serve it (3 rounds), then a rate-limit
# rule (posts:list, --rate-limit requests per 30 s, everyone) set on node 1 and hammered through nginx by 16 guests
# for 10 s: the allowed answers must not exceed the limit (one window shared by all nodes). --changes-only skips the
# kill and the restarts; --no-changes skips the changes.
#
#   bench/cluster/run.sh --db NPGSQL_CONN [--artifacts DIR] [--no-build] [--nodes 3] [--phase 6] [--workers 16]
#                        [--storage s3|disk] [--files 4] [--realtime-via direct|lb] [--no-changes | --changes-only]
#                        [--rate-limit 100]
#
# Run by hand (needs nginx and a PostgreSQL you can create databases in; uses its own database papergao_cluster_bench,
# dropped at the start). Writes bench/results/cluster-latest.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$HERE"); ROOT=$(dirname "$BENCH_DIR")
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
DB=""; ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts}; BUILD=1; NODES=3; PHASE=6; WORKERS=16; STORAGE=s3; FILES=4; RT_VIA=direct
CHANGES=1; FAILURES=1; RATE_LIMIT=100
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --artifacts) ARTIFACTS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --nodes) NODES=$2; shift 2 ;;
    --phase) PHASE=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --storage) STORAGE=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --realtime-via) RT_VIA=$2; shift 2 ;;
    --no-changes) CHANGES=0; shift ;;
    --changes-only) FAILURES=0; shift ;;
    --rate-limit) RATE_LIMIT=$2; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "cluster/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$DB" ] || { echo "cluster/run.sh: --db is required" >&2; exit 2; }
case "$STORAGE" in s3|disk) ;; *) echo "cluster/run.sh: --storage is s3 or disk" >&2; exit 2 ;; esac
case "$RT_VIA" in direct|lb) ;; *) echo "cluster/run.sh: --realtime-via is direct or lb" >&2; exit 2 ;; esac
S3_DIR="$ROOT/tests/s3-server"
if [ "$STORAGE" = s3 ] && [ ! -d "$S3_DIR/node_modules" ]; then
  echo "cluster/run.sh: $S3_DIR/node_modules missing (run: (cd tests/s3-server && npm ci)), or use --storage disk" >&2; exit 2
fi
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "cluster/run.sh: nginx not found (apt-get install nginx)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
say() { echo "[cluster $(date -u +%H:%M:%S)] $*" >&2; }
[ "$BUILD" = 1 ] && dotnet build "$ROOT/src/PaperGao.Server" -c Release --artifacts-path "$ARTIFACTS" -v q -nologo >&2
SERVER_DLL="$ARTIFACTS/bin/PaperGao.Server/release/papergao.dll"
[ -f "$SERVER_DLL" ] || { echo "cluster/run.sh: $SERVER_DLL missing" >&2; exit 2; }

WORK=$(mktemp -d /tmp/papergao-cluster.XXXXXX)
declare -a PIDS PORTS
MS=""
NGINX_PID=""; RT_PID=""; LOAD_PID=""; S3_PID=""
cleanup() {
  for p in "${PIDS[@]:-}" "$NGINX_PID" "$RT_PID" "$LOAD_PID" "$S3_PID"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

# A database of its own, dropped first: the nodes share it.
ADMIN_DB=$(printf '%s' "$DB" | sed -E 's/(^|;)[Dd]atabase=[^;]*//')
BENCH_DB="$ADMIN_DB;Database=papergao_cluster_bench"
node "$HERE/pg.js" --conn "$DB" --sql "DROP DATABASE IF EXISTS papergao_cluster_bench WITH (FORCE)" --sql "CREATE DATABASE papergao_cluster_bench"

export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
SU_EMAIL=bench@example.com SU_PASSWORD=bench-password-123
dotnet "$SERVER_DLL" superuser upsert "$SU_EMAIL" "$SU_PASSWORD" --dir "$WORK/n1" --db "$BENCH_DB" > "$WORK/superuser.log" 2>&1

# The S3-compatible store, reached by the nodes as "localhost" (allow-listed for their outbound requests).
NODE_ARGS=()
S3_ARGS=()
if [ "$STORAGE" = s3 ]; then
  mkfifo "$WORK/s3-stdin"; exec 3<>"$WORK/s3-stdin" # s3rver stops when its stdin closes: keep it open
  node "$S3_DIR/server.mjs" "$WORK/s3" papergao-bench <&3 > "$WORK/s3.out" 2> "$WORK/s3.log" &
  S3_PID=$!
  node "$HERE/wait-file.js" --file "$WORK/s3.out" --text port --deadline-ms 30000
  S3_PORT=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).port)' "$WORK/s3.out")
  NODE_ARGS=(--outbound-allow localhost)
  S3_ARGS=(--s3-endpoint "http://localhost:$S3_PORT" --s3-bucket papergao-bench)
  say "S3 (s3rver) on $S3_PORT"
fi

start_node() { # start_node I: starts node I on its port, waits for its health (deadline 120 s); MS = ms until healthy
  local i=$1 t0
  t0=$(node -e 'console.log(Date.now())')
  dotnet "$SERVER_DLL" serve --http "127.0.0.1:${PORTS[$i]}" --dir "$WORK/n$i" --db "$BENCH_DB" "${NODE_ARGS[@]}" >> "$WORK/node$i.log" 2>&1 &
  PIDS[$i]=$!
  node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:${PORTS[$i]}/api/health" --start-ms "$t0" --pid "${PIDS[$i]}" --deadline-ms 120000 > "$WORK/ms"
  MS=$(cat "$WORK/ms")
}
for i in $(seq 1 "$NODES"); do PORTS[$i]=$(node "$BENCH_DIR/lib/free-port.js"); done
# One after the other: the first start creates the catalog and the project's tables.
for i in $(seq 1 "$NODES"); do start_node "$i"; say "node $i healthy on ${PORTS[$i]} after $MS ms"; done

LB_PORT=$(node "$BENCH_DIR/lib/free-port.js")
{
  echo "worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  echo "  access_log off; client_body_temp_path $WORK/nginx-body; proxy_temp_path $WORK/nginx-proxy;"
  # Bodies and answers stay in memory: as root, nginx's workers run as nobody and cannot write temp files into
  # $WORK (mode 700): an upload over the default 16 KB body buffer got a 500 from nginx, never reaching a node.
  echo "  client_body_buffer_size 2m; proxy_max_temp_file_size 0;"
  echo "  fastcgi_temp_path $WORK/nginx-fcgi; uwsgi_temp_path $WORK/nginx-uwsgi; scgi_temp_path $WORK/nginx-scgi;"
  echo "  log_format realtime '\$msec \$request_time \$request_method \$upstream_addr \$status';"
  echo "  upstream papergao {"
  for i in $(seq 1 "$NODES"); do echo "    server 127.0.0.1:${PORTS[$i]} max_fails=1 fail_timeout=2s;"; done
  echo "    keepalive 32;"
  echo "  }"
  echo "  server {"
  echo "    listen 127.0.0.1:$LB_PORT;"
  echo "    client_max_body_size 0;"
  echo "    location / {"
  echo "      proxy_pass http://papergao; proxy_http_version 1.1; proxy_set_header Connection \"\";"
  # A refused connection (a dead node) is tried on the next node, for every method: nothing was sent yet. A request
  # already sent to a node that then died is not repeated for POST/PATCH (it may have been committed): it fails.
  echo "      proxy_next_upstream error timeout http_502 http_503; proxy_connect_timeout 1s;"
  echo "    }"
  # The same for realtime (round-robin too), logged: which node held each stream, which one got each subscription.
  echo "    location /api/realtime {"
  echo "      proxy_pass http://papergao; proxy_http_version 1.1; proxy_set_header Connection \"\";"
  echo "      proxy_next_upstream error timeout http_502 http_503; proxy_connect_timeout 1s;"
  echo "      access_log $WORK/realtime-access.log realtime;"
  echo "    }"
  echo "  }"
  echo "}"
} > "$WORK/nginx.conf"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log" &
NGINX_PID=$!
node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$LB_PORT/api/health" --pid "$NGINX_PID" --deadline-ms 30000 > /dev/null
say "nginx on $LB_PORT in front of $NODES nodes"

URL="http://127.0.0.1:$LB_PORT"
node "$HERE/setup.js" --url "$URL" --email "$SU_EMAIL" --password "$SU_PASSWORD" "${S3_ARGS[@]}"
NODE_URLS=$(for i in $(seq 2 "$NODES") 1; do printf 'http://127.0.0.1:%s,' "${PORTS[$i]}"; done)
[ "$RT_VIA" = lb ] && NODE_URLS="$URL,"

node "$HERE/realtime.js" --urls "${NODE_URLS%,}" --out "$WORK/realtime.json" > "$WORK/realtime.log" 2>&1 &
RT_PID=$!
node "$HERE/wait-file.js" --file "$WORK/realtime.log" --text "subscribed" --deadline-ms 30000
node "$HERE/load.js" --url "$URL" --workers "$WORKERS" --files "$FILES" --out "$WORK/load.json" --events "$WORK/events.log" &
LOAD_PID=$!

mark() { echo "$(node -e 'console.log(Date.now())') $*" >> "$WORK/events.log"; say "$*"; }
mark "phase steady"
sleep "$PHASE"
CHANGES_ARGS=()
if [ "$CHANGES" = 1 ]; then
  mark "phase changes on node 1 (schema, settings, rate limit)"
  ALL_URLS=$(for i in $(seq 1 "$NODES"); do printf 'http://127.0.0.1:%s,' "${PORTS[$i]}"; done)
  node "$HERE/changes.js" --urls "${ALL_URLS%,}" --lb "$URL" --email "$SU_EMAIL" --password "$SU_PASSWORD" \
    --limit "$RATE_LIMIT" --out "$WORK/changes.json" > "$WORK/changes.log"
  CHANGES_ARGS=(--changes "$WORK/changes.json")
  mark "phase steady after the changes"
  sleep "$PHASE"
fi
if [ "$FAILURES" = 1 ]; then
  mark "phase kill -9 node 2"
  kill -9 "${PIDS[2]}"; wait "${PIDS[2]}" 2>/dev/null || true
  sleep "$PHASE"
  mark "phase node 2 restarting"
  start_node 2; mark "phase node 2 back (healthy after $MS ms)"
  sleep "$PHASE"
  for i in $(seq 1 "$NODES"); do
    mark "phase rolling restart: node $i stopping"
    kill -TERM "${PIDS[$i]}"; wait "${PIDS[$i]}" 2>/dev/null || true
    start_node "$i"; mark "phase rolling restart: node $i back (healthy after $MS ms)"
  done
  mark "phase steady after the restarts"
  sleep "$PHASE"
fi
mark "end"
kill -INT "$LOAD_PID"; wait "$LOAD_PID" || true; LOAD_PID=""
sleep 1 # the realtime client's last events (a bench timeline, not a test's synchronisation)
kill -INT "$RT_PID"; wait "$RT_PID" || true; RT_PID=""
mkdir -p "$BENCH_DIR/results"
node "$HERE/report.js" --url "$URL" --email "$SU_EMAIL" --password "$SU_PASSWORD" --load "$WORK/load.json" --events "$WORK/events.log" \
  --realtime "$WORK/realtime.json" --realtime-log "$WORK/realtime-access.log" --nodes "$NODES" --storage "$STORAGE" "${CHANGES_ARGS[@]}" \
  --md "$BENCH_DIR/results/cluster-latest.md"
grep -h "Realtime fan-out\|Unhandled exception" "$WORK"/node*.log >&2 || true
