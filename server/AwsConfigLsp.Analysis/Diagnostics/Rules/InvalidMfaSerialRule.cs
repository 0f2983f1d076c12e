using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>mfa_serial</c> is neither an IAM MFA device ARN (<c>arn:aws:iam::ACCOUNT:mfa/NAME</c> or <c>u2f/...</c>) nor a
/// hardware token's serial number. The CLI prompts for a code anyway and passes the value as <c>SerialNumber</c>;
/// STS refuses it. A user ARN (<c>:user/alice</c>) is the usual mistake.
/// </summary>
public sealed class InvalidMfaSerialRule : ISectionRule
{
    public string Code => DiagnosticCodes.InvalidMfaSerial;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "mfa_serial is neither an IAM MFA device ARN (mfa/ or u2f/) nor a hardware serial number; STS refuses the AssumeRole call.";
    public string Wrong => "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ncredential_source = Ec2InstanceMetadata\nmfa_serial = arn:aws:iam::111111111111:user/alice\n";
    public string Right => "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ncredential_source = Ec2InstanceMetadata\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator: this runs for every section.
        if (RuleSupport.LineIn(section, Keys.MfaSerial) is not { } property || MfaSerial.IsValid(property.Value) || MfaSerial.TryParse(property.Value, out _, out var error)) return [];
        return [new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation, $"{error} The AWS CLI prompts for the MFA code, then STS refuses the serial number.")];
    }
}
