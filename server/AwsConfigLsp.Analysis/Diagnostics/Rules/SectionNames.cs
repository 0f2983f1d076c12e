using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// How botocore reads section names, for the rules about headers: the prefixes it recognises, shell quoting of a name
/// so that <c>shlex.split</c> gives it back, and small edit helpers shared by the rules of this group.
/// </summary>
internal static class SectionNames
{
    /// <summary>The config-file prefixes, in the order botocore tests them.</summary>
    public static readonly string[] Prefixes = ["profile", "sso-session", "services"];

    /// <summary>The sections of the AWS CLI itself that are not profiles.</summary>
    public static bool IsCliSection(string rawName) => rawName is "plugins" or "preview";

    /// <summary>The prefix <paramref name="rawName"/> starts with, as botocore tests it (case-sensitive, no trimming).</summary>
    public static string? PrefixOf(string rawName) => PrefixOf(rawName.AsSpan());

    /// <inheritdoc cref="PrefixOf(string)"/>
    public static string? PrefixOf(ReadOnlySpan<char> rawName)
    {
        // A loop, not LINQ: this runs for every header of the file.
        foreach (var prefix in Prefixes)
        {
            if (rawName.StartsWith(prefix, StringComparison.Ordinal)) return prefix;
        }
        return null;
    }

    /// <summary>
    /// The name written so that <c>shlex.split("profile " + result)</c> gives exactly <c>["profile", name]</c>: bare when it
    /// has no blank, quote or backslash, else in double quotes. Null when that is impossible (an empty name).
    /// </summary>
    public static string? Quote(string name)
    {
        if (name.Length == 0) return null;
        var quoted = name.Any(c => c is ' ' or '\t' or '\r' or '\n' or '"' or '\'' or '\\')
            ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : name;
        return Reads("profile " + quoted, "profile") == name ? quoted : null;
    }

    /// <summary>The entity name botocore derives from <paramref name="rawName"/> when it is exactly <c>PREFIX NAME</c> (two shell words, the first the prefix).</summary>
    public static string? Reads(string rawName, string prefix)
    {
        var words = PythonCompat.ShlexSplit(rawName);
        return words is [var first, var second] && first == prefix ? second : null;
    }

    /// <summary>Whether a section of <paramref name="file"/> already has the raw name <paramref name="rawName"/>.</summary>
    public static bool Exists(ConfigFile file, string rawName) => file.Sections.Any(s => s.Syntax.HasHeader && s.Syntax.NameText.SequenceEqual(rawName));

    /// <summary>The header shown in messages: <c>[NAME]</c>.</summary>
    public static string Header(string rawName) => "[" + rawName + "]";

    /// <summary>The line break the file uses (its first one), else <paramref name="fallback"/>'s, else <c>\n</c>.</summary>
    public static string Newline(ConfigFile file, ConfigFile? fallback = null)
    {
        return FirstNewline(file) ?? (fallback is null ? null : FirstNewline(fallback)) ?? "\n";
    }

    /// <summary>The file's first line break, section by section (a line break never spans two sections), or null.</summary>
    public static string? FirstNewline(ConfigFile file)
    {
        foreach (var section in file.Syntax.Sections)
        {
            var text = section.Text;
            var index = text.IndexOfAny(['\r', '\n']);
            if (index < 0) continue;
            if (text[index] == '\r' && index + 1 < text.Length && text[index + 1] == '\n') return "\r\n";
            return text[index] == '\r' ? "\r" : "\n";
        }
        return null;
    }

    /// <summary>The key line of a property and its continuation lines, line breaks included (absolute).</summary>
    public static TextSpan WholeLines(PropertyEntry property) => property.Syntax.PropertyFullSpan.Shift(property.Section.Start);

    /// <summary>The leading blanks of the line that holds <paramref name="line"/> (relative to <paramref name="section"/>).</summary>
    public static string Indentation(SectionSyntax section, LineSyntax line)
    {
        var text = section.GetText(line.Span);
        return text[..(text.Length - text.TrimStart(' ', '\t').Length)];
    }

    /// <summary>An edit that renames a header: replaces the name between the brackets.</summary>
    public static FileEdit RenameHeader(SectionEntry section, string newRawName) =>
        new(new SourceLocation(section.File.Kind, section.NameSpan), newRawName);
}
