using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Model;

/// <summary>
/// A section's property lines and the keys the CLI reads from it (own keys first, then inherited <c>[DEFAULT]</c> ones),
/// in insertion order like the <see cref="Dictionary{TKey,TValue}"/> it replaces, but in plain arrays held by the
/// section entry itself (a struct field: no object of its own): sections have a handful of keys, so a linear search is
/// as fast as hashing and a 50k-profile file keeps no 50k dictionaries. Until a key is repeated, overwritten or
/// inherited, the readable keys are the own lines themselves (no second array).
/// </summary>
internal struct PropertyTable
{
    /// <summary>Above this many keys a section gets a hash index too (a hostile file with thousands of keys in one section).</summary>
    private const int IndexThreshold = 24;

    // The own lines in file order (duplicates included): own[ownStart..ownStart + ownCapacity), sized to the section's
    // key lines when the entry is made, in an array of the section's own or in a run of one that the sections of a large
    // build share; kept without their section (the section entry that holds the table gives it back on read: 8 bytes
    // less a line).
    private PropertySlot[] own;
    private int ownStart;
    private int ownCapacity;
    private int ownCount;
    // The readable keys when they differ from the own lines (they may then come from a [DEFAULT] section); null while
    // they are the same.
    private PropertyEntry[]? table;
    private int tableCount;
    private Dictionary<string, int>? index;

    public PropertyTable(int capacity)
    {
        own = capacity == 0 ? [] : new PropertySlot[capacity];
        ownCapacity = capacity;
    }

    /// <summary>A table whose own lines go into <paramref name="slots"/>[<paramref name="start"/>..<paramref name="start"/> + <paramref name="capacity"/>), a run no other table uses.</summary>
    public PropertyTable(PropertySlot[] slots, int start, int capacity)
    {
        own = slots;
        ownStart = start;
        ownCapacity = capacity;
    }

    /// <summary>The own lines of <paramref name="section"/> (the entry that holds this table) in file order, duplicates included.</summary>
    public readonly PropertyList Own(SectionEntry section) => new(section, own, ownStart, ownCount);

    /// <summary>The readable entries: own keys (first line of each), then inherited ones.</summary>
    public readonly PropertyList Readable(SectionEntry section) => table is null ? new(section, own, ownStart, ownCount) : new(table, tableCount);

    private readonly int ReadableCount => table is null ? ownCount : tableCount;

    /// <summary>Appends an own line; <paramref name="inTable"/> false for a duplicate key the CLI rejects (not readable by key).</summary>
    public void AddOwn(PropertyEntry entry, bool inTable)
    {
        if (ownCount == ownCapacity)
        {
            // Full (more lines than counted): the lines move to an array of the table's own.
            var grown = new PropertySlot[Math.Max(4, ownCapacity * 2)];
            Array.Copy(own, ownStart, grown, 0, ownCount);
            (own, ownStart, ownCapacity) = (grown, 0, grown.Length);
        }
        own[ownStart + ownCount++] = entry.Slot;
        if (table is null)
        {
            if (inTable && IndexOf(entry.Key, ownCount - 1) < 0)
            {
                if (index is not null) index[entry.Key] = ownCount - 1;
                else if (ownCount > IndexThreshold) BuildIndex();
                return;
            }
            // The own lines now hold a line that the table does not (a duplicate) or holds differently (an overwrite):
            // the table gets an array of its own.
            Unshare(entry.Section, ownCount - 1);
        }
        if (!inTable) return;
        var at = IndexOf(entry.Key, tableCount);
        if (at >= 0) table![at] = entry;
        else Append(entry);
    }

    /// <summary>Adds a key unless the section has it already (configparser's defaults lookup).</summary>
    public void Inherit(SectionEntry section, PropertyEntry entry)
    {
        if (IndexOf(entry.Key, ReadableCount) >= 0) return;
        if (table is null) Unshare(section, ownCount);
        Append(entry);
    }

    /// <summary>The readable keys become an array of their own: the first <paramref name="count"/> own lines.</summary>
    private void Unshare(SectionEntry section, int count)
    {
        table = new PropertyEntry[Math.Max(4, count + 1)];
        for (var i = 0; i < count; i++) table[i] = new PropertyEntry(section, own[ownStart + i]);
        tableCount = count;
        index = null;
        if (tableCount > IndexThreshold) BuildIndex();
    }

    private void Append(PropertyEntry entry)
    {
        if (tableCount == table!.Length) Array.Resize(ref table, Math.Max(4, table.Length * 2));
        table[tableCount++] = entry;
        if (index is not null) index[entry.Key] = tableCount - 1;
        else if (tableCount > IndexThreshold) BuildIndex();
    }

    private void BuildIndex()
    {
        var count = ReadableCount;
        index = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++) index.TryAdd(KeyAt(i), i);
    }

    private readonly string KeyAt(int i) => table is null ? own[ownStart + i].Key : table[i].Key;

    /// <summary>The position of <paramref name="key"/> among the first <paramref name="limit"/> readable entries, or -1.</summary>
    private readonly int IndexOf(string key, int limit)
    {
        if (index is not null) return index.TryGetValue(key, out var found) && found < limit ? found : -1;
        if (table is null)
        {
            for (var i = 0; i < limit; i++)
            {
                if (string.Equals(own[ownStart + i].Key, key, StringComparison.Ordinal)) return i;
            }
            return -1;
        }
        for (var i = 0; i < limit; i++)
        {
            if (string.Equals(table[i].Key, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public readonly bool ContainsKey(string key) => IndexOf(key, ReadableCount) >= 0;

    /// <summary>The readable entry of <paramref name="key"/> in <paramref name="section"/> (the entry that holds this table), or null.</summary>
    public readonly PropertyEntry? Get(SectionEntry section, string key)
    {
        var at = IndexOf(key, ReadableCount);
        if (at < 0) return null;
        return table is null ? new PropertyEntry(section, own[ownStart + at]) : table[at];
    }
}

/// <summary>The readable keys of a section as a dictionary (for the few callers that walk them as one).</summary>
internal sealed class PropertyDictionary(SectionEntry section) : IReadOnlyDictionary<string, PropertyEntry>
{
    public PropertyEntry this[string key] => section.Get(key) ?? throw new KeyNotFoundException($"The key '{key}' is not in this section.");

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var entry in section.ReadableProperties) yield return entry.Key;
        }
    }

    public IEnumerable<PropertyEntry> Values => section.ReadableProperties;

    public int Count => section.ReadableProperties.Count;

    public bool ContainsKey(string key) => section.Has(key);

    public bool TryGetValue(string key, out PropertyEntry value)
    {
        var found = section.Get(key);
        value = found.GetValueOrDefault();
        return found.HasValue;
    }

    public IEnumerator<KeyValuePair<string, PropertyEntry>> GetEnumerator()
    {
        foreach (var entry in section.ReadableProperties) yield return new KeyValuePair<string, PropertyEntry>(entry.Key, entry);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The members of an entry read through <c>PropertyEntry?</c> where the caller knows it is there (the look-ups return a
/// nullable value): what a reference type's <c>entry!.Member</c> did. Not <c>Value</c>, which is the nullable's own
/// (the entry): read the string as <c>entry?.Value</c> or after a pattern (<c>is { } entry</c>).
/// </summary>
public static class PropertyEntryLookups
{
    extension(PropertyEntry? entry)
    {
        public TextSpan KeySpan => entry!.Value.KeySpan;
        public SourceLocation LineLocation => entry!.Value.LineLocation;
        public SourceLocation ValueOrLineLocation => entry!.Value.ValueOrLineLocation;
    }
}
