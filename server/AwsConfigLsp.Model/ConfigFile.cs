using System.Collections.Immutable;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Model;

public enum ConfigFileKind
{
    /// <summary><c>~/.aws/config</c> (<c>AWS_CONFIG_FILE</c>): <c>[default]</c>, <c>[profile x]</c>, <c>[sso-session x]</c>, <c>[services x]</c>.</summary>
    Config,
    /// <summary><c>~/.aws/credentials</c> (<c>AWS_SHARED_CREDENTIALS_FILE</c>): every section is a profile, named literally.</summary>
    Credentials,
}

/// <summary>What a section is to the CLI.</summary>
public enum SectionRole
{
    Profile,
    SsoSession,
    Services,
    /// <summary><c>[DEFAULT]</c>: configparser's defaults, inherited by every section of the file.</summary>
    Defaults,
    /// <summary>A section the CLI reads as a profile-less top-level section (<c>[plugins]</c>, <c>[foo]</c>) or drops (<c>[profile a b]</c>).</summary>
    Other,
    /// <summary>The lines before the first header.</summary>
    Preamble,
}

/// <summary>A place in one of the two files.</summary>
public readonly record struct SourceLocation(ConfigFileKind File, TextSpan Span);

/// <summary>
/// One <c>key = value</c> as the CLI reads it: key lower-cased, value stripped and joined with its continuation lines.
/// A value, not an object: a section keeps its lines' entries in one array (<see cref="SectionEntry.OwnProperties"/>),
/// so a 50k-profile file holds ~200k entries inline in ~50k arrays instead of ~200k objects, a list and a table per
/// section. Two entries are equal when they are the same line of the same section entry.
/// </summary>
public readonly struct PropertyEntry : IEquatable<PropertyEntry>
{
    // The key line's index in the section's syntax (a view is built on read: no copy of the line per entry).
    private readonly int line;
    // The value, or for the few nested blocks a NestedValue with the parsed block: one field instead of two on every entry.
    private readonly object valueOrNested;

    internal PropertyEntry(SectionEntry section, PropertySyntax syntax, string key, string value, IReadOnlyDictionary<string, string>? subProperties)
    {
        Section = section;
        line = syntax.Index;
        Key = key;
        valueOrNested = subProperties is null ? value : new NestedValue(value, subProperties);
    }

    /// <summary>The entry of <paramref name="slot"/>, a line of <paramref name="section"/>.</summary>
    internal PropertyEntry(SectionEntry section, in PropertySlot slot)
    {
        Section = section;
        line = slot.Line;
        Key = slot.Key;
        valueOrNested = slot.ValueOrNested;
    }

    /// <summary>The entry without its section (what the section's own array keeps).</summary>
    internal PropertySlot Slot => new(Key, valueOrNested, line);

    private sealed record NestedValue(string Value, IReadOnlyDictionary<string, string> SubProperties);

    public SectionEntry Section { get; }
    public PropertySyntax Syntax => Section.Syntax.PropertyAt(line);
    /// <summary>The key lower-cased, as configparser's <c>optionxform</c> does.</summary>
    public string Key { get; }
    /// <summary>The value as botocore sees it (for a nested block: the raw text starting with a line break).</summary>
    public string Value => valueOrNested as string ?? ((NestedValue)valueOrNested).Value;
    /// <summary>The parsed nested block (<c>s3 =</c> + indented <c>key = value</c> lines), or null.</summary>
    public IReadOnlyDictionary<string, string>? SubProperties => (valueOrNested as NestedValue)?.SubProperties;

    public ConfigFileKind File => Section.File.Kind;
    public TextSpan KeySpan => Syntax.KeySpan.Shift(Section.Start);
    public TextSpan ValueSpan => Syntax.ValueSpan.Shift(Section.Start);
    /// <summary>The key line without its line break.</summary>
    public TextSpan LineSpan => Syntax.Span.Shift(Section.Start);
    public SourceLocation KeyLocation => new(File, KeySpan);
    public SourceLocation LineLocation => new(File, LineSpan);
    /// <summary>The value when it is not empty, else the whole line: where a diagnostic about this value belongs.</summary>
    public SourceLocation ValueOrLineLocation => new(File, ValueSpan.Length > 0 ? ValueSpan : LineSpan);

    public bool Equals(PropertyEntry other) => ReferenceEquals(Section, other.Section) && line == other.line;
    public override bool Equals(object? obj) => obj is PropertyEntry other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Section), line);
    public static bool operator ==(PropertyEntry left, PropertyEntry right) => left.Equals(right);
    public static bool operator !=(PropertyEntry left, PropertyEntry right) => !left.Equals(right);
    public override string ToString() => $"{Key} = {Value}";
}

/// <summary>A property line without its section: what a section's own array keeps (see <see cref="PropertyTable"/>).</summary>
internal readonly struct PropertySlot(string key, object valueOrNested, int line)
{
    public readonly string Key = key;
    public readonly object ValueOrNested = valueOrNested;
    public readonly int Line = line;
}

/// <summary>A section's property lines (own, or readable): a view of its arrays, enumerated without allocating.</summary>
public readonly struct PropertyList : IReadOnlyList<PropertyEntry>
{
    // Either the section's own lines (slots, with the section to give back) or entries that carry their section.
    private readonly SectionEntry? section;
    private readonly PropertySlot[]? slots;
    private readonly int start;
    private readonly PropertyEntry[]? entries;

    internal PropertyList(SectionEntry section, PropertySlot[] slots, int start, int count)
    {
        this.section = section;
        this.slots = slots;
        this.start = start;
        Count = count;
    }

    internal PropertyList(PropertyEntry[] entries, int count)
    {
        this.entries = entries;
        Count = count;
    }

    public int Count { get; }

    public PropertyEntry this[int index] => (uint)index < (uint)Count
        ? entries is not null ? entries[index] : new PropertyEntry(section!, slots![start + index])
        : throw new ArgumentOutOfRangeException(nameof(index));

    public Enumerator GetEnumerator() => new(this);
    IEnumerator<PropertyEntry> IEnumerable<PropertyEntry>.GetEnumerator() => new Boxed(this);
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => new Boxed(this);

    public struct Enumerator(PropertyList list)
    {
        private int index = -1;
        public bool MoveNext() => ++index < list.Count;
        public readonly PropertyEntry Current => list[index];
    }

    private sealed class Boxed(PropertyList list) : IEnumerator<PropertyEntry>
    {
        private int index = -1;
        public PropertyEntry Current => list[index];
        object System.Collections.IEnumerator.Current => Current;
        public bool MoveNext() => ++index < list.Count;
        public void Reset() => index = -1;
        public void Dispose() { }
    }
}

/// <summary>One section of a file with the properties the CLI reads from it (own keys, then <c>[DEFAULT]</c>'s).</summary>
public sealed class SectionEntry
{
    // Not readonly: a mutable struct that the build fills in place.
    private PropertyTable properties;

    /// <summary>The lineage of file versions the entry belongs to.</summary>
    private readonly FileVersion version;
    /// <summary>The <see cref="ConfigFile.Id"/> of the version that created the entry: older versions do not hold it.</summary>
    private readonly long createdIn;
    /// <summary>The last version that holds the entry, once an edit replaced it; null while the newest version holds it.</summary>
    private ConfigFile? lastIn;

    private static int lastEntryId;

    /// <summary>
    /// A number no other entry of the process has: a set of entries can be checked by number (without reading each entry)
    /// by those that keep many references to entries, such as the analysis' anchors.
    /// </summary>
    public int Id { get; } = Interlocked.Increment(ref lastEntryId);

    internal SectionEntry(FileVersion version, long createdIn, int sectionIndex, SectionSyntax syntax, SectionRole role, string? entityName)
        : this(version, createdIn, sectionIndex, syntax, role, entityName, new PropertyTable(CountKeyLines(syntax)))
    {
    }

    /// <summary>An entry whose own lines go into <paramref name="slots"/> from <paramref name="start"/> on (room for its key lines, <see cref="CountKeyLines"/>).</summary>
    internal SectionEntry(FileVersion version, long createdIn, int sectionIndex, SectionSyntax syntax, SectionRole role, string? entityName, PropertySlot[] slots, int start, int keyLines)
        : this(version, createdIn, sectionIndex, syntax, role, entityName, new PropertyTable(slots, start, keyLines))
    {
    }

    private SectionEntry(FileVersion version, long createdIn, int sectionIndex, SectionSyntax syntax, SectionRole role, string? entityName, PropertyTable properties)
    {
        // Sized to the section's key lines: a list grown by doubling would keep up to half its slots empty.
        this.properties = properties;
        this.version = version;
        this.createdIn = createdIn;
        IndexHint = sectionIndex;
        Syntax = syntax;
        Role = role;
        EntityName = entityName;
    }

    /// <summary>
    /// The version of the file this section is read in. An edit elsewhere in the file reuses the entry (see
    /// <see cref="ConfigFile.Create(ConfigFileKind, string?, DocumentSyntax, bool, ConfigFile?)"/>) in the new version, so
    /// one entry belongs to several versions: <see cref="File"/>, <see cref="SectionIndex"/> and <see cref="Start"/> are
    /// those of the version the current thread reads (<see cref="ProfileModel.Read"/>), else of the newest version that
    /// holds the entry. A reader can also ask a version directly (<see cref="ConfigFile.IndexOf"/>,
    /// <see cref="ConfigFile.StartOf"/>): every version keeps its own sections, tables and positions unchanged.
    /// </summary>
    public ConfigFile File
    {
        get
        {
            var last = Volatile.Read(ref lastIn);
            if (ProfileModel.VersionRead(version) is { } read && read.Id >= createdIn && (last is null || read.Id <= last.Id)) return read;
            return last ?? version.Current;
        }
    }
    /// <summary>The index of the section in <see cref="File"/>.</summary>
    public int SectionIndex => File.IndexOf(this);
    /// <summary>Absolute offset of the section in <see cref="File"/>.</summary>
    public int Start => File.StartOf(this);

    /// <summary>Where the entry was last found in the newest version: the first place <see cref="ConfigFile.IndexOf"/> looks.</summary>
    internal int IndexHint;

    /// <summary>A section an edit replaced stays in the versions it was part of, the last of which is <paramref name="last"/>.</summary>
    internal void Detach(ConfigFile last) => Volatile.Write(ref lastIn, last);

    /// <summary>Whether <see cref="Properties"/> holds keys inherited from <c>[DEFAULT]</c>.</summary>
    internal bool InheritsDefaults { get; private set; }
    public SectionSyntax Syntax { get; }
    public SectionRole Role { get; }
    /// <summary>The profile, session or services name the CLI derives from the header; null when it drops the section.</summary>
    public string? EntityName { get; }
    public string? RawName => Syntax.Name;
    /// <summary>The keys the CLI reads from the section (own, then inherited), as a dictionary (a view made per call).</summary>
    public IReadOnlyDictionary<string, PropertyEntry> Properties => new PropertyDictionary(this);
    /// <summary>The entries the CLI reads by key: the first line of each own key, then inherited keys.</summary>
    public PropertyList ReadableProperties => properties.Readable(this);
    /// <summary>Own properties in file order (duplicates included).</summary>
    public PropertyList OwnProperties => properties.Own(this);

    public TextSpan HeaderSpan => Syntax.Header is { } header ? header.Span.Shift(Start) : new TextSpan(Start, 0);
    public TextSpan NameSpan => Syntax.Header is { } header ? header.NameSpan.Shift(Start) : new TextSpan(Start, 0);

    /// <summary>
    /// Where the entity's name is written in the header: the second shell word of <c>[profile "my name"]</c> (quotes
    /// included), or the whole name in the credentials file and for <c>[default]</c>. The header's name span otherwise.
    /// </summary>
    public TextSpan EntityNameSpan
    {
        get
        {
            if (Syntax.Header is not { } header || EntityName is null) return NameSpan;
            if (File.Kind == ConfigFileKind.Credentials || Role is not (SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services) || header.NameText.SequenceEqual("default"))
            {
                return NameSpan;
            }
            return PythonCompat.TryTwoWordSpans(header.NameText, out _, out var name) ? new TextSpan(NameSpan.Start + name.Start, name.End - name.Start) : NameSpan;
        }
    }
    public TextSpan FullSpan => new(Start, Syntax.Length);
    public SourceLocation HeaderLocation => new(File.Kind, HeaderSpan);

    public PropertyEntry? Get(string key) => properties.Get(this, key);

    public bool Has(string key) => properties.ContainsKey(key);

    internal static int CountKeyLines(SectionSyntax syntax)
    {
        var count = 0;
        foreach (var item in syntax.Items)
        {
            if (item.Kind == SyntaxKind.Property) count++;
        }
        return count;
    }

    /// <summary>Appends an own property line; <paramref name="inTable"/> false for a repeated key the CLI rejects (not readable by key).</summary>
    internal void AddOwn(PropertyEntry entry, bool inTable)
    {
        properties.AddOwn(entry, inTable);
    }

    internal void Inherit(PropertyEntry entry)
    {
        InheritsDefaults = true;
        properties.Inherit(this, entry);
    }
}

/// <summary>The newest version of a file; shared by the versions an edit builds from one another (see <see cref="SectionEntry.File"/>).</summary>
internal sealed class FileVersion(ConfigFile current)
{
    private ConfigFile current = current;

    public ConfigFile Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }
}

public enum FileProblemKind
{
    /// <summary>A line configparser cannot read (see <see cref="SyntaxErrorKind"/>).</summary>
    Syntax,
    UndecodableBytes,
    /// <summary>A section header that appears twice (configparser's DuplicateSectionError).</summary>
    DuplicateSection,
    /// <summary>A key that appears twice in one section (configparser's DuplicateOptionError).</summary>
    DuplicateKey,
}

/// <summary>
/// What one change replaced: the sections the version it was built from had and this version does not
/// (<see cref="Removed"/>), those it has in their place (<see cref="Added"/>), and whether a name changed.
/// </summary>
public sealed record ChangedSections(IReadOnlyList<SectionEntry> Removed, IReadOnlyList<SectionEntry> Added, bool NamesChanged);

/// <summary>
/// The sections a version of a file replaced in the version it was built from (<see cref="BaseId"/>), and the
/// change that version came from in turn (null where a version was built from scratch or the history is cut).
/// </summary>
public sealed class FileChange
{
    /// <summary>
    /// How many changes a file keeps: those before the last <see cref="Kept"/> are let go (a reader that far behind,
    /// which the value index and the incremental analysis rarely are, starts from scratch). Each change keeps the version
    /// before it alive through its replaced sections (~40 KB at 50k profiles). The history used to be dropped whole after
    /// 256 changes, which made the next reader one change behind rebuild from scratch (a 50k-profile keystroke: ~120 ms).
    /// </summary>
    public const int Kept = 48;

    private FileChange? previous;
    private ChangedSections? sections;

    public FileChange(long baseId, IReadOnlyList<SectionEntry> removed, IReadOnlyList<SectionEntry> added, bool namesChanged, FileChange? previous)
    {
        BaseId = baseId;
        sections = new ChangedSections(removed, added, namesChanged);
        this.previous = previous;
        Depth = previous is null ? 1 : previous.Depth + 1;
    }

    /// <summary>The <see cref="ConfigFile.Id"/> of the version this change was made to.</summary>
    public long BaseId { get; }

    /// <summary>The change the version before came from; null where a version was built from scratch or the history was cut.</summary>
    public FileChange? Previous => Volatile.Read(ref previous);

    /// <summary>
    /// What this change replaced, read whole (one reference: a reader on another thread sees all of it or null); null
    /// once the change fell out of the history (see <see cref="KeepRecent"/>): a reader that needs it starts from scratch.
    /// </summary>
    public ChangedSections? Sections => Volatile.Read(ref sections);

    /// <summary>How many changes led back to a version built from scratch when this one was made (cuts are not counted).</summary>
    public int Depth { get; }

    /// <summary>
    /// Lets go of the changes before the last <see cref="Kept"/>: the link to the first one let go is cut, and that one
    /// forgets its sections. Cutting the link alone was not enough: a replaced section keeps the version it was part of,
    /// whose own change keeps the sections it replaced, whose version keeps its change, and so on back to the open, so
    /// every version of the session stayed alive (~30 KB an edit at 50k profiles: +6 MiB of live heap over 200 edits).
    /// </summary>
    internal void KeepRecent()
    {
        if (Depth <= Kept) return;
        var last = this;
        for (var kept = 1; kept < Kept && last.Previous is { } before; kept++) last = before;
        var dropped = last.Previous;
        // Readers walking the chain meanwhile see the cut or not: either way they stop or go on over versions that are
        // still exact; one that reached the dropped change reads its sections whole or finds them gone and starts from
        // scratch. Volatile: another thread may be walking it.
        Volatile.Write(ref last.previous, null);
        if (dropped is not null) Volatile.Write(ref dropped.sections, null);
    }

    /// <summary>How many changes lead back from this one now.</summary>
    public int Length
    {
        get
        {
            var length = 0;
            for (var change = this; change is not null; change = change.Previous) length++;
            return length;
        }
    }
}

/// <summary>Why the CLI refuses a whole file (botocore's <c>ConfigParseError</c>); for duplicates, where the first one is.</summary>
public sealed record FileProblem(TextSpan Span, string Message)
{
    public FileProblemKind Kind { get; init; } = FileProblemKind.Syntax;
    /// <summary>The earlier occurrence of a duplicate section or key.</summary>
    public TextSpan? FirstSpan { get; init; }
}

/// <summary>
/// A file as botocore reads it: its sections, the profiles, sso-sessions and services it defines, and the problems
/// that make the CLI reject it. Built even when the file is unreadable to the CLI, so the editor keeps working.
/// </summary>
public sealed class ConfigFile
{
    private ConfigFile(ConfigFileKind kind, string? path, DocumentSyntax syntax)
    {
        Kind = kind;
        Path = path;
        Syntax = syntax;
    }

    public ConfigFileKind Kind { get; }
    public string? Path { get; }
    public DocumentSyntax Syntax { get; }
    public IReadOnlyList<SectionEntry> Sections => sections;
    private ChunkedList<SectionEntry> sections = ChunkedList<SectionEntry>.Empty;
    public IReadOnlyList<FileProblem> Problems { get; private set; } = [];

    /// <summary>
    /// Whether two sections name the same profile, sso-session or services entry ([default] and [profile default]):
    /// then the tables hold the one that wins, and only a walk of the sections finds the others.
    /// </summary>
    public bool HasEntityDuplicates => hasEntityDuplicates;
    /// <summary>True when the CLI fails with "Unable to parse config file" on this file.</summary>
    public bool IsUnreadable => Problems.Count > 0;
    /// <summary>Profiles by name, in the order the CLI lists them; for duplicates, the section that wins.</summary>
    public IReadOnlyDictionary<string, SectionEntry> Profiles => profiles;

    /// <summary>The profile sections in <see cref="ProfileOrder"/>'s order when the table has them listed already (a full build's does), else null.</summary>
    internal IReadOnlyList<SectionEntry>? ProfileSectionsInOrder => profiles.HasValueList ? profiles.ValueList : null;
    public IReadOnlyDictionary<string, SectionEntry> SsoSessions => ssoSessions;
    public IReadOnlyDictionary<string, SectionEntry> Services => services;
    private PersistentMap<SectionEntry> profiles = PersistentMap<SectionEntry>.Empty;
    private PersistentMap<SectionEntry> ssoSessions = PersistentMap<SectionEntry>.Empty;
    private PersistentMap<SectionEntry> services = PersistentMap<SectionEntry>.Empty;
    // The names of the sso-session and services tables in file order (the profiles' is ProfileOrder).
    private ChunkedList<string> ssoSessionOrder = ChunkedList<string>.Empty;
    private ChunkedList<string> servicesOrder = ChunkedList<string>.Empty;
    /// <summary>The <c>[DEFAULT]</c> sections (configparser's defaults, inherited by every section).</summary>
    public IReadOnlyList<SectionEntry> DefaultsSections { get; private set; } = [];

    /// <summary>
    /// Whether a section with the header name <paramref name="rawName"/> that is none of the entity sections (profiles,
    /// sso-sessions, services) nor <c>[DEFAULT]</c> is in the file, such as <c>[plugins]</c>: one look-up in a table the
    /// build keeps anyway, instead of a walk over every section.
    /// </summary>
    public bool HasOtherSection(string rawName) => sectionsByRawName.ContainsKey(rawName);
    /// <summary>Profile names in first-definition order (what <c>aws configure list-profiles</c> prints for this file).</summary>
    public IReadOnlyList<string> ProfileOrder => profileOrder;
    private ChunkedList<string> profileOrder = ChunkedList<string>.Empty;

    /// <summary>The index of <paramref name="section"/> in this version of the file, or -1 when it is not one of its sections.</summary>
    public int IndexOf(SectionEntry section)
    {
        var count = sections.Count;
        var hint = section.IndexHint;
        var found = -1;
        if ((uint)hint < (uint)count && ReferenceEquals(sections[hint], section)) return hint;
        // Sections added or removed before it since the hint was set: look outwards from the hint.
        for (var distance = 1; hint - distance >= 0 || hint + distance < count; distance++)
        {
            if (hint + distance < count && hint + distance >= 0 && ReferenceEquals(sections[hint + distance], section))
            {
                found = hint + distance;
                break;
            }
            if (hint - distance >= 0 && hint - distance < count && ReferenceEquals(sections[hint - distance], section))
            {
                found = hint - distance;
                break;
            }
        }
        if (found >= 0 && ReferenceEquals(version.Current, this)) section.IndexHint = found;
        return found;
    }

    /// <summary>The absolute offset of <paramref name="section"/> in this version of the file.</summary>
    public int StartOf(SectionEntry section)
    {
        var index = IndexOf(section);
        if (index < 0) throw new ArgumentException($"The section [{section.RawName}] is not part of this version of the file.", nameof(section));
        return Syntax.GetSectionStart(index);
    }

    private static long lastId;

    /// <summary>Identifies this version of the file (see <see cref="Change"/>).</summary>
    public long Id { get; } = Interlocked.Increment(ref lastId);

    /// <summary>
    /// When this version was built from an earlier one by reusing its untouched sections: which sections it replaced.
    /// Null for a file built from scratch.
    /// </summary>
    public FileChange? Change { get; private set; }

    // What an incremental build needs from the version before: the [DEFAULT] keys every section inherits, the first
    // section of each raw name of a section outside the entity tables (duplicate sections; a profile, sso-session or
    // services section can only share its raw name with one of the same entity, which its table finds), and whether
    // anything makes the whole-file tables ambiguous.
    private List<PropertyEntry> defaults = [];
    private PersistentMap<SectionEntry> sectionsByRawName = PersistentMap<SectionEntry>.Empty;
    private bool hasUndecodableBytes;
    private bool hasDuplicates;
    private bool hasEntityDuplicates;
    /// <summary>The newest version of this lineage of the file, which every entry reads its file and position through.</summary>
    private FileVersion version = null!;

    /// <summary>The lineage of versions this one belongs to (built from one another).</summary>
    internal FileVersion Lineage => version;

    public static ConfigFile Empty(ConfigFileKind kind, string? path = null) => Create(kind, path, SyntaxParser.Parse(""));

    /// <summary>
    /// The file as botocore reads it. With <paramref name="previous"/> (the newest version of the same document), the
    /// sections whose syntax the edit did not touch are reused and moved into the new version: the result is the same
    /// as a build from scratch, and costs what the touched sections cost. <paramref name="previous"/> must not be read
    /// for positions afterwards (its reused sections now belong to the new version).
    /// </summary>
    public static ConfigFile Create(ConfigFileKind kind, string? path, DocumentSyntax syntax, bool hasUndecodableBytes = false, ConfigFile? previous = null)
    {
        var file = new ConfigFile(kind, path, syntax);
        if (previous is null || !file.TryBuildFrom(previous, hasUndecodableBytes)) file.Build(hasUndecodableBytes);
        return file;
    }

    /// <summary>
    /// The incremental build: the sections between the common prefix and suffix of both versions are replaced. Falls
    /// back (false) whenever the whole-file tables could change in ways a local update cannot follow: [DEFAULT] touched,
    /// duplicate sections, keys or profile names anywhere, undecodable bytes, or a large change.
    /// </summary>
    private bool TryBuildFrom(ConfigFile previous, bool undecodable)
    {
        if (previous.Kind != Kind || previous.Path != Path || undecodable || previous.hasUndecodableBytes || previous.hasDuplicates
            || previous.hasEntityDuplicates || !ReferenceEquals(previous.version.Current, previous))
        {
            return false;
        }
        var oldSyntax = previous.Syntax.Sections;
        var newSyntax = Syntax.Sections;
        var max = Math.Min(oldSyntax.Length, newSyntax.Length);
        // Whole shared chunks of sections are skipped at once: O(chunks + the touched sections), not O(sections).
        var prefix = newSyntax.CommonPrefix(oldSyntax);
        var suffix = newSyntax.CommonSuffix(oldSyntax, max - prefix);
        var removedCount = oldSyntax.Length - prefix - suffix;
        var addedCount = newSyntax.Length - prefix - suffix;
        if (removedCount + addedCount > 256) return false;

        var oldEntries = previous.sections;
        var removed = oldEntries.GetRange(prefix, removedCount);
        foreach (var entry in removed)
        {
            if (entry.Role == SectionRole.Defaults) return false;
        }
        var added = new List<SectionEntry>(addedCount);
        var addedRawNames = new HashSet<string>(StringComparer.Ordinal);
        var addedEntities = new HashSet<(SectionRole, string)>();
        var namesChanged = removedCount != addedCount;
        for (var i = 0; i < addedCount; i++)
        {
            var index = prefix + i;
            var syntax = newSyntax[index];
            var (role, entityName) = Classify(syntax);
            if (role == SectionRole.Defaults) return false;
            // A name taken by a section that stays, or twice among the new ones: duplicates, built from scratch.
            // (A profile, sso-session or services section shares its raw name only with one of the same entity name:
            // the entity check below finds it. The raw names kept are those of the sections without one.)
            if (syntax.HasHeader && !HasEntity(role, entityName))
            {
                var rawName = syntax.Name!;
                if (previous.sectionsByRawName.TryGetValue(rawName, out var other) && !removed.Contains(other)) return false;
                if (!addedRawNames.Add(rawName)) return false;
            }
            if (HasEntity(role, entityName))
            {
                var table = role switch { SectionRole.Profile => previous.Profiles, SectionRole.SsoSession => previous.SsoSessions, _ => previous.Services };
                if (table.TryGetValue(entityName, out var other) && !removed.Contains(other)) return false;
                if (!addedEntities.Add((role, entityName))) return false;
            }
            var entry = new SectionEntry(previous.version, Id, index, syntax, role, entityName);
            added.Add(entry);
            if (!namesChanged && (removed[i].Role != role || removed[i].EntityName != entityName || !removed[i].Syntax.SameNameAs(entry.Syntax))) namesChanged = true;
        }

        // Keys: a key repeated inside a new section makes the file unparsable (the section names are unique here).
        var values = new ValueDeduper();
        var duplicates = new List<FileProblem>();
        foreach (var entry in added)
        {
            ReadOwnProperties(entry, values, duplicates);
            if (entry.Role is not (SectionRole.Defaults or SectionRole.Preamble))
            {
                foreach (var inherited in previous.defaults) entry.Inherit(inherited);
            }
        }

        // Committed. The previous version is left as it was: the new one shares its untouched chunks of sections and
        // buckets of names, and copies only those the edit touches.
        sections = oldEntries.Splice(prefix, removedCount, added);
        defaults = previous.defaults;
        DefaultsSections = previous.DefaultsSections;
        var rawNames = new List<KeyValuePair<string, SectionEntry?>>(removedCount + addedCount);
        if (namesChanged)
        {
            foreach (var entry in removed)
            {
                if (entry.Syntax.HasHeader && !HasEntity(entry.Role, entry.EntityName)) rawNames.Add(new(entry.RawName!, null));
            }
        }
        foreach (var entry in added)
        {
            if (entry.Syntax.HasHeader && !HasEntity(entry.Role, entry.EntityName)) rawNames.Add(new(entry.RawName!, entry));
        }
        sectionsByRawName = previous.sectionsByRawName.With(rawNames, null);
        profileOrder = previous.profileOrder;
        ssoSessionOrder = previous.ssoSessionOrder;
        servicesOrder = previous.servicesOrder;
        profiles = SpliceTable(previous.profiles, ref profileOrder, SectionRole.Profile, previous.sections, prefix, removed, added);
        ssoSessions = SpliceTable(previous.ssoSessions, ref ssoSessionOrder, SectionRole.SsoSession, previous.sections, prefix, removed, added);
        services = SpliceTable(previous.services, ref servicesOrder, SectionRole.Services, previous.sections, prefix, removed, added);
        // Entries read their newest file through the lineage's one FileVersion; a replaced entry stays with the version
        // it was part of (before the new version is published, so that it is always found in its file).
        foreach (var entry in removed) entry.Detach(previous);
        version = previous.version;
        version.Current = this;
        Problems = UpdateProblems(previous, prefix, removedCount, addedCount, duplicates);
        Change = new FileChange(previous.Id, removed, added, namesChanged, previous.Change);
        Change.KeepRecent();
        return true;
    }

    /// <summary>
    /// The syntax problems (the only ones a version built incrementally has) from the previous version's: those before
    /// the replaced sections as they were, those of the new sections, those after them shifted. Without scanning the
    /// sections of the whole file.
    /// </summary>
    private IReadOnlyList<FileProblem> UpdateProblems(ConfigFile previous, int prefix, int removedCount, int addedCount, List<FileProblem> duplicates)
    {
        var oldSyntax = previous.Syntax;
        var hasNewErrors = false;
        for (var i = prefix; i < prefix + addedCount; i++) hasNewErrors |= !Syntax.Sections[i].Errors.IsEmpty;
        if (previous.Problems.Count == 0 && !hasNewErrors && duplicates.Count == 0) return [];
        // A full build lists the syntax errors first, then the repeated keys; an incremental one keeps that order.
        var oldErrors = new List<FileProblem>();
        var oldDuplicates = new List<FileProblem>();
        foreach (var problem in previous.Problems) (problem.Kind == FileProblemKind.Syntax ? oldErrors : oldDuplicates).Add(problem);
        var changeStart = prefix < oldSyntax.Sections.Length ? oldSyntax.GetSectionStart(prefix) : oldSyntax.Length;
        var changeEnd = prefix + removedCount < oldSyntax.Sections.Length ? oldSyntax.GetSectionStart(prefix + removedCount) : oldSyntax.Length;
        var delta = Syntax.Length - oldSyntax.Length;
        var problems = new List<FileProblem>();
        // A byte-order mark's error lies outside the (empty) preamble that holds it: count the errors from scratch.
        if (oldErrors.Count > 0 && oldErrors[0].Span.Start == 0 || Syntax.Sections.Length > 0 && Syntax.Sections[0].Errors.Length > 0)
        {
            foreach (var error in Syntax.Errors()) problems.Add(new FileProblem(error.Span, error.Message));
        }
        else
        {
            var newErrors = new List<FileProblem>();
            for (var i = prefix; i < prefix + addedCount; i++)
            {
                var start = Syntax.GetSectionStart(i);
                foreach (var error in Syntax.Sections[i].Errors) newErrors.Add(new FileProblem(error.Span.Shift(start), error.Message));
            }
            SpliceProblems(problems, oldErrors, newErrors, changeStart, changeEnd, delta);
        }
        SpliceProblems(problems, oldDuplicates, duplicates, changeStart, changeEnd, delta);
        return problems;
    }

    /// <summary>Appends the old problems before the change, the new ones, and the old ones after the change shifted by <paramref name="delta"/>.</summary>
    private static void SpliceProblems(List<FileProblem> into, List<FileProblem> old, List<FileProblem> fresh, int changeStart, int changeEnd, int delta)
    {
        var next = 0;
        while (next < old.Count && old[next].Span.Start < changeStart) into.Add(old[next++]);
        into.AddRange(fresh);
        while (next < old.Count && old[next].Span.Start < changeEnd) next++;
        for (; next < old.Count; next++)
        {
            var problem = old[next];
            into.Add(delta == 0 ? problem : problem with { Span = problem.Span.Shift(delta), FirstSpan = problem.FirstSpan?.Shift(delta) });
        }
    }

    /// <summary>
    /// The profile, sso-session or services table with the names of the removed sections replaced by those of the added
    /// ones. Without duplicate names (the incremental build refuses them) a table lists its sections in file order, so
    /// the names of the replaced sections are one run in <paramref name="order"/>, and the new names take its place.
    /// </summary>
    private static PersistentMap<SectionEntry> SpliceTable(PersistentMap<SectionEntry> table, ref ChunkedList<string> order, SectionRole role,
        ChunkedList<SectionEntry> oldEntries, int prefix, List<SectionEntry> removed, List<SectionEntry> added)
    {
        var changes = new List<KeyValuePair<string, SectionEntry?>>();
        var removedNames = 0;
        string? firstRemoved = null;
        foreach (var entry in removed)
        {
            if (entry.Role != role || entry.EntityName is not { } name) continue;
            firstRemoved ??= name;
            removedNames++;
            changes.Add(new(name, null));
        }
        var addedNames = new List<string>();
        foreach (var entry in added)
        {
            if (entry.Role != role || entry.EntityName is not { } name) continue;
            addedNames.Add(name);
            changes.Add(new(name, entry));
        }
        if (changes.Count == 0) return table;
        if (removedNames == 0 && addedNames.Count == 0) return table;
        var namesKept = removedNames == addedNames.Count;
        for (var i = 0; namesKept && i < changes.Count - addedNames.Count; i++)
        {
            namesKept = string.Equals(changes[i].Key, addedNames[i], StringComparison.Ordinal);
        }
        if (!namesKept)
        {
            var at = PlaceInOrder(order, role, oldEntries, prefix, firstRemoved);
            order = order.Splice(at, removedNames, addedNames);
        }
        return table.With(changes, order);
    }

    /// <summary>Where the names of the changed sections sit in a table's order: the first removed one's place, else after the nearest section before them that has a name there.</summary>
    private static int PlaceInOrder(ChunkedList<string> order, SectionRole role, ChunkedList<SectionEntry> entries, int prefix, string? firstRemoved)
    {
        // The names sit in the order about where their sections sit in the file: look outwards from there.
        var guess = entries.Count == 0 ? 0 : (int)((long)prefix * order.Count / entries.Count);
        if (firstRemoved is not null) return IndexOf(order, firstRemoved, guess);
        for (var i = prefix - 1; i >= 0; i--)
        {
            if (entries[i].Role == role && entries[i].EntityName is { } name) return IndexOf(order, name, guess) + 1;
        }
        return 0;
    }

    /// <summary>
    /// Where <paramref name="name"/> is in <paramref name="order"/>, searched outwards from <paramref name="guess"/>. The
    /// order holds the very strings of the sections' entity names, so a reference comparison finds it.
    /// </summary>
    private static int IndexOf(ChunkedList<string> order, string name, int guess)
    {
        guess = Math.Clamp(guess, 0, Math.Max(0, order.Count - 1));
        for (var distance = 0; guess - distance >= 0 || guess + distance < order.Count; distance++)
        {
            if (guess + distance < order.Count && ReferenceEquals(order[guess + distance], name)) return guess + distance;
            if (distance > 0 && guess - distance >= 0 && ReferenceEquals(order[guess - distance], name)) return guess - distance;
        }
        for (var i = 0; i < order.Count; i++)
        {
            if (string.Equals(order[i], name, StringComparison.Ordinal)) return i;
        }
        throw new InvalidOperationException($"'{name}' is missing from the table's order.");
    }

    /// <summary>A build from scratch whose sections are read on two threads, or on one, whatever the file's size (for tests).</summary>
    internal static ConfigFile Create(ConfigFileKind kind, string? path, DocumentSyntax syntax, bool readInParallel)
    {
        var file = new ConfigFile(kind, path, syntax);
        file.Build(hasUndecodableBytes: false, readInParallel);
        return file;
    }

    private void Build(bool hasUndecodableBytes, bool? readInParallel = null)
    {
        version = new FileVersion(this);
        this.hasUndecodableBytes = hasUndecodableBytes;
        var parallel = readInParallel ?? (Syntax.Sections.Length >= ParallelSections && Environment.ProcessorCount > 1);
        var (entries, duplicates) = parallel ? ReadSectionsInParallel() : default;
        if (parallel && TryBuild(entries, duplicates, profilesAtOnce: true)) return;
        if (!TryBuild(entries, duplicates)) TryBuild(null, null);
    }

    /// <summary>
    /// Builds the file's tables from its syntax, reading each section's properties, or taking them from
    /// <paramref name="read"/> (with the repeated keys found there): false, with nothing kept, when two sections of the
    /// file have the same name, which <paramref name="read"/> did not account for. With <paramref name="profilesAtOnce"/>
    /// the profile table is made after the loop from all names at once, on two threads
    /// (<see cref="PersistentMap{TValue}.TryFromDistinct"/>), instead of name by name on this one: false, with nothing kept,
    /// when two profile sections give the same name (the name-by-name build handles that).
    /// </summary>
    private bool TryBuild(SectionEntry[]? read, List<FileProblem>? readDuplicates, bool profilesAtOnce = false)
    {
        hasDuplicates = false;
        hasEntityDuplicates = false;
        var sections = new List<SectionEntry>(Syntax.Sections.Length);
        var problems = new List<FileProblem>();
        var profiles = new PersistentMap<SectionEntry>.Builder(profilesAtOnce ? 0 : Syntax.Sections.Length);
        var profileOrder = new List<string>(Syntax.Sections.Length);
        var profileEntries = profilesAtOnce ? new List<SectionEntry>(Syntax.Sections.Length) : null;
        var ssoSessions = new PersistentMap<SectionEntry>.Builder(0);
        var ssoSessionOrder = new List<string>();
        var services = new PersistentMap<SectionEntry>.Builder(0);
        var servicesOrder = new List<string>();
        var seenSectionNames = new PersistentMap<SectionEntry>.Builder(0);
        var defaults = new List<PropertyEntry>();

        if (hasUndecodableBytes)
        {
            problems.Add(new FileProblem(new TextSpan(0, 0), "The file contains bytes that are not valid UTF-8; the AWS CLI cannot read it.")
            {
                Kind = FileProblemKind.UndecodableBytes,
            });
        }
        foreach (var error in Syntax.Errors())
        {
            problems.Add(new FileProblem(error.Span, error.Message));
        }

        // configparser checks keys per section name: sections that share a name (itself an error) share one key set.
        // Only such names get a dictionary; a section's own repeated keys are found through its property table.
        Dictionary<string, Dictionary<string, PropertyEntry>>? sharedKeys = null;
        Dictionary<string, SectionEntry>? firstDefaults = null;
        // Every section's raw name, built only once a name may repeat (see below).
        Dictionary<string, SectionEntry>? rawFirst = null;
        // Made when a section is read here (a build whose sections were read on two threads reads none but repeated names').
        ValueDeduper? values = null;
        for (var index = 0; index < Syntax.Sections.Length; index++)
        {
            var syntax = Syntax.Sections[index];
            SectionEntry entry;
            if (read is not null) entry = read[index];
            else
            {
                var (kind, name) = Classify(syntax);
                entry = new SectionEntry(version, Id, index, syntax, kind, name);
            }
            var (role, entityName) = (entry.Role, entry.EntityName);
            var start = Syntax.GetSectionStart(index);
            sections.Add(entry);

            Dictionary<string, PropertyEntry>? keysOfSection = null;
            if (syntax.HasHeader)
            {
                // The raw name as a string only where a table is keyed by it (sections without an entity name, the
                // lookup of every name after a collision) or a duplicate is reported.
                SectionEntry? first;
                if (profilesAtOnce && role == SectionRole.Profile && entityName is not null)
                {
                    // A repeated raw name repeats the entity name: the table made at once refuses it (below), and this
                    // build is not kept.
                    first = null;
                }
                else if (role != SectionRole.Defaults)
                {
                    // Two sections of one raw name have the same role and entity name, so a profile, sso-session or
                    // services section can only repeat a raw name its entity table already has; only then (and from
                    // then on) are all raw names looked up. Sections without an entity name are kept by raw name.
                    var table = entityName is null ? null : role switch
                    {
                        SectionRole.Profile => profiles,
                        SectionRole.SsoSession => ssoSessions,
                        SectionRole.Services => services,
                        _ => null,
                    };
                    if (table is null)
                    {
                        var rawName = syntax.Name!;
                        if (!seenSectionNames.TryGetValue(rawName, out first)) seenSectionNames.Set(rawName, entry);
                        rawFirst?.TryAdd(rawName, entry);
                    }
                    else
                    {
                        if (rawFirst is null && table.TryGetValue(entityName!, out _))
                        {
                            rawFirst = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
                            for (var earlier = 0; earlier < sections.Count - 1; earlier++)
                            {
                                if (sections[earlier] is { Role: not SectionRole.Defaults, RawName: { } earlierName } earlierEntry) rawFirst.TryAdd(earlierName, earlierEntry);
                            }
                        }
                        first = null;
                        if (rawFirst is not null && !rawFirst.TryGetValue(syntax.Name!, out first)) rawFirst[syntax.Name!] = entry;
                    }
                }
                else
                {
                    first = (firstDefaults ??= new(StringComparer.Ordinal)).TryAdd(syntax.Name!, entry) ? null : firstDefaults[syntax.Name!];
                }
                if (first is not null)
                {
                    var rawName = syntax.Name!;
                    if (read is not null) return false;
                    if (role != SectionRole.Defaults)
                    {
                        problems.Add(new FileProblem(syntax.Header!.Value.Span.Shift(start), $"Section [{rawName}] appears twice in this file; the AWS CLI cannot parse this file.")
                        {
                            Kind = FileProblemKind.DuplicateSection,
                            FirstSpan = first.Syntax.Header!.Value.Span.Shift(Syntax.GetSectionStart(first.IndexHint)),
                        });
                        hasDuplicates = true;
                    }
                    sharedKeys ??= new(StringComparer.Ordinal);
                    if (!sharedKeys.TryGetValue(rawName, out keysOfSection))
                    {
                        // The keys the first section of this name added (their first occurrences).
                        keysOfSection = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal);
                        foreach (var property in first.OwnProperties) keysOfSection.TryAdd(property.Key, property);
                        sharedKeys[rawName] = keysOfSection;
                    }
                }
            }

            if (keysOfSection is null)
            {
                if (read is null) ReadOwnProperties(entry, values ??= new ValueDeduper(ValueDeduper.FileSlots), problems);
                // The table holds the first line of each key.
                if (role == SectionRole.Defaults)
                {
                    foreach (var property in entry.OwnProperties)
                    {
                        if (entry.Get(property.Key) == property) defaults.Add(property);
                    }
                }
            }
            else
            {
                // Sections that share a name (the file is an error): configparser checks keys across them.
                foreach (var item in syntax.Items)
                {
                    if (item.AsProperty is not { } property) continue;
                    // configparser's optionxform is Python's str.lower(), not .NET's: 'İ' → 'i̇', a final 'Σ' → 'ς'.
                    var key = KeyPool.Lower(syntax.GetSpan(property.KeySpan));
                    var (value, subProperties) = ReadValue(syntax, property, values ??= new ValueDeduper(ValueDeduper.FileSlots));
                    var propertyEntry = new PropertyEntry(entry, property, key, value, subProperties);
                    if (keysOfSection.TryAdd(key, propertyEntry))
                    {
                        entry.AddOwn(propertyEntry, inTable: true);
                        if (role == SectionRole.Defaults) defaults.Add(propertyEntry);
                        continue;
                    }
                    var firstOfKey = keysOfSection[key];
                    entry.AddOwn(propertyEntry, inTable: false);
                    problems.Add(new FileProblem(property.Span.Shift(start),
                        $"Key '{key}' appears twice in section [{syntax.Name}]; the AWS CLI cannot parse this file.")
                    {
                        Kind = FileProblemKind.DuplicateKey,
                        FirstSpan = firstOfKey.Syntax.Span.Shift(Syntax.GetSectionStart(firstOfKey.Section.IndexHint)),
                    });
                    // Only a full build can follow keys of sections that share a name (a key repeated inside a section
                    // of a name of its own stays that section's business: an edit elsewhere keeps the incremental build).
                    hasDuplicates = true;
                }
            }

            if (entityName is null) continue;
            switch (role)
            {
                case SectionRole.Profile when profileEntries is not null:
                    profileOrder.Add(entityName);
                    profileEntries.Add(entry);
                    break;
                case SectionRole.Profile:
                    // A later section for the same profile replaces the earlier one whole ([default] vs [profile default]).
                    if (profiles.Set(entityName, entry)) profileOrder.Add(entityName);
                    else hasEntityDuplicates = true;
                    break;
                case SectionRole.SsoSession:
                    if (ssoSessions.Set(entityName, entry)) ssoSessionOrder.Add(entityName);
                    else hasEntityDuplicates = true;
                    break;
                case SectionRole.Services:
                    if (services.Set(entityName, entry)) servicesOrder.Add(entityName);
                    else hasEntityDuplicates = true;
                    break;
            }
        }

        var orderOfProfiles = ChunkedList<string>.Create(profileOrder);
        var profileTable = profileEntries is null
            ? profiles.ToMap(orderOfProfiles)
            : PersistentMap<SectionEntry>.TryFromDistinct([.. profileOrder], [.. profileEntries], orderOfProfiles, parallel: true, out _);
        // Two sections of one profile: nothing was changed yet, the name-by-name build takes over.
        if (profileTable is null) return false;

        // No other problem was found in the loop: sections with a name of their own.
        if (readDuplicates is not null) problems.AddRange(readDuplicates);
        if (defaults.Count > 0)
        {
            foreach (var section in sections)
            {
                if (section.Role is SectionRole.Defaults or SectionRole.Preamble) continue;
                foreach (var inherited in defaults) section.Inherit(inherited);
            }
        }

        this.sections = ChunkedList<SectionEntry>.Create(sections);
        DefaultsSections = [.. sections.Where(section => section.Role == SectionRole.Defaults)];
        this.defaults = defaults;
        sectionsByRawName = seenSectionNames.ToMap(null);
        Problems = problems;
        this.profileOrder = orderOfProfiles;
        this.profiles = profileTable;
        this.ssoSessionOrder = ChunkedList<string>.Create(ssoSessionOrder);
        this.ssoSessions = ssoSessions.ToMap(this.ssoSessionOrder);
        this.servicesOrder = ChunkedList<string>.Create(servicesOrder);
        this.services = services.ToMap(this.servicesOrder);
        return true;
    }

    /// <summary>
    /// The properties of a section whose name no other section of the file has, in file order: a repeated key is kept
    /// out of the table and reported in <paramref name="duplicates"/> (configparser refuses the file).
    /// </summary>
    private void ReadOwnProperties(SectionEntry entry, ValueDeduper values, List<FileProblem> duplicates)
    {
        var start = Syntax.GetSectionStart(entry.IndexHint);
        foreach (var item in entry.Syntax.Items)
        {
            if (item.AsProperty is not { } property) continue;
            // configparser's optionxform is Python's str.lower(), not .NET's: 'İ' → 'i̇', a final 'Σ' → 'ς'.
            var key = KeyPool.Lower(entry.Syntax.GetSpan(property.KeySpan));
            var (value, subProperties) = ReadValue(entry.Syntax, property, values);
            var propertyEntry = new PropertyEntry(entry, property, key, value, subProperties);
            if (entry.Syntax.HasHeader && entry.Get(key) is { } first)
            {
                entry.AddOwn(propertyEntry, inTable: false);
                duplicates.Add(new FileProblem(property.Span.Shift(start),
                    $"Key '{key}' appears twice in section [{entry.Syntax.Name}]; the AWS CLI cannot parse this file.")
                {
                    Kind = FileProblemKind.DuplicateKey,
                    FirstSpan = first.Syntax.Span.Shift(start),
                });
                continue;
            }
            entry.AddOwn(propertyEntry, inTable: true);
        }
    }

    /// <summary>Files with at least this many sections have their sections read on two threads (see <see cref="ReadSectionsInParallel"/>).</summary>
    internal const int ParallelSections = 4096;

    /// <summary>
    /// Every section's entry with its own properties, read in two halves at once, as if no two sections had the same
    /// name (the caller checks that, and reads the file again one section at a time when two have): at 50k profiles
    /// this is most of the model's build. The repeated keys found, in file order.
    /// </summary>
    private (SectionEntry[] Entries, List<FileProblem> Duplicates) ReadSectionsInParallel()
    {
        var count = Syntax.Sections.Length;
        var entries = new SectionEntry[count];
        var duplicates = new List<FileProblem>[2];
        void Read(int half)
        {
            var (from, to) = (half == 0 ? 0 : count / 2, half == 0 ? count / 2 : count);
            // One per thread: the deduper is not thread-safe.
            var values = new ValueDeduper(ValueDeduper.FileSlots);
            var found = duplicates[half] = [];
            // The half's own lines in one array (sections keep a run of it): at 50k profiles ~200k lines in two
            // arrays of the large object heap, which young collections never copy, instead of ~50k small arrays
            // that each young collection of the open copied, then copied again into the old generation.
            var keyLines = new int[to - from];
            var total = 0;
            for (var index = from; index < to; index++) total += keyLines[index - from] = SectionEntry.CountKeyLines(Syntax.Sections[index]);
            var slots = new PropertySlot[total];
            var at = 0;
            for (var index = from; index < to; index++)
            {
                var syntax = Syntax.Sections[index];
                var (role, entityName) = Classify(syntax);
                var lines = keyLines[index - from];
                var entry = entries[index] = new SectionEntry(version, Id, index, syntax, role, entityName, slots, at, lines);
                at += lines;
                ReadOwnProperties(entry, values, found);
            }
        }
        TwoThreads.Run(parallel: true, () => Read(0), () => Read(1));
        duplicates[0].AddRange(duplicates[1]);
        return (entries, duplicates[0]);
    }

    /// <summary>Whether a section of this role and name is in one of the entity tables (profiles, sso-sessions, services).</summary>
    private static bool HasEntity(SectionRole role, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? entityName) =>
        entityName is not null && role is SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services;

    private (SectionRole Role, string? EntityName) Classify(SectionSyntax syntax)
    {
        if (!syntax.HasHeader) return (SectionRole.Preamble, null);
        // Read in place: only the entity name is made (the raw name, "profile NAME", is not kept; see SectionSyntax.Name).
        var rawName = syntax.NameText;
        if (rawName.SequenceEqual("DEFAULT")) return (SectionRole.Defaults, null);
        if (Kind == ConfigFileKind.Credentials) return (SectionRole.Profile, syntax.Name);
        // botocore build_profile_map: prefix test, then shlex.split, then exactly two words.
        if (rawName.StartsWith("profile", StringComparison.Ordinal)) return (SectionRole.Profile, SecondWord(syntax, "profile".Length));
        if (rawName.StartsWith("sso-session", StringComparison.Ordinal)) return (SectionRole.SsoSession, SecondWord(syntax, "sso-session".Length));
        if (rawName.StartsWith("services", StringComparison.Ordinal)) return (SectionRole.Services, SecondWord(syntax, "services".Length));
        if (rawName.SequenceEqual("default")) return (SectionRole.Profile, "default");
        return (SectionRole.Other, null);
    }

    private static string? SecondWord(SectionSyntax syntax, int prefixLength)
    {
        // The common "profile NAME" with one space and a plain name: shlex.split gives the two words as written.
        var rawName = syntax.NameText;
        if (PythonCompat.IsPlainSecondWord(rawName, prefixLength))
        {
            return new string(rawName[(prefixLength + 1)..]);
        }
        var words = PythonCompat.ShlexSplit(syntax.Name!);
        return words is { Count: 2 } ? words[1] : null;
    }


    /// <summary>configparser joins continuation lines (and blank lines between them) with '\n' and strips the end; botocore parses a value starting with '\n' as a nested block.</summary>
    private static (string Value, IReadOnlyDictionary<string, string>? SubProperties) ReadValue(SectionSyntax section, PropertySyntax property, ValueDeduper values)
    {
        if (property.Lines.IsEmpty) return (values.Get(section.GetSpan(property.ValueSpan)), null);
        var first = section.GetText(property.ValueSpan);
        var builder = new System.Text.StringBuilder(first);
        foreach (var line in property.Lines)
        {
            if (line.AsContinuation is { } continuation) builder.Append('\n').Append(section.GetSpan(continuation.ValueSpan));
            else if (line.Kind == SyntaxKind.Blank) builder.Append('\n');
        }
        var value = builder.ToString().TrimEnd(' ', '\t', '\n', '\r', '\f', '\v');
        if (!value.StartsWith('\n')) return (value, null);
        return (value, SubPropertyMap.Of(PythonCompat.ParseNested(value)));
    }
}
