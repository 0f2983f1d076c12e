using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// source_profile references form a cycle the CLI refuses. Reported on every source_profile line of the cycle, each
/// pointing at the others. A profile with static keys ends a chain that reaches it, so a cycle through it is no loop.
/// </summary>
public sealed class SourceProfileLoopRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileLoop)
{
    public override string Summary => "source_profile references form a loop.";
    public override string Wrong => "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n";
    public override string Right => "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = default\n";

    public override IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile)
    {
        return context.CheckOf(profile).Error is { Kind: ResolutionErrorKind.SourceProfileLoop } error
            ? Loop(new Resolution(profile.Name, [], error), error)
            : [];
    }

    private IEnumerable<Diagnostic> Loop(Resolution resolution, ResolutionError error)
    {
        {
            foreach (var location in error.CycleLocations)
            {
                yield return new Diagnostic(Code, DefaultSeverity, location,
                    $"source_profile references form a loop; `aws --profile {resolution.Profile}` fails with: {error.Message}")
                {
                    Related = [.. error.CycleLocations.Where(other => other != location)
                        .Select(other => new RelatedLocation(other, "another source_profile of the loop"))],
                };
            }
        }
    }
}
