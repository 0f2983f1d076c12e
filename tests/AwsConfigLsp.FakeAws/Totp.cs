using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AwsConfigLsp.FakeAws;

/// <summary>RFC 6238 time-based one-time passwords as virtual MFA devices compute them: HMAC-SHA1, 30 s steps, 6 digits.</summary>
public static class Totp
{
    public const int StepSeconds = 30;

    /// <summary>The code for <paramref name="secret"/> at <paramref name="time"/>.</summary>
    public static string Code(byte[] secret, DateTimeOffset time) => CodeForStep(secret, time.ToUnixTimeSeconds() / StepSeconds);

    /// <summary>The RFC 4226 HOTP value of <paramref name="step"/>, zero-padded to 6 digits.</summary>
    public static string CodeForStep(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Base32 (RFC 4648, no padding), the form an authenticator app is given.</summary>
    public static string ToBase32(byte[] bytes)
    {
        var builder = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) builder.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return builder.ToString();
    }

    public static byte[] FromBase32(string text)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            var value = Base32Alphabet.IndexOf(c);
            if (value < 0) throw new FormatException($"'{c}' is not a base32 character");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return [.. output];
    }
}
