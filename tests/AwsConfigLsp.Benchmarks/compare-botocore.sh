#!/usr/bin/env bash
# Compares opening generated config/credentials files in AwsConfigLsp with botocore reading the same files.
#
#   tests/AwsConfigLsp.Benchmarks/compare-botocore.sh            # 10k and 50k profiles
#   SIZES="1000 10000" RUNS=5 tests/AwsConfigLsp.Benchmarks/compare-botocore.sh
#
# botocore side (in-process, python3 on PATH with botocore installed): botocore.configloader.load_config(config)
# plus botocore.configloader.raw_config_parse(credentials), which is what a botocore Session reads from the two files.
# The heap of the previous run is dropped and gc.collect() runs before each timed run. Median of RUNS (default 3) of
# the elapsed time and, separately, of the process CPU time (time.process_time()).
#
# AwsConfigLsp side: the quick mode reading the same files from disk: read + strict UTF-8 decode of both files,
# SyntaxParser.Parse, ConfigFile.Create, ProfileModel and DiagnosticEngine.Analyze (which resolves the credential
# chain of every profile: more work than botocore's load, which resolves none). Median of RUNS after a warm-up, elapsed
# and process CPU time (all threads, the GC's included). On a machine busy with other work, compare the CPU columns.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sizes="${SIZES:-10000 50000}"
runs="${RUNS:-3}"
python="${PYTHON:-python3}"

dir="$(mktemp -d "${TMPDIR:-/tmp}/awsconfig-lsp-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

"$python" -c 'import botocore' 2>/dev/null || { echo "error: $python cannot import botocore" >&2; exit 1; }
echo "building the benchmarks (Release)..." >&2
dotnet build -c Release "$here/AwsConfigLsp.Benchmarks.csproj" --nologo -v quiet >/dev/null
run_bench() { dotnet run -c Release --no-build --project "$here/AwsConfigLsp.Benchmarks.csproj" -- "$@"; }

for n in $sizes; do
  run_bench --write "$dir/$n" "$n" >&2
done

echo "timing botocore $("$python" -c 'import botocore; print(botocore.__version__)') (median of $runs)..." >&2
"$python" - "$dir" "$runs" $sizes > "$dir/botocore.tsv" <<'PY'
import gc
import statistics
import sys
import time

import botocore.configloader as configloader

directory, runs, sizes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for size in sizes:
    config_path = f"{directory}/{size}/config"
    credentials_path = f"{directory}/{size}/credentials"
    wall, cpu = [], []
    config = credentials = None
    for _ in range(runs):
        config = credentials = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        config = configloader.load_config(config_path)
        credentials = configloader.raw_config_parse(credentials_path)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    profiles = len(set(config["profiles"]) | set(credentials))
    print(f"{size}\t{statistics.median(wall):.1f}\t{statistics.median(cpu):.1f}\t{profiles}")
PY

echo "timing AwsConfigLsp quick mode (median of $runs)..." >&2
run_bench quick --sizes "$(echo $sizes | tr ' ' ',')" --runs "$runs" --dir "$dir" --tsv > "$dir/ours.tsv"

"$python" - "$dir" "$runs" <<'PY'
import os
import sys

directory, runs = sys.argv[1], sys.argv[2]
botocore = {}
for line in open(f"{directory}/botocore.tsv"):
    size, wall, cpu, profiles = line.rstrip("\n").split("\t")
    botocore[size] = (float(wall), float(cpu), int(profiles))
ours = {}
for line in open(f"{directory}/ours.tsv"):
    size, scenario, wall, cpu = line.rstrip("\n").split("\t")
    ours[(size, scenario)] = (float(wall), float(cpu))

load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
print(f"\n{os.cpu_count()} cores, load average {load:.1f}; medians of {runs} runs; ms; ratio = botocore / AwsConfigLsp")
print("wall = elapsed time; cpu = CPU time of the process (less disturbed by other processes on a busy machine)\n")
print("| profiles | config MiB | botocore wall | botocore cpu | AwsConfigLsp open wall | AwsConfigLsp open cpu | ratio wall | ratio cpu | AwsConfigLsp parse only wall / cpu |")
print("|---------:|-----------:|--------------:|-------------:|-----------------------:|----------------------:|-----------:|----------:|-----------------------------------:|")
for size, (boto_wall, boto_cpu, profiles) in botocore.items():
    open_wall, open_cpu = ours[(size, "open from disk (read+decode+open)")]
    parse_wall, parse_cpu = ours[(size, "parse only (both files)")]
    mib = os.path.getsize(f"{directory}/{size}/config") / 1024 / 1024
    print(f"| {int(size):>8} | {mib:>10.2f} | {boto_wall:>13.0f} | {boto_cpu:>12.0f} | {open_wall:>22.0f} | {open_cpu:>21.0f} | "
          f"{boto_wall / open_wall:>9.1f}x | {boto_cpu / open_cpu:>8.1f}x | {parse_wall:>26.0f} / {parse_cpu:.0f} |")
PY
