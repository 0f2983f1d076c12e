#!/usr/bin/env python3
""""Test this profile" against the NativeAOT server: AWSSDK.SecurityToken's code paths survive trimming.

Usage: python3 test_profile.py PATH-TO-SERVER-EXECUTABLE

Starts the loopback AWS fakes (tests/AwsConfigLsp.FakeAws, built by `dotnet build`; FAKE_AWS_DLL overrides the
path) with a user whose role requires MFA, points the server at them with AWS_ENDPOINT_URL_STS, runs
`awsconfig.testProfile` through workspace/executeCommand, answers the server's `awsconfig/mfaCode` request with
the fake's current TOTP code, and checks who the server says you become. Standard library only; fails, never
skips, when the fakes are not built.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from handshake import TIMEOUT, HandshakeError, Server, check  # noqa: E402

KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SERIAL = "arn:aws:iam::111111111111:mfa/alice"
ROLE = "arn:aws:iam::222222222222:role/admin"


def fake_dll():
    if os.environ.get("FAKE_AWS_DLL"):
        return os.environ["FAKE_AWS_DLL"]
    repo = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    for configuration in ("Release", "Debug"):
        path = os.path.join(repo, "tests", "AwsConfigLsp.FakeAws", "bin", configuration, "net10.0", "AwsConfigLsp.FakeAws.dll")
        if os.path.exists(path):
            return path
    raise HandshakeError("the AWS fakes are not built: run `dotnet build AwsConfigLsp.sln -c Release` first (or set FAKE_AWS_DLL)")


def run(command):
    with tempfile.TemporaryDirectory(prefix="aot-test-profile-") as folder:
        scenario = os.path.join(folder, "scenario.json")
        with open(scenario, "w") as file:
            json.dump({
                "region": "us-east-1",
                "users": [{"account": "111111111111", "name": "alice", "mfa": True, "accessKeyId": KEY, "secretAccessKey": SECRET}],
                "roles": [{"arn": ROLE, "trust": ["arn:aws:iam::111111111111:user/alice"], "requireMfa": True}],
            }, file)
        fakes = subprocess.Popen(["dotnet", fake_dll(), "--scenario", scenario], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = fakes.stdout.readline()
            if not line:
                raise HandshakeError(f"the fakes did not start: {fakes.stderr.read().decode('utf-8', 'replace')[:500]}")
            sts = json.loads(line)["sts"]
            aws = os.path.join(folder, "home", ".aws")
            os.makedirs(aws)
            config_path = os.path.join(aws, "config")
            with open(config_path, "w") as file:
                file.write(f"[profile admin]\nrole_arn = {ROLE}\nsource_profile = default\nmfa_serial = {SERIAL}\n")
            credentials_path = os.path.join(aws, "credentials")
            with open(credentials_path, "w") as file:
                file.write(f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
            os.chmod(credentials_path, 0o600)
            env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
            env.update(HOME=os.path.join(folder, "home"), AWS_CONFIG_FILE=config_path, AWS_SHARED_CREDENTIALS_FILE=credentials_path,
                       AWS_ENDPOINT_URL_STS=sts)
            uri = "file://" + config_path
            server = Server(command, env)
            try:
                server.request(1, "initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {"workspace": {"executeCommand": {}}}})
                capabilities = server.result(1)["capabilities"]
                check("awsconfig.testProfile" in capabilities.get("executeCommandProvider", {}).get("commands", []), "awsconfig.testProfile is not advertised")
                server.notify("initialized", {})
                with open(config_path) as file:
                    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "awsconfig", "version": 1, "text": file.read()}})
                server.request(2, "textDocument/codeLens", {"textDocument": {"uri": uri}})
                lenses = server.result(2)
                check([lens["command"]["title"] for lens in lenses] == ["Test this profile"], f"unexpected code lenses {lenses}")
                started = time.monotonic()
                command = lenses[0]["command"]
                server.request(3, "workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
                prompt = server.wait_for(lambda m: m.get("method") == "awsconfig/mfaCode", "awsconfig/mfaCode request")
                check(prompt["params"] == {"profile": "admin", "mfaSerial": SERIAL, "attempt": 1}, f"unexpected MFA prompt {prompt['params']}")
                with urllib.request.urlopen(f"{sts}/_fake/totp?serial={urllib.parse.quote(SERIAL)}", timeout=TIMEOUT) as response:
                    code = response.read().decode().strip()
                server.send({"id": prompt["id"], "result": {"code": code}})
                result = server.result(3)
                elapsed = time.monotonic() - started
                check(result.get("ok") is True, f"the test failed: {json.dumps(result)}")
                arn = result["identity"]["arn"]
                check(arn.startswith("arn:aws:sts::222222222222:assumed-role/admin/awsconfig-lsp-"), f"unexpected identity {arn}")
                check(SECRET not in json.dumps(result) and KEY not in json.dumps(result), "the result holds a secret")
                server.request(4, "shutdown")
                server.result(4)
                server.notify("exit")
                check(server.process.wait(timeout=TIMEOUT) == 0, "the server did not exit with 0")
                return arn, elapsed
            except BaseException:
                if server.process.poll() is None:
                    server.process.kill()
                print("\n".join(server.stderr[-20:]), file=sys.stderr)
                raise
        finally:
            fakes.stdin.close()
            try:
                fakes.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                fakes.kill()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        arn, elapsed = run(sys.argv[1:])
    except HandshakeError as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    print(f"OK: Test this profile through the native server became {arn} in {elapsed * 1000:.0f} ms (MFA prompt included).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
