using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>An SSO profile the CLI rejects: a required sso_* key is missing, the sso_session does not exist, or a value disagrees with the session.</summary>
public sealed class IncompleteSsoRule() : ResolutionErrorRule(ResolutionErrorKind.IncompleteSso)
{
    public override string Summary => "An SSO profile the CLI rejects: a required sso_* key is missing, the sso_session does not exist, or a value disagrees with the session.";
    protected override string RelatedMessage => "the sso-session value";
}
