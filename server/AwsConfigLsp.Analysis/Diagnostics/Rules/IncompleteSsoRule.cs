using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>An SSO profile the CLI rejects: a required sso_* key is missing, the sso_session does not exist, or a value disagrees with the session.</summary>
public sealed class IncompleteSsoRule() : ResolutionErrorRule(ResolutionErrorKind.IncompleteSso)
{
    public override string Wrong => "[profile dev]\nsso_session = my-sso\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n";
    public override string Right => "[profile dev]\nsso_session = my-sso\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n\n[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";
    public override string Summary => "An SSO profile the CLI rejects: a required sso_* key is missing, the sso_session does not exist, or a value disagrees with the session.";
    protected override string RelatedMessage => "the sso-session value";
}
