namespace AwsConfigLsp.Aws;

/// <summary>
/// Credentials obtained by one link of a chain. <see cref="ToString"/> masks them, so they cannot leak through string
/// interpolation or a log line. <see cref="Origin"/> says where they come from in words ("static keys of [default] in ~/.aws/credentials").
/// </summary>
public sealed class AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken, DateTimeOffset? expiration, string origin)
{
    public string AccessKeyId { get; } = accessKeyId;
    public string SecretAccessKey { get; } = secretAccessKey;
    public string? SessionToken { get; } = sessionToken;
    public DateTimeOffset? Expiration { get; } = expiration;
    public string Origin { get; } = origin;

    public bool IsTemporary => SessionToken is not null;

    public override string ToString() => $"{Mask(AccessKeyId)} ({Origin})";

    /// <summary>An access key id as the console shows it: the first four and last four characters.</summary>
    public static string Mask(string accessKeyId) =>
        accessKeyId.Length <= 8 ? new string('*', accessKeyId.Length) : $"{accessKeyId[..4]}{new string('*', accessKeyId.Length - 8)}{accessKeyId[^4..]}";
}

/// <summary>The answer of GetCallerIdentity.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>What AssumeRole (and friends) returns.</summary>
public sealed record AssumedRole(AwsCredentials Credentials, string AssumedRoleArn, string AssumedRoleId);
