using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// An <c>[sso-session X]</c> that no profile references with <c>sso_session = X</c>: only
/// <c>aws sso login --sso-session X</c> can use it. Often a leftover, or a profile that misspells the name.
/// </summary>
public sealed class UnusedSsoSessionRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.UnusedSsoSession;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Information;
    public string Summary => "No profile references this [sso-session]; only `aws sso login --sso-session NAME` uses it.";
    public string Wrong => "[sso-session old-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";
    public string Right => "[profile dev]\nsso_session = old-sso\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n\n[sso-session old-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var model = context.Model;
        // Without two sections of one name, the sso-session table holds every [sso-session] section, in file order.
        var sections = model.Config.HasEntityDuplicates ? model.Config.Sections : (IEnumerable<SectionEntry>)model.Config.SsoSessions.Values;
        foreach (var section in sections)
        {
            if (section.Role != SectionRole.SsoSession || section.EntityName is not { } name || context.IsSessionUsed(name)) continue;
            yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(ConfigFileKind.Config, section.EntityNameSpan),
                $"No profile uses sso-session `{name}` (no `sso_session = {name}`); only `aws sso login --sso-session {name}` does.");
        }
    }
}
