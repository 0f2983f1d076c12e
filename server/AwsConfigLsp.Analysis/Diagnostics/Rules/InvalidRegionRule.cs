using System.Text.RegularExpressions;
using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>region</c> or <c>sso_region</c> names no AWS Region, with did-you-mean fixes. The CLI builds endpoint host names
/// from the value, so requests go nowhere. A value that is not even a host label (<c>us east 1</c>, <c>us_east_1</c>)
/// is reported as an error: botocore refuses it before any request (<c>InvalidRegionError</c>).
/// </summary>
public sealed partial class InvalidRegionRule : ISectionRule
{
    private const int MaxSuggestions = 3;

    public string Code => DiagnosticCodes.InvalidRegion;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "region or sso_region is not a known AWS Region, so requests go to endpoints that do not exist (an error when botocore rejects the name outright).";
    public string Wrong => "[default]\nregion = us-est-1\n";
    public string Right => "[default]\nregion = us-east-1\n";

    /// <summary>botocore <c>utils.validate_region_name</c>: the name must be a valid host label.</summary>
    [GeneratedRegex("^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{0,63}(?<!-)$")]
    private static partial Regex HostLabel();

    /// <summary><see cref="Regions.Suggest"/>, keeping only the closest ones (<c>us-est-1</c>: us-east-1, not us-west-1).</summary>
    private static IEnumerable<Region> Closest(string value)
    {
        var text = value.Trim().ToLowerInvariant().Replace('_', '-');
        var suggestions = Regions.Suggest(value).Select(region => (Region: region, Distance: EditDistance.Compute(text, region.Code))).ToList();
        return suggestions.Where(s => s.Distance == suggestions.Min(other => other.Distance)).Select(s => s.Region);
    }

    // A whole-model run reports every region line, then every sso_region line (the engine sorts by place).
    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator nor array for the common section (known Regions): this runs for every section.
        var region = RuleSupport.LineIn(section, "region");
        var ssoRegion = RuleSupport.LineIn(section, Keys.SsoRegion, inSsoSessions: true);
        return IsInvalid(region) || IsInvalid(ssoRegion) ? Invalid(region, ssoRegion) : [];
    }

    private static bool IsInvalid(PropertyEntry? property) => property is { Value: { Length: > 0 } value } && Regions.Find(value) is null;

    private IEnumerable<Diagnostic> Invalid(PropertyEntry? region, PropertyEntry? ssoRegion)
    {
        var properties = new[] { region, ssoRegion };
        foreach (var property in properties.OfType<PropertyEntry>())
        {
            var value = property.Value;
            if (!IsInvalid(property)) continue;
            var suggestions = Closest(value).Take(MaxSuggestions).ToList();
            var malformed = !HostLabel().IsMatch(value);
            var message = malformed
                ? $"`{value}` is not a Region code: the AWS CLI fails with \"Provided region_name '{value}' doesn't match a supported format.\""
                : $"`{value}` is not a known AWS Region: the AWS CLI builds endpoint names from it (such as `sts.{value}.amazonaws.com`), so its requests fail."
                  + (suggestions.Count == 0 && Regions.IsWellFormed(value) ? " If it is a Region newer than this tool, ignore this." : "");
            if (suggestions.Count > 0)
            {
                message += $" Did you mean {string.Join(" or ", suggestions.Select(r => $"`{r.Code}`"))}?";
            }
            yield return new Diagnostic(Code, malformed ? DiagnosticSeverity.Error : DefaultSeverity, property.ValueOrLineLocation, message)
            {
                Fixes = [.. suggestions.Select(region => new CodeFix(
                    $"Change to {region.Code} ({region.DisplayName})",
                    [RuleSupport.ReplaceValue(property, region.Code)],
                    IsPreferred: suggestions.Count == 1))],
            };
        }
    }
}
