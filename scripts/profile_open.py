#!/usr/bin/env python3
"""Where the CPU of the server's open goes: runs the server under `perf record`, opens a config and its credentials
like an editor (initialize, didOpen both), waits for the config's first publishDiagnostics, stops, and prints the
samples by phase (the first of the phase's functions found on the stack, from the leaf) and the share of each phase
spent in the garbage collector. Used by scripts/profile-open; see docs/performance.md."""
import collections
import json
import os
import re
import signal
import subprocess
import sys

# (phase, a function name on the stack that marks it), checked in this order.
PHASES = [
    ("value index (after the publish)", "ValueIndex__Update"),
    ("analysis", "DiagnosticEngine"),
    ("publish JSON", "DiagnosticsJson__Write"),
    ("model", "ConfigFile__"),
    ("model", "ProfileModel"),
    ("parse", "SyntaxParser"),
    ("frame check + text decode", "LspFrameFilter"),
    ("message parse + bind", "LspMessageFormatter"),
    ("send", "NotifyLsp"),
    ("background GC thread", "bgc_thread_function"),
]


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def drive(command, folder):
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(message):
        server.stdin.write(frame(json.dumps(message).encode()))
        server.stdin.flush()

    def receive():
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = server.stdout.read(1)
            if not byte:
                raise SystemExit("the server ended before its first publish")
            header += byte
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
        return json.loads(server.stdout.read(length))

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    while receive().get("id") != 1:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uris = {}
    for name, language in (("config", "awsconfig"), ("credentials", "awscredentials")):
        path = os.path.join(folder, name)
        uris[name] = "file://" + path
        with open(path, encoding="utf-8") as text:
            send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                  "params": {"textDocument": {"uri": uris[name], "languageId": language, "version": 1, "text": text.read()}}})
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uris["config"]:
            print(f"first publish: {len(message['params']['diagnostics'])} diagnostics", file=sys.stderr)
            break
    # perf writes its file when interrupted; the server goes with it.
    server.send_signal(signal.SIGINT)
    server.wait(timeout=120)


def stacks(data):
    script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True, check=True).stdout
    current = []
    for line in script.splitlines():
        if not line.strip():
            if current:
                yield current
            current = []
        elif line[0] in " \t":
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                current.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].rsplit(" (", 1)[0]))
    if current:
        yield current


def report(data, frequency):
    samples = collections.Counter()
    in_gc = collections.Counter()
    for stack in stacks(data):
        phase = next((name for name, marker in PHASES if any(marker in function for function in stack)), "other (runtime, kernel, waits)")
        samples[phase] += 1
        if any("gc_heap" in function for function in stack):
            in_gc[phase] += 1
    total = sum(samples.values())
    print(f"| phase | CPU ms | of which GC ms | share |")
    print(f"|---|---:|---:|---:|")
    for phase, count in samples.most_common():
        print(f"| {phase} | {count * 1000 / frequency:.0f} | {in_gc[phase] * 1000 / frequency:.0f} | {count / total:.0%} |")
    print(f"| all | {total * 1000 / frequency:.0f} | {sum(in_gc.values()) * 1000 / frequency:.0f} | |")


def timed_stacks(data):
    """(seconds, thread id, stack) of each sample."""
    script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True, check=True).stdout
    current = None
    for line in script.splitlines():
        if not line.strip():
            if current:
                yield current
            current = None
        elif line[0] not in " \t":
            match = re.search(r"\s(\d+)\s+(?:\[\d+\]\s+)?([\d.]+):", line)
            current = (float(match.group(2)), match.group(1), []) if match else None
        elif current is not None:
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                current[2].append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].rsplit(" (", 1)[0]))
    if current:
        yield current


def timeline(data, frequency, bucket_ms=10):
    """Per 10 ms from the frame check to the value index: how many cores worked, how much of it in the collector, and
    the busiest phases. A stretch at 1.0 core is work on one thread (or a blocking collection, which stops the others)."""
    samples = [(t, tid, stack, next((name for name, marker in PHASES if any(marker in f for f in stack)), "other"))
               for t, tid, stack in timed_stacks(data)]
    starts = [t for t, _, _, phase in samples if phase == "frame check + text decode"]
    if not starts:
        return
    t0 = min(starts)
    per_core = frequency * bucket_ms / 1000
    buckets = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for t, _, stack, phase in samples:
        at = int((t - t0) * 1000 // bucket_ms)
        if at < 0:
            continue
        buckets[at][0] += 1
        if any("gc_heap" in function for function in stack):
            buckets[at][1] += 1
        buckets[at][2][phase] += 1
    print(f"| ms | cores busy | in the collector | phases (samples) |")
    print(f"|---:|---:|---:|---|")
    for at in sorted(buckets):
        count, gc, phases = buckets[at]
        print(f"| {at * bucket_ms} | {count / per_core:.2f} | {gc / per_core:.2f} | " + ", ".join(f"{p} {n}" for p, n in phases.most_common(3)) + " |")


if __name__ == "__main__":
    server, folder, data, frequency = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    drive(["perf", "record", "-q", "-F", str(frequency), "-g", "-o", data, "--", server], folder)
    report(data, frequency)
    if len(sys.argv) > 5 and sys.argv[5] == "--timeline":
        print()
        timeline(data, frequency)
