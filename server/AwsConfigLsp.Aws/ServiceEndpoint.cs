using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>Where a service call goes, the region that signs it, and why (for messages).</summary>
public sealed record ServiceEndpoint(string Url, string SigningRegion, string Source);

/// <summary>
/// botocore's endpoint choice for STS (and SSO), for the profile being tested (botocore creates every client of a chain
/// from the selected profile's session): a configured endpoint URL in botocore's order (<c>AWS_ENDPOINT_URL_STS</c>, the
/// profile's <c>[services]</c> section, <c>AWS_ENDPOINT_URL</c>, the profile's <c>endpoint_url</c>; none when
/// <c>ignore_configured_endpoint_urls</c> is true), else the regional endpoint, or the global one without a region or with
/// <c>sts_regional_endpoints = legacy</c> and one of the legacy regions.
/// </summary>
public static class EndpointResolver
{
    // The regions that used the global STS endpoint before regional endpoints became the default (botocore's STS rules).
    private static readonly HashSet<string> LegacyGlobalRegions =
    [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1", "eu-central-1",
        "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ];

    /// <summary>The region of the selected profile: <c>AWS_DEFAULT_REGION</c>, else its <c>region</c> (botocore's <c>region</c> variable).</summary>
    public static string? Region(ProfileModel model, string profile, AwsEnvironment environment) =>
        environment.Get("AWS_DEFAULT_REGION") ?? NonEmpty(model.GetProfile(profile)?.Get("region")?.Value);

    public static ServiceEndpoint Sts(ProfileModel model, string profile, AwsEnvironment environment)
    {
        var region = Region(model, profile, environment);
        var signingRegion = region ?? "us-east-1";
        if (Configured(model, profile, environment, "sts", "STS") is { } configured) return configured with { SigningRegion = signingRegion };
        var mode = environment.Get("AWS_STS_REGIONAL_ENDPOINTS") ?? NonEmpty(model.GetProfile(profile)?.Get("sts_regional_endpoints")?.Value) ?? "regional";
        if (region is null) return new ServiceEndpoint("https://sts.amazonaws.com", "us-east-1", "the global STS endpoint (no region configured)");
        if (mode == "legacy" && LegacyGlobalRegions.Contains(region))
        {
            return new ServiceEndpoint("https://sts.amazonaws.com", "us-east-1", $"the global STS endpoint (sts_regional_endpoints = legacy, region {region})");
        }
        return new ServiceEndpoint($"https://sts.{region}.{DnsSuffix(region)}", region, $"the STS endpoint of region {region}");
    }

    /// <summary>The SSO portal endpoint for <paramref name="ssoRegion"/>, unless one is configured for the <c>sso</c> service.</summary>
    public static ServiceEndpoint Sso(ProfileModel model, string profile, AwsEnvironment environment, string ssoRegion)
    {
        if (Configured(model, profile, environment, "sso", "SSO") is { } configured) return configured with { SigningRegion = ssoRegion };
        return new ServiceEndpoint($"https://portal.sso.{ssoRegion}.{DnsSuffix(ssoRegion)}", ssoRegion, $"the IAM Identity Center portal of {ssoRegion}");
    }

    /// <summary>The IAM endpoint (global), unless one is configured for the <c>iam</c> service.</summary>
    public static ServiceEndpoint Iam(ProfileModel model, string profile, AwsEnvironment environment)
    {
        var region = Region(model, profile, environment);
        if (Configured(model, profile, environment, "iam", "IAM") is { } configured) return configured with { SigningRegion = region ?? "us-east-1" };
        if (region is not null && region.StartsWith("cn-", StringComparison.Ordinal)) return new ServiceEndpoint("https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "IAM (China)");
        if (region is not null && region.StartsWith("us-gov-", StringComparison.Ordinal)) return new ServiceEndpoint("https://iam.us-gov.amazonaws.com", "us-gov-west-1", "IAM (GovCloud)");
        return new ServiceEndpoint("https://iam.amazonaws.com", "us-east-1", "IAM");
    }

    private static ServiceEndpoint? Configured(ProfileModel model, string profile, AwsEnvironment environment, string serviceKey, string envSuffix)
    {
        var selected = model.GetProfile(profile);
        var ignore = environment.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? NonEmpty(selected?.Get("ignore_configured_endpoint_urls")?.Value);
        if (ignore is not null && ignore.Equals("true", StringComparison.OrdinalIgnoreCase)) return null;
        if (environment.Get($"AWS_ENDPOINT_URL_{envSuffix}") is { } serviceVariable) return new ServiceEndpoint(serviceVariable, "", $"AWS_ENDPOINT_URL_{envSuffix}");
        if (NonEmpty(selected?.Get("services")?.Value) is { } servicesName
            && model.Config.Services.GetValueOrDefault(servicesName) is { } services
            && services.Get(serviceKey)?.SubProperties is { } nested
            && NonEmpty(nested.GetValueOrDefault("endpoint_url")) is { } servicesUrl)
        {
            return new ServiceEndpoint(servicesUrl, "", $"endpoint_url of {serviceKey} in [services {servicesName}]");
        }
        if (environment.Get("AWS_ENDPOINT_URL") is { } globalVariable) return new ServiceEndpoint(globalVariable, "", "AWS_ENDPOINT_URL");
        if (NonEmpty(selected?.Get("endpoint_url")?.Value) is { } profileUrl) return new ServiceEndpoint(profileUrl, "", $"endpoint_url of profile {profile}");
        return null;
    }

    private static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
