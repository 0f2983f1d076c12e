using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// source_profile references form a cycle the CLI refuses. Reported on every source_profile line of the cycle, each
/// pointing at the others. A profile with static keys ends a chain that reaches it, so a cycle through it is no loop.
/// </summary>
public sealed class SourceProfileLoopRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileLoop)
{
    public override string Summary => "source_profile references form a loop.";

    public override IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var resolution in context.Resolutions)
        {
            if (resolution.Error is not { Kind: ResolutionErrorKind.SourceProfileLoop } error) continue;
            foreach (var location in error.CycleLocations)
            {
                yield return new Diagnostic(Code, DefaultSeverity, location, $"{Summary} The AWS CLI fails with: {error.Message}")
                {
                    Related = [.. error.CycleLocations.Where(other => other != location)
                        .Select(other => new RelatedLocation(other, "another source_profile of the loop"))],
                };
            }
        }
    }
}
