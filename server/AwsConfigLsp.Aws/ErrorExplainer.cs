using System.Text.RegularExpressions;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>An error as the user reads it: the service's code, a message in words, and what to do about it.</summary>
public sealed record TestError(string Code, string Message, string? Hint);

/// <summary>What the explanation of a failed step needs to know about it.</summary>
public sealed record FailureContext(ChainHop Hop, string Action, AwsCredentials? Source, ServiceEndpoint? Endpoint, bool SourceIsRoleSession);

/// <summary>
/// Turns STS and transport failures into messages a person understands, each with a hint. Pure: the same failure in the
/// same context always reads the same.
/// </summary>
public static partial class ErrorExplainer
{
    public const string MfaHint = "the role's trust policy probably requires MFA (aws:MultiFactorAuthPresent)";

    [GeneratedRegex(@"^User: (?<arn>arn:[^ ]+) is not authorized to perform: sts:AssumeRole")]
    private static partial Regex AssumeRoleDenied();

    /// <summary>True when STS refused an AssumeRole by policy (not a wrong MFA code).</summary>
    public static bool IsAssumeRoleDenied(AwsCallException exception) =>
        exception is { Kind: FailureKind.Service, Code: "AccessDenied" } && exception.Message.Contains("sts:AssumeRole", StringComparison.Ordinal)
        && !IsInvalidMfaCode(exception);

    public static bool IsInvalidMfaCode(AwsCallException exception) =>
        exception.Code == "InvalidMfaCode"
        || exception is { Kind: FailureKind.Service, Code: "AccessDenied" }
           && (exception.Message.Contains("MultiFactorAuthentication", StringComparison.OrdinalIgnoreCase) || exception.Message.Contains("MFA one time pass code", StringComparison.OrdinalIgnoreCase));

    /// <summary>The caller ARN STS names in an AccessDenied message ("User: ARN is not authorized ..."), if any.</summary>
    public static string? DeniedCaller(string message) => AssumeRoleDenied().Match(message) is { Success: true } match ? match.Groups["arn"].Value : null;

    public static TestError Explain(AwsCallException exception, FailureContext context)
    {
        var hop = context.Hop;
        var message = exception.Message.Trim();
        var where = context.Endpoint is { } endpoint ? $" ({endpoint.Url}, {endpoint.Source})" : "";
        var keys = context.Source is { } source ? $"{AwsCredentials.Mask(source.AccessKeyId)} ({source.Origin})" : "the source credentials";
        var settings = EndpointSettings(hop);
        switch (exception.Kind)
        {
            case FailureKind.Timeout:
                return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile}: {message}",
                    $"check the network and any proxy, and that the endpoint is right ({settings})" + where);
            case FailureKind.Connection:
                return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile}: {message}",
                    $"check the network, the proxy and the endpoint ({settings})" + where);
            case FailureKind.Tls:
                return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile}: {message}",
                    $"the endpoint's certificate is not trusted by this computer, or the endpoint does not speak TLS: check {settings}; "
                    + "behind a proxy that inspects TLS, add its CA certificate to the system's trust store (the server does not read ca_bundle or AWS_CA_BUNDLE)" + where);
            case FailureKind.Malformed:
                return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile}: {message}",
                    $"the endpoint does not speak the AWS protocol; check {settings}" + where);
            case FailureKind.Local:
                return new TestError(exception.Code, message, LocalHint(exception.Code, hop));
        }
        if (exception.Code.StartsWith("Http", StringComparison.Ordinal) && exception.Status is { } status)
        {
            // The instance metadata service and the container endpoint answer bare HTTP errors.
            return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile}: {message}",
                status >= 500 ? "the endpoint failed on its side; try again in a moment"
                : status is 401 or 403 && hop.CredentialSource == "EcsContainer" ? "the container endpoint refused the authorization: check AWS_CONTAINER_AUTHORIZATION_TOKEN / AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
                : status == 429 ? "the endpoint throttled the request; wait a moment and test again"
                : $"the endpoint refused the request: check {settings}");
        }
        if (IsInvalidMfaCode(exception))
        {
            return new TestError("InvalidMfaCode", $"The MFA code for {hop.MfaSerial} was not accepted (AssumeRole {hop.RoleArn}).",
                "enter the current code of that device; each code is valid for about 30 seconds and can be used once");
        }
        switch (exception.Code)
        {
            case "AccessDenied" when IsAssumeRoleDenied(exception) && hop.Kind == CredentialKind.AssumeRole:
                {
                    var text = $"AccessDenied: {message}";
                    if (hop.MfaSerial is null) return new TestError("AccessDenied", text, MfaHint + "; add mfa_serial to the profile (a quick fix does it)");
                    var hint = "the role's trust policy does not allow this caller" + (hop.ExternalId is null ? "" : " with this external_id")
                        + "; compare its Principal and Condition with the caller named in the message";
                    return new TestError("AccessDenied", text, hint);
                }
            case "AccessDenied":
                return new TestError("AccessDenied", $"AccessDenied: {message}", "the caller's policies or the role's trust policy do not allow this call");
            case "ExpiredToken" or "ExpiredTokenException":
                return new TestError("ExpiredToken", $"The session token of {keys} has expired.",
                    context.Source?.Origin.StartsWith("static keys", StringComparison.Ordinal) == true
                        ? $"the keys of profile {context.Source.Origin} are temporary: get new ones, or remove aws_session_token if the access key is a long-term one"
                        : "get fresh credentials from the source (log in again) and test again");
            case "InvalidClientTokenId":
                return new TestError("InvalidClientTokenId", $"AWS does not recognize the access key {keys}.",
                    context.Source?.IsTemporary == true
                        ? "temporary keys are valid only in the partition and regions that issued them; check the region, or that the session is still valid"
                        : "the key was deleted or deactivated, or belongs to another partition; create a new access key in IAM and update the file");
            case "SignatureDoesNotMatch" when message.Contains("region", StringComparison.OrdinalIgnoreCase):
                return new TestError("SignatureDoesNotMatch", $"STS refused the request signed for region {context.Endpoint?.SigningRegion ?? "?"}: {message}",
                    "the endpoint expects another region: set region in the profile you test (or AWS_DEFAULT_REGION), matching the endpoint" + where);
            case "SignatureDoesNotMatch" when message.Contains("expired", StringComparison.OrdinalIgnoreCase) || message.Contains("not yet current", StringComparison.OrdinalIgnoreCase):
                return new TestError("SignatureDoesNotMatch", $"STS refused the request's time: {message}", "the computer's clock is off by more than 15 minutes: correct it");
            case "SignatureDoesNotMatch":
                return new TestError("SignatureDoesNotMatch", $"The secret key does not match the access key {keys}.",
                    "check aws_secret_access_key of that profile for a copy mistake (a missing or extra character, a space, a quote)");
            case "RegionDisabledException":
                return new TestError("RegionDisabled", $"STS is not enabled in this region for the account: {message}",
                    "enable the region for the account (Account > AWS Regions), or use a region that is enabled (region, sts_regional_endpoints)");
            case "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequestsException":
                return new TestError("Throttling", $"AWS throttled {context.Action} for profile {hop.Profile}: {message}", "wait a moment and test again");
            case "ValidationError" when message.Contains("DurationSeconds", StringComparison.OrdinalIgnoreCase) && (message.Contains("chaining", StringComparison.OrdinalIgnoreCase) || context.SourceIsRoleSession && message.Contains("1 hour", StringComparison.Ordinal)):
                return new TestError("DurationTooLong", $"duration_seconds = {hop.DurationSeconds} of profile {hop.Profile} is too long for a chained role: {message}",
                    "a role assumed with another role's credentials (role chaining) gets at most one hour: set duration_seconds to 3600 or less");
            case "ValidationError" when message.Contains("DurationSeconds", StringComparison.OrdinalIgnoreCase):
                return new TestError("DurationTooLong", $"duration_seconds = {hop.DurationSeconds} of profile {hop.Profile} is over the role's maximum: {message}",
                    "lower duration_seconds to at most the role's maximum session duration (IAM role settings; one hour unless raised)");
            case "ValidationError":
                return new TestError("ValidationError", $"STS rejected the request for profile {hop.Profile}: {message}", "check role_arn, role_session_name, external_id and duration_seconds of the profile");
            case "MalformedPolicyDocument" or "PackedPolicyTooLarge":
                return new TestError(exception.Code, message, "check the profile's policy settings");
            case "InvalidIdentityToken" or "IDPRejectedClaim" or "InvalidIdentityTokenException" or "IDPRejectedClaimException":
                return new TestError(exception.Code, $"STS refused the web identity token of {hop.WebIdentityTokenFile}: {message}",
                    "check that the token is current and that the role trusts its identity provider (audience, subject)");
            case "ServiceUnavailable" or "InternalFailure" or "InternalError" or "InternalServerException":
                return new TestError(exception.Code, $"{context.Action} failed on the service side: {message}", "try again in a moment");
        }
        return new TestError(exception.Code, $"{context.Action} for profile {hop.Profile} failed: {exception.Code}: {message}", null);
    }

    /// <summary>The settings that choose the endpoint a hop talks to, named for the hop's provider.</summary>
    private static string EndpointSettings(ChainHop hop) => hop switch
    {
        { Kind: CredentialKind.CredentialSource, CredentialSource: "Ec2InstanceMetadata" } =>
            "AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_METADATA_SERVICE_TIMEOUT; the instance metadata service answers only on an EC2 instance",
        { Kind: CredentialKind.CredentialSource, CredentialSource: "EcsContainer" } =>
            "AWS_CONTAINER_CREDENTIALS_FULL_URI / AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; the container endpoint answers only inside ECS or EKS",
        { Kind: CredentialKind.Sso } => "sso_region of the profile or its sso-session, and AWS_ENDPOINT_URL_SSO",
        _ => "endpoint_url, AWS_ENDPOINT_URL_STS, region",
    };

    private static string? LocalHint(string code, ChainHop hop) => code switch
    {
        "SsoTokenMissing" or "SsoTokenExpired" => "log in again with aws sso login; the server never logs in itself",
        "ProcessFailed" or "ProcessTimeout" => $"run the credential_process command of profile {hop.Profile} in a terminal to see what it does",
        "ProcessInvalidJson" or "ProcessUnsupportedVersion" or "ProcessMissingKey" or "ProcessInvalidExpiration" or "ProcessInvalid" =>
            "the command must print JSON with Version 1, AccessKeyId, SecretAccessKey and optional SessionToken and Expiration",
        "NoEnvironmentCredentials" => "start the editor from a shell that has AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use another credential_source",
        "MetadataDisabled" => "unset AWS_EC2_METADATA_DISABLED, or use another credential_source",
        "NotInContainer" => "EcsContainer works only inside ECS or EKS (Pod Identity), where the container agent sets those variables",
        "InvalidMfaCode" => "an MFA code is the 6 digits the device shows",
        "TokenFileUnreadable" or "WebIdentityTokenUnreadable" => "check that the token file exists and is readable by the editor",
        _ => null,
    };
}
