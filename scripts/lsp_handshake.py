#!/usr/bin/env python3
"""Starts the language server given on the command line, does initialize / didOpen / shutdown / exit over stdio,
prints what the server advertises and the diagnostics it publishes for the sample config, and exits non-zero on
any problem. Used by scripts/run.sh (and by tests/aot-handshake when given a native binary)."""
import json
import os
import subprocess
import sys
import time


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def main():
    command = sys.argv[1:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sample = os.path.join(root, "samples", "config")
    started = time.monotonic()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}}})
    reply = receive(proc)
    elapsed = (time.monotonic() - started) * 1000
    print(f"initialize answered in {elapsed:.0f} ms: {json.dumps(reply['result']['capabilities'])}")
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    with open(sample, encoding="utf-8") as handle:
        text = handle.read()
    uri = "file://" + sample
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "awsconfig", "version": 1, "text": text}}})
    while True:
        message = receive(proc)
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            codes = sorted({d["code"] for d in message["params"]["diagnostics"]})
            print(f"publishDiagnostics for samples/config: {len(message['params']['diagnostics'])} diagnostics {codes}")
            if not codes:
                raise SystemExit("expected diagnostics for the sample config")
            break
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    while receive(proc).get("id") != 2:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    code = proc.wait(timeout=10)
    print(f"server exited with {code}")
    raise SystemExit(code)


if __name__ == "__main__":
    main()
