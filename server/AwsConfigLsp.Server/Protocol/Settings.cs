using System.Collections.Immutable;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// The settings of "Test this profile": <c>awsconfig.liveLookups</c> (IAM look-ups for completion without an explicit
/// action) and <c>awsconfig.shareCliCache</c> (write assumed-role sessions to ~/.aws/cli/cache). Both off by default.
/// </summary>
public sealed record AwsSettings(bool LiveLookups, bool ShareCliCache)
{
    public static readonly AwsSettings Default = new(false, false);
}

/// <summary>Reads the <c>awsconfig</c> settings section (<c>diagnostics.disabled</c>, <c>diagnostics.severity</c>, <c>liveLookups</c>, <c>shareCliCache</c>).</summary>
public static class Settings
{
    public static AwsSettings ParseAwsSettings(JsonElement section) => new(
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty("liveLookups", out var live) && live.ValueKind == JsonValueKind.True,
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty("shareCliCache", out var share) && share.ValueKind == JsonValueKind.True);

    public static DiagnosticOptions ParseDiagnosticOptions(JsonElement section)
    {
        var options = DiagnosticOptions.Default;
        if (!section.TryGetProperty("diagnostics", out var diagnostics) || diagnostics.ValueKind != JsonValueKind.Object) return options;
        if (diagnostics.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.Array)
        {
            options = options with
            {
                Disabled = [.. disabled.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            };
        }
        if (diagnostics.TryGetProperty("severity", out var severity) && severity.ValueKind == JsonValueKind.Object)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, DiagnosticSeverity>();
            foreach (var property in severity.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && DiagnosticOptions.ParseSeverity(property.Value.GetString()!) is { } level)
                {
                    builder[property.Name] = level;
                }
            }
            options = options with { Severity = builder.ToImmutable() };
        }
        return options;
    }
}
