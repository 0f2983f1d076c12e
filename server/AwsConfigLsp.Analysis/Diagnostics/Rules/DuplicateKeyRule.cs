using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// The same key twice in one section (keys are case-insensitive): configparser's DuplicateOptionError makes the CLI
/// reject the whole file. The fix removes the later line; both places are shown.
/// </summary>
public sealed class DuplicateKeyRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.DuplicateKey;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Error;
    public string Summary => "A key appears twice in one section; the AWS CLI rejects the whole file (\"Unable to parse config file\").";
    public string Wrong => "[default]\nregion = us-east-1\nRegion = eu-west-1\n";
    public string Right => "[default]\nregion = us-east-1\n";

    /// <summary>The key line and its continuation lines, line breaks included.</summary>
    private static TextSpan WholeLines(PropertyEntry property)
    {
        var syntax = property.Syntax;
        var end = syntax.Lines.IsEmpty ? syntax.FullSpan.End : syntax.Lines[^1].FullSpan.End;
        return TextSpan.FromBounds(syntax.Span.Start, end).Shift(property.Section.Start);
    }

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var file in new[] { context.Model.Config, context.Model.Credentials })
        {
            foreach (var problem in file.Problems)
            {
                if (problem.Kind != FileProblemKind.DuplicateKey) continue;
                var property = file.Sections.SelectMany(s => s.OwnProperties).Cast<PropertyEntry?>().FirstOrDefault(p => p!.Value.LineSpan == problem.Span);
                var fix = property is null
                    ? null
                    : new CodeFix("Remove this duplicate line", [new FileEdit(new SourceLocation(file.Kind, WholeLines(property.Value)), "")], IsPreferred: true);
                yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, problem.Span), problem.Message)
                {
                    Related = problem.FirstSpan is { } first ? [new RelatedLocation(new SourceLocation(file.Kind, first), "first set here")] : [],
                    Fixes = fix is null ? [] : [fix],
                };
            }
        }
    }
}
