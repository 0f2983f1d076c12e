using System.Diagnostics.CodeAnalysis;

namespace AwsConfigLsp.Model;

/// <summary>
/// The keys of one section as the CLI reads them (own keys first, then inherited <c>[DEFAULT]</c> ones), in insertion
/// order like the <see cref="Dictionary{TKey,TValue}"/> it replaces, but as a plain list: sections have a handful of
/// keys, so a linear search is as fast as hashing and a 50k-profile file keeps no 50k dictionaries. Until a key is
/// repeated, overwritten or inherited, the list is the section's <see cref="SectionEntry.OwnProperties"/> itself.
/// </summary>
internal sealed class PropertyTable(List<PropertyEntry> own) : IReadOnlyDictionary<string, PropertyEntry>
{
    /// <summary>Above this many keys a section gets a hash index too (a hostile file with thousands of keys in one section).</summary>
    private const int IndexThreshold = 24;

    private List<PropertyEntry> entries = own;
    private bool shared = true;
    private Dictionary<string, int>? index;

    /// <summary>Called after <paramref name="entry"/> was appended to the own list; <paramref name="inTable"/> false for a duplicate key the CLI rejects.</summary>
    public void AddedOwn(PropertyEntry entry, bool inTable)
    {
        if (shared)
        {
            if (inTable && (entries.Count <= 1 || IndexOf(entry.Key, entries.Count - 1) < 0))
            {
                if (index is not null) index[entry.Key] = entries.Count - 1;
                else if (entries.Count > IndexThreshold) BuildIndex();
                return;
            }
            // The own list now holds a line that the table does not (a duplicate) or holds differently (an overwrite):
            // the table gets a copy of its own.
            entries = entries.GetRange(0, entries.Count - 1);
            shared = false;
            index = null;
            if (entries.Count > IndexThreshold) BuildIndex();
        }
        if (!inTable) return;
        Set(entry);
    }

    /// <summary>Adds a key unless the section has it already (configparser's defaults lookup).</summary>
    public void Inherit(PropertyEntry entry)
    {
        if (IndexOf(entry.Key, entries.Count) >= 0) return;
        Unshare();
        Append(entry);
    }

    private void Set(PropertyEntry entry)
    {
        var at = IndexOf(entry.Key, entries.Count);
        if (at >= 0) entries[at] = entry;
        else Append(entry);
    }

    private void Append(PropertyEntry entry)
    {
        entries.Add(entry);
        if (index is not null) index[entry.Key] = entries.Count - 1;
        else if (entries.Count > IndexThreshold) BuildIndex();
    }

    private void Unshare()
    {
        if (!shared) return;
        entries = [.. entries];
        shared = false;
    }

    private void BuildIndex()
    {
        index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++) index.TryAdd(entries[i].Key, i);
    }

    /// <summary>The position of <paramref name="key"/> among the first <paramref name="limit"/> entries, or -1.</summary>
    private int IndexOf(string key, int limit)
    {
        if (index is not null) return index.TryGetValue(key, out var found) && found < limit ? found : -1;
        for (var i = 0; i < limit; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public PropertyEntry this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in this section.");

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var entry in entries) yield return entry.Key;
        }
    }

    public IEnumerable<PropertyEntry> Values => entries;

    public int Count => entries.Count;

    public bool ContainsKey(string key) => IndexOf(key, entries.Count) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out PropertyEntry value)
    {
        var at = IndexOf(key, entries.Count);
        value = at >= 0 ? entries[at] : null;
        return at >= 0;
    }

    public PropertyEntry? Get(string key)
    {
        var at = IndexOf(key, entries.Count);
        return at >= 0 ? entries[at] : null;
    }

    public IEnumerator<KeyValuePair<string, PropertyEntry>> GetEnumerator()
    {
        foreach (var entry in entries) yield return new KeyValuePair<string, PropertyEntry>(entry.Key, entry);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
