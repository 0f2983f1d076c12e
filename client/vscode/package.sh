#!/usr/bin/env bash
# npm run package [-- RID]: builds the server (NativeAOT for RID, default linux-x64, plus the portable dll), bundles
# the client with esbuild, and writes awsconfig-lsp-RID-VERSION.vsix in the repository root with @vscode/vsce.
# NativeAOT compiles only for the OS it runs on: build osx-arm64 on a Mac, win-x64 on Windows (with Git Bash), or
# use RID "any" for a package that runs the portable server with `dotnet` everywhere.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
rid="${1:-${AWSCONFIG_RID:-linux-x64}}"
version=$(node -p 'require("./package.json").version')
# vsce names platforms as VS Code does.
case "$rid" in
  osx-*) target="darwin-${rid#osx-}" ;;
  win-*) target="win32-${rid#win-}" ;;
  linux-musl-*) target="alpine-${rid#linux-musl-}" ;;
  *) target="$rid" ;;
esac
# "any": one package for every platform, with the portable server only (needs the .NET 10 runtime).
target_args=(--target "$target")
[ "$rid" = any ] && target_args=()
bash client/vscode/publish-server.sh "$rid"
node client/vscode/build.mjs --minify
npx --no-install vsce package --no-dependencies --skip-license "${target_args[@]}" \
  --readme-path client/vscode/README.md -o "awsconfig-lsp-$rid-$version.vsix"
echo "Wrote $repo/awsconfig-lsp-$rid-$version.vsix"
