using System.Text;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

public sealed class TotpTests
{
    /// <summary>RFC 6238 appendix B (SHA1 seed), last six digits: what an authenticator app shows.</summary>
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesTheRfc6238TestVectors(long unixSeconds, string expected)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");

        Assert.Equal(expected, Totp.Code(secret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }

    [Fact]
    public void Base32_RoundTrips_AndAGivenSecretGivesTheSameCodes()
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.ToBase32(secret));
        Assert.Equal(secret, Totp.FromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));

        using var fake = FakeAwsServer.Start();
        var user = fake.AddUser("111111111111", "alice", mfaSecretBase32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        Assert.Equal("287082", fake.Totp(user.MfaSerial!, DateTimeOffset.FromUnixTimeSeconds(59)));
    }
}
