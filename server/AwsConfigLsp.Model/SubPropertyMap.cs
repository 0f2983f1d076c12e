using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AwsConfigLsp.Model;

/// <summary>
/// A nested block's sub-properties (<c>s3 =</c> + indented <c>key = value</c> lines) as a read-only map over one small
/// array, looked up by a scan with ordinal comparison, in the order the block gives them. A block holds a few keys; as a
/// <see cref="Dictionary{TKey, TValue}"/> each took ~530 bytes (its buckets and entries sized for growth): ~1.6 MiB for
/// the ~3k blocks of a 50k-profile file, against ~120 bytes here. Blocks of more than <see cref="MaxScanned"/> keys keep
/// their dictionary.
/// </summary>
internal sealed class SubPropertyMap : IReadOnlyDictionary<string, string>
{
    internal const int MaxScanned = 8;

    private readonly KeyValuePair<string, string>[] pairs;

    private SubPropertyMap(KeyValuePair<string, string>[] pairs) => this.pairs = pairs;

    /// <summary><paramref name="parsed"/> as a small map when it has at most <see cref="MaxScanned"/> keys, else itself.</summary>
    public static IReadOnlyDictionary<string, string> Of(Dictionary<string, string> parsed) =>
        parsed.Count <= MaxScanned ? new SubPropertyMap([.. parsed]) : parsed;

    public int Count => pairs.Length;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No sub-property '{key}'.");

    public IEnumerable<string> Keys => pairs.Select(pair => pair.Key);

    public IEnumerable<string> Values => pairs.Select(pair => pair.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var pair in pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
