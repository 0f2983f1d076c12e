#!/usr/bin/env bash
# Publishes the server with NativeAOT and runs an LSP handshake against the native binary (handshake.py).
# NativeAOT trims and pre-compiles everything, so a type missing from LspJsonContext or a reflection-only code path
# shows up only here, never in the JIT-run tests.
#
# Usage: tests/aot-handshake/run.sh            publish into a temp folder, then run the handshake
#        AOT_BINARY=path tests/aot-handshake/run.sh   run the handshake against an already published binary
# Needs the .NET SDK, a C toolchain for the native link (clang, or gcc as here), and python3 (stdlib only).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rid="${RID:-linux-x64}"
work="$(mktemp -d "${TMPDIR:-/tmp}/aot-handshake.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

binary="${AOT_BINARY:-}"
if [[ -z "$binary" ]]; then
    echo "Publishing server/AwsConfigLsp.Server with NativeAOT for $rid ..."
    started=$(date +%s)
    if ! dotnet publish "$repo/server/AwsConfigLsp.Server" -c Release -r "$rid" -p:PublishAot=true -o "$work/publish" >"$work/publish.log" 2>&1; then
        grep -E "error|warning" "$work/publish.log" >&2 || cat "$work/publish.log" >&2
        fail "dotnet publish with PublishAot=true failed (log above)."
    fi
    echo "Published in $(( $(date +%s) - started )) s."
    # The server's trimming/AOT warnings are fixed, not suppressed: any that comes back fails this check.
    if grep -E "warning (IL|IL3)[0-9]+" "$work/publish.log" >&2; then
        fail "NativeAOT publish reported trimming/AOT warnings (above)."
    fi
    binary="$work/publish/awsconfig-lsp"
fi

[[ -x "$binary" ]] || fail "no executable at $binary"
size=$(stat -c %s "$binary")
echo "Binary: $binary ($size bytes, $(( size / 1024 / 1024 )) MiB)."

# The shipped binary runs as NativeAOT with the collector settings compiled into it (GCGen0MaxBudget in the
# server's csproj: NativeAOT reads no runtimeconfig.json, so a lost IlcArg would silently bring back the larger peak).
report="$("$binary" --version)" || fail "$binary --version failed"
grep -q "NativeAOT" <<<"$report" || fail "--version does not report NativeAOT: $report"
# The runtime reports the budget in effect: the smaller of the compiled-in cap and what it derives from the cache size
# (80 MiB on the machines here), so the check is "at most 6 MiB", which a lost IlcArg fails wherever the cap matters.
budget="$(sed -n 's/^garbage collector: workstation, concurrent, gen0 budget at most \([0-9.]*\) MiB$/\1/p' <<<"$report")"
[[ -n "$budget" ]] && awk -v b="$budget" 'BEGIN { exit !(b <= 6) }' \
    || fail "--version does not report the compiled-in collector settings (workstation, concurrent, gen0 budget at most 6 MiB): $report"
# Linux: the collector's commits are populated in one call each (server/AwsConfigLsp.Server/Native/commit_populate.c).
# A lost link step, or a runtime that stopped committing through mprotect, would bring back one page fault per page
# (~400 ms of a 50k-profile open in the machines of docs/performance.md) without any other sign.
if [[ "$rid" == linux* ]]; then
    grep -Eq "^committed memory: populated in one call per commit \([1-9][0-9]* commits" <<<"$report" \
        || fail "--version does not report populated commits (kernel $(uname -r)): $report"
    off="$(AWSCONFIG_LSP_POPULATE=0 "$binary" --version)" || fail "$binary --version failed with AWSCONFIG_LSP_POPULATE=0"
    grep -q "^committed memory: populate off" <<<"$off" || fail "AWSCONFIG_LSP_POPULATE=0 does not turn populating off: $off"
fi
echo "OK: $(tr '\n' ' ' <<<"$report")"

python3 "$repo/tests/aot-handshake/handshake.py" "$binary"
# The AWS path (AWSSDK.SecurityToken under NativeAOT) against the loopback fakes.
python3 "$repo/tests/aot-handshake/test_profile.py" "$binary"
