using System.Text.Json.Nodes;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// Asks the installed botocore (through <c>tests/tools/botocore_resolve.py</c>, offline) which chain the AWS CLI builds
/// for each profile of two file texts. Fails, never skips, when python3 or botocore is missing.
/// </summary>
internal static class BotocoreChains
{
    /// <summary>botocore_resolve.py's JSON for the two texts.</summary>
    public static Task<JsonNode> ResolveAsync(string config, string credentials) => OracleFiles.Resolve(config, credentials);

    /// <summary>The chain botocore builds for <paramref name="profile"/> (base first); fails the test when botocore raised an error.</summary>
    public static JsonArray Chain(JsonNode result, string profile)
    {
        var entry = result["profiles"]!.AsArray().FirstOrDefault(p => p!["profile"]!.GetValue<string>() == profile)
            ?? throw new InvalidOperationException($"botocore did not resolve profile {profile}: {result.ToJsonString()}");
        if (entry["error"] is JsonObject error) throw new InvalidOperationException($"botocore failed for {profile}: {error.ToJsonString()}");
        return entry["chain"]!.AsArray();
    }

    /// <summary>The <c>SerialNumber</c> botocore sends when it assumes <paramref name="profile"/>'s own role.</summary>
    public static string? MfaSerialOf(JsonNode result, string profile)
    {
        var hop = Chain(result, profile).Last(h => h!["profile"]!.GetValue<string>() == profile && h["kind"]!.GetValue<string>() == "assume-role");
        return hop!["mfaSerial"]?.GetValue<string>();
    }
}
