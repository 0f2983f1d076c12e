using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A line that makes botocore reject the whole file (ConfigParseError): text before the first section, a line
/// without '=' or ':', a duplicate section or key, a bad nested line, a BOM or undecodable bytes. Every profile then
/// fails with "Unable to parse config file".
/// </summary>
public sealed class UnparsableFileRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.UnparsableFile;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Error;
    public string Summary => "The AWS CLI cannot parse this file, so every command fails with \"Unable to parse config file\".";
    public string Wrong => "region = us-east-1\n[default]\noutput json\n";
    public string Right => "[default]\nregion = us-east-1\noutput = json\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var file in new[] { context.Model.Config, context.Model.Credentials })
        {
            foreach (var problem in file.Problems)
            {
                // Duplicates have rules of their own, with fixes.
                if (problem.Kind is FileProblemKind.DuplicateKey or FileProblemKind.DuplicateSection) continue;
                yield return new Diagnostic(Code, DefaultSeverity, new Model.SourceLocation(file.Kind, problem.Span), problem.Message);
            }
        }
    }
}
