namespace AwsConfigLsp.FakeAws;

/// <summary>An IAM user with a long-term access key (<c>AKIA...</c>) and, optionally, a virtual MFA device.</summary>
public sealed record FakeUser(string Arn, string AccessKeyId, string SecretAccessKey, string? MfaSerial)
{
    public required string Account { get; init; }
    public required string UserName { get; init; }
    /// <summary>The MFA device's TOTP secret in base32 (what an authenticator app is given), or null without a device.</summary>
    public string? MfaSecretBase32 { get; init; }
}

/// <summary>An IAM role that can be assumed.</summary>
public sealed record FakeRole(string Arn);

/// <summary>Temporary credentials (<c>ASIA...</c>) the fake issued.</summary>
public sealed record FakeCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    /// <summary>What GetCallerIdentity answers for these credentials (<c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>).</summary>
    public string Arn { get; init; } = "";
}

/// <summary>One request the fake received, recorded after it was answered.</summary>
/// <param name="Endpoint"><c>sts</c>, <c>iam</c>, <c>imds</c>, <c>ecs</c> or <c>sso</c>.</param>
/// <param name="Action">The STS/IAM action, <c>GetRoleCredentials</c> (SSO), <c>GetCredentials</c> (ECS), or for IMDS
/// <c>GetToken</c>, <c>GetRoleName</c>, <c>GetCredentials</c>; <c>Unknown</c> otherwise.</param>
/// <param name="CallerAccessKeyId">The access key id from the SigV4 credential scope, when the request was signed.</param>
/// <param name="Parameters">Request parameters (form/query fields without Action and Version).</param>
/// <param name="Status">The HTTP status answered (0 when the connection was dropped or the request hung).</param>
public sealed record FakeCall(string Endpoint, string Action, string? CallerAccessKeyId, IReadOnlyDictionary<string, string> Parameters, int Status)
{
    /// <summary>The AWS error code answered (<c>AccessDenied</c>, ...), or null on success.</summary>
    public string? ErrorCode { get; init; }
    /// <summary>Whether the request carried a valid SigV4 signature (false for unsigned or rejected requests).</summary>
    public bool Signed { get; init; }
    /// <summary>Request headers as sent (for checking what a client sends, e.g. <c>X-Amz-Security-Token</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

public enum FakeFaultKind
{
    None,
    /// <summary>The request is read and never answered (until the fake is disposed).</summary>
    Hang,
    /// <summary>HTTP 500 with the protocol's internal-failure error document.</summary>
    ServerError,
    /// <summary>HTTP 400 <c>Throttling</c> / "Rate exceeded" (JSON endpoints: 429 <c>TooManyRequestsException</c>).</summary>
    Throttle,
    /// <summary>HTTP 200 with a body that is not well-formed (XML for STS/IAM, JSON for the others).</summary>
    MalformedXml,
    /// <summary>The normal answer after <see cref="FakeFault.Delay"/>.</summary>
    Slow,
    /// <summary>The connection is closed after the request is read, without any response.</summary>
    CloseConnection,
    /// <summary>HTTP 403 <c>AccessDenied</c> "... is not authorized to perform: SERVICE:ACTION ..." (STS and IAM).</summary>
    AccessDenied,
}

/// <summary>A fault injected per endpoint or per action with <see cref="FakeAwsServer.SetFault(string, FakeFault)"/>.</summary>
public sealed record FakeFault(FakeFaultKind Kind, TimeSpan Delay)
{
    public static FakeFault None { get; } = new(FakeFaultKind.None, TimeSpan.Zero);
    public static FakeFault Hang { get; } = new(FakeFaultKind.Hang, TimeSpan.Zero);
    public static FakeFault ServerError { get; } = new(FakeFaultKind.ServerError, TimeSpan.Zero);
    public static FakeFault Throttle { get; } = new(FakeFaultKind.Throttle, TimeSpan.Zero);
    public static FakeFault MalformedXml { get; } = new(FakeFaultKind.MalformedXml, TimeSpan.Zero);
    public static FakeFault CloseConnection { get; } = new(FakeFaultKind.CloseConnection, TimeSpan.Zero);
    public static FakeFault AccessDenied { get; } = new(FakeFaultKind.AccessDenied, TimeSpan.Zero);
    public static FakeFault Slow(TimeSpan delay) => new(FakeFaultKind.Slow, delay);

    /// <summary>Parses the scenario-file spelling: <c>none</c>, <c>hang</c>, <c>500</c>/<c>serverError</c>, <c>throttle</c>,
    /// <c>malformed</c>/<c>malformedXml</c>, <c>close</c>/<c>closeConnection</c>, <c>accessDenied</c>, <c>slow:MILLISECONDS</c>.</summary>
    public static FakeFault Parse(string text)
    {
        var lower = text.Trim().ToLowerInvariant();
        if (lower.StartsWith("slow:", StringComparison.Ordinal)) return Slow(TimeSpan.FromMilliseconds(int.Parse(lower[5..], System.Globalization.CultureInfo.InvariantCulture)));
        return lower switch
        {
            "none" => None,
            "hang" => Hang,
            "500" or "servererror" => ServerError,
            "throttle" or "throttling" => Throttle,
            "malformed" or "malformedxml" => MalformedXml,
            "close" or "closeconnection" => CloseConnection,
            "accessdenied" => AccessDenied,
            _ => throw new FormatException($"unknown fault '{text}'"),
        };
    }
}
