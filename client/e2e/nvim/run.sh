#!/usr/bin/env bash
# Neovim end-to-end test: copies the S3 fixture into a temporary HOME (~/.aws/config, ~/.aws/credentials) and runs
# `nvim --headless -u client/e2e/nvim/test.lua` against the server. Prints the test's "ok / not ok" lines and a last line
# "nvim e2e: N passed, N failed"; exits non-zero on any failure.
# Server: $AWSCONFIG_E2E_SERVER (a command line), else the Release build's awsconfig-lsp.dll via dotnet (built if missing).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
command -v nvim >/dev/null || { echo "nvim e2e: FAIL: nvim is not installed (client/e2e/setup.sh installs it)" >&2; exit 1; }

server="${AWSCONFIG_E2E_SERVER:-}"
if [ -z "$server" ]; then
  dll="$repo/server/AwsConfigLsp.Server/bin/Release/net10.0/awsconfig-lsp.dll"
  [ -f "$dll" ] || dotnet build "$repo/server/AwsConfigLsp.Server" -c Release --nologo -v quiet
  server="dotnet $dll"
fi

# shellcheck source=../fake-aws.sh
source "$repo/client/e2e/fake-aws.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/nvim-e2e.XXXXXX")"
cleanup() {
  stop_fake_aws
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/.aws" "$work/xdg"
cp "$repo/tests/AwsConfigLsp.Tests/Fixtures/Scenarios/S3/config" "$work/home/.aws/config"
cp "$repo/tests/AwsConfigLsp.Tests/Fixtures/Scenarios/S3/credentials" "$work/home/.aws/credentials"
chmod 600 "$work/home/.aws/credentials"

# The loopback STS of the project (tests/AwsConfigLsp.FakeAws), for the code lens: started when it exists.
if start_fake_aws "$work" "$repo/client/e2e/s3-scenario.json"; then
  export AWSCONFIG_E2E_FAKE_STS="$FAKE_STS"
fi

echo "nvim: $(nvim --version | head -1); server: $server"
# A clean Neovim: no user config, no shada, the fixture as HOME; the server's AWS variables point at the loopback fakes.
set +e
env -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
  HOME="$work/home" XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg" XDG_STATE_HOME="$work/xdg" XDG_CACHE_HOME="$work/xdg" \
  AWSCONFIG_E2E_REPO="$repo" AWSCONFIG_E2E_HOME="$work/home" AWSCONFIG_E2E_SERVER="$server" \
  timeout 300 nvim --headless -i NONE -u "$repo/client/e2e/nvim/test.lua" 2>&1 | tee "$work/out.txt"
status=${PIPESTATUS[0]}
set -e
if ! grep -q "^nvim e2e: [0-9]* passed, 0 failed" "$work/out.txt"; then
  echo "nvim e2e: FAIL (exit code $status)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
