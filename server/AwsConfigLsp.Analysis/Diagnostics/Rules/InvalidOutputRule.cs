using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>output</c> is not one of the CLI's formats (json, text, table; yaml and yaml-stream in AWS CLI v2). The value is
/// case-sensitive. The CLI makes the API call and only then fails to print the result (<c>Unknown output type</c>,
/// exit code 255), so a command that changes something has done it when the error appears. Did-you-mean fixes.
/// </summary>
public sealed class InvalidOutputRule : ISectionRule
{
    /// <summary>What <c>aws</c> accepts (<c>awscli/formatter.py</c> <c>get_formatter</c>; yaml and yaml-stream since v2).</summary>
    public static readonly IReadOnlyList<string> Formats = ["json", "text", "table", "yaml", "yaml-stream"];

    public string Code => DiagnosticCodes.InvalidOutput;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Error;
    public string Summary => "output is not json, text, table, yaml or yaml-stream (case-sensitive); the AWS CLI makes the API call, then fails with \"Unknown output type\".";
    public string Wrong => "[default]\noutput = JSON\n";
    public string Right => "[default]\noutput = json\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (no output line, or a known format): this runs for every section.
        if (RuleSupport.LineIn(section, "output") is not { } property || Formats.Contains(property.Value)) return [];
        return Invalid(property);
    }

    private IEnumerable<Diagnostic> Invalid(PropertyEntry property)
    {
        {
            var value = property.Value;
            var suggestions = RuleSupport.Suggest(value, Formats);
            var message = $"Unknown output format `{value}`: AWS CLI service commands (such as `aws sts get-caller-identity`) make the API call, "
                + $"then fail with \"Unknown output type: {value}\" instead of printing the result. "
                + "Use json, text, table, yaml or yaml-stream (the last two need AWS CLI v2).";
            if (suggestions.Count > 0) message += $" Did you mean {string.Join(" or ", suggestions.Select(s => $"`{s}`"))}?";
            yield return new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation, message)
            {
                Fixes = [.. suggestions.Select(format => new CodeFix($"Change to {format}", [RuleSupport.ReplaceValue(property, format)], IsPreferred: suggestions.Count == 1))],
            };
        }
    }
}
