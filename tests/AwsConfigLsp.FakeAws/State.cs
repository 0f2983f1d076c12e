namespace AwsConfigLsp.FakeAws;

/// <summary>Whoever signs a request: a user's long-term key or a session's temporary key.</summary>
internal abstract class Principal
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public required string Account { get; init; }
    /// <summary>What GetCallerIdentity answers as Arn.</summary>
    public abstract string Arn { get; }
    /// <summary>What GetCallerIdentity answers as UserId.</summary>
    public abstract string UserId { get; }
}

internal sealed class UserState : Principal
{
    public required string UserName { get; init; }
    public required string UserArn { get; init; }
    public required string UniqueId { get; init; }
    public MfaDevice? Device { get; set; }
    public override string Arn => UserArn;
    public override string UserId => UniqueId;
}

internal sealed class MfaDevice
{
    public required string Serial { get; init; }
    public required byte[] Secret { get; init; }
    public required UserState User { get; init; }
    public required DateTimeOffset EnableDate { get; init; }
}

internal sealed class RoleState
{
    public required string Arn { get; init; }
    public required string Partition { get; init; }
    public required string Account { get; init; }
    /// <summary>The last segment of the ARN (paths are not part of assumed-role ARNs).</summary>
    public required string Name { get; init; }
    public required string RoleId { get; init; }
    public List<string> TrustedPrincipals { get; init; } = [];
    public bool RequireMfa { get; set; }
    public int MaxSessionDurationSeconds { get; set; } = 3600;
    public string? ExternalId { get; set; }

    public static (string Partition, string Account, string Name)? ParseArn(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4].Length != 12 || !parts[5].StartsWith("role/", StringComparison.Ordinal)) return null;
        var name = parts[5].Split('/')[^1];
        return name.Length == 0 ? null : (parts[1], parts[4], name);
    }
}

/// <summary>Temporary credentials: a role session (AssumeRole*, IMDS, ECS, SSO) or a GetSessionToken session of a user.</summary>
internal sealed class SessionState : Principal
{
    public required string SessionToken { get; init; }
    public required DateTimeOffset Expiration { get; init; }
    public RoleState? Role { get; init; }
    public UserState? User { get; init; }
    public required string SessionName { get; init; }
    /// <summary>Whether the session was created with MFA (aws:MultiFactorAuthPresent), which chained calls inherit.</summary>
    public bool MfaAuthenticated { get; init; }

    public override string Arn => Role is { } role ? $"arn:{role.Partition}:sts::{role.Account}:assumed-role/{role.Name}/{SessionName}" : User!.Arn;
    public override string UserId => Role is { } role ? $"{role.RoleId}:{SessionName}" : User!.UniqueId;

    public FakeCredentials ToCredentials() => new(AccessKeyId, SecretAccessKey, SessionToken, Expiration) { Arn = Arn };
}

internal sealed class FaultEntry(FakeFault fault, int? remaining)
{
    public FakeFault Fault { get; } = fault;
    public int? Remaining { get; set; } = remaining;
}

/// <summary>Random identifiers in AWS's shapes.</summary>
internal static class Ids
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string LongTermKey() => "AKIA" + Random(Upper, 16);
    public static string TemporaryKey() => "ASIA" + Random(Upper, 16);
    public static string Secret() => Random(Base64, 40);
    public static string SessionToken() => "IQoJb3JpZ2luX2VjE" + Random(Base64, 300);
    public static string UserId() => "AIDA" + Random(Upper, 17);
    public static string RoleId() => "AROA" + Random(Upper, 17);
    public static string Opaque(int length) => Random(Base64[..62], length);

    private static string Random(string alphabet, int length) =>
        new(System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(alphabet, length));
}
