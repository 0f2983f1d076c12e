using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

public enum DiagnosticSeverity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

/// <summary>Another place that explains a diagnostic (LSP's relatedInformation).</summary>
public sealed record RelatedLocation(SourceLocation Location, string Message);

/// <summary>A finding in editor terms: file, span, code, severity, message. Protocol turns it into LSP.</summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, SourceLocation Location, string Message)
{
    public ImmutableArray<RelatedLocation> Related { get; init; } = [];
}

/// <summary>What every rule gets: the model and every profile's best-effort resolution, computed once.</summary>
public sealed class AnalysisContext
{
    public AnalysisContext(ProfileModel model)
    {
        Model = model;
        Resolutions = [.. model.Profiles.Keys.Select(name => CredentialResolver.Resolve(model, name, ignoreFileProblems: true))];
    }

    public ProfileModel Model { get; }

    /// <summary>One resolution per profile, computed as if both files were readable, so chain errors show while a file has a syntax error.</summary>
    public ImmutableArray<Resolution> Resolutions { get; }
}

/// <summary>A diagnostic rule: one class per code, in <c>Rules/</c>.</summary>
public interface IDiagnosticRule
{
    string Code { get; }
    DiagnosticSeverity DefaultSeverity { get; }
    /// <summary>One line for docs/rules.md and hovers.</summary>
    string Summary { get; }
    IEnumerable<Diagnostic> Analyze(AnalysisContext context);
}
