using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>role_arn</c> is not the ARN of an IAM role (<c>arn:PARTITION:iam::ACCOUNT:role/NAME</c>): an assumed-role session
/// ARN copied from <c>aws sts get-caller-identity</c>, a user ARN, a missing account ID... The CLI sends it as it is and
/// STS refuses the call. The message is <see cref="RoleArn.TryParse(string?, out RoleArn?, out string?)"/>'s.
/// </summary>
public sealed class InvalidRoleArnRule : ISectionRule
{
    public string Code => DiagnosticCodes.InvalidRoleArn;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "role_arn is not the ARN of an IAM role (an assumed-role session ARN, a user ARN, a missing account ID...); STS refuses to assume it.";
    public string Wrong => "[profile dev]\nrole_arn = arn:aws:sts::111111111111:assumed-role/Dev/alice\ncredential_source = Ec2InstanceMetadata\n";
    public string Right => "[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\ncredential_source = Ec2InstanceMetadata\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator: this runs for every section.
        if (RuleSupport.LineIn(section, Keys.RoleArn) is not { } property || RoleArn.IsValid(property.Value) || RoleArn.TryParse(property.Value, out _, out var error)) return [];
        return [new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation, $"{error} The AWS CLI sends it as it is, and STS refuses to assume it.")];
    }
}
