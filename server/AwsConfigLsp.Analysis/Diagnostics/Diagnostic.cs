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

/// <summary>
/// A fix a diagnostic carries: minimal edits (never a whole-file rewrite), possibly in both files. A fix whose
/// <see cref="Edits"/> is empty and <see cref="Command"/> is set runs a server command instead (e.g. chmod 600).
/// </summary>
public sealed record CodeFix(string Title, ImmutableArray<FileEdit> Edits, bool IsPreferred = false)
{
    /// <summary>A command for fixes that are not text edits: the command name and its single string argument.</summary>
    public (string Name, string Argument)? Command { get; init; }
}

/// <summary>A finding in editor terms: file, span, code, severity, message, fixes. Protocol turns it into LSP.</summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, SourceLocation Location, string Message)
{
    public ImmutableArray<RelatedLocation> Related { get; init; } = [];
    public ImmutableArray<CodeFix> Fixes { get; init; } = [];
}

/// <summary>User settings for diagnostics: codes turned off, severities changed (workspace/configuration or check flags).</summary>
public sealed record DiagnosticOptions
{
    public static readonly DiagnosticOptions Default = new();
    public ImmutableHashSet<string> Disabled { get; init; } = [];
    public ImmutableDictionary<string, DiagnosticSeverity> Severity { get; init; } = ImmutableDictionary<string, DiagnosticSeverity>.Empty;

    /// <summary>Parses <c>error</c>, <c>warning</c>, <c>information</c>/<c>info</c>, <c>hint</c>; null for anything else.</summary>
    public static DiagnosticSeverity? ParseSeverity(string text) => text.Trim().ToLowerInvariant() switch
    {
        "error" => DiagnosticSeverity.Error,
        "warning" or "warn" => DiagnosticSeverity.Warning,
        "information" or "info" => DiagnosticSeverity.Information,
        "hint" => DiagnosticSeverity.Hint,
        _ => null,
    };
}

/// <summary>Facts about the files that are not in their text, given by the caller (the model reads no disk).</summary>
public sealed record FileFacts
{
    public static readonly FileFacts None = new();
    /// <summary>The credentials file's POSIX permissions, when it exists on a POSIX file system.</summary>
    public UnixFileMode? CredentialsFileMode { get; init; }
    /// <summary>
    /// What "Test this profile" found (the server holds these): role profiles STS refused with AccessDenied while they
    /// send no MFA code. Feeds <c>mfa-probably-required</c>.
    /// </summary>
    public ImmutableArray<MfaTestOutcome> MfaOutcomes { get; init; } = [];
}

/// <summary>
/// A test of <see cref="Profile"/> got AccessDenied on AssumeRole <see cref="RoleArn"/> without an MFA code.
/// <see cref="ProfileText"/> is the profile's text when it was tested (<see cref="MfaTestOutcome.TextOf"/>): a change to
/// the profile makes the outcome stale. <see cref="CandidateSerials"/> are the MFA device ARNs to offer, best first.
/// </summary>
public sealed record MfaTestOutcome(string Profile, string RoleArn, string ProfileText, ImmutableArray<string> CandidateSerials, string? CallerArn)
{
    /// <summary>The text of every section of a profile (config, then credentials), for staleness checks.</summary>
    public static string TextOf(Profile profile) => string.Concat(profile.Sections.Select(section => section.Syntax.Text + "\u0000"));
}

/// <summary>What every rule gets: the model and every profile's best-effort resolution, computed once.</summary>
public sealed class AnalysisContext
{
    public AnalysisContext(ProfileModel model, FileFacts? facts = null)
    {
        Model = model;
        Facts = facts ?? FileFacts.None;
        Resolutions = [.. model.Profiles.Keys.Select(name => CredentialResolver.Resolve(model, name, ignoreFileProblems: true))];
    }

    public ProfileModel Model { get; }

    public FileFacts Facts { get; }

    /// <summary>
    /// The role profiles (botocore's AssumeRoleProvider handles them) by the <c>source_profile</c> they name, in model
    /// order: built once so that rules about siblings and sources stay linear on configs of many thousand profiles.
    /// </summary>
    public ILookup<string, Profile> RolesBySource => rolesBySource ??= Model.Profiles.Values
        .Where(profile => profile.Has(Keys.RoleArn) && !profile.Has(Keys.WebIdentityTokenFile) && profile.Get(Keys.SourceProfile) is not null)
        .ToLookup(profile => profile.Get(Keys.SourceProfile)!.Value, StringComparer.Ordinal);

    private ILookup<string, Profile>? rolesBySource;

    /// <summary>One resolution per profile, computed as if both files were readable, so chain errors show while a file has a syntax error.</summary>
    public ImmutableArray<Resolution> Resolutions { get; }
}

/// <summary>
/// A diagnostic rule: one class per code, in <c>Rules/</c>. <see cref="Wrong"/> and <see cref="Right"/> are the
/// examples docs/rules.md shows (a test keeps the document in sync); the docs anchor is the code.
/// </summary>
public interface IDiagnosticRule
{
    string Code { get; }
    DiagnosticSeverity DefaultSeverity { get; }
    /// <summary>One line for docs/rules.md and hovers.</summary>
    string Summary { get; }
    /// <summary>A minimal config (or credentials, see <see cref="ExampleFile"/>) that triggers the rule.</summary>
    string Wrong { get; }
    /// <summary>The same example fixed.</summary>
    string Right { get; }
    ConfigFileKind ExampleFile => ConfigFileKind.Config;
    IEnumerable<Diagnostic> Analyze(AnalysisContext context);
    /// <summary>Facts that are not in the text (the credentials file's mode) under which <see cref="Wrong"/> triggers the rule.</summary>
    FileFacts WrongFacts => FileFacts.None;
    /// <summary>Facts under which <see cref="Right"/> does not.</summary>
    FileFacts RightFacts => FileFacts.None;
}
