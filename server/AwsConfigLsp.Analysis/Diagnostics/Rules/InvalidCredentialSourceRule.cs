using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive).</summary>
public sealed class InvalidCredentialSourceRule() : ResolutionErrorRule(ResolutionErrorKind.InvalidCredentialSource)
{
    public override string Summary => "credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive).";

}
