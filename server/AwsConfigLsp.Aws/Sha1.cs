using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace AwsConfigLsp.Aws;

/// <summary>
/// SHA-1 (FIPS 180-4) in managed code, for the file names of the AWS CLI's caches only (<see cref="CliCache.Key(string, string?, string?, long?, string?)"/>,
/// <see cref="SsoProvider.CacheFileName"/>): names, not security. The platform's SHA-1 loads OpenSSL on Linux, which
/// costs ~8 ms on first use and ~4 MiB of resident memory (libcrypto's code and its allocations) for the process's
/// life; hover looks the cache up on every role profile, while OpenSSL is otherwise needed only when "Test this
/// profile" calls AWS over HTTPS. The tests hold it to the platform's SHA-1.
/// </summary>
public static class Sha1
{
    /// <summary>The SHA-1 of <paramref name="text"/>'s UTF-8 bytes, as 40 lower-case hex digits.</summary>
    public static string HexOf(string text) => Convert.ToHexStringLower(Hash(Encoding.UTF8.GetBytes(text)));

    /// <summary>The 20-byte SHA-1 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        Span<uint> state = [0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u];
        Span<uint> schedule = stackalloc uint[80];
        var whole = data.Length / 64 * 64;
        for (var offset = 0; offset < whole; offset += 64) Compress(state, schedule, data.Slice(offset, 64));

        // The last block(s): the rest, a 1 bit, zeros, the message's length in bits (big-endian), to a multiple of 64 bytes.
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        var rest = data[whole..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length + 9 <= 64 ? 64 : 128;
        BinaryPrimitives.WriteUInt64BigEndian(tail.Slice(tailLength - 8), (ulong)data.Length * 8);
        for (var offset = 0; offset < tailLength; offset += 64) Compress(state, schedule, tail.Slice(offset, 64));

        var digest = new byte[20];
        for (var i = 0; i < 5; i++) BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(4 * i), state[i]);
        return digest;
    }

    private static void Compress(Span<uint> state, Span<uint> w, ReadOnlySpan<byte> block)
    {
        for (var t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(4 * t));
        for (var t = 16; t < 80; t++) w[t] = BitOperations.RotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (var t = 0; t < 80; t++)
        {
            var (f, k) = t switch
            {
                < 20 => ((b & c) | (~b & d), 0x5A827999u),
                < 40 => (b ^ c ^ d, 0x6ED9EBA1u),
                < 60 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDCu),
                _ => (b ^ c ^ d, 0xCA62C1D6u),
            };
            var next = BitOperations.RotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = BitOperations.RotateLeft(b, 30);
            b = a;
            a = next;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}
