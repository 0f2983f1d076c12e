using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A role profile without <c>mfa_serial</c> whose sibling role profiles (same <c>source_profile</c>) send one
/// (SCENARIOS S1). When the role's trust policy requires MFA, STS answers AccessDenied and says nothing about MFA.
/// The fix adds the siblings' <c>mfa_serial</c> right after <c>role_arn</c> (preferred); when siblings disagree, one
/// fix per device, none preferred.
/// </summary>
public sealed class MissingMfaSerialRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.MissingMfaSerial;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Information;
    public string Summary => "A role profile has no mfa_serial while the other role profiles with the same source_profile have one; if the role requires MFA, STS answers AccessDenied without saying why.";
    public string Wrong => "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = default\n";
    public string Right => "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nsource_profile = default\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var roles = context.Model.Profiles.Values
            .Where(RuleSupport.AssumesRole)
            .Select(profile => (Profile: profile, Source: profile.Get(Keys.SourceProfile)?.Value))
            .Where(role => role.Source is not null)
            .ToList();
        foreach (var (profile, source) in roles)
        {
            if (profile.Has(Keys.MfaSerial)) continue;
            var siblings = roles
                .Where(other => other.Profile != profile && other.Source == source && other.Profile.Get(Keys.MfaSerial) is { Value.Length: > 0 })
                .Select(other => other.Profile)
                .ToList();
            if (siblings.Count == 0) continue;
            var devices = siblings.Select(other => other.Get(Keys.MfaSerial)!.Value).Distinct(StringComparer.Ordinal).ToList();
            var roleArn = profile.Get(Keys.RoleArn)!;
            var location = RuleSupport.IsOwnLine(profile, roleArn) ? roleArn.KeyLocation : profile.PrimarySection.HeaderLocation;
            var message = $"`{profile.Name}` sends no MFA code, but the other role profiles with source_profile = {source} "
                + $"({string.Join(", ", siblings.Select(other => $"`{other.Name}`"))}) do (mfa_serial). "
                + "If this role's trust policy requires MFA, STS answers AccessDenied without mentioning MFA.";
            yield return new Diagnostic(Code, DefaultSeverity, location, message)
            {
                Related = [.. siblings.Select(other => new RelatedLocation(other.Get(Keys.MfaSerial)!.LineLocation, $"`{other.Name}` uses this MFA device"))],
                Fixes = [.. devices.Select(device => new CodeFix($"Add mfa_serial = {device}",
                    [RuleSupport.InsertLine(profile, roleArn, Keys.MfaSerial, device)], IsPreferred: devices.Count == 1))],
            };
        }
    }
}
