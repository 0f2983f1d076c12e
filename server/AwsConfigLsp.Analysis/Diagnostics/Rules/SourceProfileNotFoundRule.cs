using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>The source_profile names a profile that exists in neither file.</summary>
public sealed class SourceProfileNotFoundRule() : ResolutionErrorRule(ResolutionErrorKind.SourceProfileNotFound)
{
    public override string Wrong => "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = mian\n";
    public override string Right => "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = main\n\n[profile main]\ncredential_process = /usr/local/bin/get-creds\n";
    public override string Summary => "The source_profile names a profile that exists in neither file.";

}
