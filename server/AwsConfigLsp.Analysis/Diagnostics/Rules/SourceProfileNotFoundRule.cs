using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>The source_profile names a profile that exists in neither file.</summary>
public sealed class SourceProfileNotFoundRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileNotFound)
{
    public override string Summary => "The source_profile names a profile that exists in neither file.";

}
