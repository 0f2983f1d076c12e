using System.Text.Json.Serialization;

namespace AwsConfigLsp.Server.Cli;

public sealed record ResolveOutput(List<ResolvedProfileOutput> Profiles);

public sealed record ResolvedProfileOutput(
    string Profile,
    List<ChainHopOutput> Chain,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ErrorOutput? Error);

public sealed record ChainHopOutput(string Profile, string Kind)
{
    public string? File { get; init; }
    public string? RoleArn { get; init; }
    public string? MfaSerial { get; init; }
    public string? ExternalId { get; init; }
    public long? DurationSeconds { get; init; }
    public string? RoleSessionName { get; init; }
    public string? CredentialSource { get; init; }
    public string? CredentialProcess { get; init; }
    public string? SsoSession { get; init; }
    public string? SsoStartUrl { get; init; }
    public string? SsoRegion { get; init; }
    public string? SsoAccountId { get; init; }
    public string? SsoRoleName { get; init; }
    public string? WebIdentityTokenFile { get; init; }
}

public sealed record ErrorOutput(string Code, string Message);

public sealed record CheckOutput(List<CheckFileOutput> Files, List<CheckDiagnosticOutput> Diagnostics);

public sealed record CheckFileOutput(string Path, string Kind, bool Exists, bool Unreadable);

public sealed record CheckDiagnosticOutput(
    string File, string Kind, int Line, int Column, int EndLine, int EndColumn, string Severity, string Code, string Message,
    List<CheckRelatedOutput> Related);

public sealed record CheckRelatedOutput(string File, int Line, int Column, string Message);

// SARIF 2.1.0, the subset code-scanning tools read.
public sealed record SarifLog(
    [property: JsonPropertyName("$schema")] string Schema, string Version, List<SarifRun> Runs);

public sealed record SarifRun(SarifTool Tool, List<SarifResult> Results);

public sealed record SarifTool(SarifDriver Driver);

public sealed record SarifDriver(string Name, string InformationUri, List<SarifRule> Rules);

public sealed record SarifRule(string Id, SarifMessage ShortDescription);

public sealed record SarifMessage(string Text);

public sealed record SarifResult(string RuleId, string Level, SarifMessage Message, List<SarifLocation> Locations);

public sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);

public sealed record SarifPhysicalLocation(SarifArtifactLocation ArtifactLocation, SarifRegion Region);

public sealed record SarifArtifactLocation(string Uri);

public sealed record SarifRegion(int StartLine, int StartColumn, int EndLine, int EndColumn);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ResolveOutput))]
[JsonSerializable(typeof(CheckOutput))]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
