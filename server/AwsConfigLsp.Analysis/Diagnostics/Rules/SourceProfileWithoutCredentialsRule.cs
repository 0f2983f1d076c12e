using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>The source profile has no credentials of its own (no access key, SSO, process or web identity).</summary>
public sealed class SourceProfileWithoutCredentialsRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileWithoutCredentials)
{
    public override string Summary => "The source profile has no credentials of its own (no access key, SSO, process or web identity).";
    protected override string RelatedMessage => "the source profile";
}
