namespace AwsConfigLsp.Model;

/// <summary>
/// The hash of the model's own string tables (the value deduper's slots, the profile tables' buckets): it reads four
/// characters at a time, one multiply and rotate each, where the runtime's string hash reads one or two per step. The
/// model hashes every value and name of a file on a full build (~250,000 at 50k profiles) and every profile name it
/// looks up. Seeded once per process, so a file cannot be written to put its names into one bucket.
/// </summary>
internal static class FastHash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15ul;
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    public static uint Of(ReadOnlySpan<char> text)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(text);
        var hash = (Seed ^ (ulong)bytes.Length) * Multiplier;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            hash = System.Numerics.BitOperations.RotateLeft((hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * Multiplier, 31);
        }
        ulong tail = 0;
        for (; i < bytes.Length; i++) tail = (tail << 8) | bytes[i];
        hash = (hash ^ tail) * Multiplier;
        return (uint)(hash >> 32) ^ (uint)hash;
    }
}
