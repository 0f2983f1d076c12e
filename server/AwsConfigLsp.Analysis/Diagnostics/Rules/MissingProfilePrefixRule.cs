using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>[x]</c> in the config file: only <c>[default]</c> goes without a prefix there, so botocore keeps <c>[x]</c> as a
/// top-level section that no profile reads. Not reported for <c>[DEFAULT]</c>, the CLI's own <c>[plugins]</c> and
/// <c>[preview]</c>, sections of known third-party tools (<c>[okta]</c>), nor the names dropped-section explains. The fix
/// writes <c>[profile x]</c> (quoted when the name has blanks), or <c>[sso-session x]</c> / <c>[services x]</c> when a
/// profile refers to the section that way.
/// </summary>
public sealed class MissingProfilePrefixRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.MissingProfilePrefix;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "In the config file a profile other than default needs the `profile` prefix; the AWS CLI ignores `[NAME]`.";
    public string Wrong => "[dev]\nregion = us-east-1\n";
    public string Right => "[profile dev]\nregion = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var model = context.Model;
        var file = model.Config;
        foreach (var section in file.Sections)
        {
            if (section.Role != SectionRole.Other || section.RawName is not { } raw) continue;
            if (SectionNames.IsCliSection(raw) || ThirdPartyKeys.Sections.ContainsKey(raw) || DroppedSectionRule.Examine(section) is not null) continue;
            var name = raw.Trim();
            if (name.Length == 0) continue;

            var quoted = SectionNames.Quote(name);
            var (prefix, reason) = Intended(context, name, quoted ?? name);
            var taken = prefix switch
            {
                "profile" => file.Profiles.ContainsKey(name),
                "sso-session" => file.SsoSessions.ContainsKey(name),
                _ => file.Services.ContainsKey(name),
            };
            var message = $"The AWS CLI ignores {SectionNames.Header(raw)}: in the config file only `[default]` goes without a prefix. "
                + (taken ? $"`[{prefix} {quoted ?? name}]` already exists, so the keys of this section are not read." : reason);
            if (prefix == "profile" && !taken && model.Credentials.Profiles.ContainsKey(name))
            {
                message += $" (The credentials file's `[{name}]` is read; the keys of this section are not.)";
            }
            var fixes = quoted is null || taken ? [] : new[]
            {
                new CodeFix($"Write [{prefix} {quoted}]", [SectionNames.RenameHeader(section, $"{prefix} {quoted}")], IsPreferred: true),
            };
            yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, section.NameSpan), message) { Fixes = [.. fixes] };
        }
    }

    /// <summary>The prefix the section needs: sso-session or services when a profile refers to it so, else profile.</summary>
    private static (string Prefix, string Reason) Intended(AnalysisContext context, string name, string written)
    {
        var model = context.Model;
        // After an edit, the kept index names the profiles that refer to it (else every profile is read, per section).
        var referring = context.Index is { } index ? context.FirstInModelOrder(index.ProfilesBySession.GetValueOrDefault(name), index.ProfilesByServices.GetValueOrDefault(name)) : null;
        foreach (var profile in referring is null ? (context.Index is null ? model.Profiles.Values : []) : [referring])
        {
            if (profile.Get(Keys.SsoSession) is { } session && session.Value == name)
            {
                return ("sso-session", $"Profile `{profile.Name}` refers to it with `sso_session = {name}`, which needs `[sso-session {written}]`.");
            }
            if (profile.Get("services") is { } services && services.Value == name)
            {
                return ("services", $"Profile `{profile.Name}` refers to it with `services = {name}`, which needs `[services {written}]`.");
            }
        }
        return ("profile", $"Write `[profile {written}]` to define the profile `{name}`.");
    }
}
