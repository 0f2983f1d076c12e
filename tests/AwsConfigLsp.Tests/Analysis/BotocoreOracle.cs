using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// Runs <c>tests/tools/botocore_resolve.py</c> (the installed botocore, offline) on a config and credentials text, so
/// a fix's test can prove that the CLI then does what the diagnostic promised. Fails, never skips, when python3 or
/// botocore is missing.
/// </summary>
public static class BotocoreOracle
{
    /// <summary>What botocore says about two files: the file-level error and, per profile, the chain or the error.</summary>
    public sealed class Result(JsonElement root)
    {
        public JsonElement Root { get; } = root;

        /// <summary>Null when botocore reads both files; else its message.</summary>
        public string? FileError => Root.GetProperty("fileError") is { ValueKind: JsonValueKind.Object } error ? error.GetProperty("message").GetString() : null;

        /// <summary><c>Session.available_profiles</c>, in botocore's order.</summary>
        public IReadOnlyList<string> Profiles => [.. Root.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("profile").GetString()!)];

        public JsonElement Profile(string name)
        {
            foreach (var profile in Root.GetProperty("profiles").EnumerateArray())
            {
                if (profile.GetProperty("profile").GetString() == name) return profile;
            }
            throw new Xunit.Sdk.XunitException($"botocore lists no profile '{name}'; it lists: {string.Join(", ", Profiles)}");
        }

        /// <summary>The chain of <paramref name="name"/>, base first; fails when botocore raised an error for it.</summary>
        public IReadOnlyList<JsonElement> Chain(string name)
        {
            var profile = Profile(name);
            if (profile.GetProperty("error") is { ValueKind: JsonValueKind.Object } error)
            {
                throw new Xunit.Sdk.XunitException($"botocore fails for profile '{name}': {error.GetProperty("message").GetString()}");
            }
            return [.. profile.GetProperty("chain").EnumerateArray()];
        }
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AwsConfigLsp.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AwsConfigLsp.sln not found above " + AppContext.BaseDirectory + "; the botocore oracle lives in tests/tools of the repository.");
    }

    /// <summary>Resolves every profile of the two texts with botocore (through the one oracle runner, Conformance.BotocoreOracle).</summary>
    public static Result Resolve(string config, string credentials)
    {
        var json = OracleFiles.Resolve(config, credentials).GetAwaiter().GetResult();
        using var document = JsonDocument.Parse(json.ToJsonString());
        return new Result(document.RootElement.Clone());
    }
}

/// <summary>Writes two texts to a temporary folder and asks the botocore oracle about them.</summary>
internal static class OracleFiles
{
    public static async Task<System.Text.Json.Nodes.JsonNode> Resolve(string config, string credentials)
    {
        var directory = Directory.CreateTempSubdirectory("awsconfig-oracle-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config");
            var credentialsPath = Path.Combine(directory.FullName, "credentials");
            await File.WriteAllTextAsync(configPath, config);
            await File.WriteAllTextAsync(credentialsPath, credentials);
            return await Conformance.BotocoreOracle.ResolveAsync(configPath, credentialsPath);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
