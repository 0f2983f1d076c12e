#!/usr/bin/env bash
# The editor end-to-end tests: installs what they need (client/e2e/setup.sh: apt packages, npm packages, code-server
# under .cache/), then runs the Neovim test (client/e2e/nvim/run.sh) and the VS Code test in code-server
# (client/e2e/vscode/run.sh, on the .vsix that `npm run package` builds, whose server is the NativeAOT binary), then the
# Neovim test again against that NativeAOT binary (the first Neovim run uses the JIT build). Idempotent; the second run reuses .cache/.
# Prints "e2e: N passed, N failed" (every check of both suites; a suite that dies before reporting counts as one failure)
# and, when E2E_COUNTS_FILE is set, writes "PASSED FAILED" there for scripts/test.sh. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

passed=0
failed=0
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

suite() {
  local name="$1"; shift
  echo "== e2e: $name"
  set +e
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  set -e
  local line p f
  line=$(grep -E "^$name e2e: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1 || true)
  p=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line"); p=${p:-0}
  f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line"); f=${f:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$code" -ne 0 ]; then
    echo "E2E FAILED: $name (exit code $code)" >&2
    status=1
  fi
}

if ! client/e2e/setup.sh; then
  echo "E2E FAILED: client/e2e/setup.sh" >&2
  failed=$((failed + 1)); status=1
else
  dotnet build server/AwsConfigLsp.Server -c Release --nologo -v quiet
  suite nvim client/e2e/nvim/run.sh
  echo "== e2e: building the .vsix (npm run package)"
  if npm run --silent package; then
    vsix="$repo/awsconfig-lsp-linux-x64-$(node -p 'require("./package.json").version').vsix"
    ls -la "$vsix"
    suite vscode env AWSCONFIG_E2E_VSIX="$vsix" client/e2e/vscode/run.sh
    # The NativeAOT binary that the .vsix ships passes the same Neovim checks as the JIT build above.
    aot="$repo/dist/server/linux-x64/awsconfig-lsp"
    if [ -x "$aot" ]; then
      suite nvim env AWSCONFIG_E2E_SERVER="$aot" client/e2e/nvim/run.sh
    else
      echo "E2E FAILED: no NativeAOT server at $aot after npm run package" >&2
      failed=$((failed + 1)); status=1
    fi
  else
    echo "E2E FAILED: npm run package" >&2
    failed=$((failed + 1)); status=1
  fi
fi

echo "e2e: ${passed} passed, ${failed} failed"
if [ -n "${E2E_COUNTS_FILE:-}" ]; then echo "$passed $failed" > "$E2E_COUNTS_FILE"; fi
exit "$status"
