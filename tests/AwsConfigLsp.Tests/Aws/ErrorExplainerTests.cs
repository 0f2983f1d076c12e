using AwsConfigLsp.Aws;
using AwsConfigLsp.Model;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

public sealed class ErrorExplainerTests
{
    private static readonly ChainHop Role = new("foo", CredentialKind.AssumeRole) { RoleArn = "arn:aws:iam::222222222222:role/role-kawahara" };
    private static readonly AwsCredentials StaticKeys = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, null, "static keys of profile default in the credentials file");
    private static readonly ServiceEndpoint Endpoint = new("https://sts.amazonaws.com", "us-east-1", "the global STS endpoint");

    private static TestError Explain(string code, string message, ChainHop? hop = null, AwsCredentials? source = null, bool chained = false, FailureKind kind = FailureKind.Service) =>
        ErrorExplainer.Explain(new AwsCallException(kind, code, message, 403), new FailureContext(hop ?? Role, "AssumeRole", source ?? StaticKeys, Endpoint, chained));

    private const string Denied = "User: arn:aws:iam::111111111111:user/user-kawahara is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/role-kawahara";

    [Fact]
    public void AccessDenied_without_mfa_serial_says_mfa_is_probably_required()
    {
        var error = Explain("AccessDenied", Denied);
        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains(Denied, error.Message);
        Assert.StartsWith(ErrorExplainer.MfaHint, error.Hint);
        Assert.Equal("the role's trust policy probably requires MFA (aws:MultiFactorAuthPresent)", ErrorExplainer.MfaHint);
        Assert.Equal("arn:aws:iam::111111111111:user/user-kawahara", ErrorExplainer.DeniedCaller(Denied));
    }

    [Fact]
    public void AccessDenied_with_mfa_serial_points_at_the_trust_policy_instead()
    {
        var error = Explain("AccessDenied", Denied, Role with { MfaSerial = "arn:aws:iam::111111111111:mfa/user-kawahara" });
        Assert.DoesNotContain("MultiFactorAuthPresent", error.Hint);
        Assert.Contains("trust policy does not allow this caller", error.Hint);
    }

    [Fact]
    public void A_wrong_mfa_code()
    {
        var error = Explain("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ", Role with { MfaSerial = "arn:aws:iam::111111111111:mfa/u" });
        Assert.Equal("InvalidMfaCode", error.Code);
        Assert.Contains("arn:aws:iam::111111111111:mfa/u", error.Message);
        Assert.Contains("30 seconds", error.Hint);
    }

    [Fact]
    public void Key_errors_name_the_masked_key_and_its_file()
    {
        var invalid = Explain("InvalidClientTokenId", "The security token included in the request is invalid.");
        Assert.Contains("AKIA************MPLE", invalid.Message);
        Assert.Contains("static keys of profile default in the credentials file", invalid.Message);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", invalid.Message);
        var signature = Explain("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
        Assert.Equal("SignatureDoesNotMatch", signature.Code);
        Assert.Contains("AKIA************MPLE", signature.Message);
        Assert.Contains("aws_secret_access_key", signature.Hint);
        Assert.DoesNotContain(StaticKeys.SecretAccessKey, signature.Message + signature.Hint);
    }

    [Fact]
    public void Durations_over_the_role_maximum_and_over_an_hour_when_chained()
    {
        var hop = Role with { DurationSeconds = 43200 };
        var maximum = Explain("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", hop);
        Assert.Equal("DurationTooLong", maximum.Code);
        Assert.Contains("43200", maximum.Message);
        Assert.Contains("maximum session duration", maximum.Hint);
        var chained = Explain("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", hop, chained: true);
        Assert.Equal("DurationTooLong", chained.Code);
        Assert.Contains("role chaining", chained.Hint);
        Assert.Contains("3600", chained.Hint);
    }

    [Theory]
    [InlineData("ExpiredToken", "The security token included in the request is expired", "ExpiredToken")]
    [InlineData("RegionDisabledException", "STS is not activated in this region for account:222222222222.", "RegionDisabled")]
    [InlineData("Throttling", "Rate exceeded", "Throttling")]
    public void Other_service_errors_have_a_hint(string code, string message, string expectedCode)
    {
        var error = Explain(code, message);
        Assert.Equal(expectedCode, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Hint));
    }

    [Fact]
    public void Transport_failures_say_which_endpoint()
    {
        var timeout = Explain("Timeout", "https://sts.amazonaws.com did not answer within 10 s.", kind: FailureKind.Timeout);
        Assert.Contains("did not answer within 10 s", timeout.Message);
        Assert.Contains("https://sts.amazonaws.com", timeout.Hint);
        var refused = Explain("ConnectionFailed", "Could not reach http://127.0.0.1:1: Connection refused", kind: FailureKind.Connection);
        Assert.Contains("Connection refused", refused.Message);
        Assert.Contains("endpoint", refused.Hint);
    }

    [Fact]
    public void A_tls_failure_names_the_certificate_and_where_to_look()
    {
        var error = Explain("TlsHandshakeFailed",
            "The TLS (https) connection to https://sts.example.test failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot.", kind: FailureKind.Tls);
        Assert.Equal("TlsHandshakeFailed", error.Code);
        Assert.Equal("AssumeRole for profile foo: The TLS (https) connection to https://sts.example.test failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot.", error.Message);
        Assert.StartsWith("the endpoint's certificate is not trusted by this computer, or the endpoint does not speak TLS: check endpoint_url, AWS_ENDPOINT_URL_STS, region;", error.Hint);
        Assert.Contains("CA certificate to the system's trust store", error.Hint);
        Assert.EndsWith("(https://sts.amazonaws.com, the global STS endpoint)", error.Hint);
    }

    public static TheoryData<ChainHop, string> BaseHops => new()
    {
        { new ChainHop("vm", CredentialKind.CredentialSource) { CredentialSource = "Ec2InstanceMetadata" }, "AWS_EC2_METADATA_SERVICE_ENDPOINT" },
        { new ChainHop("task", CredentialKind.CredentialSource) { CredentialSource = "EcsContainer" }, "AWS_CONTAINER_CREDENTIALS_FULL_URI" },
        { new ChainHop("portal", CredentialKind.Sso), "AWS_ENDPOINT_URL_SSO" },
    };

    /// <summary>A transport failure of a base provider points at that provider's settings, not at STS's.</summary>
    [Theory]
    [MemberData(nameof(BaseHops))]
    public void Transport_failures_of_a_base_name_its_own_settings(ChainHop hop, string setting)
    {
        foreach (var kind in new[] { FailureKind.Timeout, FailureKind.Connection, FailureKind.Tls, FailureKind.Malformed })
        {
            var error = ErrorExplainer.Explain(new AwsCallException(kind, "X", "http://127.0.0.1:1 did not answer within 1 s."), new FailureContext(hop, "Reading", null, null, false));
            Assert.Contains(setting, error.Hint);
            Assert.DoesNotContain("AWS_ENDPOINT_URL_STS", error.Hint);
        }
    }

    [Theory]
    [InlineData(500, "Ec2InstanceMetadata", "try again in a moment")]
    [InlineData(503, "EcsContainer", "try again in a moment")]
    [InlineData(401, "EcsContainer", "AWS_CONTAINER_AUTHORIZATION_TOKEN")]
    [InlineData(429, "Ec2InstanceMetadata", "wait a moment")]
    [InlineData(404, "Ec2InstanceMetadata", "AWS_EC2_METADATA_SERVICE_ENDPOINT")]
    public void Bare_http_errors_of_the_metadata_endpoints_get_a_hint(int status, string source, string hint)
    {
        var hop = new ChainHop("vm", CredentialKind.CredentialSource) { CredentialSource = source };
        var error = ErrorExplainer.Explain(new AwsCallException(FailureKind.Service, $"Http{status}", $"the endpoint answered HTTP {status}.", status),
            new FailureContext(hop, "Reading the instance metadata", null, null, false));
        Assert.Equal($"Http{status}", error.Code);
        Assert.Equal($"Reading the instance metadata for profile vm: the endpoint answered HTTP {status}.", error.Message);
        Assert.Contains(hint, error.Hint);
    }
}
