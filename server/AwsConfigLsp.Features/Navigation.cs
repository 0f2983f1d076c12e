using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

public enum NamedEntityKind
{
    Profile,
    SsoSession,
}

/// <summary>A profile or sso-session name under the cursor: where it is written and whether it is the declaration.</summary>
public sealed record NamedEntityAt(NamedEntityKind Kind, string Name, SourceLocation Location, bool IsDeclaration);

/// <summary>One place a name is written; <see cref="IsDeclaration"/> for section headers.</summary>
public sealed record NameOccurrence(SourceLocation Location, bool IsDeclaration);

/// <summary>Either the edits of a rename or why it is refused.</summary>
public sealed record RenameResult(IReadOnlyList<FileEdit> Edits, string? Error);

/// <summary>Definition, references, highlights and rename for <c>source_profile</c> and <c>sso_session</c>, across both files.</summary>
public static class Navigation
{
    /// <summary>The profile or session name at <paramref name="offset"/>: a header's name, or a <c>source_profile</c> / <c>sso_session</c> value.</summary>
    public static NamedEntityAt? FindAt(ProfileModel model, ConfigFileKind fileKind, int offset)
    {
        var file = model.GetFile(fileKind);
        if (file.Sections.Count == 0) return null;
        var section = file.Sections[file.Syntax.FindSectionIndex(offset)];
        if (section.Syntax.Header is not null && section.EntityName is { } name && section.EntityNameSpan.ContainsOrTouches(offset))
        {
            return section.Role switch
            {
                SectionRole.Profile => new NamedEntityAt(NamedEntityKind.Profile, name, new SourceLocation(fileKind, section.EntityNameSpan), true),
                SectionRole.SsoSession => new NamedEntityAt(NamedEntityKind.SsoSession, name, new SourceLocation(fileKind, section.EntityNameSpan), true),
                _ => null,
            };
        }
        foreach (var property in section.OwnProperties)
        {
            if (!property.ValueSpan.ContainsOrTouches(offset) || property.ValueSpan.Length == 0) continue;
            var location = new SourceLocation(fileKind, property.ValueSpan);
            return property.Key switch
            {
                Keys.SourceProfile => new NamedEntityAt(NamedEntityKind.Profile, property.Value, location, false),
                Keys.SsoSession => new NamedEntityAt(NamedEntityKind.SsoSession, property.Value, location, false),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>Every section that defines the name: a profile merged from both files has two.</summary>
    public static IReadOnlyList<SourceLocation> Definitions(ProfileModel model, NamedEntityAt entity) =>
        [.. Declarations(model, entity.Kind, entity.Name).Select(section => new SourceLocation(section.File.Kind, section.EntityNameSpan))];

    private static IEnumerable<SectionEntry> Declarations(ProfileModel model, NamedEntityKind kind, string name)
    {
        var role = kind == NamedEntityKind.Profile ? SectionRole.Profile : SectionRole.SsoSession;
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            if (kind == NamedEntityKind.SsoSession && file.Kind == ConfigFileKind.Credentials) continue;
            if (!file.HasEntityDuplicates)
            {
                // One section per name: the file's table has it (a look-up, not a walk of 50,000 sections).
                var table = kind == NamedEntityKind.Profile ? file.Profiles : file.SsoSessions;
                if (table.TryGetValue(name, out var only)) yield return only;
                continue;
            }
            foreach (var section in file.Sections)
            {
                if (section.Role == role && section.EntityName == name) yield return section;
            }
        }
    }

    /// <summary>
    /// The headers (when asked) and every value that names the entity, in both files: in profile sections, and in
    /// <c>[DEFAULT]</c>, whose keys configparser copies into every profile.
    /// </summary>
    public static IReadOnlyList<NameOccurrence> References(ProfileModel model, NamedEntityKind kind, string name, bool includeDeclarations, ValueIndex? index = null)
    {
        var occurrences = new List<NameOccurrence>();
        if (includeDeclarations)
        {
            occurrences.AddRange(Declarations(model, kind, name).Select(s => new NameOccurrence(new SourceLocation(s.File.Kind, s.EntityNameSpan), true)));
        }
        var key = kind == NamedEntityKind.Profile ? Keys.SourceProfile : Keys.SsoSession;
        if (Indexed(model) && index?.WritersOf(key, name) is { } writers)
        {
            // The index names the profiles whose sections write the value; only their sections are read.
            var found = new List<(int File, int Start, SourceLocation Location)>();
            foreach (var writer in writers)
            {
                if (model.GetProfile(writer) is not { } profile) continue;
                foreach (var section in profile.Sections)
                {
                    foreach (var property in section.OwnProperties)
                    {
                        if (property.Key == key && property.Value == name && property.ValueSpan is { Length: > 0 } span)
                        {
                            found.Add((section.File.Kind == ConfigFileKind.Config ? 0 : 1, span.Start, new SourceLocation(section.File.Kind, span)));
                        }
                    }
                }
            }
            // In the walk's order: the config file, then the credentials file, each from the top.
            found.Sort((a, b) => (a.File, a.Start).CompareTo((b.File, b.Start)));
            occurrences.AddRange(found.Select(f => new NameOccurrence(f.Location, false)));
            return occurrences;
        }
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            foreach (var section in file.Sections)
            {
                if (section.Role is not (SectionRole.Profile or SectionRole.Defaults)) continue;
                foreach (var property in section.OwnProperties)
                {
                    if (property.Key == key && property.Value == name && property.ValueSpan.Length > 0)
                    {
                        occurrences.Add(new NameOccurrence(new SourceLocation(file.Kind, property.ValueSpan), false));
                    }
                }
            }
        }
        return occurrences;
    }

    /// <summary>
    /// Whether the value index's writers give every reference: no [DEFAULT] (whose values the index leaves out), one
    /// section per profile (the model holds the winning one), and no key written twice in a section (the index reads
    /// the first). A line the CLI cannot parse elsewhere does not matter: it is no property.
    /// </summary>
    private static bool Indexed(ProfileModel model) => Indexed(model.Config) && Indexed(model.Credentials);

    private static bool Indexed(ConfigFile file) =>
        !file.HasEntityDuplicates && file.DefaultsSections.Count == 0
        && !file.Problems.Any(problem => problem.Kind is FileProblemKind.DuplicateKey or FileProblemKind.DuplicateSection);

    /// <summary>The span a rename would replace at the offset, or why nothing can be renamed there.</summary>
    public static (NamedEntityAt? Entity, string? Error) PrepareRename(ProfileModel model, ConfigFileKind fileKind, int offset)
    {
        var entity = FindAt(model, fileKind, offset);
        if (entity is null) return (null, "Only profile and sso-session names can be renamed.");
        if (Declarations(model, entity.Kind, entity.Name).FirstOrDefault() is null)
        {
            return (null, $"No {(entity.Kind == NamedEntityKind.Profile ? "profile" : "sso-session")} named '{entity.Name}' is defined in these files.");
        }
        return (entity, null);
    }

    /// <summary>
    /// Renames a profile or session: every header that defines it and every value that names it, in both files.
    /// Names the CLI cannot read back the same are refused; names with spaces are quoted in config headers.
    /// </summary>
    public static RenameResult Rename(ProfileModel model, NamedEntityAt entity, string newName, ValueIndex? index = null)
    {
        if (newName.Length == 0) return Refuse("The new name is empty.");
        if (newName.Any(c => c is '\n' or '\r')) return Refuse("A name cannot span lines.");
        if (PythonText.Strip(newName, 0, newName.Length).Length != newName.Length) return Refuse("The CLI strips spaces around names; remove the leading or trailing whitespace.");
        if (newName.StartsWith('#') || newName.StartsWith(';')) return Refuse("A name starting with # or ; would turn the value into a comment line's look-alike; choose another name.");
        if (newName == entity.Name) return new RenameResult([], null);
        var exists = entity.Kind == NamedEntityKind.Profile ? model.Profiles.ContainsKey(newName) : model.SsoSessions.ContainsKey(newName);
        if (exists) return Refuse($"'{newName}' already exists; renaming would merge two {(entity.Kind == NamedEntityKind.Profile ? "profiles" : "sessions")}.");

        // [default] and [profile default] (or [profile a] and [profile "a"]) would both become the same header.
        var configSections = Declarations(model, entity.Kind, entity.Name).Count(s => s.File.Kind == ConfigFileKind.Config);
        if (configSections > 1) return Refuse($"'{entity.Name}' is defined by {configSections} sections of the config file and the CLI reads only the last; remove the others before renaming.");

        var edits = new List<FileEdit>();
        foreach (var section in Declarations(model, entity.Kind, entity.Name))
        {
            if (section.File.Kind == ConfigFileKind.Credentials)
            {
                // configparser reads [DEFAULT] as the defaults of every section, not as a profile.
                if (newName == "DEFAULT") return Refuse("[DEFAULT] is the section of defaults that every section inherits, not a profile; choose another name.");
                edits.Add(new FileEdit(new SourceLocation(ConfigFileKind.Credentials, section.EntityNameSpan), newName));
                continue;
            }
            var quoted = QuoteForHeader(newName);
            if (quoted is null) return Refuse($"'{newName}' has both kinds of quotes; the CLI could not read it back from a section header.");
            if (section.Syntax.Name == "default")
            {
                // [default] is special; another name needs the profile prefix.
                edits.Add(new FileEdit(new SourceLocation(ConfigFileKind.Config, section.NameSpan), "profile " + quoted));
            }
            else
            {
                edits.Add(new FileEdit(new SourceLocation(ConfigFileKind.Config, section.EntityNameSpan), quoted));
            }
        }
        foreach (var reference in References(model, entity.Kind, entity.Name, includeDeclarations: false, index))
        {
            edits.Add(new FileEdit(reference.Location, newName));
        }
        return new RenameResult(edits, null);
    }

    private static RenameResult Refuse(string message) => new([], message);

    /// <summary>How to write a name as the second shell word of a config header so that <c>shlex.split</c> gives it back.</summary>
    public static string? QuoteForHeader(string name)
    {
        var plain = name.All(c => c is not (' ' or '\t' or '"' or '\'' or '\\'));
        if (plain) return name;
        if (!name.Contains('"') && !name.Contains('\\')) return $"\"{name}\"";
        if (!name.Contains('\'')) return $"'{name}'";
        return null;
    }

    /// <summary>Profiles and sessions of the files whose name contains the query (case-insensitive), for workspace/symbol.</summary>
    public static IEnumerable<(string Name, NamedEntityKind Kind, SourceLocation Location)> Search(ProfileModel model, string query)
    {
        foreach (var (name, profile) in model.Profiles)
        {
            if (query.Length > 0 && !name.Contains(query, StringComparison.OrdinalIgnoreCase)) continue;
            var section = profile.PrimarySection;
            yield return (name, NamedEntityKind.Profile, new SourceLocation(section.File.Kind, section.EntityNameSpan));
        }
        foreach (var (name, section) in model.SsoSessions)
        {
            if (query.Length > 0 && !name.Contains(query, StringComparison.OrdinalIgnoreCase)) continue;
            yield return (name, NamedEntityKind.SsoSession, new SourceLocation(ConfigFileKind.Config, section.EntityNameSpan));
        }
    }
}
