#!/usr/bin/env bash
# The long fuzzing run (tests/PaperGao.Api.Tests/Hardening/FuzzTests.cs with many iterations): the filter, sort and
# fields parsers and the JSON body reader get PAPERGAO_FUZZ_ITER inputs each (default 1 000 000), the HTTP list
# endpoint PAPERGAO_FUZZ_HTTP_ITER requests per database (default 5 000). Prints one FUZZ line per property.
# A failure prints CsCheck's shrunk input and seed. Needs a build (dotnet build PaperGao.slnx -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(mktemp "${TMPDIR:-/tmp}/papergao-fuzz.XXXXXX")"
start=$SECONDS
PAPERGAO_FUZZ_ITER="${PAPERGAO_FUZZ_ITER:-1000000}" PAPERGAO_FUZZ_HTTP_ITER="${PAPERGAO_FUZZ_HTTP_ITER:-5000}" PAPERGAO_FUZZ_REPORT="$report" \
  dotnet test --project tests/PaperGao.Api.Tests -c Release --no-build -- --filter-class '*FuzzTests*' | grep -E "^(failed|passed)|total:|succeeded:|failed:" || true
echo "--- figures ($((SECONDS - start)) s on this machine, shared with other work) ---"
cat "$report"
rm -f "$report"
