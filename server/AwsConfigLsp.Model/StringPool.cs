using System.Collections.Concurrent;

namespace AwsConfigLsp.Model;

/// <summary>
/// Keys as configparser stores them (lower-cased), shared by every file and version: a 50k-profile file has ~200,000
/// key lines but a few dozen distinct keys, so one string per distinct key instead of one per line. Bounded, so a
/// hostile file with millions of distinct keys only stops being pooled; it is never wrong.
/// </summary>
internal static class KeyPool
{
    private const int MaxEntries = 4096;
    private const int MaxLength = 64;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Pool.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int count;

    /// <summary>Python's <c>str.lower()</c> of <paramref name="raw"/>, pooled when it is short ASCII.</summary>
    public static string Lower(ReadOnlySpan<char> raw)
    {
        if (raw.Length > MaxLength || !System.Text.Ascii.IsValid(raw)) return PythonCompat.Lower(new string(raw));
        Span<char> lowered = stackalloc char[raw.Length];
        System.Text.Ascii.ToLower(raw, lowered, out _);
        if (Lookup.TryGetValue(lowered, out var pooled)) return pooled;
        var key = new string(lowered);
        if (count < MaxEntries && Pool.TryAdd(key, key)) Interlocked.Increment(ref count);
        return key;
    }
}

/// <summary>
/// One string per distinct short value within one build (<c>region = us-east-1</c> on thousands of lines): a
/// direct-mapped cache (a slot per hash, the newest value wins a slot), so it costs one hash and one comparison per
/// value, never grows, and keeps nothing from one build for another.
/// </summary>
internal sealed class ValueDeduper(int slotCount = ValueDeduper.EditSlots)
{
    private const int MaxLength = 40;

    /// <summary>For the few sections an edit reparses.</summary>
    public const int EditSlots = 2048;

    /// <summary>
    /// For a whole file: a 50k-profile config names ~18k distinct source profiles and ~2k role session names, which
    /// 2048 slots kept evicting each other (the model held ~1 MiB of copies). 256 KiB for the build, dropped after it.
    /// </summary>
    public const int FileSlots = 32768;

    private readonly string?[] slots = new string?[slotCount];

    // Each slot's hash: a value that only shares a slot with the one there is told apart without reading that string
    // (a look-up in a 50k-profile build mostly missed the cache on the other string's characters).
    private readonly uint[] hashes = new uint[slotCount];

    public string Get(ReadOnlySpan<char> span)
    {
        if (span.Length == 0) return "";
        if (span.Length > MaxLength) return new string(span);
        var hash = FastHash.Of(span);
        var index = (int)(hash & (uint)(slots.Length - 1));
        ref var slot = ref slots[index];
        if (hashes[index] == hash && slot is { } existing && span.SequenceEqual(existing)) return existing;
        hashes[index] = hash;
        return slot = new string(span);
    }
}
