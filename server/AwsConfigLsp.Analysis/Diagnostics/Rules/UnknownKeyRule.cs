using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A key no AWS tool reads, in a profile, an sso-session, a services section, or a nested block (<c>s3 =</c>,
/// <c>api_versions =</c>, a service block of <c>[services]</c>). Keys of known third-party tools (aws-vault, Granted,
/// saml2aws...) are information and name the tool. Near misses get one fix per did-you-mean candidate (edit distance,
/// environment-variable spellings such as <c>AWS_REGION</c>, known confusions), the best one preferred when it is
/// unambiguous. Keys known elsewhere are key-in-wrong-section instead.
/// </summary>
public sealed class UnknownKeyRule : ISectionRule
{
    public string Code => DiagnosticCodes.UnknownKey;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "No AWS tool reads this key; the AWS CLI ignores it (a typo, or a key of another tool).";
    public string Wrong => "[profile dev]\nregoin = us-east-1\n";
    public string Right => "[profile dev]\nregion = us-east-1\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (every key known): this runs for every section.
        var keys = KeyPlacement.In(context, section);
        return KeyPlacement.Any(keys, KeyVerdict.ThirdParty, KeyVerdict.Unknown) ? Unknowns(keys) : [];
    }

    private IEnumerable<Diagnostic> Unknowns(IReadOnlyList<KeyOccurrence> keys)
    {
        foreach (var key in keys)
        {
            var location = new SourceLocation(key.File, key.Span);
            if (key.Verdict == KeyVerdict.ThirdParty)
            {
                var tool = key.ThirdParty!;
                yield return new Diagnostic(Code, DiagnosticSeverity.Information, location,
                    $"`{key.Key}` is read by {tool.Tool}, not by the AWS CLI or SDKs: {tool.Description}");
                continue;
            }
            if (key.Verdict != KeyVerdict.Unknown) continue;
            yield return Unknown(key, location);
        }
    }

    // Apart from the loop: its lambdas capture the key, and a capture in the loop's body costs a closure per key judged
    // (every key of every section, ~200k at 50k profiles), not per unknown key.
    private Diagnostic Unknown(KeyOccurrence key, SourceLocation location)
    {
        {
            var suggestions = Suggestions(key);
            var fixable = suggestions.Where(s => s.Key is not null && IsFixKind(s.Kind) && CanRenameTo(key, s.Key)).ToList();
            var message = $"No AWS tool reads `{key.Key}` in {key.Where}; the AWS CLI ignores it.";
            var advice = suggestions.FirstOrDefault(s => s.Kind == SuggestionKind.Hint) ?? fixable.FirstOrDefault() ?? suggestions.FirstOrDefault();
            if (advice is not null) message += " " + advice.Message;
            else if (key is { IsSubProperty: false, Context.Section: SectionKind.Profile or SectionKind.Credentials, Property.SubProperties: { } block } && block.ContainsKey("endpoint_url"))
            {
                message += " Endpoint blocks are read only in a `[services NAME]` section (with the service identifier, e.g. `s3` for s3api), or by the awscli-plugin-endpoint plugin loaded in `[plugins]`.";
            }
            var preferred = fixable.Count == 1 || fixable.Count > 1 && Order(fixable[0]).CompareTo(Order(fixable[1])) < 0;
            return new Diagnostic(Code, DefaultSeverity, location, message)
            {
                Fixes = [.. fixable.Select((s, i) => new CodeFix($"Change to `{s.Key}`", [new FileEdit(location, s.Key!)], IsPreferred: i == 0 && preferred))],
            };
        }
    }

    private static IReadOnlyList<Suggestion> Suggestions(KeyOccurrence key)
    {
        // In the credentials file botocore reads every profile key, so suggest what a profile may hold.
        var context = key.InCredentialsFile && !key.IsSubProperty ? SectionContext.Profile : key.Context;
        return KeyCatalog.Suggest(key.Key, context);
    }

    private static bool IsFixKind(SuggestionKind kind) =>
        kind is SuggestionKind.CaseMismatch or SuggestionKind.EnvironmentVariable or SuggestionKind.Alias or SuggestionKind.Spelling;

    /// <summary>Renaming must not create a duplicate key (the file would no longer parse), nor a key that does nothing there.</summary>
    private static bool CanRenameTo(KeyOccurrence key, string target)
    {
        if (key.Siblings.Contains(key.IsSubProperty ? target : target.ToLowerInvariant())) return false;
        return key.InCredentialsFile && !key.IsSubProperty
            ? KeyCatalog.FindAnywhere(target).Any(e => e.CredentialsFile != CredentialsFileSupport.NotRead)
            : KeyCatalog.Find(target, key.Context) is { IsGeneric: false };
    }

    /// <summary>The catalog's ranking: kind first, then distance.</summary>
    private static (int, int) Order(Suggestion suggestion) => (suggestion.Kind switch
    {
        SuggestionKind.CaseMismatch => 1,
        SuggestionKind.EnvironmentVariable => 2,
        SuggestionKind.Alias => 3,
        _ => 4,
    }, suggestion.Distance);
}
