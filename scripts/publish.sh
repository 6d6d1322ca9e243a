#!/usr/bin/env bash
# Builds PaperGao as self-contained single-file executables (no .NET needed where they run, dashboard embedded):
#   dist/papergao-linux-x64, dist/papergao-linux-arm64
# Usage: scripts/publish.sh [RID...]   (also ./papergao publish [RID...]; default: linux-x64 linux-arm64)
# Env: PAPERGAO_PUBLISH_READYTORUN=0  skip ReadyToRun (smaller file, slower start; docs/deploy.md has the figures)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rids=("$@")
if (( ${#rids[@]} == 0 )); then rids=(linux-x64 linux-arm64); fi
r2r="${PAPERGAO_PUBLISH_READYTORUN:-1}"

mkdir -p "$root/dist"
for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64|linux-arm64) ;;
    *) echo "unsupported runtime '$rid' (linux-x64 or linux-arm64; the lock files hold these two)" >&2; exit 2 ;;
  esac
  out="$root/artifacts/publish/papergao-$rid"
  rm -rf "$out"
  echo "publishing $rid..." >&2
  # --locked-mode: the packages are exactly those of the committed lock files (their linux-* sections).
  # PaperGaoReleaseRid (PaperGao.Server.csproj) makes it self-contained and single-file for that runtime.
  dotnet publish "$root/src/PaperGao.Server/PaperGao.Server.csproj" -c Release -p:PaperGaoReleaseRid="$rid" \
    -p:RestoreLockedMode=true -p:PublishReadyToRun="$([[ "$r2r" == 0 ]] && echo false || echo true)" \
    -o "$out" --nologo -clp:ErrorsOnly >&2
  install -m 0755 "$out/papergao" "$root/dist/papergao-$rid"
  echo "$root/dist/papergao-$rid ($(du -h "$root/dist/papergao-$rid" | cut -f1))" >&2
done
