using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// What several rules share: finding the lines of a key where the CLI reads it, and the minimal edits fixes are made
/// of (replace a value, remove a key line, insert a key line after another in the file's own style).
/// </summary>
internal static class RuleSupport
{
    /// <summary>
    /// The line setting <paramref name="key"/> in each section the CLI reads it from: profiles of both files and
    /// <c>[DEFAULT]</c> (inherited by every profile), and, with <paramref name="inSsoSessions"/>, <c>[sso-session]</c>
    /// sections. Sections the CLI drops (<c>[profile a b]</c>) are skipped.
    /// </summary>
    public static IEnumerable<PropertyEntry> Lines(ProfileModel model, string key, bool inSsoSessions = false)
    {
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            foreach (var section in file.Sections)
            {
                if (LineIn(section, key, inSsoSessions) is { } property) yield return property;
            }
        }
    }

    /// <summary>The line of <see cref="Lines"/> in one section, or null.</summary>
    public static PropertyEntry? LineIn(SectionEntry section, string key, bool inSsoSessions = false)
    {
        var read = section.Role switch
        {
            SectionRole.Defaults => true,
            SectionRole.Profile => section.EntityName is not null,
            SectionRole.SsoSession => inSsoSessions && section.EntityName is not null,
            _ => false,
        };
        if (!read) return null;
        // The line the CLI reads: a repeated key makes the file unparsable and duplicate-key reports it.
        if (section.Get(key) is not { } property || !ReferenceEquals(property.Section, section)) return null;
        // An empty value is empty-value's to explain, a value with a would-be comment inline-comment-in-value's:
        // validating those too would report one mistake twice on the same line.
        if (property.Value.Length == 0 || Rules.InlineCommentInValueRule.CommentStart(property.Value, trackQuotes: false) >= 0) return null;
        return property;
    }

    /// <summary>botocore's AssumeRoleProvider handles the profile: <c>role_arn</c> present and no <c>web_identity_token_file</c>.</summary>
    public static bool AssumesRole(Profile profile) => profile.Has(Keys.RoleArn) && !profile.Has(Keys.WebIdentityTokenFile);

    /// <summary>Whether the line is written in one of the profile's own sections (not inherited from <c>[DEFAULT]</c>).</summary>
    public static bool IsOwnLine(Profile profile, PropertyEntry property) =>
        ReferenceEquals(profile.ConfigSection, property.Section) || ReferenceEquals(profile.CredentialsSection, property.Section);

    /// <summary>Replaces the value of a line (its first line: values of the keys fixed here never continue).</summary>
    public static FileEdit ReplaceValue(PropertyEntry property, string newValue) =>
        new(new SourceLocation(property.File, property.ValueSpan), newValue);

    /// <summary>Removes a key line with its continuation lines and line break.</summary>
    public static FileEdit RemoveLine(PropertyEntry property)
    {
        var syntax = property.Syntax;
        var end = syntax.Lines.IsEmpty ? syntax.FullSpan.End : syntax.Lines[^1].FullSpan.End;
        return new FileEdit(new SourceLocation(property.File, TextSpan.FromBounds(syntax.Span.Start, end).Shift(property.Section.Start)), "");
    }

    /// <summary>
    /// Inserts <c>key = value</c> into a profile right after <paramref name="anchor"/> (and its continuation lines), with
    /// the anchor's indentation, delimiter and line break; after the profile's header when the anchor is not one of the
    /// profile's own lines.
    /// </summary>
    public static FileEdit InsertLine(Profile profile, PropertyEntry? anchor, string key, string value) => InsertLine(profile, anchor, key, value, null);

    /// <summary>
    /// <see cref="InsertLine(Profile, PropertyEntry?, string, string)"/> whose inserted text is <paramref name="context"/>'s
    /// shared copy (<see cref="AnalysisContext.Shared(ReadOnlySpan{char})"/>; after the anchor's own line it is looked up
    /// before any string is made): for rules that offer the same line to thousands of profiles.
    /// </summary>
    public static FileEdit InsertLine(Profile profile, PropertyEntry? anchor, string key, string value, AnalysisContext? context)
    {
        if (anchor is { } own && IsOwnLine(profile, own))
        {
            var (section, text, last, indent, delimiter) = ShapeOf(own);
            if (context is not null && last.NewlineLength > 0)
            {
                // The common case, written in a buffer (the line and its line break) and looked up before a string is made.
                Span<char> buffer = stackalloc char[256];
                if (buffer.TryWrite($"{indent}{key}{delimiter}{value}{text.Slice(last.Span.End, last.NewlineLength)}", out var length))
                {
                    return new FileEdit(AfterLine(section, last), context.Shared(buffer[..length]));
                }
            }
            return Shared(InsertAfterLine(section, last, string.Concat(indent, key, delimiter, value)), context);
        }
        var primary = profile.PrimarySection;
        return Shared(primary.Syntax.Header is { } header
            ? InsertAfterLine(primary, header, key + " = " + value)
            : new FileEdit(new SourceLocation(primary.File.Kind, new TextSpan(primary.Start, 0)), key + " = " + value + NewLine(primary.File)), context);
    }

    /// <summary>
    /// The common case of <see cref="InsertLine(Profile, PropertyEntry?, string, string, AnalysisContext?)"/> after
    /// <paramref name="anchor"/> (the profile's own line, followed by a line break), without writing the line: where it
    /// goes, and how it is written around key and value (indent, delimiter and line break, separated by NUL) into
    /// <paramref name="format"/>. Lines with the same format and key and value are the same text. False otherwise (then
    /// call InsertLine), or when the format does not fit.
    /// </summary>
    public static bool TryInsertionFormat(Profile profile, PropertyEntry anchor, Span<char> format, out int formatLength, out SourceLocation at)
    {
        (formatLength, at) = (0, default);
        if (!IsOwnLine(profile, anchor)) return false;
        var (section, text, last, indent, delimiter) = ShapeOf(anchor);
        if (last.NewlineLength == 0) return false;
        var newline = text.Slice(last.Span.End, last.NewlineLength);
        if (!format.TryWrite($"{indent}\0{delimiter}\0{newline}", out formatLength)) return false;
        at = AfterLine(section, last);
        return true;
    }

    /// <summary>How a property's line is written: its section and text, its last line (continuations included), the indent before the key and the delimiter after it (<c> = </c> when the value is empty).</summary>
    private readonly ref struct LineShape(SectionEntry section, ReadOnlySpan<char> text, LineSyntax last, ReadOnlySpan<char> indent, ReadOnlySpan<char> delimiter)
    {
        public readonly SectionEntry Section = section;
        public readonly ReadOnlySpan<char> Text = text;
        public readonly LineSyntax Last = last;
        public readonly ReadOnlySpan<char> Indent = indent;
        public readonly ReadOnlySpan<char> Delimiter = delimiter;

        public void Deconstruct(out SectionEntry section, out ReadOnlySpan<char> text, out LineSyntax last, out ReadOnlySpan<char> indent, out ReadOnlySpan<char> delimiter)
        {
            section = Section;
            text = Text;
            last = Last;
            indent = Indent;
            delimiter = Delimiter;
        }
    }

    private static LineShape ShapeOf(PropertyEntry property)
    {
        var section = property.Section;
        var text = section.Syntax.Text;
        var syntax = property.Syntax;
        LineSyntax last = syntax;
        foreach (var line in syntax.Lines)
        {
            if (line.Kind == SyntaxKind.Continuation) last = line;
        }
        var indent = text.Slice(syntax.Span.Start, syntax.KeySpan.Start - syntax.Span.Start);
        var delimiter = syntax.ValueSpan.Length > 0 ? text.Slice(syntax.KeySpan.End, syntax.ValueSpan.Start - syntax.KeySpan.End) : " = ";
        return new LineShape(section, text, last, indent, delimiter);
    }

    private static FileEdit Shared(FileEdit edit, AnalysisContext? context) => context is null ? edit : edit with { NewText = context.Shared(edit.NewText) };

    /// <summary>Where text inserted after <paramref name="line"/> (and its line break) goes.</summary>
    private static SourceLocation AfterLine(SectionEntry section, LineSyntax line) => new(section.File.Kind, new TextSpan(section.Start + line.FullSpan.End, 0));

    private static FileEdit InsertAfterLine(SectionEntry section, LineSyntax line, string content)
    {
        var at = AfterLine(section, line);
        if (line.NewlineLength > 0)
        {
            return new FileEdit(at, string.Concat(content, section.Syntax.Text.Slice(line.Span.End, line.NewlineLength)));
        }
        // The last line of the file, without a line break: break it first.
        return new FileEdit(at, NewLine(section.File) + content);
    }

    /// <summary>The file's line break: its first one, else <c>\n</c>.</summary>
    public static string NewLine(ConfigFile file)
    {
        foreach (var section in file.Syntax.Sections)
        {
            var text = section.Text;
            var index = text.IndexOfAny(['\r', '\n']);
            if (index < 0) continue;
            return text[index] == '\r' ? (index + 1 < text.Length && text[index + 1] == '\n' ? "\r\n" : "\r") : "\n";
        }
        return "\n";
    }

    /// <summary>
    /// Did-you-mean candidates among <paramref name="known"/>: an exact case-insensitive match first, then those within a
    /// small edit distance (2, or a third of the length for long names), closest first.
    /// </summary>
    public static IReadOnlyList<string> Suggest(string value, IEnumerable<string> known)
    {
        var text = value.Trim();
        if (text.Length == 0) return [];
        var candidates = known.Distinct(StringComparer.Ordinal).Where(k => k != text).ToList();
        var sameIgnoringCase = candidates.Where(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameIgnoringCase.Count > 0) return sameIgnoringCase;
        var max = Math.Max(2, text.Length / 3);
        return candidates
            .Select(k => (Name: k, Distance: EditDistance.Compute(text.ToLowerInvariant(), k.ToLowerInvariant(), max)))
            .Where(p => p.Distance <= max)
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name)
            .ToList();
    }
}
