#!/usr/bin/env bash
# The main job for a newcomer: build the server, check your AWS config files (or the samples when you have none),
# show every profile's credential chain, then start the language server and do an LSP handshake with it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

"$root/scripts/setup.sh"
dotnet build server/AwsConfigLsp.Server -c Release --nologo -v quiet
server="dotnet $root/server/AwsConfigLsp.Server/bin/Release/net10.0/awsconfig-lsp.dll"

config=${AWS_CONFIG_FILE:-$HOME/.aws/config}
credentials=${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}
if [ ! -f "$config" ] && [ ! -f "$credentials" ]; then
  echo "No $config or $credentials here: using the sample files in samples/."
  config=$root/samples/config
  credentials=$root/samples/credentials
fi

echo "== awsconfig-lsp check --config $config --credentials $credentials"
$server check --config "$config" --credentials "$credentials" || true
echo
echo "== awsconfig-lsp resolve --all"
$server resolve --all --config "$config" --credentials "$credentials" || true
echo
echo "== starting the language server (stdio) for an LSP handshake"
python3 "$root/scripts/lsp_handshake.py" $server
