#!/usr/bin/env bash
# Backup benchmark: p50/p99 of record creates while the project is quiet (A) and while a backup of it runs (B),
# A B A B in one run. The project: an imported PocketBase pb_data (lib/make-pb-data.py: RECORDS records, FILES of them
# with a FILE_KB random (incompressible) file), so the backup has data and files to stream. FILE_MB adds random files no
# record references: they take disk space but are not in a backup (a backup holds only the snapshot's records' files).
#
#   bench/backup.sh [--records 200000] [--files 1000] [--file-kb 256] [--file-mb 0] [--connections 4] [--db POSTGRES_CONN] [--no-build] [--out-md FILE]
#
# Writes bench/results/backup-latest.md.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a; . "$BENCH_DIR/../scripts/runtime.env"; set +a # the server runs with the runtime settings ./papergao uses
REPO=$(cd "$BENCH_DIR/.." && pwd)
RECORDS=200000 FILES=1000 FILE_KB=256 FILE_MB=0 CONNECTIONS=4 DB="" BUILD=1
OUT_MD="$BENCH_DIR/results/backup-latest.md"
while (( $# )); do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --files) FILES="$2"; shift 2 ;;
    --file-kb) FILE_KB="$2"; shift 2 ;;
    --file-mb) FILE_MB="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --out-md) OUT_MD="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if (( BUILD )); then dotnet build "$REPO/src/PaperGao.Server/PaperGao.Server.csproj" -c Release -nologo -clp:ErrorsOnly >&2; fi
BIN="${PAPERGAO_BIN:-$REPO/artifacts/bin/PaperGao.Server/release/papergao.dll}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/papergao-backup-bench.XXXXXX")
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
dbargs=(); [[ -n "$DB" ]] && dbargs=(--db "$DB")

python3 "$BENCH_DIR/lib/make-pb-data.py" "$WORK/pb" --records "$RECORDS" --files "$FILES" --file-kb "$FILE_KB" >&2
dotnet "$BIN" import pocketbase "$WORK/pb" --dir "$WORK/data" "${dbargs[@]}" > /dev/null
dotnet "$BIN" superuser upsert bench@example.com Bench-pass-123 --dir "$WORK/data" "${dbargs[@]}" > /dev/null
big="$WORK/data/projects/main/storage/benchbig/benchbig"
mkdir -p "$big"
for i in $(seq 1 "$FILE_MB"); do head -c 1048576 /dev/urandom > "$big/blob$i.bin"; done
data_bytes=$(du -sb "$WORK/data/projects/main" | cut -f1)

PORT=$(node "$BENCH_DIR/lib/free-port.js")
start=$(date +%s%3N)
dotnet "$BIN" serve --http "127.0.0.1:$PORT" --dir "$WORK/data" "${dbargs[@]}" > "$WORK/server.log" 2>&1 &
PID=$!
node "$BENCH_DIR/lib/wait-health.js" --url "http://127.0.0.1:$PORT/api/health" --start-ms "$start" --pid "$PID" > /dev/null
su=(-H "Content-Type: application/json")
token=$(curl -s "${su[@]}" -d '{"identity":"bench@example.com","password":"Bench-pass-123"}' "http://127.0.0.1:$PORT/api/collections/_superusers/auth-with-password" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
curl -s -o /dev/null "${su[@]}" -H "Authorization: $token" -d '{"name":"notes","type":"base","createRule":"","fields":[{"name":"text","type":"text"}]}' "http://127.0.0.1:$PORT/api/collections"
json=$(node "$BENCH_DIR/lib/backup-load.js" --url "http://127.0.0.1:$PORT" --email bench@example.com --password Bench-pass-123 --connections "$CONNECTIONS")

{
  echo "# Backup benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $( [[ -n "$DB" ]] && echo PostgreSQL || echo SQLite ))"
  echo
  echo "Project: $RECORDS imported records ($FILES with a $FILE_KB KiB random file) + $FILE_MB MiB of unreferenced files = $((data_bytes / 1048576)) MiB on disk;"
  echo "$CONNECTIONS concurrent writers creating records; phases alternate quiet (A) and during a backup (B)."
  echo "Shared 2-core machine, other engineers' builds and tests running: compare rows of this run only."
  echo
  echo "| phase | seconds | creates | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|"
  node -e 'const r=JSON.parse(process.argv[1]);for(const x of r.rows)console.log(`| ${x.phase} | ${x.seconds.toFixed(1)} | ${x.n} | ${x.p50.toFixed(1)} | ${x.p99.toFixed(1)} | ${x.errors} |`);console.log(`\nBackup zip: ${(r.backupBytes/1048576).toFixed(0)} MiB`)' "$json"
} | tee "$OUT_MD"
