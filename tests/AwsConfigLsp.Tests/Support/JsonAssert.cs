using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// Compares JSON against an expected shape and reports the first place that differs, with its path
/// (after rust-analyzer's <c>find_mismatch</c> in <c>tests/slow-tests/support.rs</c>).
/// In <see cref="Subset"/> every expected property must be present and equal, extra actual properties are allowed;
/// arrays must have the same length. The string <c>"&lt;any&gt;"</c> matches any value.
/// <see cref="Exact"/> also rejects properties the expectation does not name.
/// </summary>
public static class JsonAssert
{
    public const string Any = "<any>";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Subset(string expectedJson, JsonElement actual) => Check(expectedJson, actual, exact: false);

    public static void Exact(string expectedJson, JsonElement actual) => Check(expectedJson, actual, exact: true);

    public static void Subset(string expectedJson, string actualJson) => Subset(expectedJson, Parse(actualJson));

    public static void Exact(string expectedJson, string actualJson) => Exact(expectedJson, Parse(actualJson));

    /// <summary>The first mismatch as <c>$.a[1].b: expected X, got Y</c>, or null when <paramref name="actual"/> matches.</summary>
    public static string? FindMismatch(JsonElement expected, JsonElement actual, bool exact, string path = "$")
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == Any) return null;
        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
        {
            return $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var actualValue))
                    {
                        return $"{path}: missing property \"{property.Name}\" (expected {Show(property.Value)})";
                    }
                    if (FindMismatch(property.Value, actualValue, exact, $"{path}.{property.Name}") is { } mismatch) return mismatch;
                }
                if (exact)
                {
                    foreach (var property in actual.EnumerateObject())
                    {
                        if (!expected.TryGetProperty(property.Name, out _)) return $"{path}: unexpected property \"{property.Name}\": {Show(property.Value)}";
                    }
                }
                return null;
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                for (var i = 0; i < Math.Min(expectedItems.Count, actualItems.Count); i++)
                {
                    if (FindMismatch(expectedItems[i], actualItems[i], exact, $"{path}[{i}]") is { } mismatch) return mismatch;
                }
                return expectedItems.Count == actualItems.Count
                    ? null
                    : $"{path}: expected {expectedItems.Count} items, got {actualItems.Count}: {Show(actual)}";
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case JsonValueKind.True:
            case JsonValueKind.False:
                return expected.ValueKind == actual.ValueKind ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            default:
                return null;
        }
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.Clone();
    }

    public static string Pretty(JsonElement element) => JsonSerializer.Serialize(element, Indented);

    private static void Check(string expectedJson, JsonElement actual, bool exact)
    {
        if (FindMismatch(Parse(expectedJson), actual, exact) is { } mismatch)
        {
            throw new XunitException($"JSON mismatch at {mismatch}\nActual:\n{Pretty(actual)}");
        }
    }

    private static bool IsBool(JsonElement element) => element.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Show(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
