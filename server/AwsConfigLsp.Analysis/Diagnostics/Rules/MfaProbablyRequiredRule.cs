using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// "Test this profile" got <c>AccessDenied ... not authorized to perform: sts:AssumeRole</c> for a role profile that
/// sends no MFA code (SCENARIOS S1): the role's trust policy most likely requires <c>aws:MultiFactorAuthPresent</c>.
/// Fed by the outcomes the server holds (<see cref="FileFacts.MfaOutcomes"/>); an outcome whose profile has changed
/// since the test is stale and reports nothing. The fixes add <c>mfa_serial</c> after <c>role_arn</c>, one per candidate
/// device (the first preferred).
/// </summary>
public sealed class MfaProbablyRequiredRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.MfaProbablyRequired;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "Testing the profile, STS refused AssumeRole with AccessDenied and the profile sends no MFA code: the role's trust policy probably requires MFA (aws:MultiFactorAuthPresent). Reported only after a test.";
    public string Wrong => "[default]\ncredential_process = /usr/local/bin/user-kawahara-keys\n\n[profile foo]\nrole_arn = arn:aws:iam::222222222222:role/role-kawahara\nsource_profile = default\n";
    public string Right => "[default]\ncredential_process = /usr/local/bin/user-kawahara-keys\n\n[profile foo]\nrole_arn = arn:aws:iam::222222222222:role/role-kawahara\nmfa_serial = arn:aws:iam::111111111111:mfa/user-kawahara\nsource_profile = default\n";

    public FileFacts WrongFacts => new()
    {
        MfaOutcomes = [new MfaTestOutcome("foo", "arn:aws:iam::222222222222:role/role-kawahara",
            "[profile foo]\nrole_arn = arn:aws:iam::222222222222:role/role-kawahara\nsource_profile = default\n\u0000",
            ["arn:aws:iam::111111111111:mfa/user-kawahara"], "arn:aws:iam::111111111111:user/user-kawahara")],
    };

    public FileFacts RightFacts => WrongFacts;

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var outcome in context.Facts.MfaOutcomes)
        {
            if (context.Model.GetProfile(outcome.Profile) is not { } profile) continue;
            if (MfaTestOutcome.TextOf(profile) != outcome.ProfileText) continue;
            if (profile.Has(Keys.MfaSerial) || profile.Get(Keys.RoleArn) is not { } roleArn || roleArn.Value != outcome.RoleArn) continue;
            var location = RuleSupport.IsOwnLine(profile, roleArn) ? roleArn.KeyLocation : profile.PrimarySection.HeaderLocation;
            var who = outcome.CallerArn is { } caller ? $" for {caller}" : "";
            var message = $"STS refused AssumeRole {outcome.RoleArn}{who} (AccessDenied) and `{profile.Name}` sends no MFA code: "
                + "the role's trust policy probably requires MFA (aws:MultiFactorAuthPresent). Add mfa_serial so the CLI asks for a code.";
            yield return new Diagnostic(Code, DefaultSeverity, location, message)
            {
                Fixes = [.. outcome.CandidateSerials.Distinct(StringComparer.Ordinal).Select((serial, index) =>
                    new CodeFix($"Add mfa_serial = {serial}", [RuleSupport.InsertLine(profile, roleArn, Keys.MfaSerial, serial)], IsPreferred: index == 0))],
            };
        }
    }
}
