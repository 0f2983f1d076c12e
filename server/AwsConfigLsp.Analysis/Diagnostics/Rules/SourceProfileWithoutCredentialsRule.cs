using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>The source profile has no credentials of its own (no access key, SSO, process or web identity).</summary>
public sealed class SourceProfileWithoutCredentialsRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileWithoutCredentials)
{
    public override string Wrong => "[profile base]\nregion = us-east-1\n\n[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n";
    public override string Right => "[profile base]\nregion = us-east-1\ncredential_process = /usr/local/bin/get-creds\n\n[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = base\n";
    public override string Summary => "The source profile has no credentials of its own (no access key, SSO, process or web identity).";
    protected override string RelatedMessage => "the source profile";
}
