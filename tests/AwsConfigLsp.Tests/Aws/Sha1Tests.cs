using System.Security.Cryptography;
using System.Text;
using AwsConfigLsp.Aws;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

public sealed class Sha1Tests
{
    // FIPS 180 examples, plus the empty message.
    [Theory]
    [InlineData("", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1")]
    public void Known_digests(string text, string expected) => Assert.Equal(expected, Sha1.HexOf(text));

    [Fact]
    public void A_million_a() => Assert.Equal("34aa973cd4c4daa4f61eeb2bdbad27316534016f", Sha1.HexOf(new string('a', 1_000_000)));

    // Every length around the padding's boundaries (55, 56, 63, 64 bytes and their multiples), random bytes.
    [Fact]
    public void Agrees_with_the_platform_at_every_length_up_to_three_blocks_and_beyond()
    {
        var random = new Random(7);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA1.HashData(data), Sha1.Hash(data));
        }
    }

    [Fact]
    public void Hashes_the_utf8_bytes_of_the_text()
    {
        const string text = "{\"RoleArn\": \"arn:aws:iam::123456789012:role/caf\u00e9-\u65e5\u672c\"}";
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))), Sha1.HexOf(text));
    }
}
