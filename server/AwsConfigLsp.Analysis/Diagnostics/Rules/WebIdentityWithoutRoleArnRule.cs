using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>web_identity_token_file needs a role_arn in the same profile.</summary>
public sealed class WebIdentityWithoutRoleArnRule() : ResolutionErrorRule(ResolutionErrorKind.WebIdentityWithoutRoleArn)
{
    public override string Summary => "web_identity_token_file needs a role_arn in the same profile.";

}
