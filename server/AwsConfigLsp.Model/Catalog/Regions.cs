namespace AwsConfigLsp.Model.Catalog;

/// <summary>The partition a Region belongs to.</summary>
public enum RegionPartition
{
    /// <summary><c>aws</c>: the commercial Regions.</summary>
    Aws,

    /// <summary><c>aws-cn</c>: the China Regions, operated separately, with their own accounts.</summary>
    China,

    /// <summary><c>aws-us-gov</c>: AWS GovCloud (US), with its own accounts.</summary>
    GovCloud,

    /// <summary><c>aws-eusc</c>: the AWS European Sovereign Cloud.</summary>
    EuropeanSovereignCloud,

    /// <summary><c>aws-iso</c>, <c>aws-iso-b</c>, <c>aws-iso-e</c>, <c>aws-iso-f</c>: isolated (classified) Regions, not reachable from the internet.</summary>
    Isolated,
}

/// <summary>An AWS Region code with its display name.</summary>
public sealed record Region(string Code, string DisplayName, RegionPartition Partition, string PartitionId)
{
    /// <summary>Reachable by anyone with an account in its partition (every partition but the isolated ones).</summary>
    public bool IsPublic => Partition != RegionPartition.Isolated;

    /// <summary>Markdown for hover.</summary>
    public string Documentation => Partition switch
    {
        RegionPartition.Aws => $"**{Code}**: {DisplayName}",
        RegionPartition.China => $"**{Code}**: {DisplayName}. A China Region (partition `aws-cn`): it needs an account created for the China Regions, and ARNs start with `arn:aws-cn:`.",
        RegionPartition.GovCloud => $"**{Code}**: {DisplayName}. An AWS GovCloud (US) Region (partition `aws-us-gov`): it needs a GovCloud account, and ARNs start with `arn:aws-us-gov:`.",
        RegionPartition.EuropeanSovereignCloud => $"**{Code}**: {DisplayName} (partition `aws-eusc`): separate accounts, ARNs start with `arn:aws-eusc:`.",
        _ => $"**{Code}**: {DisplayName}. An isolated Region (partition `{PartitionId}`), reachable only from its own network.",
    };
}

/// <summary>Region codes, from the AWS partitions data (the endpoint rules' <c>partitions.json</c>).</summary>
public static class Regions
{
    public static IReadOnlyList<Region> All { get; } =
    [
        Aws("us-east-1", "US East (N. Virginia)"),
        Aws("us-east-2", "US East (Ohio)"),
        Aws("us-west-1", "US West (N. California)"),
        Aws("us-west-2", "US West (Oregon)"),
        Aws("af-south-1", "Africa (Cape Town)"),
        Aws("ap-east-1", "Asia Pacific (Hong Kong)"),
        Aws("ap-east-2", "Asia Pacific (Taipei)"),
        Aws("ap-northeast-1", "Asia Pacific (Tokyo)"),
        Aws("ap-northeast-2", "Asia Pacific (Seoul)"),
        Aws("ap-northeast-3", "Asia Pacific (Osaka)"),
        Aws("ap-south-1", "Asia Pacific (Mumbai)"),
        Aws("ap-south-2", "Asia Pacific (Hyderabad)"),
        Aws("ap-southeast-1", "Asia Pacific (Singapore)"),
        Aws("ap-southeast-2", "Asia Pacific (Sydney)"),
        Aws("ap-southeast-3", "Asia Pacific (Jakarta)"),
        Aws("ap-southeast-4", "Asia Pacific (Melbourne)"),
        Aws("ap-southeast-5", "Asia Pacific (Malaysia)"),
        Aws("ap-southeast-6", "Asia Pacific (New Zealand)"),
        Aws("ap-southeast-7", "Asia Pacific (Thailand)"),
        Aws("ca-central-1", "Canada (Central)"),
        Aws("ca-west-1", "Canada West (Calgary)"),
        Aws("eu-central-1", "Europe (Frankfurt)"),
        Aws("eu-central-2", "Europe (Zurich)"),
        Aws("eu-north-1", "Europe (Stockholm)"),
        Aws("eu-south-1", "Europe (Milan)"),
        Aws("eu-south-2", "Europe (Spain)"),
        Aws("eu-west-1", "Europe (Ireland)"),
        Aws("eu-west-2", "Europe (London)"),
        Aws("eu-west-3", "Europe (Paris)"),
        Aws("il-central-1", "Israel (Tel Aviv)"),
        Aws("me-central-1", "Middle East (UAE)"),
        Aws("me-south-1", "Middle East (Bahrain)"),
        Aws("mx-central-1", "Mexico (Central)"),
        Aws("sa-east-1", "South America (São Paulo)"),
        new("cn-north-1", "China (Beijing)", RegionPartition.China, "aws-cn"),
        new("cn-northwest-1", "China (Ningxia)", RegionPartition.China, "aws-cn"),
        new("us-gov-east-1", "AWS GovCloud (US-East)", RegionPartition.GovCloud, "aws-us-gov"),
        new("us-gov-west-1", "AWS GovCloud (US-West)", RegionPartition.GovCloud, "aws-us-gov"),
        new("eusc-de-east-1", "AWS European Sovereign Cloud (Germany)", RegionPartition.EuropeanSovereignCloud, "aws-eusc"),
        new("us-iso-east-1", "US ISO East", RegionPartition.Isolated, "aws-iso"),
        new("us-iso-west-1", "US ISO West", RegionPartition.Isolated, "aws-iso"),
        new("us-isob-east-1", "US ISOB East (Ohio)", RegionPartition.Isolated, "aws-iso-b"),
        new("us-isob-west-1", "US ISOB West", RegionPartition.Isolated, "aws-iso-b"),
        new("eu-isoe-west-1", "EU ISOE West", RegionPartition.Isolated, "aws-iso-e"),
        new("us-isof-east-1", "US ISOF East", RegionPartition.Isolated, "aws-iso-f"),
        new("us-isof-south-1", "US ISOF South", RegionPartition.Isolated, "aws-iso-f"),
    ];

    private static readonly Dictionary<string, Region> ByCode = All.ToDictionary(r => r.Code, StringComparer.Ordinal);

    private static Region Aws(string code, string name) => new(code, name, RegionPartition.Aws, "aws");

    /// <summary>The Region with this exact code (codes are lower-case; <c>US-EAST-1</c> is not one), or null.</summary>
    public static Region? Find(string code) => ByCode.GetValueOrDefault(code.Trim());

    /// <summary>
    /// Whether the text has the shape of a Region code (<c>xx-name-1</c>, <c>us-gov-west-1</c>, <c>eusc-de-east-1</c>).
    /// The SDKs accept codes they do not know yet, so an unknown well-formed code is not an error.
    /// </summary>
    public static bool IsWellFormed(string code)
    {
        var parts = code.Split('-');
        if (parts.Length < 3) return false;
        if (!parts[^1].All(char.IsAsciiDigit) || parts[^1].Length == 0) return false;
        return parts[..^1].All(p => p.Length > 0 && p.All(char.IsAsciiLetterLower));
    }

    /// <summary>Did-you-mean Regions for an unknown code, best first: case-insensitive, within edit distance 2, public Regions only.</summary>
    public static IReadOnlyList<Region> Suggest(string code)
    {
        var text = code.Trim().ToLowerInvariant().Replace('_', '-');
        if (text.Length == 0) return [];
        if (ByCode.TryGetValue(text, out var exact))
            return string.Equals(exact.Code, code.Trim(), StringComparison.Ordinal) ? [] : [exact];
        return All
            .Where(r => r.IsPublic)
            .Select(r => (Region: r, Distance: EditDistance.Compute(text, r.Code, 2)))
            .Where(p => p.Distance is > 0 and <= 2)
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.Region.Partition)
            .ThenBy(p => p.Region.Code, StringComparer.Ordinal)
            .Select(p => p.Region)
            .ToArray();
    }
}
