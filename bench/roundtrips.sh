#!/usr/bin/env bash
# Database round trips per request on PostgreSQL, a figure the machine's load does not move: each round trip of a read
# is one implicit transaction (one Sync), so pg_stat_database.xact_commit of the bench database grows by the number of
# round trips. Starts the server of ARTIFACTS on a fresh database papergao_roundtrips of --db's cluster, seeds 1,000
# posts (lib/setup.js), sends each request of the default suite 200 times one after the other (after 20 not counted, so
# that statements are prepared) and prints round trips per request, less the background statements the idle server
# runs in the same time. The collections and logs lists are sent as the superuser (signing in costs one round trip,
# loading the token's record on each request another). It takes about 8 minutes: the figure rarely holds still
# between two readings (each reading and the idle server's polls commit), so most waits run to their 15 s deadline.
#
#   bench/roundtrips.sh --db NPGSQL_CONN --artifacts DIR [--requests 200]
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
DB=""; ART=""; N=200
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --artifacts) ART=$2; shift 2 ;;
    --requests) N=$2; shift 2 ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
[ -n "$DB" ] && [ -n "$ART" ] || { sed -n '2,11p' "$0"; exit 2; }
# A database of its own, dropped and created afresh: one the bench used before keeps its request logs (the logs list
# would count every earlier run's requests) and its other projects' tables.
DB=$(node - "$DB" "$BENCH_DIR/lib/bulk-seed" <<'JS'
const [conn, lib] = process.argv.slice(2)
const env = require(lib).pgEnv(conn)
const name = 'papergao_roundtrips'
require('child_process').execFileSync('psql', ['-q', '-c', 'SET client_min_messages = warning', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, '-c', `CREATE DATABASE ${name}`], { env, stdio: ['ignore', 'ignore', 'inherit'] })
console.log([...conn.split(';').filter(p => p.trim() && !/^\s*database\s*=/i.test(p)), 'Database=' + name].join(';'))
JS
)
WORK=$(mktemp -d /tmp/papergao-roundtrips.XXXXXX)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
DLL="$ART/bin/PaperGao.Server/release/papergao.dll"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1
dotnet "$DLL" superuser upsert bench@example.com bench-password-123 --dir "$WORK/data" --db "$DB" > "$WORK/su.log" 2>&1
PORT=$(node "$BENCH_DIR/lib/free-port.js")
T0=$(node -e 'console.log(Date.now())')
dotnet "$DLL" serve --http "127.0.0.1:$PORT" --dir "$WORK/data" --db "$DB" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$PORT/api/health" --start-ms "$T0" --pid "$SERVER_PID" > /dev/null
node "$BENCH_DIR/lib/setup.js" --url "http://127.0.0.1:$PORT" --email bench@example.com --password bench-password-123 \
  --records 1000 --state "$WORK/state.json" 2> "$WORK/setup.log"
BENCH_DIR_LIB="$BENCH_DIR/lib" node - "http://127.0.0.1:$PORT" "$WORK/state.json" "$N" "$DB" <<'JS'
const { execFileSync } = require('child_process')
const { pgEnv } = require(process.env.BENCH_DIR_LIB + '/bulk-seed')
const [url, stateFile, n, conn] = process.argv.slice(2)
const state = JSON.parse(require('fs').readFileSync(stateFile, 'utf8'))
const env = pgEnv(conn)
const commits = () => Number(execFileSync('psql', ['-Atc', 'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()'], { env }).toString())
let su = null
const asSuperuser = (path) => fetch(url + path, { headers: { authorization: su } })
const reqs = {
  view: () => fetch(`${url}/api/collections/posts/records/${state.viewId}`),
  list: () => fetch(url + state.listPath),
  'list-skiptotal': () => fetch(url + state.listSkipPath),
  update: () => fetch(`${url}/api/collections/posts/records/${state.ids[1]}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"views":5}' }),
  create: () => fetch(`${url}/api/collections/posts/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"rt","views":5}' }),
  'collections-list': () => asSuperuser('/api/collections?perPage=20&filter=' + encodeURIComponent('system = false')),
  'logs-list': () => asSuperuser('/api/logs?perPage=20&filter=' + encodeURIComponent('data.status = 200'))
}
;(async () => {
  const auth = await fetch(url + '/api/collections/_superusers/auth-with-password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"identity":"bench@example.com","password":"bench-password-123"}' })
  su = (await auth.json()).token
  for (const [name, req] of Object.entries(reqs)) {
    for (let i = 0; i < 20; i++) { const r = await req(); await r.text(); if (!r.ok) throw new Error(`${name}: ${r.status}`) }
    // pg_stat_database is updated when a backend reports its counters (at most every second, and at idle): wait for
    // the figure to settle before and after (a deadline, never a fixed sleep).
    const settle = async () => { let last = -1; let v = commits(); const end = Date.now() + 15000; while (v !== last && Date.now() < end) { last = v; await new Promise(r => setTimeout(r, 1100)); v = commits() } return v }
    const before = await settle()
    const t0 = Date.now()
    for (let i = 0; i < Number(n); i++) { const r = await req(); await r.text() }
    const ms = Date.now() - t0
    const after = await settle()
    // The server's own background statements (function refresh, push leases, request log) over the same time, idle.
    const idle0 = await settle(); const i0 = Date.now()
    await new Promise(r => setTimeout(r, ms))
    const idle = (await settle()) - idle0; const idleMs = Date.now() - i0
    const background = idle * ms / idleMs
    console.log(`${name.padEnd(16)} ${((after - before - background) / Number(n)).toFixed(2)} round trips per request (xact_commit +${after - before} over ${n} in ${ms} ms, less ${background.toFixed(0)} background)`)
  }
})().catch(e => { console.error(e); process.exit(1) })
JS
