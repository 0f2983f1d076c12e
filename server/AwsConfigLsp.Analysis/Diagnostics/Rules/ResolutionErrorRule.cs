using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// Base for the rules that report an error botocore raises while resolving a profile: each reports the errors of
/// one kind, once per line, with the CLI's own words.
/// </summary>
public abstract class ResolutionErrorRule(ResolutionErrorKind kind) : IProfileRule
{
    public string Code => DiagnosticCodes.For(kind);
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Error;
    public abstract string Summary { get; }
    public abstract string Wrong { get; }
    public abstract string Right { get; }

    /// <summary>The message: what is wrong, then what the CLI says.</summary>
    protected virtual string Describe(Resolution resolution, ResolutionError error) => $"{Summary} The AWS CLI fails with: {error.Message}";

    protected virtual string RelatedMessage => "related";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllProfiles(this, context);

    // Not an iterator: eight rules ask every profile, and almost none has an error (no enumerator per profile and rule).
    public virtual IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile)
    {
        if (context.CheckOf(profile).Error is not { } error || error.Kind != kind || error.Location is not { } location) return [];
        // What ResolutionOf would answer: a resolution that fails has no chain.
        var resolution = new Resolution(profile.Name, [], error);
        return
        [
            new Diagnostic(Code, DefaultSeverity, location, Describe(resolution, error))
            {
                Related = [.. error.Related.Select(related => new RelatedLocation(related, RelatedMessage))],
            },
        ];
    }
}
