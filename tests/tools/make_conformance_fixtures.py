#!/usr/bin/env python3
"""Regenerates the botocore answers the conformance tests check in as data.

The shared cross-SDK vectors (smithy-rs) say what *their* parser and resolver
do.  AwsConfigLsp models botocore instead, so wherever botocore answers
differently, the tests expect botocore's answer.  This script runs the
installed botocore on every vector, compares its answer with the vector's
expectation, and writes the differences (with botocore's answer) to
tests/AwsConfigLsp.Tests/Fixtures/Conformance/:

  profile-parser-botocore.json   profile-parser-tests.json cases botocore reads
                                 differently (keyed by case name)
  assume-role-botocore.json      assume-role-tests.json cases where botocore's
                                 chain or error differs (keyed by case name)
  profile-provider-botocore.json every profile-provider/<case>: botocore's chain
                                 or error (the vectors only give the final
                                 credentials), and whether the outcome differs

Usage:
    python3 tests/tools/make_conformance_fixtures.py [--vectors DIR] [--check]
        [--markdown]

--check compares instead of writing and exits 1 when a fixture is stale.
--markdown prints the difference table used in docs/conformance.md.

Paths of the temporary files botocore read are replaced by {config} and
{credentials} in messages.  Case names that occur twice in a suite get a
" #2" suffix, the same rule the C# tests use.  The assume-role vectors are
written as one config file ([profile NAME] sections, then [sso-session NAME]
sections) by the same rule as ConformanceVectors.AssumeRoleConfigText.

Standard library + botocore; uses botocore_parse.py in-process and runs botocore_resolve.py.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import botocore_parse  # noqa: E402  (sanitises the environment, then imports botocore)
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "AwsConfigLsp.Tests", "Fixtures", "Conformance")
PARSER_SUITE = "smithy-rs/aws/rust-runtime/aws-runtime/test-data/profile-parser-tests.json"
ASSUME_ROLE_SUITE = "smithy-rs/aws/rust-runtime/aws-config/test-data/assume-role-tests.json"
PROFILE_PROVIDER_DIR = "smithy-rs/aws/rust-runtime/aws-config/test-data/profile-provider"

# Why each difference exists.  Every case the script finds different needs a
# note here (the script fails otherwise), so a new difference is looked at.
NOTES = {
    # profile-parser-tests.json
    "Profile names support alphanumeric characters and - / . % @ _ : +":
        "botocore has no name character check: `[profile foo!bar]` is a profile.",
    "Property definitions must contain an equals sign.":
        "configparser also splits on `:`, so `key : value` is a property.",
    "Pound sign comments are ignored.":
        "No inline comments: the value keeps ` # Comment with # sign`.",
    "Semicolon sign comments are ignored.":
        "No inline comments: the value keeps ` ; Comment with ; sign`.",
    "All comment types can be used together.":
        "No inline comments: the value keeps ` # Comment with ; sign`.",
    "Comments can be empty.":
        "No inline comments: the value keeps ` ;`.",
    "Duplicate profiles in the same file merge properties.":
        "strict configparser: a duplicate section makes the file unreadable.",
    "Duplicate properties in a profile use the last one defined.":
        "strict configparser: a duplicate key makes the file unreadable.",
    "Duplicate properties in duplicate profiles use the last one defined.":
        "strict configparser: a duplicate section makes the file unreadable.",
    "Duplicate properties in duplicate profiles use the last one defined (case insensitive).":
        "strict configparser: a duplicate section makes the file unreadable.",
    "Default profile with profile prefix overrides default profile without prefix when profile prefix is first.":
        "The later of `[profile default]` / `[default]` replaces the earlier one whole.",
    "Invalid profile names are ignored.":
        "Credentials-file names are taken verbatim: `in valid 2` is a profile.",
    "Invalid property names are ignored.":
        "No key character check: `in valid` is a key.",
    "Sub-property definitions cannot have an empty name.":
        "`_parse_nested` accepts an empty sub-key.",
    "Default profiles with mixed prefixes in the config file ignore the one without prefix when merging.":
        "Three sections: a duplicate `[profile default]` makes the file unreadable.",
    "Default profiles with mixed prefixes merge with credentials":
        "Three sections: a duplicate `[profile default]` makes the config file unreadable.",
    "Credentials profiles with prefix are ignored.":
        "Credentials-file names are taken verbatim: `profile foo` is a profile.",
    "profile name with extra whitespace":
        "`[   profile foo    ]` does not start with `profile`: not a profile.",
    "profile name with extra whitespace in credentials":
        "Credentials-file names are taken verbatim: ` foo ` and `profile bar` are profiles.",
    # assume-role-tests.json
    "role_arn without source source_profile":
        "Same outcome (error), botocore's message.",
    "source profile and credential source both present":
        "Same outcome (error), botocore's message.",
    "partial credentials error (missing secret)":
        "Same outcome (error), botocore's message (from the config-file provider).",
    "partial credentials error (missing access key)":
        "A source with only the secret is not a static source: botocore says it has no credentials.",
    "missing credentials error (empty source profile)":
        "Same outcome (error), botocore's message.",
    "profile only contains configuration":
        "No error: botocore finds nothing in the files and falls through to container / instance metadata.",
    "missing source profile":
        "Same outcome (error), botocore's message.",
    "missing root profile (should never happen in practice)":
        "Same outcome (error), botocore's ProfileNotFound message.",
    "assume role profile infinite loop":
        "Same outcome (error), botocore's message.",
    "infinite loop with static credentials":
        "Same outcome (error), botocore's message.",
    "web identity role #2":
        "Same outcome (error), botocore's message.",
    "invalid SSO credentials configuration: missing account ID":
        "Same outcome (error), botocore's message.",
    "invalid SSO credentials configuration: missing role name":
        "Same outcome (error), botocore's message.",
    "invalid SSO token configuration: sso_region must be in sso-session":
        "No error: a profile with only sso_session (+ sso_region) is a token profile; botocore finds no credentials and falls through.",
    "SSO token profile selected":
        "No credentials: a token-only SSO profile does not trigger botocore's SSO credential provider (it needs sso_role_name or sso_account_id).",
    "invalid SSO token configuration: sso-session not found":
        "No error: without sso_role_name / sso_account_id botocore never looks the session up.",
    # profile-provider/<case>
    "credential_process_failure":
        "The command's failure happens at run time; from the files botocore builds a credential_process chain.",
    "credential_process_invalid":
        "The command's output is read at run time; from the files botocore builds a credential_process chain.",
    "empty_config":
        "Same outcome (error), botocore's ProfileNotFound message for the explicitly selected `default`.",
    "invalid_config":
        "Same outcome (error), botocore's ConfigParseError message.",
    "invalid_sso_credentials_config":
        "No error: a token-only SSO profile yields no credentials and botocore falls through.",
    "sso_token":
        "No error: a token-only SSO profile yields no credentials and botocore falls through.",
}


def find_vectors(explicit):
    if explicit:
        return explicit
    directory = REPO
    while True:
        candidate = os.path.join(directory, "shared", "conformance", "vectors")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            sys.exit("shared/conformance/vectors not found above " + REPO + "; pass --vectors")
        directory = parent


def unique_names(names):
    seen = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return result


def run_json(args):
    out = subprocess.run([sys.executable] + args, check=True, capture_output=True, text=True, encoding="utf-8")
    return json.loads(out.stdout)


def placeholders(text, config_path, credentials_path):
    if not isinstance(text, str):
        return text
    return text.replace(config_path, "{config}").replace(credentials_path, "{credentials}")


def write_inputs(directory, config_text, credentials_text):
    config_path = os.path.join(directory, "config")
    credentials_path = os.path.join(directory, "credentials")
    for path, text in ((config_path, config_text), (credentials_path, credentials_text)):
        if text is not None:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    return config_path, credentials_path


# --- profile-parser-tests.json ------------------------------------------------------

def parse_nested(value):
    """botocore configloader._parse_nested, for the suite's raw sub-property strings."""
    parsed = {}
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sub_value = line.split("=", 1)
        parsed[key.strip()] = sub_value.strip()
    return parsed


def normalize_suite_entities(entities):
    result = {}
    for name, properties in entities.items():
        result[name] = {}
        for key, value in properties.items():
            if value.startswith("\n"):
                try:
                    value = parse_nested(value)
                except ValueError:
                    pass
            result[name][key] = value
    return result


def parser_case(case):
    with tempfile.TemporaryDirectory(prefix="parser-case-") as directory:
        config_path, credentials_path = write_inputs(
            directory, case["input"].get("configFile"), case["input"].get("credentialsFile"))
        answer = botocore_parse.parse(config_path, credentials_path)
    if answer["fileError"] is not None:
        error = answer["fileError"]
        return {"error": {"file": error["file"],
                          "message": placeholders(error["message"], config_path, credentials_path)}}
    return {"profiles": answer["profiles"], "ssoSessions": answer["ssoSessions"]}


def parser_differs(expected, botocore):
    if "errorContaining" in expected:
        # Both reject the input; the message is always botocore's generic one.
        return "error" not in botocore
    if "error" in botocore:
        return True
    config = expected["config"]
    if normalize_suite_entities(config["profiles"]) != botocore["profiles"]:
        return True
    return "sso_sessions" in config and normalize_suite_entities(config["sso_sessions"]) != botocore["ssoSessions"]


def parser_fixture(vectors, pool):
    with open(os.path.join(vectors, PARSER_SUITE), encoding="utf-8") as handle:
        cases = json.load(handle)["tests"]
    names = unique_names([case["name"] for case in cases])
    # In-process and one at a time: botocore_parse.parse points botocore at the files through os.environ.
    answers = [parser_case(case) for case in cases]
    result = {}
    for name, case, answer in zip(names, cases, answers):
        if parser_differs(case["output"], answer):
            result[name] = {"note": note(name), "suite": case["output"], "botocore": answer}
    return result


# --- assume-role-tests.json ------------------------------------------------------------

def assume_role_config_text(case_input):
    """One config file: a [profile NAME] section per profile, then the sso-sessions."""
    lines = []
    for prefix, entities in (("profile", case_input.get("profiles", {})),
                             ("sso-session", case_input.get("sso_sessions", {}))):
        for name, properties in entities.items():
            lines.append(f"[{prefix} {name}]")
            lines.extend(f"{key} = {value}" for key, value in properties.items())
            lines.append("")
    return "\n".join(lines)


SUITE_KINDS = {
    "AccessKey": ("static", {}),
    "AssumeRole": ("assume-role", {"role_arn": "roleArn", "role_session_name": "roleSessionName",
                                   "external_id": "externalId"}),
    "WebIdentityToken": ("web-identity", {"role_arn": "roleArn", "role_session_name": "roleSessionName",
                                          "web_identity_token_file": "webIdentityTokenFile"}),
    "Sso": ("sso", {"sso_session": "ssoSession", "sso_start_url": "ssoStartUrl", "sso_region": "ssoRegion",
                    "sso_account_id": "ssoAccountId", "sso_role_name": "ssoRoleName"}),
    "NamedSource": ("credential-source", None),
}


def suite_chain_matches(expected_chain, chain):
    if len(expected_chain) != len(chain):
        return False
    for expected, hop in zip(expected_chain, chain):
        (suite_kind, value), = expected.items()
        kind, fields = SUITE_KINDS[suite_kind]
        if hop["kind"] != kind:
            return False
        if fields is None:
            if hop.get("credentialSource") != value:
                return False
            continue
        for suite_field, field in fields.items():
            if suite_field in value and hop.get(field) != value[suite_field]:
                return False
    return True


def resolve(config_path, credentials_path, profile):
    answer = run_json([os.path.join(HERE, "botocore_resolve.py"), "--config", config_path,
                       "--credentials", credentials_path, profile])
    (resolved,) = answer["profiles"]
    error = resolved["error"]
    if error is not None:
        error = {"type": error["type"], "message": placeholders(error["message"], config_path, credentials_path)}
    return {"chain": resolved["chain"], "error": error}


def assume_role_case(case):
    text = assume_role_config_text(case["input"])
    with tempfile.TemporaryDirectory(prefix="assume-role-case-") as directory:
        config_path, credentials_path = write_inputs(directory, text, None)
        return text, resolve(config_path, credentials_path, case["input"]["selected_profile"])


def assume_role_fixture(vectors, pool):
    with open(os.path.join(vectors, ASSUME_ROLE_SUITE), encoding="utf-8") as handle:
        cases = json.load(handle)
    names = unique_names([case["docs"] for case in cases])
    answers = list(pool.map(assume_role_case, cases))
    result = {}
    for name, case, (text, answer) in zip(names, cases, answers):
        expected = case["output"]
        same = "ProfileChain" in expected and answer["error"] is None \
            and suite_chain_matches(expected["ProfileChain"], answer["chain"])
        if not same:
            result[name] = {"note": note(name), "suite": expected, "configText": text, "botocore": answer}
    return result


# --- profile-provider/<case> ----------------------------------------------------------

def profile_provider_case(case_dir):
    with open(os.path.join(case_dir, "test-case.json"), encoding="utf-8") as handle:
        test_case = json.load(handle)
    env = {}
    env_path = os.path.join(case_dir, "env.json")
    if os.path.exists(env_path):
        with open(env_path, encoding="utf-8") as handle:
            env = json.load(handle)
    profile = env.get("AWS_PROFILE", "default")
    aws = os.path.join(case_dir, "fs", "home", ".aws")
    answer = resolve(os.path.join(aws, "config"), os.path.join(aws, "credentials"), profile)
    return test_case, profile, answer


def profile_provider_fixture(vectors, pool):
    root = os.path.join(vectors, PROFILE_PROVIDER_DIR)
    cases = sorted(name for name in os.listdir(root) if os.path.isfile(os.path.join(root, name, "test-case.json")))
    answers = list(pool.map(lambda name: profile_provider_case(os.path.join(root, name)), cases))
    result = {}
    for name, (test_case, profile, answer) in zip(cases, answers):
        suite = test_case["result"]
        differs = "Ok" in suite and answer["error"] is not None or "ErrorContains" in suite
        entry = {"selectedProfile": profile, "suite": suite, "differs": differs, "botocore": answer}
        if differs:
            entry = {"note": note(name), **entry}
        result[name] = entry
    return result


def note(name):
    if name not in NOTES:
        sys.exit(f"no note for the difference in case {name!r}: add one to NOTES in {__file__}")
    return NOTES[name]


# --- output ---------------------------------------------------------------------------

def header(vectors, suite):
    import importlib.metadata
    return {
        "generatedBy": "tests/tools/make_conformance_fixtures.py",
        "botocore": importlib.metadata.version("botocore"),
        "suite": suite,
    }


def markdown(fixtures):
    def cell(value):
        return str(value).replace("|", "\\|").replace("\n", "\\n")

    def answer_text(answer):
        if "profiles" in answer:
            return "profiles " + json.dumps(answer["profiles"], ensure_ascii=False) + (
                "" if not answer["ssoSessions"] else ", sso_sessions " + json.dumps(answer["ssoSessions"]))
        if "file" in (answer.get("error") or {}):
            return f"ConfigParseError ({answer['error']['file']} file): {answer['error']['message']}"
        if answer.get("error"):
            return f"{answer['error']['type']}: {answer['error']['message']}"
        return "chain " + " → ".join(
            hop["kind"] + (f" ({hop['credentialSource']})" if hop.get("credentialSource") else "")
            for hop in answer["chain"])

    rows = []
    for suite, data in fixtures:
        for name, entry in data["cases"].items():
            if entry.get("differs") is False:
                continue
            suite_text = json.dumps(entry["suite"], ensure_ascii=False)
            # The conformance tests hold AwsConfigLsp to botocore's answer on every row.
            code = f"`` {cell(suite_text)} ``" if "`" in suite_text else f"`{cell(suite_text)}`"
            rows.append(f"| {suite} | {cell(name)} | {code} | {cell(answer_text(entry['botocore']))} | "
                        f"same as botocore | {cell(entry['note'])} |")
    return "\n".join(["| Suite | Case | Suite expects | botocore 1.43 does | AwsConfigLsp does | Why |",
                      "| --- | --- | --- | --- | --- | --- |"] + rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", help="the shared/conformance/vectors directory")
    parser.add_argument("--check", action="store_true", help="fail when a fixture is stale instead of writing")
    parser.add_argument("--markdown", action="store_true", help="print the difference table")
    args = parser.parse_args()
    vectors = find_vectors(args.vectors)

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        fixtures = [
            ("profile-parser-botocore.json", "profile-parser-tests.json", PARSER_SUITE, parser_fixture(vectors, pool)),
            ("assume-role-botocore.json", "assume-role-tests.json", ASSUME_ROLE_SUITE, assume_role_fixture(vectors, pool)),
            ("profile-provider-botocore.json", "profile-provider", PROFILE_PROVIDER_DIR,
             profile_provider_fixture(vectors, pool)),
        ]

    stale = False
    documents = []
    for file_name, short, suite, cases in fixtures:
        document = {**header(vectors, suite), "cases": cases}
        documents.append((short, document))
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        path = os.path.join(FIXTURES, file_name)
        if args.check:
            with open(path, encoding="utf-8") as handle:
                if handle.read() != text:
                    print(f"stale: {path}", file=sys.stderr)
                    stale = True
        else:
            os.makedirs(FIXTURES, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    if args.markdown:
        print(markdown(documents))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
