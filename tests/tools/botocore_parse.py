#!/usr/bin/env python3
"""botocore profile-map oracle for AwsConfigLsp tests.

Prints what the installed botocore (the library behind the AWS CLI) reads
from a shared config file and a shared credentials file: the merged profile
map (``Session.full_config['profiles']``, the credentials file winning key by
key), the sso-sessions, or the ConfigParseError that makes the CLI reject a
file.

Usage:
    python3 tests/tools/botocore_parse.py --config PATH --credentials PATH
    python3 tests/tools/botocore_parse.py --case CONFIG CREDENTIALS [--case ...]

With --case (repeatable), every pair is read in turn by the same process and
a JSON list of results is printed, in the order given.

Output (stdout, JSON):
    {"fileError": null | {"file": "config"|"credentials", "message": "..."},
     "profiles": {NAME: {KEY: VALUE | {SUBKEY: VALUE}}},
     "ssoSessions": {NAME: {KEY: VALUE | {SUBKEY: VALUE}}}}

A nested block (``s3 =`` followed by indented ``key = value`` lines) is a
JSON object, as botocore parses it.  When ``fileError`` is set, ``profiles``
and ``ssoSessions`` are empty: botocore reads nothing from either file.
A file that does not exist is read as empty, as botocore does.

Like botocore_resolve.py, the script never reads the real ~/.aws files or
AWS_*/BOTO_* environment variables.  Standard library + botocore only.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

for _name in list(os.environ):
    if _name.startswith("AWS_") or _name.startswith("BOTO_"):
        del os.environ[_name]
_FAKE_HOME = tempfile.mkdtemp(prefix="botocore-parse-home-")
os.environ["HOME"] = _FAKE_HOME
os.environ["USERPROFILE"] = _FAKE_HOME

import botocore.configloader  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.session  # noqa: E402


def file_error(config_path, credentials_path):
    """The first file-level error, in the order Session.full_config reads the files."""
    for kind, load in (("config", lambda: botocore.configloader.load_config(config_path)),
                       ("credentials", lambda: botocore.configloader.raw_config_parse(credentials_path))):
        try:
            load()
        except botocore.exceptions.ConfigNotFound:
            pass
        except Exception as exc:  # ConfigParseError and anything else botocore raises
            return {"file": kind, "message": str(exc)}
    return None


def parse(config_path, credentials_path):
    os.environ["AWS_CONFIG_FILE"] = config_path
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = credentials_path
    error = file_error(config_path, credentials_path)
    if error is not None:
        return {"fileError": error, "profiles": {}, "ssoSessions": {}}
    config = botocore.session.Session().full_config
    return {
        "fileError": None,
        "profiles": config.get("profiles", {}),
        "ssoSessions": config.get("sso_sessions", {}),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", help="shared config file (~/.aws/config)")
    parser.add_argument("--credentials", help="shared credentials file (~/.aws/credentials)")
    parser.add_argument("--case", nargs=2, action="append", metavar=("CONFIG", "CREDENTIALS"),
                        help="a pair of files; repeat for several (prints a list)")
    args = parser.parse_args(argv)
    if args.case:
        if args.config or args.credentials:
            parser.error("give --case pairs or --config/--credentials, not both")
        result = [parse(os.path.abspath(config), os.path.abspath(credentials)) for config, credentials in args.case]
    elif args.config and args.credentials:
        result = parse(os.path.abspath(args.config), os.path.abspath(args.credentials))
    else:
        parser.error("--config and --credentials are required (or --case pairs)")
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(_FAKE_HOME, ignore_errors=True)
