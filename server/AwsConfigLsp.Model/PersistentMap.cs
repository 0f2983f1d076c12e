using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AwsConfigLsp.Model;

/// <summary>
/// An immutable name table: the names are spread over hash buckets (a small dictionary each, in groups of up to
/// 64 buckets), and <see cref="With"/> returns a new table that copies the group table, the groups and the buckets the
/// change touches, and shares all others. Every earlier table stays
/// exactly as it was for the readers that hold it. Enumerates in the order given by <c>order</c> (the file's order of
/// the names), or in bucket order without one.
/// </summary>
public sealed class PersistentMap<TValue> : IReadOnlyDictionary<string, TValue>
    where TValue : class
{
    /// <summary>Names per bucket the table is sized for: a change copies a dictionary of about this many.</summary>
    private const int NamesPerBucket = 128;

    private const int GroupShift = 6;
    private const int GroupSize = 1 << GroupShift;

    /// <summary>Bucket b is groups[b / 64][b % 64]; a null bucket is empty.</summary>
    private readonly Dictionary<string, TValue>?[][] groups;
    private readonly int bucketMask;
    private readonly IEnumerable<string>? order;

    public static PersistentMap<TValue> Empty { get; } = new([[null]], 0, null, 0);

    private PersistentMap(Dictionary<string, TValue>?[][] groups, int bucketMask, IEnumerable<string>? order, int count)
    {
        this.groups = groups;
        this.bucketMask = bucketMask;
        this.order = order;
        Count = count;
    }

    private static Dictionary<string, TValue>?[][] Group(Dictionary<string, TValue>?[] buckets)
    {
        var groups = new Dictionary<string, TValue>?[(buckets.Length + GroupSize - 1) / GroupSize][];
        for (var g = 0; g < groups.Length; g++) groups[g] = buckets[(g * GroupSize)..Math.Min(buckets.Length, (g + 1) * GroupSize)];
        return groups;
    }

    private Dictionary<string, TValue>? BucketFor(string key)
    {
        var bucket = HashOf(key) & bucketMask;
        return groups[bucket >> GroupShift][bucket & (GroupSize - 1)];
    }

    public int Count { get; }

    private static int BucketCountFor(int expected)
    {
        var count = 1;
        while (count < 4096 && count * NamesPerBucket < expected) count <<= 1;
        return count;
    }

    private static int HashOf(string key) => (int)(FastHash.Of(key) * 2654435769u >> 16);

    /// <summary>A table under construction (one build of a file or model); <see cref="ToMap"/> freezes it.</summary>
    public sealed class Builder(int expected)
    {
        private readonly Dictionary<string, TValue>?[] buckets = new Dictionary<string, TValue>?[BucketCountFor(expected)];
        // Each bucket is sized for its share of the expected names up front: no garbage from growing dictionaries.
        private readonly int capacity = expected / BucketCountFor(expected) * 5 / 4 + 4;
        private int count;

        private int BucketOf(string key) => HashOf(key) & (buckets.Length - 1);

        /// <summary>Sets the value of <paramref name="key"/>; true when the key is new.</summary>
        public bool Set(string key, TValue value)
        {
            var bucket = buckets[BucketOf(key)] ??= new Dictionary<string, TValue>(capacity, StringComparer.Ordinal);
            var added = bucket.TryAdd(key, value);
            if (added) count++;
            else bucket[key] = value;
            return added;
        }

        public bool ContainsKey(string key) => buckets[BucketOf(key)]?.ContainsKey(key) == true;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
        {
            value = null;
            return buckets[BucketOf(key)]?.TryGetValue(key, out value) == true;
        }

        public int Count => count;

        public PersistentMap<TValue> ToMap(IEnumerable<string>? order) => new(Group(buckets), buckets.Length - 1, order, count);
    }

    /// <summary>
    /// A table of <paramref name="names"/> (distinct) and their <paramref name="values"/>, enumerated in
    /// <paramref name="order"/>, which must list the same names in the same order; its <see cref="ValueList"/> is
    /// <paramref name="values"/> (kept, not copied). With <paramref name="parallel"/> the names are hashed and the buckets
    /// filled on two threads (each fills its own half of the buckets): at 50k profiles the one-thread build was ~30 ms
    /// of a model step that had the other core idle. Each bucket is sized for exactly the names it gets.
    /// </summary>
    public static PersistentMap<TValue> FromDistinct(string[] names, TValue[] values, IEnumerable<string> order, bool parallel) =>
        TryFromDistinct(names, values, order, parallel, out var repeated)
        ?? throw new ArgumentException($"The name '{repeated}' is given twice.", nameof(names));

    /// <summary><see cref="FromDistinct"/>, or null when a name is given twice (<paramref name="repeated"/>: one such name).</summary>
    public static PersistentMap<TValue>? TryFromDistinct(string[] names, TValue[] values, IEnumerable<string> order, bool parallel, out string? repeated)
    {
        if (names.Length != values.Length) throw new ArgumentException($"{values.Length} values for {names.Length} names.", nameof(values));
        var bucketCount = BucketCountFor(names.Length);
        var bucketOf = new int[names.Length];
        var sizes = new int[bucketCount];
        var buckets = new Dictionary<string, TValue>?[bucketCount];
        string? twice = null;
        void Hash(int from, int to)
        {
            for (var i = from; i < to; i++) bucketOf[i] = HashOf(names[i]) & (bucketCount - 1);
        }
        void Fill(int firstBucket, int endBucket)
        {
            for (var i = 0; i < bucketOf.Length; i++)
            {
                var bucket = bucketOf[i];
                if (bucket < firstBucket || bucket >= endBucket) continue;
                var table = buckets[bucket] ??= new Dictionary<string, TValue>(sizes[bucket], StringComparer.Ordinal);
                if (!table.TryAdd(names[i], values[i]))
                {
                    twice = names[i];
                    return;
                }
            }
        }
        var half = names.Length / 2;
        var halfBuckets = bucketCount / 2;
        TwoThreads.Run(parallel, () => Hash(0, half), () => Hash(half, names.Length));
        foreach (var bucket in bucketOf) sizes[bucket]++;
        TwoThreads.Run(parallel && halfBuckets > 0, () => Fill(0, halfBuckets), () => Fill(halfBuckets, bucketCount));
        repeated = twice;
        return twice is null ? new(Group(buckets), bucketCount - 1, order, names.Length) { valueArray = values } : null;
    }

    /// <summary>
    /// A new table with the changes applied in order (a null value removes the name) and enumerated in
    /// <paramref name="order"/>; this table is not changed.
    /// </summary>
    public PersistentMap<TValue> With(IReadOnlyList<KeyValuePair<string, TValue?>> changes, IEnumerable<string>? order)
    {
        if (changes.Count == 0) return ReferenceEquals(order, this.order) ? this : WithOrder(order);
        var copy = (Dictionary<string, TValue>?[][])groups.Clone();
        var copiedGroups = new HashSet<int>();
        var copiedBuckets = new HashSet<int>();
        var count = Count;
        foreach (var (key, value) in changes)
        {
            var index = HashOf(key) & bucketMask;
            var group = index >> GroupShift;
            if (copiedGroups.Add(group)) copy[group] = (Dictionary<string, TValue>?[])copy[group].Clone();
            var slots = copy[group];
            if (copiedBuckets.Add(index))
            {
                var old = slots[index & (GroupSize - 1)];
                slots[index & (GroupSize - 1)] = old is not null ? new Dictionary<string, TValue>(old, StringComparer.Ordinal) : new Dictionary<string, TValue>(StringComparer.Ordinal);
            }
            var bucket = slots[index & (GroupSize - 1)]!;
            if (value is null)
            {
                if (bucket.Remove(key)) count--;
            }
            else if (bucket.TryAdd(key, value)) count++;
            else bucket[key] = value;
        }
        return new PersistentMap<TValue>(copy, bucketMask, order, count);
    }

    /// <summary>The same names and values, enumerated in another order.</summary>
    public PersistentMap<TValue> WithOrder(IEnumerable<string>? order) => new(groups, bucketMask, order, Count);

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The name '{key}' is not in this table.");

    public bool ContainsKey(string key) => BucketFor(key)?.ContainsKey(key) == true;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        value = null;
        return BucketFor(key)?.TryGetValue(key, out value) == true;
    }

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var pair in this) yield return pair.Key;
        }
    }

    private TValue[]? valueArray;

    /// <summary>Whether <see cref="ValueList"/> is made already (a table made from distinct names has it from the start).</summary>
    public bool HasValueList => Volatile.Read(ref valueArray) is not null;

    /// <summary>
    /// <see cref="Values"/> as a list, made on first use and kept by this table (which never changes): a full analysis
    /// walks every profile twice (its reference index, then the rules), and at 50k names a walk costs ~10 ms.
    /// </summary>
    public IReadOnlyList<TValue> ValueList
    {
        get
        {
            if (Volatile.Read(ref valueArray) is { } made) return made;
            TValue[] built = [.. Values];
            return Interlocked.CompareExchange(ref valueArray, built, null) ?? built;
        }
    }

    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var pair in this) yield return pair.Value;
        }
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        if (order is not null)
        {
            foreach (var key in order)
            {
                if (TryGetValue(key, out var value)) yield return new KeyValuePair<string, TValue>(key, value);
            }
            yield break;
        }
        foreach (var group in groups)
        {
            foreach (var bucket in group)
            {
                if (bucket is null) continue;
                foreach (var pair in bucket) yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
