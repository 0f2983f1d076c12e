using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>key =</c> with nothing after it (and no nested block): the CLI reads an empty string, not an absent key, so the
/// default does not apply and providers that test for the key still run (<c>role_arn =</c> still selects the
/// assume-role provider). Reported for AWS keys only; unknown and third-party keys are other rules' business.
/// </summary>
public sealed class EmptyValueRule : ISectionRule
{
    public string Code => DiagnosticCodes.EmptyValue;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "`key =` with no value gives the AWS CLI an empty string, which is not the same as leaving the key out.";
    public string Wrong => "[profile dev]\nregion =\n";
    public string Right => "[profile dev]\nregion = us-east-1\n";

    /// <summary>What botocore 1.43 does with an empty value, for the keys where it matters most (verified with botocore).</summary>
    private static readonly Dictionary<string, string> Consequences = new(StringComparer.Ordinal)
    {
        [Keys.RoleArn] = "the key is present, so the assume-role provider still runs and calls AssumeRole with an empty role ARN",
        [Keys.SourceProfile] = "it fails with `The source_profile \"\" referenced in the profile \"NAME\" does not exist.`",
        [Keys.CredentialSource] = "it fails with `The credential source \"\" referenced in profile \"NAME\" is not valid.`",
        [Keys.MfaSerial] = "it prompts `Enter MFA code for : ` and sends an empty serial number to STS",
        [Keys.ExternalId] = "it sends an empty external ID to STS",
        [Keys.DurationSeconds] = "it is not an integer, so botocore silently drops it and the default duration (1 hour) applies",
        [Keys.RoleSessionName] = "botocore generates `botocore-session-<timestamp>` as if the key were absent",
        [Keys.WebIdentityTokenFile] = "botocore treats it as absent, but its presence still turns off the assume-role provider: with `role_arn`, the profile gets no credentials from the files",
        [Keys.CredentialProcess] = "the key is present, so the AWS CLI runs an empty command and fails (`list index out of range`)",
        [Keys.AccessKeyId] = "the key is present, so static credentials are used, with an empty access key ID",
        [Keys.SecretAccessKey] = "static credentials are used with an empty secret key when `aws_access_key_id` is set",
        [Keys.SsoAccountId] = "the key is present, so the SSO provider runs and reports missing configuration",
        [Keys.SsoRoleName] = "the key is present, so the SSO provider runs and reports missing configuration",
        [Keys.SsoSession] = "the profile then gets no SSO credentials",
        ["region"] = "requests go to an invalid endpoint such as `https://sts..amazonaws.com`",
    };

    /// <summary>
    /// Keys where an empty value is fine: an empty session token is not sent (as if absent), and `cli_pager =` is the
    /// documented way to turn the pager off. Keys whose catalog default is empty are fine too.
    /// </summary>
    private static readonly HashSet<string> Harmless = new(StringComparer.Ordinal) { Keys.SessionToken, "cli_pager" };

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (no key to report): this runs for every section.
        var keys = KeyPlacement.In(context, section);
        return keys.Count == 0 ? [] : Empty(keys);
    }

    private IEnumerable<Diagnostic> Empty(IReadOnlyList<KeyOccurrence> keys)
    {
        foreach (var key in keys)
        {
            if (key.IsSubProperty || key.Verdict is not (KeyVerdict.Known or KeyVerdict.WrongSection)) continue;
            // A top-level occurrence is its own line: the property it was judged for.
            var property = key.Property;
            if (property.Value.Length != 0 || property.SubProperties is not null) continue;
            var name = key.Key.ToLowerInvariant();
            if (Harmless.Contains(name) || KeyCatalog.FindAnywhere(name).Any(e => e.Default == "empty")) continue;
            var what = Consequences.TryGetValue(property.Key, out var consequence)
                ? consequence.Replace("NAME", key.Section.EntityName ?? "", StringComparison.Ordinal)
                : "the default does not apply";
            yield return new Diagnostic(Code, DefaultSeverity, property.LineLocation,
                $"`{property.Key}` is set to an empty string, which is not the same as leaving it out: {what}. Give it a value or remove the line.");
        }
    }
}
