#!/usr/bin/env bash
# VS Code end-to-end test: installs the extension's .vsix into a fresh code-server 4.100.3 (VS Code 1.100, installed by
# client/e2e/setup.sh under .cache/), starts it on a free loopback port with the S3 fixture as ~/.aws, and drives it
# with playwright-core and Debian's Chromium (test.mjs). Prints "ok / not ok" lines and "vscode e2e: N passed, N failed";
# exits non-zero on any failure.
#   AWSCONFIG_E2E_VSIX=path   use this .vsix (default: build it with `npm run package`)
#   UPDATE_SCREENSHOTS=1      write the screenshots into docs/images/ (default: a temporary folder)
#   AWSCONFIG_E2E_LOGS=dir    copy code-server's logs there at the end, with the client's LSP trace ("awsconfig.trace.server":
#                             "verbose": every request and notification with its parameters) in the AWS Config output log
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repo"
cs="$repo/.cache/code-server-4.100.3/node_modules/code-server"
[ -f "$cs/out/node/entry.js" ] || { echo "vscode e2e: FAIL: code-server is not installed; run client/e2e/setup.sh" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "vscode e2e: FAIL: /usr/bin/chromium is missing; run client/e2e/setup.sh" >&2; exit 1; }

vsix="${AWSCONFIG_E2E_VSIX:-}"
if [ -z "$vsix" ]; then
  npm run --silent package >/dev/null
  vsix="$repo/awsconfig-lsp-linux-x64-$(node -p 'require("./package.json").version').vsix"
fi
[ -f "$vsix" ] || { echo "vscode e2e: FAIL: no .vsix at $vsix" >&2; exit 1; }

# shellcheck source=../fake-aws.sh
source "$repo/client/e2e/fake-aws.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/vscode-e2e.XXXXXX")"
cs_pid=""
cleanup() {
  if [ -n "$cs_pid" ]; then kill "$cs_pid" 2>/dev/null || true; wait "$cs_pid" 2>/dev/null || true; fi
  if [ -n "${AWSCONFIG_E2E_LOGS:-}" ] && [ -d "$work/data/logs" ]; then
    mkdir -p "$AWSCONFIG_E2E_LOGS" && cp -r "$work/data/logs/." "$AWSCONFIG_E2E_LOGS/" && echo "code-server logs copied to $AWSCONFIG_E2E_LOGS"
  fi
  stop_fake_aws
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/.aws" "$work/data/User" "$work/extensions"
cp tests/AwsConfigLsp.Tests/Fixtures/Scenarios/S3/config "$work/home/.aws/config"
cp tests/AwsConfigLsp.Tests/Fixtures/Scenarios/S3/credentials "$work/home/.aws/credentials"
chmod 600 "$work/home/.aws/credentials"
cat > "$work/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "chat.commandCenter.enabled": false,
  "editor.minimap.enabled": false,
  "editor.hover.delay": 300,
  "window.commandCenter": false,
  "files.autoSave": "off"
}
JSON
if [ -n "${AWSCONFIG_E2E_LOGS:-}" ]; then
  python3 - "$work/data/User/settings.json" <<'PY'
import json, sys
path = sys.argv[1]
settings = json.load(open(path))
settings["awsconfig.trace.server"] = "verbose"
json.dump(settings, open(path, "w"), indent=2)
PY
fi
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$work/config.yaml"

export HOME="$work/home"
unset AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
code_server=(node "$cs/out/node/entry.js" --config "$work/config.yaml" --user-data-dir "$work/data" --extensions-dir "$work/extensions")
"${code_server[@]}" --install-extension "$vsix" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; echo "vscode e2e: FAIL: installing $vsix" >&2; exit 1; }

if start_fake_aws "$work" "$repo/client/e2e/s3-scenario.json"; then
  export AWSCONFIG_E2E_FAKE_STS="$FAKE_STS"
fi

log_args=()
# The client logs its LSP trace at the "trace" level of its output channel: let that level through.
[ -n "${AWSCONFIG_E2E_LOGS:-}" ] && log_args=(--log trace)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${code_server[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-workspace-trust --disable-telemetry \
  --disable-update-check --disable-getting-started-override --ignore-last-opened "${log_args[@]}" >"$work/code-server.log" 2>&1 &
cs_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$cs_pid" 2>/dev/null || { cat "$work/code-server.log" >&2; echo "vscode e2e: FAIL: code-server exited" >&2; exit 1; }
  sleep 0.2
done
echo "code-server $("${code_server[@]}" --version | head -1) at http://127.0.0.1:$port; extension $(basename "$vsix")"

shots="$work/shots"
[ "${UPDATE_SCREENSHOTS:-0}" = 1 ] && shots="$repo/docs/images"
set +e
CODE_SERVER_URL="http://127.0.0.1:$port" AWSCONFIG_E2E_HOME="$work/home" AWSCONFIG_E2E_SHOTS="$shots" AWSCONFIG_E2E_FAILURES="$work/failure" \
  timeout 600 node client/e2e/vscode/test.mjs 2>&1 | tee "$work/out.txt"
status=${PIPESTATUS[0]}
set -e
if ! grep -q "^vscode e2e: [0-9]* passed, 0 failed" "$work/out.txt"; then
  echo "--- code-server log (last 40 lines)" >&2
  tail -40 "$work/code-server.log" >&2
  find "$work/data/logs" -name '*AWS Config*' -exec sh -c 'echo "--- $1"; tail -40 "$1"' _ {} \; >&2 2>/dev/null || true
  if [ -f "$work/failure/failure.png" ]; then
    mkdir -p "$repo/.cache/e2e-failures" && cp "$work/failure/failure.png" "$repo/.cache/e2e-failures/vscode-failure.png"
    echo "screenshot of the failure: .cache/e2e-failures/vscode-failure.png" >&2
  fi
  echo "vscode e2e: FAIL (exit code $status)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
