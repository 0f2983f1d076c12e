using AwsConfigLsp.Features;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Features;

/// <summary>The account of an ARN, as the value index files "other profiles in this account" under it.</summary>
public sealed class ArnAccountTests
{
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/Admin", "123456789012")]
    [InlineData("arn:aws:iam::123456789012:mfa/alice", "123456789012")]
    [InlineData("arn:aws-us-gov:sts::210987654321:assumed-role/R/s", "210987654321")]
    [InlineData("arn:aws:iam::123456789012", null)]
    [InlineData("arn:aws:iam:::role/NoAccount", null)]
    [InlineData("ARN:aws:iam::123456789012:role/Admin", null)]
    [InlineData("not an arn", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_fifth_field_of_an_arn_with_six(string? arn, string? account) => Assert.Equal(account, ValueIndex.AccountOf(arn));

    [Fact]
    public void Random_strings_give_what_a_split_on_colons_gives()
    {
        foreach (var text in RandomText.Strings("arn:1x", maxLength: 15, count: 20_000, seed: 11))
        {
            var parts = text.Split(':');
            var expected = parts.Length >= 6 && parts[0] == "arn" && parts[4].Length > 0 ? parts[4] : null;
            Assert.Equal(expected, ValueIndex.AccountOf(text));
        }
    }
}
