using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A header the CLI silently drops or reads under another name than the text suggests. botocore keeps a config
/// section as a profile (sso-session, services) only if its name starts with <c>profile</c> and splits, like a shell,
/// into exactly two words: <c>[profile a b]</c>, <c>[profile "x]</c>, <c>[profile]</c> and <c>[profile-x]</c> vanish,
/// while <c>[profiles x]</c> and <c>[profilefoo bar]</c> become profiles <c>x</c> and <c>bar</c>. Names are neither
/// trimmed nor case-folded: <c>[Default]</c>, <c>[default ]</c> and <c>[ profile foo ]</c> are not profiles, and in the
/// credentials file <c>[ foo ]</c> is a profile named " foo ". Fixes: quote the name, close the quote, write the
/// prefix exactly, lower-case <c>default</c>, trim the blanks.
/// </summary>
public sealed class DroppedSectionRule : ISectionRule
{
    public string Code => DiagnosticCodes.DroppedSection;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "The AWS CLI silently drops this section, or reads it under another name than the one written.";
    public string Wrong => "[profile my dev]\nregion = us-east-1\n";
    public string Right => "[profile \"my dev\"]\nregion = us-east-1\n";

    /// <summary>What is wrong with a header, and the raw name that fixes it (null when no fix is obvious).</summary>
    internal sealed record Finding(string Message, string? NewRawName, string? FixTitle);

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    // A fix is offered only when the corrected header is not taken by another section.
    public bool ReadsSectionNames => true;

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator: this runs for every section, and almost every header is fine.
        if (Examine(section) is not { } finding) return [];
        return
        [
            new Diagnostic(Code, DefaultSeverity, new SourceLocation(section.File.Kind, section.NameSpan), finding.Message)
            {
                Fixes = finding.NewRawName is { } name
                    ? [new CodeFix(finding.FixTitle ?? $"Write {SectionNames.Header(name)}", [SectionNames.RenameHeader(section, name)], IsPreferred: true)]
                    : [],
            },
        ];
    }

    internal static Finding? Examine(SectionEntry section)
    {
        if (!section.Syntax.HasHeader) return null;
        // The name is read in place first: the sections with nothing to report (nearly all) make no string of it.
        var name = section.Syntax.NameText;
        var file = section.File;
        if (file.Kind == ConfigFileKind.Credentials)
        {
            return section.Role == SectionRole.Profile && name.Trim().Length != name.Length ? ExamineCredentials(file, section, section.RawName!) : null;
        }
        return section.Role switch
        {
            SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services when !name.SequenceEqual("default") =>
                // `prefix NAME` with one blank and a NAME that shlex leaves as it is: exactly two words, nothing to report.
                SectionNames.PrefixOf(name) is { } prefix && PythonCompat.IsPlainSecondWord(name, prefix.Length) ? null : ExaminePrefixed(file, section.RawName!),
            SectionRole.Other => ExamineOther(file, section.RawName!),
            _ => null,
        };
    }

    private static string Noun(string prefix) => prefix switch
    {
        "profile" => "profile",
        "sso-session" => "sso-session",
        _ => "services section",
    };

    /// <summary>A fix to <paramref name="newRawName"/> unless a section of that name exists (which would break the file).</summary>
    private static Finding WithFix(ConfigFile file, string message, string newRawName, string? title = null) =>
        SectionNames.Exists(file, newRawName)
            ? new Finding(message + $" {SectionNames.Header(newRawName)} already exists in this file.", null, null)
            : new Finding(message + $" Write {SectionNames.Header(newRawName)}.", newRawName, title);

    private static Finding? ExaminePrefixed(ConfigFile file, string raw)
    {
        // Not the plain `prefix NAME` (Examine answered that one without making the name's string).
        var prefix = SectionNames.PrefixOf(raw)!;
        var noun = Noun(prefix);
        var dropped = $"The AWS CLI silently drops {SectionNames.Header(raw)}";
        var words = PythonCompat.ShlexSplitWithSpans(raw);
        if (words is null)
        {
            var message = $"{dropped}: a quote is not closed, so botocore cannot split the name (shlex raises ValueError) and ignores the section.";
            foreach (var quote in new[] { "\"", "'" })
            {
                if (SectionNames.Reads(raw + quote, prefix) is not null) return WithFix(file, message, raw + quote, "Close the quote");
            }
            return new Finding(message, null, null);
        }
        switch (words.Count)
        {
            case 1 when words[0].Value == prefix:
                return new Finding($"{dropped}: it has no {noun} name.", null, null);
            case 1:
                return new Finding($"{dropped}: `{prefix}` and the name must be separated by a blank (`[{prefix} NAME]`), so botocore finds no name.", null, null);
            case 2 when words[0].Value == prefix:
                return null;
            case 2:
            {
                var name = words[1].Value;
                var message = $"The AWS CLI reads {SectionNames.Header(raw)} as the {noun} `{name}`: botocore only checks that the name starts with `{prefix}` and takes the second word.";
                return WithFix(file, message, prefix + raw[words[0].End..]);
            }
            default:
            {
                var message = $"{dropped}: the name after `{prefix}` must be one word (botocore splits it like a shell and needs exactly two words). Quote a name with blanks.";
                if (words[0].Value != prefix || words[0].Start != 0) return new Finding(message, null, null);
                var rest = raw[words[0].End..].Trim();
                if (rest.IndexOfAny(['"', '\'', '\\']) >= 0 || SectionNames.Quote(rest) is not { } quoted) return new Finding(message, null, null);
                return WithFix(file, message, prefix + " " + quoted, "Quote the name");
            }
        }
    }

    private static Finding? ExamineOther(ConfigFile file, string raw)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0) return null;
        if (trimmed == "DEFAULT")
        {
            return WithFix(file, $"{SectionNames.Header(raw)} is an ordinary section that the AWS CLI ignores: only `[DEFAULT]`, exactly, holds defaults for every section.", "DEFAULT");
        }
        var lower = trimmed.ToLowerInvariant();
        if (lower == "default")
        {
            return WithFix(file, $"{SectionNames.Header(raw)} is not the default profile: section names are case-sensitive and not trimmed, and only `[default]`, exactly, is the default profile. The AWS CLI ignores this section.", "default");
        }
        foreach (var prefix in SectionNames.Prefixes)
        {
            if (!lower.StartsWith(prefix, StringComparison.Ordinal) || lower.Length > prefix.Length && !char.IsWhiteSpace(lower[prefix.Length])) continue;
            var candidate = prefix + trimmed[prefix.Length..];
            var message = $"The AWS CLI ignores {SectionNames.Header(raw)}: section names are case-sensitive and not trimmed, so this is not a {Noun(prefix)}.";
            return SectionNames.Reads(candidate, prefix) is null ? new Finding(message, null, null) : WithFix(file, message, candidate);
        }
        return null;
    }

    private static Finding? ExamineCredentials(ConfigFile file, SectionEntry section, string raw)
    {
        if (section.Role != SectionRole.Profile) return null;
        var trimmed = raw.Trim();
        if (trimmed == raw || trimmed.Length == 0) return null;
        var message = $"The credentials file takes section names literally: this defines a profile named `{raw}`, blanks included, so `aws --profile {trimmed}` does not use it.";
        return trimmed == "DEFAULT" ? new Finding(message, null, null) : WithFix(file, message, trimmed, "Trim the name");
    }
}
