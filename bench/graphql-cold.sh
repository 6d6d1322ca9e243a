#!/usr/bin/env bash
# The GraphQL schema builds after a server start, for a project of 50 collections. Seeds a data dir once (superuser,
# 50 collections of 5 fields and a relation each, as lib/setup-graphql.js), then --rounds times: starts the server,
# waits for its start-up warm-up build (GraphQLWarmup: the cold one, off the request path), signs in, sends the first
# superuser GraphQL request (it builds the project's schema), a second one (cached), then changes a rule and sends
# another (a warm rebuild). Each build's time comes from the server's own papergao_graphql_schema_build_seconds
# histogram (--metrics-listen). Run it on the ReadyToRun single-file release (scripts/publish.sh) and on a plain build.
#
#   bench/graphql-cold.sh --server "dist/papergao-linux-x64" [--rounds 5] [--collections 50]
#   bench/graphql-cold.sh --server "dotnet artifacts/bin/PaperGao.Server/release/papergao.dll"
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
SERVER=""; ROUNDS=5; COLLECTIONS=50
while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --collections) COLLECTIONS=$2; shift 2 ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
[ -n "$SERVER" ] || { sed -n '2,10p' "$0"; exit 2; }
read -r -a CMD <<< "$SERVER"
WORK=$(mktemp -d /tmp/papergao-graphql-cold.XXXXXX)
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT
export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1
EMAIL=bench@example.com; PASSWORD=bench-password-123
"${CMD[@]}" superuser upsert "$EMAIL" "$PASSWORD" --dir "$WORK/data" > "$WORK/su.log" 2>&1

start_server() {
  PORT=$(node "$BENCH_DIR/lib/free-port.js"); MPORT=$(node "$BENCH_DIR/lib/free-port.js")
  local t0; t0=$(node -e 'console.log(Date.now())')
  "${CMD[@]}" serve --http "127.0.0.1:$PORT" --metrics-listen "127.0.0.1:$MPORT" --dir "$WORK/data" >> "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$PORT/api/health" --start-ms "$t0" --pid "$SERVER_PID" > /dev/null
}

start_server
URL="http://127.0.0.1:$PORT" node - "$EMAIL" "$PASSWORD" "$COLLECTIONS" <<'JS'
const [email, password, n] = process.argv.slice(2)
const url = process.env.URL
;(async () => {
  const auth = await (await fetch(url + '/api/collections/_superusers/auth-with-password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: email, password }) })).json()
  let prev = null
  for (let i = 0; i < Number(n); i++) {
    const fields = [{ name: 'a', type: 'text' }, { name: 'b', type: 'number' }, { name: 'c', type: 'bool' }, { name: 'd', type: 'json' }, { name: 'e', type: 'date' }]
    if (prev) fields.push({ name: 'rel', type: 'relation', collectionId: prev, maxSelect: 1 })
    const r = await fetch(url + '/api/collections', { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth.token }, body: JSON.stringify({ name: `extra${i}`, type: 'base', listRule: '', viewRule: '', fields }) })
    if (r.status !== 200) throw new Error(`create extra${i}: ${r.status} ${await r.text()}`)
    prev = (await r.json()).id
  }
})().catch(e => { console.error(e); process.exit(1) })
JS
stop_server

printf '%-6s %10s %14s %12s %12s %14s\n' round warmup_ms first_build_ms first_req_ms cached_req_ms rebuild_ms
for round in $(seq 1 "$ROUNDS"); do
  start_server
  URL="http://127.0.0.1:$PORT" MURL="http://127.0.0.1:$MPORT/metrics" node - "$EMAIL" "$PASSWORD" "$round" <<'JS'
const [email, password, round] = process.argv.slice(2)
const url = process.env.URL
const post = (path, token, body, method = 'POST') => fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) }, body: JSON.stringify(body) })
// Sum (or count) of the schema builds for one kind of caller so far, from the Prometheus text.
const metric = async (caller, what = 'sum') => {
  const text = await (await fetch(process.env.MURL)).text()
  const line = text.split('\n').find(l => l.startsWith('papergao_graphql_schema_build_seconds_' + what) && l.includes(`caller="${caller}"`))
  return line ? Number(line.trim().split(/\s+/).pop()) : 0
}
// The exporter may answer from a short cache: wait (with a deadline) until the superuser builds reach `count`.
const builds = async (count) => {
  const deadline = Date.now() + 10000
  while (await metric('superuser', 'count') < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} superuser schema builds after 10 s`)
    await new Promise(r => setTimeout(r, 20))
  }
  return metric('superuser')
}
;(async () => {
  // The warm-up runs once the server has started: wait for it (a deadline, no fixed sleep).
  const deadline = Date.now() + 60000
  while (await metric('warmup', 'count') < 1) {
    if (Date.now() > deadline) throw new Error('no warm-up build within 60 s')
    await new Promise(r => setTimeout(r, 20))
  }
  const warmup = await metric('warmup')
  const auth = await (await post('/api/collections/_superusers/auth-with-password', null, { identity: email, password })).json()
  const query = { query: '{ __typename }' }
  const b0 = await builds(0)
  let t = performance.now()
  let r = await post('/api/graphql', auth.token, query); await r.text()
  const first = performance.now() - t
  t = performance.now()
  r = await post('/api/graphql', auth.token, query); await r.text()
  const cached = performance.now() - t
  const b1 = await builds(1)
  const c = await (await fetch(url + '/api/collections/extra0', { headers: { authorization: auth.token } })).json()
  r = await post('/api/collections/extra0', auth.token, { listRule: c.listRule === '' ? 'id != ""' : '' }, 'PATCH'); await r.text()
  r = await post('/api/graphql', auth.token, query); await r.text()
  const b2 = await builds(2)
  const ms = (x) => (x * 1000).toFixed(1)
  console.log(`${String(round).padEnd(6)} ${ms(warmup).padStart(10)} ${ms(b1 - b0).padStart(14)} ${first.toFixed(1).padStart(12)} ${cached.toFixed(1).padStart(12)} ${ms(b2 - b1).padStart(14)}`)
})().catch(e => { console.error(e); process.exit(1) })
JS
  stop_server
done
