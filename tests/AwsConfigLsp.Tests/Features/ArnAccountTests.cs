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

    /// <summary>
    /// Where semantic tokens find an ARN's account (read in place): exactly where <see cref="AwsConfigLsp.Model.Catalog.Arn.TryParse"/>
    /// finds an ARN, its account field, at its place in the text as given (spaces around it included).
    /// </summary>
    [Fact]
    public void The_account_read_in_place_is_the_account_field_of_the_parsed_arn()
    {
        string[] fixedCases = ["arn:aws:iam::123456789012:role/Admin", "  arn:aws:iam::123456789012:role/A:b:c ", "arn::iam::1:r", "arn:aws::::r",
            "arn:aws:iam::123456789012:", "arn:aws:iam::123456789012", "\tarn:a:b:c:d:e\n", "arn:a:b:c:d:e:f:g", ""];
        foreach (var text in fixedCases.Concat(RandomText.Strings("arn: \t1x", maxLength: 16, count: 20_000, seed: 7)))
        {
            var parsed = AwsConfigLsp.Model.Catalog.Arn.TryParse(text, out var arn);
            Assert.Equal(parsed, AwsConfigLsp.Model.Catalog.Arn.TryFindAccount(text, out var account));
            if (!parsed) continue;
            Assert.Equal(arn!.AccountId, text.Substring(account.Start, account.Length));
            // The place: the fourth colon of the ARN is right before it.
            Assert.Equal(':', text[account.Start - 1]);
            Assert.Equal(3, text[..(account.Start - 1)].Trim().Count(c => c == ':'));
        }
    }
}
