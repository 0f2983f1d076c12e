using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>region = us-east-1 # prod</c>: configparser (as botocore uses it) has no inline comments, so the value is
/// <c>us-east-1 # prod</c>. Reported for a blank followed by <c>#</c> or <c>;</c> inside a value (outside quotes in
/// command lines), also under <c>s3 =</c> and in service blocks. The fix moves the comment to its own line above, with
/// the same indentation. Keys of third-party tools are left alone: their tools may parse comments differently.
/// </summary>
public sealed class InlineCommentInValueRule : ISectionRule
{
    public string Code => DiagnosticCodes.InlineCommentInValue;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "The AWS CLI has no inline comments: `# ...` or `; ...` after a value is part of the value.";
    public string Wrong => "[default]\nregion = us-east-1 # prod\n";
    public string Right => "[default]\n# prod\nregion = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (no `#` or `;` in any key line's value or block): this runs for every section.
        return IsRead(section) && MayHaveComment(section) ? Comments(context, section) : [];
    }

    /// <summary>Whether a value of the section, or a line of a nested block, holds <c>#</c> or <c>;</c> at all.</summary>
    private static bool MayHaveComment(SectionEntry section)
    {
        var text = section.Syntax.Text;
        var properties = section.OwnProperties;
        for (var i = 0; i < properties.Count; i++)
        {
            var syntax = properties[i].Syntax;
            var value = syntax.ValueSpan;
            var end = syntax.Lines.IsEmpty ? value.End : Math.Max(value.End, syntax.Lines[^1].Span.End);
            if (text[value.Start..end].IndexOfAny('#', ';') >= 0) return true;
        }
        return false;
    }

    private IEnumerable<Diagnostic> Comments(AnalysisContext context, SectionEntry section)
    {
        if (!IsRead(section)) yield break;
        var file = section.File;
        var syntax = section.Syntax;
        foreach (var property in section.OwnProperties)
        {
            if (ThirdPartyKeys.Find(property.Key) is not null) continue;
            if (property.SubProperties is null)
            {
                if (Check(file, section, property.Key, property.Key, property.Syntax, property.Syntax.ValueSpan, context) is { } diagnostic) yield return diagnostic;
                continue;
            }
            foreach (var item in property.Syntax.Lines)
            {
                if (item.AsContinuation is not { SubKeySpan: { } keySpan, SubValueSpan: { } valueSpan } line) continue;
                var subKey = syntax.GetText(keySpan);
                if (Check(file, section, subKey, $"{subKey}` under `{property.Key} =", line, valueSpan, context) is { } diagnostic) yield return diagnostic;
            }
        }
    }

    private static bool IsRead(SectionEntry section) => section.Role switch
    {
        SectionRole.Defaults => true,
        SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services => section.EntityName is not null,
        SectionRole.Other => section.File.Kind == ConfigFileKind.Config && SectionNames.IsCliSection(section.RawName ?? ""),
        _ => false,
    };

    private Diagnostic? Check(ConfigFile file, SectionEntry section, string key, string described, LineSyntax line, TextSpan valueSpan, AnalysisContext context)
    {
        // Most values hold neither '#' nor ';': no comment, and no copy of the value.
        if (section.Syntax.GetSpan(valueSpan).IndexOfAny('#', ';') < 0) return null;
        var value = section.Syntax.GetText(valueSpan);
        var isCommand = KeyCatalog.FindAnywhere(key).Any(e => e.Value.Kind == ValueKind.Command);
        var at = CommentStart(value, isCommand);
        if (at < 0) return null;
        var kept = value[..at].TrimEnd();
        var comment = value[at..];
        var absoluteValue = valueSpan.Shift(section.Start);
        var secret = KeyCatalog.IsSecret(key);
        var message = secret
            ? $"The AWS CLI has no inline comments: the comment becomes part of the secret value of `{described}`."
            : $"The AWS CLI has no inline comments: the value of `{described}` is `{value}`, not `{kept}`.";
        var lineNewline = line.NewlineLength > 0 ? section.Syntax.GetText(new TextSpan(line.Span.End, line.NewlineLength)) : context.NewlineOf(file);
        var fix = new CodeFix("Move the comment to its own line above", [
            new FileEdit(new SourceLocation(file.Kind, new TextSpan(line.Span.Start + section.Start, 0)), SectionNames.Indentation(section.Syntax, line) + comment + lineNewline),
            new FileEdit(new SourceLocation(file.Kind, TextSpan.FromBounds(absoluteValue.Start + kept.Length, absoluteValue.End)), ""),
        ], IsPreferred: true);
        return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, TextSpan.FromBounds(absoluteValue.Start + at, absoluteValue.End)), message)
        {
            Fixes = [fix],
        };
    }

    /// <summary>Where a would-be comment starts: <c>#</c> or <c>;</c> after a blank, outside quotes for command lines; -1 if none.</summary>
    internal static int CommentStart(string value, bool trackQuotes)
    {
        char? quote = null;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i - 1];
            if (trackQuotes)
            {
                if (quote is null && c is '"' or '\'') quote = c;
                else if (quote == c) quote = null;
            }
            if (quote is null && value[i] is '#' or ';' && char.IsWhiteSpace(c)) return i;
        }
        return -1;
    }
}
