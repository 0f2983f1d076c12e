using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A profile whose resolved chain has more than <see cref="MaxHops"/> links (base credentials included). Every role
/// is one more AssumeRole call, and one more MFA prompt where it has <c>mfa_serial</c>; every session after the first
/// is limited to one hour by role chaining. Reported on the profile's header. A chain longer than
/// <see cref="CredentialResolver.MaxChainLinks"/> is an error: botocore recurses once per link and fails with
/// RecursionError.
/// </summary>
public sealed class SourceProfileChainTooDeepRule : IProfileRule
{
    public const int MaxHops = 5;

    public string Code => DiagnosticCodes.SourceProfileChainTooDeep;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Information;
    public string Summary => "The profile's source_profile chain has more than 5 links: each role is another AssumeRole call (and MFA prompt), and chained sessions last at most one hour.";
    public string Wrong => "[profile r1]\ncredential_process = /usr/local/bin/get-creds\n\n"
        + "[profile r2]\nrole_arn = arn:aws:iam::111111111111:role/R2\nsource_profile = r1\n\n"
        + "[profile r3]\nrole_arn = arn:aws:iam::111111111111:role/R3\nsource_profile = r2\n\n"
        + "[profile r4]\nrole_arn = arn:aws:iam::111111111111:role/R4\nsource_profile = r3\n\n"
        + "[profile r5]\nrole_arn = arn:aws:iam::111111111111:role/R5\nsource_profile = r4\n\n"
        + "[profile r6]\nrole_arn = arn:aws:iam::111111111111:role/R6\nsource_profile = r5\n";
    public string Right => "[profile r1]\ncredential_process = /usr/local/bin/get-creds\n\n"
        + "[profile r6]\nrole_arn = arn:aws:iam::111111111111:role/R6\nsource_profile = r1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllProfiles(this, context);

    // Not an iterator: asked of every profile, and almost every chain is short (no enumerator per profile).
    public IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile)
    {
        var check = context.CheckOf(profile);
        if (check.Error is { Kind: ResolutionErrorKind.ChainTooDeep } error)
        {
            return
            [
                new Diagnostic(Code, DiagnosticSeverity.Error, profile.PrimarySection.HeaderLocation,
                    $"The source_profile chain of `{profile.Name}` is longer than {CredentialResolver.MaxChainLinks} links. The AWS CLI fails with: {error.Message}."),
            ];
        }
        if (!check.Succeeded || check.ChainLength <= MaxHops) return [];
        var resolution = context.ResolutionOf(profile.Name);
        var chain = string.Join(" <- ", resolution.Chain.Reverse().Select(Describe));
        return
        [
            new Diagnostic(Code, DefaultSeverity, profile.PrimarySection.HeaderLocation,
                $"`aws --profile {profile.Name}` walks a chain of {resolution.Chain.Length} links ({chain}): each role is another AssumeRole call "
                + "(and MFA prompt where mfa_serial is set), and role chaining limits every session after the first to one hour. "
                + "Consider letting the role trust the base credentials directly."),
        ];
    }

    private static string Describe(ChainHop hop) => hop.Kind == CredentialKind.CredentialSource ? hop.CredentialSource ?? hop.Profile : hop.Profile;
}
