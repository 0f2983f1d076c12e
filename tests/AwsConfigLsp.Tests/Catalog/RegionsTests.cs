using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

public class RegionsTests
{
    [Theory]
    [InlineData("us-east-1", "US East (N. Virginia)")]
    [InlineData("us-west-2", "US West (Oregon)")]
    [InlineData("af-south-1", "Africa (Cape Town)")]
    [InlineData("ap-east-1", "Asia Pacific (Hong Kong)")]
    [InlineData("ap-east-2", "Asia Pacific (Taipei)")]
    [InlineData("ap-south-2", "Asia Pacific (Hyderabad)")]
    [InlineData("ap-southeast-3", "Asia Pacific (Jakarta)")]
    [InlineData("ap-southeast-4", "Asia Pacific (Melbourne)")]
    [InlineData("ap-southeast-5", "Asia Pacific (Malaysia)")]
    [InlineData("ap-southeast-7", "Asia Pacific (Thailand)")]
    [InlineData("ca-west-1", "Canada West (Calgary)")]
    [InlineData("eu-central-2", "Europe (Zurich)")]
    [InlineData("eu-south-2", "Europe (Spain)")]
    [InlineData("il-central-1", "Israel (Tel Aviv)")]
    [InlineData("me-central-1", "Middle East (UAE)")]
    [InlineData("mx-central-1", "Mexico (Central)")]
    public void Commercial_regions(string code, string name)
    {
        var region = Regions.Find(code);
        Assert.NotNull(region);
        Assert.Equal(name, region.DisplayName);
        Assert.Equal(RegionPartition.Aws, region.Partition);
        Assert.True(region.IsPublic);
        Assert.Contains(name, region.Documentation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn-north-1", RegionPartition.China, "aws-cn")]
    [InlineData("cn-northwest-1", RegionPartition.China, "aws-cn")]
    [InlineData("us-gov-west-1", RegionPartition.GovCloud, "aws-us-gov")]
    [InlineData("us-gov-east-1", RegionPartition.GovCloud, "aws-us-gov")]
    public void China_and_govcloud_are_marked(string code, RegionPartition partition, string partitionId)
    {
        var region = Regions.Find(code)!;
        Assert.Equal(partition, region.Partition);
        Assert.Equal(partitionId, region.PartitionId);
        Assert.Contains("arn:" + partitionId + ":", region.Documentation, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_are_unique_lower_case_and_well_formed()
    {
        Assert.Equal(Regions.All.Count, Regions.All.Select(r => r.Code).Distinct().Count());
        Assert.All(Regions.All, r => Assert.True(Regions.IsWellFormed(r.Code), r.Code));
        Assert.True(Regions.All.Count(r => r.Partition == RegionPartition.Aws) >= 34);
        Assert.Null(Regions.Find("US-EAST-1"));
        Assert.Null(Regions.Find("us-east-9"));
    }

    [Theory]
    [InlineData("us-central-1", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("eusc-de-east-1", true)]
    [InlineData("us-east", false)]
    [InlineData("US-EAST-1", false)]
    [InlineData("useast1", false)]
    [InlineData("us-east-1a", false)]
    public void Well_formed_codes(string code, bool expected) => Assert.Equal(expected, Regions.IsWellFormed(code));

    [Theory]
    [InlineData("us-est-1", "us-east-1")]
    [InlineData("us-east", "us-east-1")]
    [InlineData("US-EAST-1", "us-east-1")]
    [InlineData("us_west_2", "us-west-2")]
    [InlineData("eu-centrl-1", "eu-central-1")]
    [InlineData("ap-southeast-8", "ap-southeast-1")]
    public void Suggestions_best_first(string typo, string expected) =>
        Assert.Equal(expected, Regions.Suggest(typo)[0].Code);

    [Fact]
    public void No_suggestion_for_a_valid_code_or_nonsense_and_none_isolated()
    {
        Assert.Empty(Regions.Suggest("us-east-1"));
        Assert.Empty(Regions.Suggest("nowhere"));
        Assert.Empty(Regions.Suggest(""));
        Assert.DoesNotContain(Regions.Suggest("us-iso-east-2"), r => !r.IsPublic);
    }
}
