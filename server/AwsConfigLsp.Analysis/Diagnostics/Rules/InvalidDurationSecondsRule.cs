using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>duration_seconds</c> the CLI cannot use. Not an integer (Python's <c>int()</c>): botocore silently drops it and
/// STS gives the default hour. Outside 900-43200: STS refuses the AssumeRole call. Above 3600 on a hop reached by role
/// chaining (its source credentials are themselves a role session: an AssumeRole hop, IAM Identity Center role
/// credentials, web identity, or the EC2 / ECS role of <c>credential_source</c>): STS refuses, role chaining caps
/// sessions at one hour.
/// </summary>
public sealed class InvalidDurationSecondsRule : ISectionRule
{
    public const int Minimum = 900;
    public const int Maximum = 43200;
    public const int RoleChainingMaximum = 3600;

    public string Code => DiagnosticCodes.InvalidDurationSeconds;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "duration_seconds is not an integer (the CLI silently ignores it), is outside 900-43200, or is above 3600 on a chained role (STS refuses).";
    public string Wrong => "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ncredential_source = Environment\nduration_seconds = 12h\n";
    public string Right => "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ncredential_source = Environment\nduration_seconds = 43200\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    // A profile's line also depends on the profile's chain: the engine re-runs section rules for the sections of every
    // profile whose chain an edit changes ([DEFAULT]'s lines on any such change).
    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for a section without duration_seconds: this runs for every section.
        return RuleSupport.LineIn(section, Keys.DurationSeconds) is { } property ? Check(context, property) : [];
    }

    private IEnumerable<Diagnostic> Check(AnalysisContext context, PropertyEntry property)
    {
        {
            var value = property.Value;
            var seconds = PythonCompat.ParseInt(value);
            if (seconds is null && !IsHugeInteger(value))
            {
                yield return new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation,
                    $"duration_seconds `{value}` is not an integer: the AWS CLI silently ignores it, and STS gives the default session of one hour.");
            }
            else if (seconds is null || seconds < Minimum || seconds > Maximum)
            {
                yield return new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation,
                    $"duration_seconds {value} is outside {Minimum}-{Maximum} seconds (15 minutes to 12 hours): STS will refuse the AssumeRole call.");
            }
            else if (seconds > RoleChainingMaximum && Chained(context, property) is { } source)
            {
                // Written when it is read: ~3k of these (~300 characters each) in a generated 50k-profile file.
                yield return new Diagnostic(Code, DefaultSeverity, property.ValueOrLineLocation, new JoinedMessage(
                    "duration_seconds ", seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), AboveChainingMaximum,
                    source.Description, ChainingCaps))
                {
                    Related = source.Location is { } location ? [new RelatedLocation(location, "the source credentials are a role session")] : [],
                };
            }
        }
    }

    private static readonly string AboveChainingMaximum = $" is above {RoleChainingMaximum}, but this role is assumed with ";
    private const string ChainingCaps = " (role chaining), and role chaining caps sessions at one hour: STS refuses the AssumeRole call "
        + "(\"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining\").";

    /// <summary>Digits Python reads as an integer, too large for <see cref="PythonCompat.ParseInt"/>: STS refuses them, botocore keeps them.</summary>
    private static bool IsHugeInteger(string value)
    {
        var text = value.Trim().TrimStart('+', '-').Replace("_", "", StringComparison.Ordinal);
        return text.Length > 9 && text.All(char.IsDigit);
    }

    /// <summary>
    /// What the source of the AssumeRole hop that uses this duration_seconds line is, when it is a role session. A line
    /// of a profile is used by that profile's hop, whose source is the same in every chain that goes through it: the
    /// profile's own resolution tells. A [DEFAULT] line is used by every profile: all chains are looked at.
    /// </summary>
    private static (string Description, SourceLocation? Location)? Chained(AnalysisContext context, PropertyEntry property)
    {
        if (property.Section.Role != SectionRole.Profile || property.Section.EntityName is not { } name)
        {
            context.ChainedDurations ??= ChainedDurations(context);
            return context.ChainedDurations.TryGetValue(property, out var found) ? found : null;
        }
        if (context.Model.GetProfile(name)?.Get(Keys.DurationSeconds) != property) return null;
        // The profile's own link is the chain's last (a profile met again further down is a loop, an error), and its
        // source the link before: only those two are made (~5k such lines at 50k profiles, each chain walked whole).
        var resolution = CredentialResolver.ResolveLast(context.Model, name, hops: 2, ignoreFileProblems: true);
        if (!resolution.Succeeded || resolution.Chain is not [.., var source, var own]) return null;
        if (own.Profile != name || own.Kind != CredentialKind.AssumeRole || own.DurationSeconds is not > RoleChainingMaximum) return null;
        return DescribeRoleSession(source) is { } description ? (description, source.Location) : null;
    }

    /// <summary>The duration_seconds line each chained AssumeRole hop uses, with what its source is.</summary>
    private static Dictionary<PropertyEntry, (string Description, SourceLocation? Location)> ChainedDurations(AnalysisContext context)
    {
        var result = new Dictionary<PropertyEntry, (string, SourceLocation?)>();
        foreach (var resolution in context.Resolutions)
        {
            if (!resolution.Succeeded) continue;
            var chain = resolution.Chain;
            for (var i = 1; i < chain.Length; i++)
            {
                var hop = chain[i];
                if (hop.Kind != CredentialKind.AssumeRole || hop.DurationSeconds is not > RoleChainingMaximum) continue;
                if (DescribeRoleSession(chain[i - 1]) is not { } description) continue;
                if (context.Model.GetProfile(hop.Profile)?.Get(Keys.DurationSeconds) is not { } property) continue;
                result.TryAdd(property, (description, chain[i - 1].Location));
            }
        }
        return result;
    }

    /// <summary>Words for source credentials that are a role session, or null when they may not be (keys, a process, the environment).</summary>
    private static string? DescribeRoleSession(ChainHop source) => source.Kind switch
    {
        CredentialKind.AssumeRole => $"the credentials of the role of profile `{source.Profile}`",
        CredentialKind.Sso => $"IAM Identity Center role credentials (profile `{source.Profile}`)",
        CredentialKind.WebIdentity => $"web identity role credentials (profile `{source.Profile}`)",
        CredentialKind.CredentialSource when source.CredentialSource == "Ec2InstanceMetadata" => "the EC2 instance profile's role credentials",
        CredentialKind.CredentialSource when source.CredentialSource == "EcsContainer" => "the ECS task role's credentials",
        _ => null,
    };
}
