using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A real key where it does nothing: <c>sso_start_url</c> in a <c>[services]</c> section, <c>role_arn</c> in an
/// <c>[sso-session]</c>, <c>region</c> in an <c>s3 =</c> block, <c>max_concurrent_requests</c> at the top of a profile
/// instead of under <c>s3 =</c>. In the credentials file botocore reads every key a profile may hold, so only keys it
/// never reads there are reported, as information.
/// </summary>
public sealed class KeyInWrongSectionRule : ISectionRule
{
    public string Code => DiagnosticCodes.KeyInWrongSection;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "A known key in a section or block where no AWS tool reads it, so it does nothing there.";
    public string Wrong => "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/Admin\n";
    public string Right => "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (every key in its place): this runs for every section.
        var keys = KeyPlacement.In(context, section);
        return KeyPlacement.Any(keys, KeyVerdict.WrongSection, KeyVerdict.WrongSection) ? Misplaced(keys) : [];
    }

    private IEnumerable<Diagnostic> Misplaced(IReadOnlyList<KeyOccurrence> keys)
    {
        foreach (var key in keys)
        {
            if (key.Verdict != KeyVerdict.WrongSection) continue;
            var scopes = key.Elsewhere.Aggregate(KeyScope.None, (all, e) => all | e.Scopes);
            var name = key.Elsewhere[0].Name;
            var message = key.InCredentialsFile && !key.IsSubProperty
                ? $"No AWS tool reads `{name}` from the credentials file; it belongs in {KeyCatalog.DescribeScopes(scopes & ~KeyScope.CredentialsFile)}."
                : $"`{name}` does nothing in {key.Where}: AWS tools read it only in {KeyCatalog.DescribeScopes(scopes)}.";
            var severity = key.InCredentialsFile && !key.IsSubProperty ? DiagnosticSeverity.Information : DefaultSeverity;
            yield return new Diagnostic(Code, severity, new SourceLocation(key.File, key.Span), message);
        }
    }
}
