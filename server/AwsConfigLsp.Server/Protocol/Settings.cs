using System.Collections.Immutable;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>Reads the <c>awsconfig</c> settings section (<c>diagnostics.disabled</c>, <c>diagnostics.severity</c>).</summary>
public static class Settings
{
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
