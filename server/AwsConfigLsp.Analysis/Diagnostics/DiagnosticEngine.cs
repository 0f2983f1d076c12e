using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>Runs every rule over a model: syntax (file) problems first, then chain errors. A failing rule becomes one diagnostic.</summary>
public static class DiagnosticEngine
{
    public static readonly IReadOnlyList<IDiagnosticRule> Rules =
    [
        new UnparsableFileRule(),
        new SourceProfileLoopRule(),
        new SourceProfileNotFoundRule(),
        new ConflictingCredentialSourcesRule(),
        new InvalidCredentialSourceRule(),
        new RoleWithoutSourceRule(),
        new SourceProfileWithoutCredentialsRule(),
        new PartialStaticCredentialsRule(),
        new IncompleteSsoRule(),
        new WebIdentityWithoutRoleArnRule(),
    ];

    /// <summary>All diagnostics of both files, each (code, place) once, sorted by file and position.</summary>
    public static IReadOnlyList<Diagnostic> Analyze(ProfileModel model, CancellationToken cancellationToken = default)
    {
        var context = new AnalysisContext(model);
        var seen = new HashSet<(string, SourceLocation)>();
        var diagnostics = new List<Diagnostic>();
        foreach (var rule in Rules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                foreach (var diagnostic in rule.Analyze(context))
                {
                    if (seen.Add((diagnostic.Code, diagnostic.Location))) diagnostics.Add(diagnostic);
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
