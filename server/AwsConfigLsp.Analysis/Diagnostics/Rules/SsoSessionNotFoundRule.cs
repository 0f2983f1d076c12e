using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>sso_session = X</c> with no <c>[sso-session X]</c>, on a profile without <c>sso_account_id</c> /
/// <c>sso_role_name</c> (with them, the CLI fails to resolve the profile and <c>incomplete-sso</c> reports it). Such a
/// profile yields no credentials from SSO, botocore's SSO token provider fails ("... the "X" sso_session configuration
/// does not exist."), and so does <c>aws sso login --profile</c> (AWS CLI v2). Did-you-mean fixes to the sessions the
/// config file defines.
/// </summary>
public sealed class SsoSessionNotFoundRule : IProfileRule
{
    public string Code => DiagnosticCodes.SsoSessionNotFound;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "sso_session names an [sso-session] section that does not exist; the SSO token provider and `aws sso login` fail.";
    public string Wrong => "[profile login]\nsso_session = my-ssso\n\n[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";
    public string Right => "[profile login]\nsso_session = my-sso\n\n[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllProfiles(this, context);

    public IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile)
    {
        // With these keys the SSO provider runs and raises the error itself: incomplete-sso reports that line.
        if (profile.Has(Keys.SsoAccountId) || profile.Has(Keys.SsoRoleName)) return [];
        if (profile.Get(Keys.SsoSession) is not { } reference || context.Model.SsoSessions.ContainsKey(reference.Value)) return [];
        // Only here a closure: this runs for every profile.
        return [NotFound(context.Model, profile, reference)];
    }

    private Diagnostic NotFound(ProfileModel model, Profile profile, PropertyEntry reference)
    {
        {
            var sessions = model.SsoSessions.Keys.ToList();
            var suggestions = RuleSupport.Suggest(reference.Value, sessions).ToList();
            var close = suggestions.Count;
            if (suggestions.Count == 0 && sessions.Count == 1) suggestions.Add(sessions[0]);
            var message = $"There is no [sso-session {reference.Value}] in the config file: `aws sso login --profile {profile.Name}` (AWS CLI v2) "
                + $"and botocore's SSO token provider fail (\"The profile \"{profile.Name}\" is configured to use the SSO token provider but the "
                + $"\"{reference.Value}\" sso_session configuration does not exist.\").";
            if (close > 0) message += $" Did you mean {string.Join(" or ", suggestions.Select(s => $"`{s}`"))}?";
            return new Diagnostic(Code, DefaultSeverity, reference.ValueOrLineLocation, message)
            {
                Fixes = [.. suggestions.Select(name => new CodeFix($"Change to {name}", [RuleSupport.ReplaceValue(reference, name)], IsPreferred: close == 1))],
            };
        }
    }
}
