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

/// <summary>One <c>key = value</c> as the CLI reads it: key lower-cased, value stripped and joined with its continuation lines.</summary>
public sealed class PropertyEntry
{
    internal PropertyEntry(SectionEntry section, PropertySyntax syntax, string key, string value, IReadOnlyDictionary<string, string>? subProperties)
    {
        Section = section;
        Syntax = syntax;
        Key = key;
        Value = value;
        SubProperties = subProperties;
    }

    public SectionEntry Section { get; }
    public PropertySyntax Syntax { get; }
    /// <summary>The key lower-cased, as configparser's <c>optionxform</c> does.</summary>
    public string Key { get; }
    /// <summary>The value as botocore sees it (for a nested block: the raw text starting with a line break).</summary>
    public string Value { get; }
    /// <summary>The parsed nested block (<c>s3 =</c> + indented <c>key = value</c> lines), or null.</summary>
    public IReadOnlyDictionary<string, string>? SubProperties { get; }

    public ConfigFileKind File => Section.File.Kind;
    public TextSpan KeySpan => Syntax.KeySpan.Shift(Section.Start);
    public TextSpan ValueSpan => Syntax.ValueSpan.Shift(Section.Start);
    /// <summary>The key line without its line break.</summary>
    public TextSpan LineSpan => Syntax.Span.Shift(Section.Start);
    public SourceLocation KeyLocation => new(File, KeySpan);
    public SourceLocation LineLocation => new(File, LineSpan);
    /// <summary>The value when it is not empty, else the whole line: where a diagnostic about this value belongs.</summary>
    public SourceLocation ValueOrLineLocation => new(File, ValueSpan.Length > 0 ? ValueSpan : LineSpan);
}

/// <summary>One section of a file with the properties the CLI reads from it (own keys, then <c>[DEFAULT]</c>'s).</summary>
public sealed class SectionEntry
{
    private readonly Dictionary<string, PropertyEntry> properties = new(StringComparer.Ordinal);

    internal SectionEntry(ConfigFile file, int sectionIndex, int start, SectionSyntax syntax, SectionRole role, string? entityName)
    {
        File = file;
        SectionIndex = sectionIndex;
        Start = start;
        Syntax = syntax;
        Role = role;
        EntityName = entityName;
    }

    public ConfigFile File { get; }
    public int SectionIndex { get; }
    /// <summary>Absolute offset of the section in its file.</summary>
    public int Start { get; }
    public SectionSyntax Syntax { get; }
    public SectionRole Role { get; }
    /// <summary>The profile, session or services name the CLI derives from the header; null when it drops the section.</summary>
    public string? EntityName { get; }
    public string? RawName => Syntax.Name;
    public IReadOnlyDictionary<string, PropertyEntry> Properties => properties;
    /// <summary>Own properties in file order (duplicates included).</summary>
    public List<PropertyEntry> OwnProperties { get; } = [];

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
            if (File.Kind == ConfigFileKind.Credentials || Role is not (SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services) || header.Name == "default")
            {
                return NameSpan;
            }
            var words = PythonCompat.ShlexSplitWithSpans(header.Name);
            return words is { Count: 2 } ? new TextSpan(NameSpan.Start + words[1].Start, words[1].End - words[1].Start) : NameSpan;
        }
    }
    public TextSpan FullSpan => new(Start, Syntax.Length);
    public SourceLocation HeaderLocation => new(File.Kind, HeaderSpan);

    public PropertyEntry? Get(string key) => properties.GetValueOrDefault(key);

    public bool Has(string key) => properties.ContainsKey(key);

    internal void Set(PropertyEntry entry) => properties[entry.Key] = entry;

    internal void Inherit(PropertyEntry entry) => properties.TryAdd(entry.Key, entry);
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
    public IReadOnlyList<SectionEntry> Sections { get; private set; } = [];
    public IReadOnlyList<FileProblem> Problems { get; private set; } = [];
    /// <summary>True when the CLI fails with "Unable to parse config file" on this file.</summary>
    public bool IsUnreadable => Problems.Count > 0;
    /// <summary>Profiles by name, in the order the CLI lists them; for duplicates, the section that wins.</summary>
    public IReadOnlyDictionary<string, SectionEntry> Profiles { get; private set; } = ImmutableDictionary<string, SectionEntry>.Empty;
    public IReadOnlyDictionary<string, SectionEntry> SsoSessions { get; private set; } = ImmutableDictionary<string, SectionEntry>.Empty;
    public IReadOnlyDictionary<string, SectionEntry> Services { get; private set; } = ImmutableDictionary<string, SectionEntry>.Empty;
    /// <summary>Profile names in first-definition order (what <c>aws configure list-profiles</c> prints for this file).</summary>
    public IReadOnlyList<string> ProfileOrder { get; private set; } = [];

    public static ConfigFile Empty(ConfigFileKind kind, string? path = null) => Create(kind, path, SyntaxParser.Parse(""));

    public static ConfigFile Create(ConfigFileKind kind, string? path, DocumentSyntax syntax, bool hasUndecodableBytes = false)
    {
        var file = new ConfigFile(kind, path, syntax);
        file.Build(hasUndecodableBytes);
        return file;
    }

    private void Build(bool hasUndecodableBytes)
    {
        var sections = new List<SectionEntry>(Syntax.Sections.Length);
        var problems = new List<FileProblem>();
        var profiles = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
        var profileOrder = new List<string>();
        var ssoSessions = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
        var services = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
        var seenSectionNames = new Dictionary<string, SectionEntry>(StringComparer.Ordinal);
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

        var seenKeys = new Dictionary<string, Dictionary<string, PropertyEntry>>(StringComparer.Ordinal);
        for (var index = 0; index < Syntax.Sections.Length; index++)
        {
            var syntax = Syntax.Sections[index];
            var start = Syntax.GetSectionStart(index);
            var (role, entityName) = Classify(syntax.Name);
            var entry = new SectionEntry(this, index, start, syntax, role, entityName);
            sections.Add(entry);

            if (syntax.Name is { } rawName && role != SectionRole.Defaults)
            {
                if (!seenSectionNames.TryAdd(rawName, entry))
                {
                    problems.Add(new FileProblem(entry.HeaderSpan, $"Section [{rawName}] appears twice in this file; the AWS CLI cannot parse this file.")
                    {
                        Kind = FileProblemKind.DuplicateSection,
                        FirstSpan = seenSectionNames[rawName].HeaderSpan,
                    });
                }
            }
            var keysOfSection = syntax.Name is { } name
                ? seenKeys.TryGetValue(name, out var existing) ? existing : seenKeys[name] = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal)
                : null;

            foreach (var property in syntax.Properties)
            {
                var rawKey = syntax.GetText(property.KeySpan);
                // configparser's optionxform is Python's str.lower(), not .NET's: 'İ' → 'i̇', a final 'Σ' → 'ς'.
                var key = PythonCompat.Lower(rawKey);
                var (value, subProperties) = ReadValue(syntax, property);
                var propertyEntry = new PropertyEntry(entry, property, key, value, subProperties);
                entry.OwnProperties.Add(propertyEntry);
                if (keysOfSection is not null && !keysOfSection.TryAdd(key, propertyEntry))
                {
                    problems.Add(new FileProblem(propertyEntry.LineSpan,
                        $"Key '{key}' appears twice in section [{syntax.Name}]; the AWS CLI cannot parse this file.")
                    {
                        Kind = FileProblemKind.DuplicateKey,
                        FirstSpan = keysOfSection[key].LineSpan,
                    });
                    continue;
                }
                entry.Set(propertyEntry);
                if (role == SectionRole.Defaults) defaults.Add(propertyEntry);
            }

            if (entityName is null) continue;
            switch (role)
            {
                case SectionRole.Profile:
                    // A later section for the same profile replaces the earlier one whole ([default] vs [profile default]).
                    if (!profiles.ContainsKey(entityName)) profileOrder.Add(entityName);
                    profiles[entityName] = entry;
                    break;
                case SectionRole.SsoSession:
                    ssoSessions[entityName] = entry;
                    break;
                case SectionRole.Services:
                    services[entityName] = entry;
                    break;
            }
        }

        if (defaults.Count > 0)
        {
            foreach (var section in sections)
            {
                if (section.Role is SectionRole.Defaults or SectionRole.Preamble) continue;
                foreach (var inherited in defaults) section.Inherit(inherited);
            }
        }

        Sections = sections;
        Problems = problems;
        Profiles = profiles;
        ProfileOrder = profileOrder;
        SsoSessions = ssoSessions;
        Services = services;
    }

    private (SectionRole Role, string? EntityName) Classify(string? rawName)
    {
        if (rawName is null) return (SectionRole.Preamble, null);
        if (rawName == "DEFAULT") return (SectionRole.Defaults, null);
        if (Kind == ConfigFileKind.Credentials) return (SectionRole.Profile, rawName);
        // botocore build_profile_map: prefix test, then shlex.split, then exactly two words.
        if (rawName.StartsWith("profile", StringComparison.Ordinal)) return (SectionRole.Profile, SecondWord(rawName));
        if (rawName.StartsWith("sso-session", StringComparison.Ordinal)) return (SectionRole.SsoSession, SecondWord(rawName));
        if (rawName.StartsWith("services", StringComparison.Ordinal)) return (SectionRole.Services, SecondWord(rawName));
        if (rawName == "default") return (SectionRole.Profile, "default");
        return (SectionRole.Other, null);
    }

    private static string? SecondWord(string rawName)
    {
        var words = PythonCompat.ShlexSplit(rawName);
        return words is { Count: 2 } ? words[1] : null;
    }

    /// <summary>configparser joins continuation lines (and blank lines between them) with '\n' and strips the end; botocore parses a value starting with '\n' as a nested block.</summary>
    private static (string Value, IReadOnlyDictionary<string, string>? SubProperties) ReadValue(SectionSyntax section, PropertySyntax property)
    {
        var first = section.GetText(property.ValueSpan);
        if (property.Lines.IsEmpty) return (first, null);
        var builder = new System.Text.StringBuilder(first);
        foreach (var line in property.Lines)
        {
            switch (line)
            {
                case ContinuationLineSyntax continuation:
                    builder.Append('\n').Append(section.Text, continuation.ValueSpan.Start, continuation.ValueSpan.Length);
                    break;
                case BlankLineSyntax:
                    builder.Append('\n');
                    break;
            }
        }
        var value = builder.ToString().TrimEnd(' ', '\t', '\n', '\r', '\f', '\v');
        if (!value.StartsWith('\n')) return (value, null);
        return (value, PythonCompat.ParseNested(value));
    }
}
