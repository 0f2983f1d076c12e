#!/usr/bin/env bash
# Sets up and runs every test: restore, build (warnings are errors), the xunit suite, the NativeAOT handshake, and the
# editor end-to-end tests (scripts/e2e.sh: Neovim headless, VS Code in code-server; installs what they need).
# Needs: the .NET 10 SDK, python3 with botocore (the AWS CLI's library; the differential tests compare against it), gcc (NativeAOT linker).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

"$root/scripts/setup.sh"

dotnet build AwsConfigLsp.sln -c Release --nologo -v quiet
log=$(mktemp)
set +e
dotnet test tests/AwsConfigLsp.Tests -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ -x tests/aot-handshake/run.sh ]; then
  if ! tests/aot-handshake/run.sh; then
    echo "NativeAOT handshake failed"
    status=1
    aot_failed=1
  fi
fi

e2e_counts=$(mktemp)
echo "0 1" > "$e2e_counts"
if ! E2E_COUNTS_FILE="$e2e_counts" ./scripts/e2e.sh; then
  echo "Editor end-to-end tests failed"
  status=1
fi
read -r e2e_passed e2e_failed < "$e2e_counts"
rm -f "$e2e_counts"

# One plain closing line for CI: "N passed, N failed".
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=${failed:-0}
if [ "${aot_failed:-0}" = 1 ]; then failed=$((failed + 1)); else passed=$((passed + 1)); fi
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
