using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// The same section header twice in one file: configparser's DuplicateSectionError makes the CLI reject the whole
/// file. The fix removes the later section; both places are shown.
/// </summary>
public sealed class DuplicateSectionRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.DuplicateSection;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Error;
    public string Summary => "A section appears twice in one file; the AWS CLI rejects the whole file (\"Unable to parse config file\").";
    public string Wrong => "[profile dev]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n";
    public string Right => "[profile dev]\nregion = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var file in new[] { context.Model.Config, context.Model.Credentials })
        {
            foreach (var problem in file.Problems)
            {
                if (problem.Kind != FileProblemKind.DuplicateSection) continue;
                var section = file.Sections.FirstOrDefault(s => s.HeaderSpan == problem.Span);
                var fixes = section is null
                    ? ImmutableArray<CodeFix>.Empty
                    : [new CodeFix("Remove this duplicate section", [new FileEdit(new SourceLocation(file.Kind, section.FullSpan), "")], IsPreferred: false)];
                yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, problem.Span), problem.Message)
                {
                    Related = problem.FirstSpan is { } first ? [new RelatedLocation(new SourceLocation(file.Kind, first), "first defined here")] : [],
                    Fixes = fixes,
                };
            }
        }
    }
}
