using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>A role_arn needs source_profile or credential_source to say which credentials assume the role.</summary>
public sealed class RoleWithoutSourceRule() : ResolutionErrorRule(ResolutionErrorKind.RoleWithoutSource)
{
    public override string Summary => "A role_arn needs source_profile or credential_source to say which credentials assume the role.";

}
