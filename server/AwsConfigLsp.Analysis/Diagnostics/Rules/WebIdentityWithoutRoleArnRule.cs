using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>web_identity_token_file needs a role_arn in the same profile.</summary>
public sealed class WebIdentityWithoutRoleArnRule() : ResolutionErrorRule(ResolutionErrorKind.WebIdentityWithoutRoleArn)
{
    public override string Wrong => "[profile k8s]\nweb_identity_token_file = /var/run/secrets/token\n";
    public override string Right => "[profile k8s]\nweb_identity_token_file = /var/run/secrets/token\nrole_arn = arn:aws:iam::111111111111:role/Pod\n";
    public override string Summary => "web_identity_token_file needs a role_arn in the same profile.";

}
