using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>A role_arn needs source_profile or credential_source to say which credentials assume the role.</summary>
public sealed class RoleWithoutSourceRule() : ResolutionErrorRule(ResolutionErrorKind.RoleWithoutSource)
{
    public override string Wrong => "[profile dst-role]\nrole_arn = arn:aws:iam::123456789012:role/some-role\n";
    public override string Right => "[profile dst-role]\nrole_arn = arn:aws:iam::123456789012:role/some-role\ncredential_source = Ec2InstanceMetadata\n";
    public override string Summary => "A role_arn needs source_profile or credential_source to say which credentials assume the role.";

}
