using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>mfa_serial</c> on a profile that has no <c>role_arn</c> and serves as the <c>source_profile</c> of role profiles.
/// The AWS CLI never calls AssumeRole for it, and each role hop sends its own profile's <c>mfa_serial</c>, so this
/// one is ignored (SEMANTICS §6: "mfa_serial on a static leaf is ignored"). The fix moves it, in one edit across both
/// files if need be, to the role profiles that use this source and have none (right after their <c>role_arn</c>).
/// </summary>
public sealed class MfaSerialIgnoredRule : IProfileRule
{
    public string Code => DiagnosticCodes.MfaSerialIgnored;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "mfa_serial on a source profile without role_arn: the AWS CLI ignores it (each role profile sends its own), so no MFA code is sent.";
    public string Wrong => "[default]\ncredential_process = /usr/local/bin/get-creds\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\n";
    public string Right => "[default]\ncredential_process = /usr/local/bin/get-creds\n\n[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nsource_profile = default\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllProfiles(this, context);

    public IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile source)
    {
        // The common case (no own mfa_serial) without an iterator or a closure: this runs for every profile.
        if (RuleSupport.AssumesRole(source)) return [];
        var hasOwn = false;
        foreach (var section in source.Sections) hasOwn |= section.Get(Keys.MfaSerial) is { } line && ReferenceEquals(line.Section, section);
        return hasOwn ? Ignored(context, source) : [];
    }

    private IEnumerable<Diagnostic> Ignored(AnalysisContext context, Profile source)
    {
        {
            var dependants = context.RolesOf(source.Name).Where(role => role != source).ToList();
            if (dependants.Count == 0) yield break;
            var lacking = dependants.Where(role => !role.Has(Keys.MfaSerial)).ToList();
            foreach (var section in source.Sections)
            {
                if (section.Get(Keys.MfaSerial) is not { } mfaSerial || !ReferenceEquals(mfaSerial.Section, section)) continue;
                var names = Names(dependants);
                var message = $"The AWS CLI ignores this mfa_serial: `{source.Name}` has no role_arn, so it never calls AssumeRole with it, "
                    + $"and the role profiles that use it as source_profile ({names}) each send their own mfa_serial"
                    + (lacking.Count > 0 ? $" ({Names(lacking)} {(lacking.Count == 1 ? "sends" : "send")} none)." : ".")
                    + " Tools such as aws-vault do read it here; if you use one, silence this rule.";
                var edits = new List<FileEdit> { RuleSupport.RemoveLine(mfaSerial) };
                edits.AddRange(lacking.Select(role => RuleSupport.InsertLine(role, role.Get(Keys.RoleArn), Keys.MfaSerial, mfaSerial.Value)));
                var title = lacking.Count > 0
                    ? $"Move mfa_serial to {(lacking.Count == 1 ? lacking[0].Name : $"the {lacking.Count} role profiles that use it")}"
                    : "Remove the ignored mfa_serial";
                yield return new Diagnostic(Code, DefaultSeverity, mfaSerial.KeyLocation, message)
                {
                    Related = [.. dependants.Take(ShownNames).Select(role => role.Get(Keys.SourceProfile)!).Select(line => new RelatedLocation(line.LineLocation, "uses it as source_profile"))],
                    Fixes = [new CodeFix(title, [.. edits])],
                };
            }
        }
    }

    private const int ShownNames = 5;

    /// <summary>The first few profile names; a source of thousands of roles must not make a message of thousands of names.</summary>
    private static string Names(List<Profile> profiles) =>
        string.Join(", ", profiles.Take(ShownNames).Select(role => $"`{role.Name}`"))
        + (profiles.Count > ShownNames ? $" and {profiles.Count - ShownNames} more" : "");
}
