#!/usr/bin/env bash
# Installs what the build and tests need on a fresh machine of this project's kind (Debian + .NET SDK), then restores NuGet packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is needed (https://dot.net); dotnet was not found on PATH." >&2
  exit 1
fi
if ! python3 -c "import botocore" >/dev/null 2>&1; then
  echo "warning: python3 cannot import botocore; the differential tests against the AWS CLI will fail. Install the AWS CLI v1 (pip install awscli)." >&2
fi
if ! command -v aws >/dev/null 2>&1; then
  echo "warning: 'aws' is not on PATH; the tests that check the loopback AWS fakes against the AWS CLI will fail. Install the AWS CLI v1 (pip install awscli)." >&2
fi
dotnet restore AwsConfigLsp.sln --nologo -v quiet
