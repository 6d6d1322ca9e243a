#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (no Docker): initdb into DIR, listen only on 127.0.0.1 on a free
# port, unix sockets inside DIR, trust auth (local test use only), fsync off.
#
#   tests/pg-cluster.sh start [DIR]   starts it and prints an Npgsql connection string on stdout
#   tests/pg-cluster.sh stop  [DIR]   stops it and deletes DIR
#   tests/pg-cluster.sh url   [DIR]   prints the connection string of a running cluster
#
# DIR defaults to $PAPERGAO_PG_CLUSTER_DIR or /tmp/papergao-pg-cluster. Binaries come from $PAPERGAO_PG_BIN,
# /usr/lib/postgresql/15/bin, the newest /usr/lib/postgresql/*/bin, or PATH. As root, initdb and pg_ctl run
# as the postgres user (initdb refuses root).
set -euo pipefail

cmd="${1:-}"
dir="${2:-${PAPERGAO_PG_CLUSTER_DIR:-/tmp/papergao-pg-cluster}}"
deadline_s=60

die() { echo "pg-cluster: $*" >&2; exit 1; }

find_bin() {
  local d
  for d in "${PAPERGAO_PG_BIN:-}" /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return
  fi
  die "initdb/pg_ctl not found (install Debian's 'postgresql' package or set PAPERGAO_PG_BIN)"
}

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

conn_string() { echo "Host=127.0.0.1;Port=$(cat "$dir/port");Username=postgres;Database=postgres"; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin port attempt log
  bin="$(find_bin)"
  [[ -e "$dir/data/postmaster.pid" ]] && die "a cluster already runs in $dir (stop it first)"
  rm -rf "$dir"
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run initdb as"
    chown -R postgres:postgres "$dir"
  fi
  log="$dir/initdb.log"
  if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync --no-instructions >"$log" 2>&1; then
    cat "$log" >&2; die "initdb failed"
  fi

  for attempt in 1 2 3 4 5; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_busy "$port" && continue
    cat >>"$dir/data/postgresql.conf" <<CONF

# papergao tests (later lines win)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    echo "$port" >"$dir/port"
    as_pg rm -f "$dir/postgres.log"
    # -W: pg_ctl doesn't wait; readiness is decided by polling a connection below.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -W start >/dev/null
    local start_ts=$SECONDS
    while (( SECONDS - start_ts < deadline_s )); do
      if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 2; then
        conn_string
        return 0
      fi
      if grep -q -e 'could not bind' -e 'Address already in use' "$dir/postgres.log" 2>/dev/null; then
        break # lost the port race: next attempt
      fi
      if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && grep -q FATAL "$dir/postgres.log" 2>/dev/null; then
        cat "$dir/postgres.log" >&2; die "postgres failed to start"
      fi
      sleep 0.1
    done
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    grep -q -e 'could not bind' -e 'Address already in use' "$dir/postgres.log" 2>/dev/null || {
      cat "$dir/postgres.log" >&2; die "postgres did not accept connections within ${deadline_s}s"
    }
  done
  die "could not find a free port"
}

stop() {
  local bin
  [[ -d "$dir" ]] || return 0
  if [[ -e "$dir/data/postmaster.pid" ]]; then
    bin="$(find_bin)"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url) [[ -f "$dir/port" ]] || die "no cluster in $dir"; conn_string ;;
  *) echo "usage: $0 start|stop|url [DIR]" >&2; exit 2 ;;
esac
