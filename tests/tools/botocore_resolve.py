#!/usr/bin/env python3
"""botocore credential-chain oracle for AwsConfigLsp tests.

Given an AWS shared config file and a shared credentials file, this script
asks the *installed* botocore (the library behind the AWS CLI) which
credential chain it would build for each profile, or which error it would
raise.  The C# resolver in AwsConfigLsp is checked against this output.

Usage:
    python3 tests/tools/botocore_resolve.py --config PATH --credentials PATH \
        [PROFILE ...]

With no PROFILE, every profile of both files is resolved
(``botocore.session.Session.available_profiles``: config profiles first, in
file order, then profiles that only exist in the credentials file).

Output (stdout, JSON):
    {"fileError": null | {"file": "config"|"credentials", "message": "..."},
     "profiles": [{"profile": "...", "chain": [...], "error": null | {...}}]}

Chain entries go from the base credentials to the selected profile:
    {"profile": P, "kind": "static", "file": "credentials"|"config"}
    {"profile": P, "kind": "assume-role", "roleArn", "mfaSerial",
     "externalId", "durationSeconds", "roleSessionName"}
    {"profile": P, "kind": "credential-source", "credentialSource": NAME}
    {"profile": P, "kind": "credential-process", "command": CMD}
    {"profile": P, "kind": "sso", "ssoSession", "ssoStartUrl", "ssoRegion",
     "ssoAccountId", "ssoRoleName"}
    {"profile": P, "kind": "web-identity", "roleArn", "roleSessionName",
     "webIdentityTokenFile"}
    {"profile": P, "kind": "login", "loginSession": NAME}
    {"profile": P, "kind": "none"}   (botocore found nothing in the files and
                                       would fall through to container / IMDS)

Safety: the script never touches the network and never reads the real
~/.aws, ~/.boto or credential environment variables:
  * every AWS_* / BOTO_* environment variable is removed *before* botocore is
    imported, HOME points at an empty temporary directory, and
    AWS_EC2_METADATA_DISABLED=true;
  * the STS client is replaced by a fake that records the AssumeRole /
    AssumeRoleWithWebIdentity parameters and returns fake credentials;
  * credential_source, credential_process, SSO and login providers are
    patched *after* botocore's own validation has run, so configuration
    errors still come out exactly as botocore raises them;
  * container, instance-metadata and legacy boto-config providers are
    disabled, and the HTTP layer raises if anything tries to send a request.

How the chain is reconstructed: every fake credential carries a unique
access key id ("ORACLE<n>") that indexes a registry holding the chain that
produced it.  A static provider's keys are replaced by such a tag as well.
When the fake STS client is created, botocore hands it the *source*
credentials, so the new entry is appended to the source's chain.  The final
credentials of the session (after forcing the deferred AssumeRole calls with
get_frozen_credentials()) therefore map directly to the full chain.

Standard library + botocore only (Python 3.11, tested with botocore 1.43.11).
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile

# ---------------------------------------------------------------------------
# 1. Sanitise the process environment BEFORE importing botocore.
#
# Some botocore values are computed at import time (e.g. SSOProvider's token
# cache directory uses os.path.expanduser('~')), so HOME must be replaced
# first.  The real config/credentials paths are given per run below.
# ---------------------------------------------------------------------------
for _name in list(os.environ):
    if _name.startswith("AWS_") or _name.startswith("BOTO_"):
        del os.environ[_name]
_REAL_HOME = os.environ.get("HOME")
_FAKE_HOME = tempfile.mkdtemp(prefix="botocore-oracle-home-")
os.environ["HOME"] = _FAKE_HOME
os.environ["USERPROFILE"] = _FAKE_HOME  # Windows equivalent of HOME
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
# Point the files somewhere harmless until the arguments are parsed.
os.environ["AWS_CONFIG_FILE"] = os.path.join(_FAKE_HOME, "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(_FAKE_HOME, "credentials")

import getpass  # noqa: E402
import logging  # noqa: E402

import botocore  # noqa: E402
import botocore.configloader  # noqa: E402
import botocore.credentials as bc  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.httpsession  # noqa: E402
import botocore.session  # noqa: E402
from dateutil.tz import tzutc  # noqa: E402  (botocore dependency)

# botocore logs a warning (with traceback) when a deferred refresh fails;
# keep stderr quiet, the error is reported in the JSON instead.
logging.getLogger("botocore").addHandler(logging.NullHandler())
logging.getLogger("botocore").propagate = False

MFA_CODE = "123456"


# ---------------------------------------------------------------------------
# 2. Registry of fake credentials.  Each fake access key id maps to the chain
#    (list of entries, base first) that produced it.
# ---------------------------------------------------------------------------
class _Registry:
    def __init__(self):
        self.reset()

    def reset(self):
        self._counter = 0
        self.chains = {}

    def new_tag(self, chain):
        """Allocate a fresh fake access key id bound to ``chain``."""
        self._counter += 1
        tag = f"ORACLE{self._counter:06d}"
        self.chains[tag] = chain
        return tag

    def chain_of(self, access_key):
        if access_key in self.chains:
            return list(self.chains[access_key])
        # Should not happen: some provider we did not instrument produced
        # these credentials.  Make it visible rather than guessing.
        return [{"profile": None, "kind": "unknown"}]


REGISTRY = _Registry()

# Stack of profile names whose AssumeRole / web-identity credentials are
# currently being built.  botocore constructs the fetcher (and sources the
# credential_source) synchronously inside
# AssumeRoleProvider._load_creds_via_assume_role(profile_name), after any
# nested source-profile resolution has returned, so the top of the stack is
# always the profile the fetcher belongs to.
_PROFILE_STACK = []


def _current_profile():
    return _PROFILE_STACK[-1] if _PROFILE_STACK else None


def _fake_sts_credentials(tag):
    """An STS-style Credentials block that expires well in the future."""
    return {
        "AccessKeyId": tag,
        "SecretAccessKey": "oracle-secret",
        "SessionToken": "oracle-token",
        "Expiration": datetime.datetime.now(tzutc()) + datetime.timedelta(hours=1),
    }


class _NoCache:
    """A credential cache that never stores anything, so every run calls
    (fake) STS.  The CLI would use a JSONFileCache in ~/.aws/cli/cache."""

    def __contains__(self, key):
        return False

    def __getitem__(self, key):
        raise KeyError(key)

    def __setitem__(self, key, value):
        pass


# ---------------------------------------------------------------------------
# 3. Fake STS client.  botocore's fetchers call client.assume_role(**kwargs)
#    with exactly the parameters they computed; we record them.
# ---------------------------------------------------------------------------
class _FakeSTSClient:
    def __init__(self, source_access_key):
        # None for web identity (unsigned client).
        self.source_access_key = source_access_key
        # Filled in by the fetcher subclasses below.
        self.oracle_profile = None
        self.oracle_default_session_name = False

    def _session_name(self, kwargs):
        # botocore generates "botocore-session-<ts>" when role_session_name
        # is not configured; report only explicitly configured names.
        if self.oracle_default_session_name:
            return None
        return kwargs.get("RoleSessionName")

    def assume_role(self, **kwargs):
        entry = {
            "profile": self.oracle_profile,
            "kind": "assume-role",
            "roleArn": kwargs.get("RoleArn"),
            "mfaSerial": kwargs.get("SerialNumber"),
            "externalId": kwargs.get("ExternalId"),
            "durationSeconds": kwargs.get("DurationSeconds"),
            "roleSessionName": self._session_name(kwargs),
        }
        chain = REGISTRY.chain_of(self.source_access_key) + [entry]
        return {"Credentials": _fake_sts_credentials(REGISTRY.new_tag(chain))}

    def assume_role_with_web_identity(self, **kwargs):
        token = kwargs.get("WebIdentityToken", "")
        token_file = token[len(_TOKEN_PREFIX):] if token.startswith(_TOKEN_PREFIX) else None
        entry = {
            "profile": self.oracle_profile,
            "kind": "web-identity",
            "roleArn": kwargs.get("RoleArn"),
            "roleSessionName": self._session_name(kwargs),
            "webIdentityTokenFile": token_file,
        }
        return {"Credentials": _fake_sts_credentials(REGISTRY.new_tag([entry]))}


class OracleNetworkRefused(Exception):
    """Raised if anything tries to create a real client or send a request."""


def _fake_create_nested_client(session, service_name, **kwargs):
    # Replaces botocore.credentials.create_nested_client, which is what the
    # client_creator of AssumeRoleProvider / web-identity provider calls.
    if service_name != "sts":
        raise OracleNetworkRefused(f"refusing to create a {service_name} client")
    return _FakeSTSClient(kwargs.get("aws_access_key_id"))


def _refuse_create_client(self, service_name, *args, **kwargs):
    raise OracleNetworkRefused(f"refusing to create a {service_name} client")


def _refuse_send(self, *args, **kwargs):
    raise OracleNetworkRefused("refusing to send an HTTP request")


# Web identity: the token file is not read; the loader returns a marker that
# carries the path so the fake STS client can report it.
_TOKEN_PREFIX = "oracle-web-identity-token:"


class _FakeWebIdentityTokenLoader:
    def __init__(self, web_identity_token_path, *args, **kwargs):
        self._path = web_identity_token_path

    def __call__(self):
        return _TOKEN_PREFIX + str(self._path)


# ---------------------------------------------------------------------------
# 4. Fetcher subclasses: no cache, fixed MFA code, and annotate the fake
#    client with the profile and whether the session name was generated.
#    botocore refers to these classes through module globals, so replacing
#    bc.AssumeRoleCredentialFetcher etc. is enough.
# ---------------------------------------------------------------------------
def _annotating_client_creator(fetcher, original_creator):
    def creator(*args, **kwargs):
        client = original_creator(*args, **kwargs)
        client.oracle_profile = fetcher._oracle_profile
        client.oracle_default_session_name = fetcher._using_default_session_name
        return client

    return creator


class _OracleAssumeRoleFetcher(bc.AssumeRoleCredentialFetcher):
    def __init__(self, *args, **kwargs):
        kwargs["cache"] = _NoCache()
        kwargs["mfa_prompter"] = lambda prompt: MFA_CODE
        super().__init__(*args, **kwargs)
        self._oracle_profile = _current_profile()
        self._client_creator = _annotating_client_creator(self, self._client_creator)


class _OracleWebIdentityFetcher(bc.AssumeRoleWithWebIdentityCredentialFetcher):
    def __init__(self, *args, **kwargs):
        kwargs["cache"] = _NoCache()
        super().__init__(*args, **kwargs)
        self._oracle_profile = _current_profile()
        self._client_creator = _annotating_client_creator(self, self._client_creator)


# ---------------------------------------------------------------------------
# 5. Provider patches.
# ---------------------------------------------------------------------------
def _tag_static(original_load, file_kind):
    """Wrap Shared/ConfigProvider.load: botocore reads and validates the keys
    (PartialCredentialsError etc.), then we swap the access key for a tag."""

    def load(self):
        creds = original_load(self)
        if creds is not None:
            creds.access_key = REGISTRY.new_tag(
                [{"profile": self._profile_name, "kind": "static", "file": file_kind}]
            )
        return creds

    return load


def _wrap_with_profile(original, profile_of):
    def wrapper(self, *args, **kwargs):
        _PROFILE_STACK.append(profile_of(self, *args, **kwargs))
        try:
            return original(self, *args, **kwargs)
        finally:
            _PROFILE_STACK.pop()

    return wrapper


def _fake_source_credentials(self, source_name):
    # AssumeRoleProvider has already checked is_supported() (exact,
    # case-sensitive match against Environment / EcsContainer /
    # Ec2InstanceMetadata).  Keep botocore's provider lookup, but do not
    # actually read the environment / container / IMDS.
    self._get_provider(source_name)
    tag = REGISTRY.new_tag(
        [{"profile": _current_profile(), "kind": "credential-source",
          "credentialSource": source_name}]
    )
    return bc.Credentials(tag, "oracle-secret", None, method="credential-source")


def _fake_process_retrieve(self, credential_process):
    # Called by ProcessProvider.load only when credential_process is set;
    # the command is never executed.
    tag = REGISTRY.new_tag(
        [{"profile": self._profile_name, "kind": "credential-process",
          "command": credential_process}]
    )
    return {"access_key": tag, "secret_key": "oracle-secret", "token": None,
            "expiry_time": None, "account_id": None}


def _wrap_sso_load(original_load):
    def load(self):
        # botocore's own load validates the config (missing sso_start_url,
        # unknown sso_session, inconsistent values...) and returns deferred
        # credentials without contacting anything.  We discard those and
        # return tagged fake credentials instead of fetching a token.
        creds = original_load(self)
        if creds is None:
            return None
        cfg = self._load_sso_config() or {}
        tag = REGISTRY.new_tag([{
            "profile": self._profile_name,
            "kind": "sso",
            "ssoSession": cfg.get("sso_session"),
            "ssoStartUrl": cfg.get("sso_start_url"),
            "ssoRegion": cfg.get("sso_region"),
            "ssoAccountId": cfg.get("sso_account_id"),
            "ssoRoleName": cfg.get("sso_role_name"),
        }])
        return bc.Credentials(tag, "oracle-secret", "oracle-token", method="sso")

    return load


def _fake_login_load(self):
    # Same trigger as botocore's LoginProvider.load ('login_session' in the
    # profile).  The real provider would then need awscrt and a cached login
    # token; those are properties of the machine, not of the config files,
    # so they are not reproduced here.
    profile_config = self._load_config().get("profiles", {}).get(self._profile_name, {})
    if "login_session" not in profile_config:
        return None
    tag = REGISTRY.new_tag([{"profile": self._profile_name, "kind": "login",
                             "loginSession": profile_config["login_session"]}])
    return bc.Credentials(tag, "oracle-secret", "oracle-token", method="login")


def _return_none(self, *args, **kwargs):
    return None


def install_patches():
    # Never reach the network.
    bc.create_nested_client = _fake_create_nested_client
    botocore.session.Session.create_client = _refuse_create_client
    botocore.httpsession.URLLib3Session.send = _refuse_send
    getpass.getpass = lambda prompt="": MFA_CODE  # belt and braces

    # STS fetchers.
    bc.AssumeRoleCredentialFetcher = _OracleAssumeRoleFetcher
    bc.AssumeRoleWithWebIdentityCredentialFetcher = _OracleWebIdentityFetcher
    bc.FileWebIdentityTokenLoader = _FakeWebIdentityTokenLoader

    # Track which profile an AssumeRole / web identity fetcher belongs to.
    bc.AssumeRoleProvider._load_creds_via_assume_role = _wrap_with_profile(
        bc.AssumeRoleProvider._load_creds_via_assume_role,
        lambda self, profile_name: profile_name,
    )
    bc.AssumeRoleWithWebIdentityProvider.load = _wrap_with_profile(
        bc.AssumeRoleWithWebIdentityProvider.load,
        lambda self: self._profile_name,
    )

    # Static keys.
    bc.SharedCredentialProvider.load = _tag_static(bc.SharedCredentialProvider.load, "credentials")
    bc.ConfigProvider.load = _tag_static(bc.ConfigProvider.load, "config")

    # credential_source, credential_process, SSO, login.
    bc.CanonicalNameCredentialSourcer.source_credentials = _fake_source_credentials
    bc.ProcessProvider._retrieve_credentials_using = _fake_process_retrieve
    bc.SSOProvider.load = _wrap_sso_load(bc.SSOProvider.load)
    bc.LoginProvider.load = _fake_login_load

    # Machine-level fallbacks: container, IMDS, /etc/boto.cfg & ~/.boto.
    # With these returning None, "nothing in the files" => credentials None
    # => kind "none".
    bc.ContainerProvider.load = _return_none
    bc.InstanceMetadataProvider.load = _return_none
    bc.BotoProvider.load = _return_none
    bc.OriginalEC2Provider.load = _return_none


# ---------------------------------------------------------------------------
# 6. Resolution.
# ---------------------------------------------------------------------------
def _error(exc):
    return {"type": type(exc).__name__, "message": str(exc)}


def _new_session(profile=None):
    # Exactly like `aws --profile NAME`: an explicitly selected profile,
    # which also removes the EnvProvider from the chain (it is empty anyway).
    return botocore.session.Session(profile=profile)


def _attach_cli_caches(session):
    # The AWS CLI (awscli/customizations/assumerole.py) replaces the cache of
    # the top-level assume-role and web-identity providers with a
    # JSONFileCache.  We attach a never-hit cache instead, so every run calls
    # (fake) STS.  Like the CLI, ProfileNotFound here is ignored; it is
    # raised again by get_credentials().
    try:
        chain = session.get_component("credential_provider")
    except botocore.exceptions.ProfileNotFound:
        return
    chain.get_provider("assume-role").cache = _NoCache()
    chain.get_provider("assume-role-with-web-identity").cache = _NoCache()


def resolve_profile(name):
    REGISTRY.reset()
    _PROFILE_STACK.clear()
    try:
        session = _new_session(name)
        _attach_cli_caches(session)
        creds = session.get_credentials()
        if creds is None or creds.method in ("container-role", "iam-role"):
            chain = [{"profile": name, "kind": "none"}]
        else:
            # AssumeRole / SSO / web identity credentials are deferred: force
            # the (fake) STS calls now so their errors surface too.
            frozen = creds.get_frozen_credentials()
            chain = REGISTRY.chain_of(frozen.access_key)
        return {"profile": name, "chain": chain, "error": None}
    except Exception as exc:  # report whatever botocore raises
        return {"profile": name, "chain": [], "error": _error(exc)}


def file_error(config_path, credentials_path):
    """Parse both files the way Session.full_config does and report the first
    file-level error (ConfigParseError, ...)."""
    try:
        botocore.configloader.load_config(config_path)
    except botocore.exceptions.ConfigNotFound:
        pass
    except Exception as exc:
        return {"file": "config", "message": str(exc)}
    try:
        botocore.configloader.raw_config_parse(credentials_path)
    except botocore.exceptions.ConfigNotFound:
        pass
    except Exception as exc:
        return {"file": "credentials", "message": str(exc)}
    return None


def _absolute(path):
    if _REAL_HOME and (path == "~" or path.startswith("~/")):
        path = _REAL_HOME + path[1:]
    return os.path.abspath(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="shared config file (~/.aws/config)")
    parser.add_argument("--credentials", required=True, help="shared credentials file (~/.aws/credentials)")
    parser.add_argument("profiles", nargs="*", metavar="PROFILE")
    args = parser.parse_args(argv)

    # Absolute paths; a literal leading "~" means the caller's real home
    # (HOME already points at the fake directory).
    config_path = _absolute(args.config)
    credentials_path = _absolute(args.credentials)
    os.environ["AWS_CONFIG_FILE"] = config_path
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = credentials_path

    install_patches()

    result = {"fileError": file_error(config_path, credentials_path), "profiles": []}

    names = args.profiles
    if not names:
        try:
            names = _new_session().available_profiles
        except Exception:
            names = []  # the file-level error is already reported
    for name in names:
        result["profiles"].append(resolve_profile(name))

    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(_FAKE_HOME, ignore_errors=True)
