using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>[default]</c> and <c>[profile default]</c> (or another spelling of it) both in the config file: botocore keeps
/// the later section and drops the earlier one entirely, without merging their keys. Reported on the earlier one, with
/// the winner as related information; the fix (not preferred) removes the ignored section.
/// </summary>
public sealed class DefaultProfileShadowedRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.DefaultProfileShadowed;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "`[default]` and `[profile default]` both define the default profile; the AWS CLI uses the later one and ignores the earlier one entirely.";
    public string Wrong => "[default]\nregion = us-east-1\n\n[profile default]\noutput = json\n";
    public string Right => "[default]\nregion = us-east-1\noutput = json\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var file = context.Model.Config;
        if (!file.Profiles.TryGetValue("default", out var winner)) yield break;
        // Two sections that define one profile make the file's name table ambiguous: without that, no walk is needed.
        if (!file.HasEntityDuplicates) yield break;
        foreach (var section in file.Sections)
        {
            // The same header twice is duplicate-section: the file does not parse at all.
            if (section == winner || section.Role != SectionRole.Profile || section.EntityName != "default" || section.RawName == winner.RawName) continue;
            var message = $"The AWS CLI ignores {SectionNames.Header(section.RawName!)} entirely: {SectionNames.Header(winner.RawName!)} further down also defines the default profile, and the later section replaces the earlier one (their keys are not merged).";
            yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, section.NameSpan), message)
            {
                Related = [new RelatedLocation(winner.HeaderLocation, "this section defines the default profile")],
                Fixes = [new CodeFix("Remove the ignored section", [new FileEdit(new SourceLocation(file.Kind, section.FullSpan), "")], IsPreferred: false)],
            };
        }
    }
}
