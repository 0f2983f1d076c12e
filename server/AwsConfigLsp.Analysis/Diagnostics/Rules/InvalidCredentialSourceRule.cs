using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive).</summary>
public sealed class InvalidCredentialSourceRule() : ResolutionErrorRule(ResolutionErrorKind.InvalidCredentialSource)
{
    public override string Wrong => "[profile dst-role]\nrole_arn = arn:aws:iam::123456789012:role/some-role\ncredential_source = ec2instancemetadata\n";
    public override string Right => "[profile dst-role]\nrole_arn = arn:aws:iam::123456789012:role/some-role\ncredential_source = Ec2InstanceMetadata\n";
    public override string Summary => "credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive).";

}
