using System.Collections.Frozen;

namespace AwsConfigLsp.Features;

/// <summary>
/// What each value of the common enumerated keys does, for hover. Keys are <c>key=value</c> with the catalog's
/// spelling of the value; values without an entry are shown with the allowed values only.
/// </summary>
public static class EnumValueDocs
{
    private static readonly FrozenDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["credential_source=Environment"] = "Assumes the role with the credentials in the environment variables `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.",
        ["credential_source=Ec2InstanceMetadata"] = "Assumes the role with the EC2 instance's role (its instance profile), read from the instance metadata service.",
        ["credential_source=EcsContainer"] = "Assumes the role with the ECS task role, read from the container credentials endpoint.",

        ["output=json"] = "JSON (the default).",
        ["output=yaml"] = "YAML (AWS CLI v2 only).",
        ["output=yaml-stream"] = "YAML, printed as the pages of a paginated result arrive (AWS CLI v2 only).",
        ["output=text"] = "Tab-separated lines, for `grep`, `cut` and `awk`.",
        ["output=table"] = "Tables drawn with box characters, for people to read.",

        ["retry_mode=legacy"] = "The original retry handler, which retries fewer kinds of errors. The default of AWS CLI v1 and botocore/boto3.",
        ["retry_mode=standard"] = "Retries throttling and transient errors with exponential backoff, 3 attempts by default. The default of AWS CLI v2.",
        ["retry_mode=adaptive"] = "`standard` plus client-side rate limiting that slows requests down when the service throttles them (experimental).",

        ["defaults_mode=legacy"] = "The SDK's historical settings: nothing changes (the default).",
        ["defaults_mode=standard"] = "Settings recommended for most applications: standard retries, Regional STS and S3 us-east-1 endpoints, shorter connect timeouts.",
        ["defaults_mode=in-region"] = "Like `standard`, tuned for calls to services in the caller's own Region.",
        ["defaults_mode=cross-region"] = "Like `standard`, tuned for calls to services in other Regions.",
        ["defaults_mode=mobile"] = "Like `standard`, tuned for mobile applications.",
        ["defaults_mode=auto"] = "Picks `in-region` or `cross-region` from the environment the code runs in, else `standard` (experimental).",

        ["sts_regional_endpoints=regional"] = "Calls STS in the configured Region (`sts.REGION.amazonaws.com`).",
        ["sts_regional_endpoints=legacy"] = "Calls the global endpoint `sts.amazonaws.com` for the older Regions.",
        ["s3_us_east_1_regional_endpoint=regional"] = "Requests to us-east-1 go to `s3.us-east-1.amazonaws.com`.",
        ["s3_us_east_1_regional_endpoint=legacy"] = "Requests to us-east-1 go to the global endpoint `s3.amazonaws.com`.",
        ["us_east_1_regional_endpoint=regional"] = "Requests to us-east-1 go to `s3.us-east-1.amazonaws.com`.",
        ["us_east_1_regional_endpoint=legacy"] = "Requests to us-east-1 go to the global endpoint `s3.amazonaws.com`.",

        ["addressing_style=auto"] = "Virtual-hosted style when the bucket name allows it, path style otherwise (the default).",
        ["addressing_style=virtual"] = "Always virtual-hosted style: `https://BUCKET.s3.REGION.amazonaws.com/KEY`.",
        ["addressing_style=path"] = "Always path style: `https://s3.REGION.amazonaws.com/BUCKET/KEY`.",

        ["cli_binary_format=base64"] = "Blob parameters are base64 text (the AWS CLI v2 default).",
        ["cli_binary_format=raw-in-base64-out"] = "Blob parameters are raw bytes and blob output is base64, as in AWS CLI v1.",
        ["cli_auto_prompt=on"] = "Every command opens the auto-prompt.",
        ["cli_auto_prompt=on-partial"] = "The auto-prompt opens when a command is incomplete or fails client-side validation.",
        ["cli_auto_prompt=off"] = "No auto-prompt (the default).",
        ["cli_timestamp_format=iso8601"] = "Timestamps are shown in ISO 8601 (the AWS CLI v2 default).",
        ["cli_timestamp_format=wire"] = "Timestamps are shown exactly as the service sent them (the AWS CLI v1 default).",
        ["cli_history=enabled"] = "Commands are recorded in `~/.aws/cli/history/history.db`, for `aws history`.",
        ["cli_history=disabled"] = "Nothing is recorded (the default).",

        ["account_id_endpoint_mode=preferred"] = "Uses account-based endpoints when the credentials carry an account ID (the default).",
        ["account_id_endpoint_mode=disabled"] = "Never uses account-based endpoints.",
        ["account_id_endpoint_mode=required"] = "Fails a request when the credentials carry no account ID.",
        ["request_checksum_calculation=when_supported"] = "Computes a checksum for every request payload of the operations that support one (the default).",
        ["request_checksum_calculation=when_required"] = "Computes a checksum only when the operation requires one.",
        ["response_checksum_validation=when_supported"] = "Validates the checksum of every response that has one (the default).",
        ["response_checksum_validation=when_required"] = "Validates response checksums only when the request enables validation.",
        ["ec2_metadata_service_endpoint_mode=IPv4"] = "The instance metadata service at `http://169.254.169.254` (the default).",
        ["ec2_metadata_service_endpoint_mode=IPv6"] = "The instance metadata service at `http://[fd00:ec2::254]`.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What <paramref name="value"/> (as the catalog spells it) does for <paramref name="key"/>, or null.</summary>
    public static string? Find(string key, string value) => Meanings.GetValueOrDefault(key + "=" + value);
}
