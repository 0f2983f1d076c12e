using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>Runs every rule over a model: syntax (file) problems first, then chain errors. A failing rule becomes one diagnostic.</summary>
public static class DiagnosticEngine
{
    public static readonly IReadOnlyList<IDiagnosticRule> Rules =
    [
        new UnparsableFileRule(),
        new DuplicateSectionRule(),
        new DuplicateKeyRule(),
        new ProfilePrefixInCredentialsRule(),
        new MissingProfilePrefixRule(),
        new DroppedSectionRule(),
        new DefaultProfileShadowedRule(),
        new UnknownKeyRule(),
        new KeyInWrongSectionRule(),
        new InlineCommentInValueRule(),
        new EmptyValueRule(),
        new SecretInConfigFileRule(),
        new SourceProfileLoopRule(),
        new SourceProfileNotFoundRule(),
        new ConflictingCredentialSourcesRule(),
        new InvalidCredentialSourceRule(),
        new RoleWithoutSourceRule(),
        new SourceProfileWithoutCredentialsRule(),
        new PartialStaticCredentialsRule(),
        new IncompleteSsoRule(),
        new WebIdentityWithoutRoleArnRule(),
        new InvalidRoleArnRule(),
        new InvalidMfaSerialRule(),
        new InvalidRegionRule(),
        new InvalidOutputRule(),
        new InvalidDurationSecondsRule(),
        new MfaSerialIgnoredRule(),
        new MissingMfaSerialRule(),
        new SsoSessionNotFoundRule(),
        new UnusedSsoSessionRule(),
        new SourceProfileChainTooDeepRule(),
        new CredentialsFilePermissionsRule(),
        new MfaProbablyRequiredRule(),
    ];

    /// <summary>
    /// All diagnostics of both files, each (code, place) once, sorted by file and position; codes the options disable
    /// or a <c># awsconfig-disable-next-line CODE</c> comment silences are left out, severities as the options say.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Analyze(
        ProfileModel model, DiagnosticOptions? options = null, CancellationToken cancellationToken = default, FileFacts? facts = null)
    {
        options ??= DiagnosticOptions.Default;
        var suppressions = Suppressions.Find(model);
        var context = new AnalysisContext(model, facts);
        var seen = new HashSet<(string, SourceLocation)>();
        var diagnostics = new List<Diagnostic>();
        foreach (var rule in Rules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (options.Disabled.Contains(rule.Code)) continue;
                foreach (var found in rule.Analyze(context))
                {
                    if (!seen.Add((found.Code, found.Location))) continue;
                    if (suppressions.Silences(model, found)) continue;
                    var diagnostic = options.Severity.TryGetValue(found.Code, out var severity) ? found with { Severity = severity } : found;
                    diagnostics.Add(diagnostic);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.InternalError, DiagnosticSeverity.Warning,
                    new SourceLocation(ConfigFileKind.Config, new Syntax.TextSpan(0, 0)),
                    $"The check '{rule.Code}' failed and was skipped: {exception.GetType().Name}. Please report this."));
            }
        }
        diagnostics.Sort((a, b) => a.Location.File != b.Location.File
            ? a.Location.File.CompareTo(b.Location.File)
            : a.Location.Span.Start.CompareTo(b.Location.Span.Start));
        return diagnostics;
    }
}
