using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>A role profile has both source_profile and credential_source; the CLI accepts only one.</summary>
public sealed class ConflictingCredentialSourcesRule() : ResolutionErrorRule(ResolutionErrorKind.ConflictingCredentialSources)
{
    public override string Wrong => "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = default\ncredential_source = Ec2InstanceMetadata\n";
    public override string Right => "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = Ec2InstanceMetadata\n";
    public override string Summary => "A role profile has both source_profile and credential_source; the CLI accepts only one.";
    protected override string RelatedMessage => "source_profile is also set here";
}
