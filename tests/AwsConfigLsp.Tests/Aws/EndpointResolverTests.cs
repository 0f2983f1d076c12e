using AwsConfigLsp.Aws;
using AwsConfigLsp.Tests.Analysis;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

public sealed class EndpointResolverTests
{
    private static AwsEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value), "/nonexistent-home");

    private const string Config = """
[profile plain]
region = eu-west-1

[profile noregion]
output = json

[profile legacy]
region = us-west-2
sts_regional_endpoints = legacy

[profile legacy-new-region]
region = ap-east-1
sts_regional_endpoints = legacy

[profile own]
region = eu-west-1
endpoint_url = http://127.0.0.1:1000

[profile svc]
region = eu-west-1
endpoint_url = http://127.0.0.1:1000
services = local

[profile ignoring]
region = eu-west-1
endpoint_url = http://127.0.0.1:1000
ignore_configured_endpoint_urls = true

[services local]
sts =
  endpoint_url = http://127.0.0.1:2000
""";

    [Theory]
    [InlineData("plain", "https://sts.eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("noregion", "https://sts.amazonaws.com", "us-east-1")]
    [InlineData("legacy", "https://sts.amazonaws.com", "us-east-1")]
    [InlineData("legacy-new-region", "https://sts.ap-east-1.amazonaws.com", "ap-east-1")]
    [InlineData("own", "http://127.0.0.1:1000", "eu-west-1")]
    [InlineData("svc", "http://127.0.0.1:2000", "eu-west-1")]
    [InlineData("ignoring", "https://sts.eu-west-1.amazonaws.com", "eu-west-1")]
    public void Sts_endpoint_from_the_files(string profile, string url, string signingRegion)
    {
        var endpoint = EndpointResolver.Sts(RuleCheck.Model(Config), profile, Env());
        Assert.Equal((url, signingRegion), (endpoint.Url, endpoint.SigningRegion));
    }

    [Fact]
    public void Environment_variables_come_first_in_botocores_order()
    {
        var model = RuleCheck.Model(Config);
        Assert.Equal("http://127.0.0.1:3000", EndpointResolver.Sts(model, "svc", Env(("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:3000"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:4000"))).Url);
        // The [services] section beats AWS_ENDPOINT_URL, which beats the profile's endpoint_url.
        Assert.Equal("http://127.0.0.1:2000", EndpointResolver.Sts(model, "svc", Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:4000"))).Url);
        Assert.Equal("http://127.0.0.1:4000", EndpointResolver.Sts(model, "own", Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:4000"))).Url);
        Assert.Equal("https://sts.eu-west-1.amazonaws.com", EndpointResolver.Sts(model, "own", Env(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_ENDPOINT_URL_STS", "http://x"))).Url);
        // AWS_DEFAULT_REGION beats the profile's region; AWS_STS_REGIONAL_ENDPOINTS its setting.
        Assert.Equal("https://sts.ca-central-1.amazonaws.com", EndpointResolver.Sts(model, "plain", Env(("AWS_DEFAULT_REGION", "ca-central-1"))).Url);
        Assert.Equal("https://sts.amazonaws.com", EndpointResolver.Sts(model, "plain", Env(("AWS_STS_REGIONAL_ENDPOINTS", "legacy"))).Url);
    }

    [Fact]
    public void Sso_and_iam_endpoints()
    {
        var model = RuleCheck.Model(Config);
        Assert.Equal("https://portal.sso.eu-central-1.amazonaws.com", EndpointResolver.Sso(model, "plain", Env(), "eu-central-1").Url);
        Assert.Equal("http://127.0.0.1:5000", EndpointResolver.Sso(model, "plain", Env(("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:5000")), "eu-central-1").Url);
        Assert.Equal("https://iam.amazonaws.com", EndpointResolver.Iam(model, "plain", Env()).Url);
        Assert.Equal("http://127.0.0.1:6000", EndpointResolver.Iam(model, "plain", Env(("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:6000"))).Url);
    }
}
