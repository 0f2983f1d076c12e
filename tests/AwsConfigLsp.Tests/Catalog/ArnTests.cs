using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

public class ArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/Admin", "aws", "123456789012", "/", "Admin")]
    [InlineData("arn:aws:iam::123456789012:role/service-role/MyRole", "aws", "123456789012", "/service-role/", "MyRole")]
    [InlineData("arn:aws:iam::123456789012:role/a/b/c/Role.Name@x+y=z,w_v-u", "aws", "123456789012", "/a/b/c/", "Role.Name@x+y=z,w_v-u")]
    [InlineData("arn:aws-cn:iam::123456789012:role/Admin", "aws-cn", "123456789012", "/", "Admin")]
    [InlineData("arn:aws-us-gov:iam::123456789012:role/Admin", "aws-us-gov", "123456789012", "/", "Admin")]
    [InlineData("arn:aws-iso-b:iam::123456789012:role/Admin", "aws-iso-b", "123456789012", "/", "Admin")]
    [InlineData("arn:aws-iso:iam::123456789012:role/Admin", "aws-iso", "123456789012", "/", "Admin")]
    [InlineData("  arn:aws:iam::000000000000:role/x  ", "aws", "000000000000", "/", "x")]
    public void Good_role_arns(string text, string partition, string account, string path, string name)
    {
        Assert.True(RoleArn.TryParse(text, out var role, out var error), error);
        Assert.Equal(partition, role.Partition);
        Assert.Equal(account, role.AccountId);
        Assert.Equal(path, role.Path);
        Assert.Equal(name, role.RoleName);
        Assert.Equal(text.Trim(), role.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Admin", "Not an ARN")]
    [InlineData("arn:aws:iam::123456789012", "Not an ARN")]
    [InlineData("arn:amazon:iam::123456789012:role/Admin", "partition")]
    [InlineData("arn:aws:s3:::bucket", "service")]
    [InlineData("arn:aws:iam:us-east-1:123456789012:role/Admin", "Region")]
    [InlineData("arn:aws:iam::12345678901:role/Admin", "12-digit")]
    [InlineData("arn:aws:iam::1234567890123:role/Admin", "12-digit")]
    [InlineData("arn:aws:iam::12345678901a:role/Admin", "12-digit")]
    [InlineData("arn:aws:iam::123456789012:user/alice", "not a role")]
    [InlineData("arn:aws:iam::123456789012:role/", "role name")]
    [InlineData("arn:aws:iam::123456789012:role/bad name", "role name")]
    [InlineData("arn:aws:iam::123456789012:role/a//b", "path")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/session", "assumed-role")]
    public void Bad_role_arns_say_why(string text, string reason)
    {
        Assert.False(RoleArn.TryParse(text, out var role, out var error));
        Assert.Null(role);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/Admin")]
    [InlineData("  arn:aws:iam::000000000000:role/a/b/c/Role.Name@x+y=z,w_v-u  ")]
    [InlineData("arn:aws-iso-x:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:role//Admin")]
    [InlineData("arn:aws:iam::123456789012:role/a//b/Admin")]
    [InlineData("arn:aws:iam::123456789012:role/a\u00e9/Admin")]
    [InlineData("arn:aws:iam::12345678901\u0663:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:role/x:y")]
    [InlineData("arn:aws:iam::123456789012:role")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/session")]
    [InlineData("\t\n")]
    [InlineData("arn::iam::123456789012:role/Admin")]
    public void IsValid_agrees_with_TryParse_on_edge_cases(string text)
    {
        Assert.Equal(RoleArn.TryParse(text, out _, out _), RoleArn.IsValid(text));
    }

    [Fact]
    public void IsValid_agrees_with_TryParse_on_every_combination_of_fields()
    {
        // Fields drawn from valid and broken pieces, joined with colons: the allocation-free check must accept exactly
        // what the parser accepts (the invalid-role-arn rule trusts it for every role_arn line).
        string[] schemes = ["arn", " arn", "ARN", ""];
        string[] partitions = ["aws", "aws-cn", "aws-iso-q", "aws-iso-", "aws-iso-Q", "", "amazon"];
        string[] services = ["iam", "sts", "", "s3"];
        string[] regions = ["", "us-east-1"];
        string[] accounts = ["123456789012", "12345678901", "1234567890123", "12345678901a", ""];
        string[] resources = ["role/Admin", "role/p/q/Admin", "role//x", "/role/x", "role/", "role/a b", "user/x", "assumed-role/A/s",
            "role/x:y", "role/" + new string('r', 64), "role/" + new string('r', 65), "role/\u00e9/x", "role/p\u007f/x", "role/Admin  ", ""];
        // Every combination, with one to six fields: ~100k strings, each field's valid and broken forms.
        var valid = CountAgreeing([schemes, partitions, services, regions, accounts, resources], text => RoleArn.TryParse(text, out _, out _), RoleArn.IsValid);
        Assert.True(valid > 10, $"only {valid} valid ARNs were generated");
    }

    [Fact]
    public void MfaSerial_IsValid_agrees_with_TryParse_on_every_combination_of_fields()
    {
        // The invalid-mfa-serial rule trusts the allocation-free check for every mfa_serial line and parses only what it
        // refuses: it must accept exactly what the parser accepts, ARNs and hardware serial numbers alike.
        string[] schemes = ["arn", " arn", "ARN", ""];
        string[] partitions = ["aws", "aws-us-gov", "aws-iso-q", "aws-iso-", "", "amazon"];
        string[] services = ["iam", "sts", ""];
        string[] regions = ["", "us-east-1"];
        string[] accounts = ["123456789012", "12345678901", "12345678901a", ""];
        string[] resources = ["mfa/alice", "mfa/p/q/alice", "mfa/", "mfa/x/", "u2f/user/a/default-X", "u2f/", "user/alice", "MFA/alice",
            "mfa/a:b", "mfa/alice  ", "role/x", ""];
        var valid = CountAgreeing([schemes, partitions, services, regions, accounts, resources], text => MfaSerial.TryParse(text, out _, out _), MfaSerial.IsValid);
        Assert.True(valid > 10, $"only {valid} valid serials were generated");
        foreach (var text in new[] { "GAHT12345678", "GAHT1234", "  GAHT12345678\t", "GAHT 12345678", "GAHT1234567\u00e9", new string('A', 256), new string('A', 257),
            "abc_+=/:,.@-x", "abc#defghij", "", "   ", null })
        {
            Assert.True(MfaSerial.TryParse(text, out _, out _) == MfaSerial.IsValid(text), $"they disagree on `{text}`");
        }
    }

    /// <summary>
    /// Joins one value of each field list with colons, for every combination and with one to six fields, and asserts that
    /// <paramref name="isValid"/> agrees with <paramref name="parse"/> on each; returns how many <paramref name="parse"/> accepted.
    /// </summary>
    private static int CountAgreeing(string[][] fieldValues, Func<string, bool> parse, Func<string, bool> isValid)
    {
        var valid = 0;
        foreach (var a in fieldValues[0])
        foreach (var b in fieldValues[1])
        foreach (var c in fieldValues[2])
        foreach (var d in fieldValues[3])
        foreach (var e in fieldValues[4])
        foreach (var f in fieldValues[5])
        {
            string[] fields = [a, b, c, d, e, f];
            for (var count = 1; count <= 6; count++)
            {
                var text = string.Join(':', fields.Take(count));
                var parsed = parse(text);
                if (parsed) valid++;
                Assert.True(parsed == isValid(text), $"TryParse says {parsed} for `{text}`, IsValid the opposite");
            }
        }
        return valid;
    }

    [Fact]
    public void Role_names_longer_than_64_are_rejected()
    {
        Assert.True(RoleArn.TryParse("arn:aws:iam::123456789012:role/" + new string('a', 64), out _));
        Assert.False(RoleArn.TryParse("arn:aws:iam::123456789012:role/" + new string('a', 65), out _));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:mfa/alice", MfaDeviceKind.Virtual, "123456789012", "alice")]
    [InlineData("arn:aws:iam::123456789012:mfa/path/to/alice-phone", MfaDeviceKind.Virtual, "123456789012", "alice-phone")]
    [InlineData("arn:aws-cn:iam::123456789012:mfa/bob", MfaDeviceKind.Virtual, "123456789012", "bob")]
    [InlineData("arn:aws:iam::123456789012:u2f/user/alice/default-ABCDEFGHIJKLMNOPQRSTUVWXY", MfaDeviceKind.U2f, "123456789012", "default-ABCDEFGHIJKLMNOPQRSTUVWXY")]
    [InlineData("GAHT12345678", MfaDeviceKind.Hardware, null, "GAHT12345678")]
    [InlineData("SMS-12345-ABC", MfaDeviceKind.Hardware, null, "SMS-12345-ABC")]
    public void Good_mfa_serials(string text, MfaDeviceKind kind, string? account, string name)
    {
        Assert.True(MfaSerial.TryParse(text, out var serial, out var error), error);
        Assert.Equal(kind, serial.Kind);
        Assert.Equal(account, serial.AccountId);
        Assert.Equal(name, serial.DeviceName);
        Assert.Equal(text, serial.Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("12345678", "hardware serial")]
    [InlineData("has spaces in it", "hardware serial")]
    [InlineData("arn:aws:iam::123456789012:user/alice", "user's ARN")]
    [InlineData("arn:aws:iam::123456789012:role/Admin", "not an MFA device")]
    [InlineData("arn:aws:iam::123456789012:mfa/", "missing")]
    [InlineData("arn:aws:iam::12345:mfa/alice", "12-digit")]
    [InlineData("arn:aws:sts::123456789012:mfa/alice", "service")]
    [InlineData("arn:aws:iam", "complete ARN")]
    public void Bad_mfa_serials_say_why(string text, string reason)
    {
        Assert.False(MfaSerial.TryParse(text, out var serial, out var error));
        Assert.Null(serial);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:user/alice", "123456789012")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/s", "123456789012")]
    [InlineData("arn:aws:s3:::bucket", null)]
    [InlineData("arn:aws:iam::0123456789012:user/username", null)]
    [InlineData("not an arn", null)]
    [InlineData(null, null)]
    public void Account_id_extraction_for_hover(string? text, string? expected) =>
        Assert.Equal(expected, Arn.GetAccountId(text));

    [Fact]
    public void Generic_arn_keeps_colons_in_the_resource()
    {
        Assert.True(Arn.TryParse("arn:aws:logs:us-east-1:123456789012:log-group:my-group:*", out var arn));
        Assert.Equal("logs", arn.Service);
        Assert.Equal("us-east-1", arn.Region);
        Assert.Equal("log-group:my-group:*", arn.Resource);
        Assert.False(Arn.TryParse("arn:aws::us-east-1:123:x", out _));
    }

    [Fact]
    public void Partitions_and_account_ids()
    {
        Assert.True(AwsPartitions.IsKnown("aws-eusc"));
        Assert.True(AwsPartitions.IsKnown("aws-iso-f"));
        Assert.True(AwsPartitions.IsKnown("aws-iso-z"));
        Assert.False(AwsPartitions.IsKnown("aws-isoX"));
        Assert.False(AwsPartitions.IsKnown("AWS"));
        Assert.True(AwsPartitions.IsAccountId("111122223333"));
        Assert.False(AwsPartitions.IsAccountId("11112222333"));
        Assert.False(AwsPartitions.IsAccountId("１１１１２２２２３３３３"));
    }
}
