# Sourced by the e2e scripts: starts the project's loopback AWS fakes (tests/AwsConfigLsp.FakeAws, console mode) with a
# scenario file, and exports the variables that point the server (and the AWS CLI) at them.
#   start_fake_aws WORKDIR SCENARIO.json   -> 0 and FAKE_STS, FAKE_PID set, AWS_* exported; 1 when the fakes do not exist
#   stop_fake_aws                          -> closes its stdin and waits for it
# The caller's EXIT trap should call stop_fake_aws.
FAKE_PID=""
FAKE_STS=""

start_fake_aws() {
  local work="$1" scenario="$2" project dll line
  project="$repo/tests/AwsConfigLsp.FakeAws"
  if [ ! -d "$project" ]; then
    echo "# loopback AWS fakes not in this tree ($project): code lens steps skipped" >&2
    return 1
  fi
  dll=$(ls "$project"/bin/Release/net*/AwsConfigLsp.FakeAws.dll 2>/dev/null | head -1 || true)
  if [ -z "$dll" ]; then
    dotnet build "$project" -c Release --nologo -v quiet >&2 || { echo "FAIL: building $project" >&2; exit 1; }
    dll=$(ls "$project"/bin/Release/net*/AwsConfigLsp.FakeAws.dll | head -1)
  fi
  # It serves until its stdin closes: give it a FIFO that stays open (fd 9) until stop_fake_aws.
  mkfifo "$work/fake.in"
  exec 9<>"$work/fake.in"
  dotnet "$dll" --scenario "$scenario" <"$work/fake.in" >"$work/fake.out" 2>"$work/fake.err" &
  FAKE_PID=$!
  for _ in $(seq 1 300); do
    line=$(head -1 "$work/fake.out" 2>/dev/null || true)
    [ -n "$line" ] && break
    kill -0 "$FAKE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$line" ]; then
    echo "FAIL: the loopback AWS fakes did not start:" >&2
    cat "$work/fake.err" >&2
    exit 1
  fi
  FAKE_STS=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sts"])' "$line")
  export AWS_ENDPOINT_URL_STS="$FAKE_STS"
  export AWS_ENDPOINT_URL_IAM
  AWS_ENDPOINT_URL_IAM=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["iam"])' "$line")
  export AWS_EC2_METADATA_SERVICE_ENDPOINT
  AWS_EC2_METADATA_SERVICE_ENDPOINT=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["imds"])' "$line")
  export AWS_DEFAULT_REGION=us-east-1
  echo "# loopback AWS fakes at $FAKE_STS (pid $FAKE_PID)"
  return 0
}

stop_fake_aws() {
  if [ -n "$FAKE_PID" ]; then
    exec 9>&- || true
    kill "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
    FAKE_PID=""
  fi
}
