#!/usr/bin/env bash
# Publishes the server into dist/server for the extension:
#   dist/server/RID/awsconfig-lsp   NativeAOT binary for RID (default linux-x64; NativeAOT builds only for the machine's OS)
#   dist/server/any/awsconfig-lsp.dll  framework-dependent build, run with `dotnet` where no native binary fits
# Usage: client/vscode/publish-server.sh [RID]     (RID also from $AWSCONFIG_RID; "any": only the portable dll)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rid="${1:-${AWSCONFIG_RID:-linux-x64}}"
out="$repo/dist/server"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
publish() {
  if ! dotnet publish "$repo/server/AwsConfigLsp.Server" -c Release --nologo "$@" >"$log" 2>&1; then
    grep -E "error|warning" "$log" >&2 || cat "$log" >&2
    echo "publish-server.sh: FAIL: dotnet publish $* failed" >&2
    exit 1
  fi
}
rm -rf "$out"
if [ "$rid" != any ]; then
  echo "Publishing the NativeAOT server for $rid ..."
  publish -r "$rid" -p:PublishAot=true -o "$out/$rid"
  # Only the executable is needed at run time (debug symbols stay out of the package).
  find "$out/$rid" -type f ! -name 'awsconfig-lsp' ! -name 'awsconfig-lsp.exe' -delete
  ls -la "$out/$rid"
fi
echo "Publishing the framework-dependent server (dotnet awsconfig-lsp.dll) ..."
publish -o "$out/any" -p:UseAppHost=false
find "$out/any" -name '*.pdb' -delete
du -sh "$out/any"
