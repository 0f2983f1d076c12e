using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>aws_access_key_id without aws_secret_access_key in the same file.</summary>
public sealed class PartialStaticCredentialsRule() : ResolutionErrorRule(ResolutionErrorKind.PartialStaticCredentials)
{
    public override string Wrong => "[profile ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";
    public override string Right => "[profile ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    public override string Summary => "aws_access_key_id without aws_secret_access_key in the same file.";

}
