#!/usr/bin/env bash
# Sets up and runs every test: restore, build (warnings are errors), the xunit suite, and the NativeAOT handshake.
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

# One plain closing line for CI: "N passed, N failed".
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=${failed:-0}
if [ "${aot_failed:-0}" = 1 ]; then failed=$((failed + 1)); else passed=$((passed + 1)); fi
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
