#!/usr/bin/env python3
"""An LSP handshake against the awsconfig-lsp executable, failing loudly on any mismatch.

Usage: python3 handshake.py PATH-TO-SERVER-EXECUTABLE [ARGS...]

initialize -> initialized -> didOpen a config with a source_profile loop -> publishDiagnostics, then the requests
whose types NativeAOT must keep (documentSymbol, foldingRange, errors, $/cancelRequest, a malformed message),
then shutdown -> exit, which must end the process with exit code 0. Standard library only.
The server runs with HOME and the AWS_* file variables pointing into a temp folder, never at the real ~/.aws.
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 10.0

CONFIG = """[profile a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = b

[profile b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = a

[profile keys]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""

# Every capability must be advertised; each one's handler is exercised below or in the xunit suite.
EXPECTED_CAPABILITIES = {
    "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},
    "documentSymbolProvider": True,
    "foldingRangeProvider": True,
    "hoverProvider": True,
    "definitionProvider": True,
    "referencesProvider": True,
    "completionProvider": {"triggerCharacters": ["=", " ", "[", ":", "/"], "resolveProvider": True},
}


class HandshakeError(Exception):
    pass


def check(condition, message):
    if not condition:
        raise HandshakeError(message)


class Server:
    def __init__(self, command, env):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.messages = queue.Queue()
        self.pending = []
        self.stderr = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length is None:
                self.messages.put(HandshakeError("a message without Content-Length"))
                return
            body = stream.read(length)
            try:
                self.messages.put(json.loads(body.decode("utf-8")))
            except ValueError as error:
                self.messages.put(HandshakeError(f"the server sent invalid JSON ({error}): {body[:200]!r}"))

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr.append(line.decode("utf-8", "replace").rstrip())

    def write_raw(self, data):
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except OSError as error:
            raise HandshakeError(f"cannot write to the server ({error}); it exited with {self.process.poll()}")

    def send(self, message):
        message = dict(message, jsonrpc="2.0")
        body = json.dumps(message).encode("utf-8")
        self.write_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, request_id, method, params=None):
        self.send({"id": request_id, "method": method, "params": params} if params is not None else {"id": request_id, "method": method})

    def notify(self, method, params=None):
        self.send({"method": method, "params": params} if params is not None else {"method": method})

    def wait_for(self, predicate, what):
        """The first message (seen before or arriving within TIMEOUT) that matches predicate."""
        for index, message in enumerate(self.pending):
            if predicate(message):
                return self.pending.pop(index)
        deadline = time.monotonic() + TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            check(remaining > 0, f"no {what} within {TIMEOUT} s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise HandshakeError(f"no {what} within {TIMEOUT} s")
            if message is None:
                raise HandshakeError(f"the server closed stdout while waiting for {what}")
            if isinstance(message, Exception):
                raise message
            if predicate(message):
                return message
            self.pending.append(message)

    def response(self, request_id):
        return self.wait_for(lambda m: m.get("id") == request_id and ("result" in m or "error" in m), f"response to request {request_id!r}")

    def result(self, request_id):
        response = self.response(request_id)
        check("error" not in response, f"request {request_id!r} failed: {response.get('error')}")
        return response["result"]

    def error(self, request_id, code):
        response = self.response(request_id)
        check("error" in response, f"request {request_id!r} should fail with {code}, got {response}")
        error = response["error"]
        check(error.get("code") == code, f"request {request_id!r}: expected error {code}, got {error}")
        message = error.get("message", "")
        check("\n" not in message and "   at " not in message, f"request {request_id!r}: the error message carries a stack trace: {message!r}")
        data = json.dumps(error.get("data"))
        check("   at " not in data, f"request {request_id!r}: error.data carries a stack trace: {data}")
        return error


def run(command):
    timings = {}
    with tempfile.TemporaryDirectory(prefix="aot-handshake-") as folder:
        aws = os.path.join(folder, "home", ".aws")
        os.makedirs(aws)
        config_path = os.path.join(aws, "config")
        credentials_path = os.path.join(aws, "credentials")
        with open(credentials_path, "w") as credentials:
            credentials.write("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n")
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env.update(HOME=os.path.join(folder, "home"), AWS_CONFIG_FILE=config_path, AWS_SHARED_CREDENTIALS_FILE=credentials_path)
        config_uri = "file://" + config_path

        started = time.monotonic()
        server = Server(command, env)
        try:
            server.request(1, "initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
            initialize = server.result(1)
            timings["initialize"] = time.monotonic() - started
            advertised = initialize.get("capabilities", {})
            check(all(advertised.get(k) == v for k, v in EXPECTED_CAPABILITIES.items()),
                  f"capabilities differ:\n  expected at least {EXPECTED_CAPABILITIES}\n  got      {advertised}")
            check(initialize.get("serverInfo", {}).get("name") == "awsconfig-lsp", f"serverInfo: {initialize.get('serverInfo')}")
            server.notify("initialized", {})

            server.notify("textDocument/didOpen", {"textDocument": {"uri": config_uri, "languageId": "ini", "version": 1, "text": CONFIG}})
            published = server.wait_for(
                lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == config_uri,
                f"publishDiagnostics for {config_uri}")["params"]
            timings["diagnostics"] = time.monotonic() - started
            check(published.get("version") == 1, f"publishDiagnostics version: {published.get('version')}")
            diagnostics = published["diagnostics"]
            # Errors only: [profile keys] keeps static keys in the config, which also earns an information-level hint.
            found = [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"], len(d.get("relatedInformation", [])))
                     for d in diagnostics if d.get("severity") == 1]
            check(found == [("source-profile-loop", 2, 17, 1), ("source-profile-loop", 6, 17, 1)],
                  f"diagnostics (code, line, character, related) differ: {found}")

            server.request(2, "textDocument/documentSymbol", {"textDocument": {"uri": config_uri}})
            symbols = server.result(2)
            check([s["name"] for s in symbols] == ["a", "b", "keys"], f"document symbols: {[s.get('name') for s in symbols]}")
            details = {c["name"]: c.get("detail") for c in symbols[2].get("children", [])}
            check(details.get("aws_secret_access_key") == "****", f"the secret is not masked: {details}")

            server.request(3, "textDocument/foldingRange", {"textDocument": {"uri": config_uri}})
            folds = server.result(3)
            check({(f["startLine"], f["endLine"]) for f in folds} >= {(0, 2), (4, 6), (8, 10)}, f"folding ranges: {folds}")

            server.request(4, "textDocument/noSuchMethod", {"textDocument": {"uri": config_uri}, "position": {"line": 0, "character": 0}})
            server.error(4, -32601)
            server.request("hover", "textDocument/hover", {"textDocument": {"uri": config_uri}, "position": {"line": 0, "character": 10}})
            hover = server.result("hover")
            check(hover is not None and "keys" not in hover["contents"]["value"] and "loop" in hover["contents"]["value"].lower(),
                  f"hover on profile a: {hover}")
            server.request("definition", "textDocument/definition", {"textDocument": {"uri": config_uri}, "position": {"line": 2, "character": 18}})
            definition = server.result("definition")
            check([d["range"]["start"]["line"] for d in definition] == [4], f"definition of source_profile b: {definition}")
            server.request("completion", "textDocument/completion", {"textDocument": {"uri": config_uri}, "position": {"line": 2, "character": 18}})
            completion = server.result("completion")
            items = [(i["label"], i.get("detail"), i.get("tags"), i["textEdit"]["range"]["start"]["character"], i["textEdit"]["range"]["end"]["character"])
                     for i in completion["items"]]
            check(completion["isIncomplete"] is False and items == [("keys", "static", None, 17, 18), ("default", "static", None, 17, 18), ("b", "would create a loop", [1], 17, 18)],
                  f"completion of source_profile in profile a: {completion}")
            server.request(5, "textDocument/documentSymbol", {})
            server.error(5, -32602)
            server.request(6, "textDocument/documentSymbol", {"textDocument": {"uri": 42}})
            server.error(6, -32602)

            server.request("cancel-me", "textDocument/documentSymbol", {"textDocument": {"uri": config_uri}})
            server.notify("$/cancelRequest", {"id": "cancel-me"})
            cancelled = server.response("cancel-me")
            check("result" in cancelled or cancelled["error"].get("code") == -32800, f"cancelled request: {cancelled}")

            server.write_raw(b"Content-Length: 9\r\n\r\n{not json")
            server.request(7, "textDocument/foldingRange", {"textDocument": {"uri": config_uri}})
            server.result(7)

            # Code lenses of a role profile compute the AWS CLI cache's file name (a SHA-1) for each role: that must not
            # load OpenSSL (~4 MiB resident for the process's life), which only "Test this profile" needs, for HTTPS.
            end = CONFIG.count("\n")
            server.notify("textDocument/didChange", {"textDocument": {"uri": config_uri, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}},
                 "text": "\n[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = keys\n"}]})
            server.request("lens", "textDocument/codeLens", {"textDocument": {"uri": config_uri}})
            lenses = server.result("lens")
            check(any(l["range"]["start"]["line"] == end + 1 and l["command"]["title"] == "Test this profile" for l in lenses),
                  f"code lens of the added role profile r: {lenses}")
            with open(f"/proc/{server.process.pid}/maps") as maps:
                crypto = [line.strip() for line in maps if "libcrypto" in line or "libssl" in line]
            check(not crypto, f"OpenSSL was loaded without a call to AWS: {crypto[:2]}")

            server.request(8, "shutdown")
            check(server.result(8) is None, "shutdown must answer null")
            server.notify("exit")
            try:
                exit_code = server.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise HandshakeError(f"the server did not exit within {TIMEOUT} s after exit")
            timings["exit"] = time.monotonic() - started
            check(exit_code == 0, f"exit code {exit_code} after shutdown and exit (expected 0)")
        except HandshakeError:
            if server.process.poll() is None:
                server.process.kill()
            server.process.wait()
            if server.stderr:
                print("server stderr:\n  " + "\n  ".join(server.stderr), file=sys.stderr)
            raise
    return timings


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        timings = run(sys.argv[1:])
    except HandshakeError as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    print("OK: initialize {:.0f} ms, first diagnostics {:.0f} ms, whole handshake to process exit {:.0f} ms.".format(
        timings["initialize"] * 1000, timings["diagnostics"] * 1000, timings["exit"] * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
