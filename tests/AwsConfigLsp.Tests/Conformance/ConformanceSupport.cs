using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>Where the shared vectors, the repository and the checked-in botocore answers are.</summary>
internal static class ConformancePaths
{
    private static readonly Lazy<(string? Path, List<string> Searched)> Vectors = new(FindVectors);

    /// <summary>
    /// <c>shared/conformance/vectors</c> (see <see cref="Support.SharedMaterial"/>: in CI the repository is cloned beside
    /// <c>shared/</c>). Throws with every place it looked when it is absent: the tests fail, never skip.
    /// </summary>
    public static string VectorsDirectory => Vectors.Value.Path ?? throw new InvalidOperationException(
        "The shared conformance vectors were not found. Looked for a folder shared/conformance/vectors in:\n  "
        + string.Join("\n  ", Vectors.Value.Searched)
        + "\nThe conformance tests read them at run time (they are not copied into this repository): "
        + "clone the repository beside shared/ (as CI does), or from a local repository that is, or put them at <parent of the repository>/shared/conformance/vectors.");

    public static bool VectorsFound => Vectors.Value.Path is not null;

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The directory holding <c>AwsConfigLsp.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The checked-in botocore answers (copied next to the test assembly).</summary>
    public static string ConformanceFixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conformance");

    /// <summary>The differential cases, read from the repository so the oracle and the model see the same files.</summary>
    public static string DifferentialFixtures => Path.Combine(RepositoryRoot, "tests", "AwsConfigLsp.Tests", "Fixtures", "Differential");

    public static string Vector(string relativePath) => Path.Combine(VectorsDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static (string?, List<string>) FindVectors() => Support.SharedMaterial.Find("conformance/vectors", directory: true);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AwsConfigLsp.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"AwsConfigLsp.sln was not found in any directory above {AppContext.BaseDirectory}.");
    }
}

/// <summary>JSON helpers: reading files, comparing answers as canonical (key-sorted) text so a failure shows a readable diff.</summary>
internal static class ConformanceJson
{
    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonNode Load(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");

    /// <summary>The checked-in botocore answers of one suite, by case name.</summary>
    public static JsonObject LoadBotocoreAnswers(string fileName)
    {
        var path = Path.Combine(ConformancePaths.ConformanceFixtures, fileName);
        return Load(path)["cases"]?.AsObject() ?? throw new InvalidDataException($"{path} has no \"cases\" object.");
    }

    /// <summary>Sorted keys at every level, indented: equal answers give equal text.</summary>
    public static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString(CanonicalOptions) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sort)]),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>Case names made unique the way make_conformance_fixtures.py does: the second "x" is "x #2".</summary>
    public static List<string> UniqueNames(IEnumerable<string> names)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var name in names)
        {
            seen[name] = seen.GetValueOrDefault(name) + 1;
            result.Add(seen[name] == 1 ? name : $"{name} #{seen[name]}");
        }
        return result;
    }

    /// <summary>Replaces the {config} / {credentials} placeholders of a checked-in message with real paths.</summary>
    public static string WithPaths(string message, string configPath, string credentialsPath) =>
        message.Replace("{config}", configPath, StringComparison.Ordinal).Replace("{credentials}", credentialsPath, StringComparison.Ordinal);

    /// <summary>One chain link in the <c>resolve --format json</c> shape (<see cref="CliApp.ToOutput"/>, camelCase), nulls left out.</summary>
    public static JsonObject HopJson(ChainHopOutput hop)
    {
        var result = new JsonObject();
        void Add(string name, JsonNode? value)
        {
            if (value is not null) result[name] = value;
        }
        Add("profile", hop.Profile);
        Add("kind", hop.Kind);
        Add("file", hop.File);
        Add("roleArn", hop.RoleArn);
        Add("mfaSerial", hop.MfaSerial);
        Add("externalId", hop.ExternalId);
        Add("durationSeconds", hop.DurationSeconds);
        Add("roleSessionName", hop.RoleSessionName);
        Add("credentialSource", hop.CredentialSource);
        Add("credentialProcess", hop.CredentialProcess);
        Add("ssoSession", hop.SsoSession);
        Add("ssoStartUrl", hop.SsoStartUrl);
        Add("ssoRegion", hop.SsoRegion);
        Add("ssoAccountId", hop.SsoAccountId);
        Add("ssoRoleName", hop.SsoRoleName);
        Add("webIdentityTokenFile", hop.WebIdentityTokenFile);
        return result;
    }
}

/// <summary>What our model reads from a pair of files, in the shape botocore_parse.py prints.</summary>
internal static class ModelSnapshot
{
    public static ProfileModel Build(string? configText, string? credentialsText, string configPath, string credentialsPath) => new(
        configText is null ? ConfigFile.Empty(ConfigFileKind.Config, configPath) : ConfigFile.Create(ConfigFileKind.Config, configPath, SyntaxParser.Parse(configText)),
        credentialsText is null
            ? ConfigFile.Empty(ConfigFileKind.Credentials, credentialsPath)
            : ConfigFile.Create(ConfigFileKind.Credentials, credentialsPath, SyntaxParser.Parse(credentialsText)));

    public static ProfileModel Load(string configPath, string credentialsPath) => new(
        FileLoader.Load(ConfigFileKind.Config, configPath, notes: null),
        FileLoader.Load(ConfigFileKind.Credentials, credentialsPath, notes: null));

    /// <summary>
    /// <c>{"error": {"file", "message"}}</c> when the CLI rejects a file, else <c>{"profiles", "ssoSessions"}</c>: the merged
    /// profiles (credentials file winning key by key) with nested blocks as objects.
    /// </summary>
    public static JsonObject Read(ProfileModel model)
    {
        if (model.Config.IsUnreadable || model.Credentials.IsUnreadable)
        {
            // Whatever the profile, the resolver reports the first unreadable file in botocore's words.
            var error = CredentialResolver.Resolve(model, model.Profiles.Keys.FirstOrDefault() ?? "default").Error
                ?? throw new InvalidOperationException("A file is unreadable but the resolver reports no error.");
            Assert.Equal(ResolutionErrorKind.UnparsableFile, error.Kind);
            return new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["file"] = error.Location?.File == ConfigFileKind.Credentials ? "credentials" : "config",
                    ["message"] = error.Message,
                },
            };
        }
        var profiles = new JsonObject();
        foreach (var (name, profile) in model.Profiles)
        {
            profiles[name] = Properties(profile.Sections);
        }
        var sessions = new JsonObject();
        foreach (var (name, section) in model.SsoSessions)
        {
            sessions[name] = Properties([section]);
        }
        return new JsonObject { ["profiles"] = profiles, ["ssoSessions"] = sessions };
    }

    private static JsonObject Properties(IEnumerable<SectionEntry> sections)
    {
        var result = new JsonObject();
        foreach (var section in sections)
        {
            foreach (var (key, entry) in section.Properties)
            {
                result[key] = entry.SubProperties is { } nested
                    ? new JsonObject(nested.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))))
                    : JsonValue.Create(entry.Value);
            }
        }
        return result;
    }

    /// <summary>
    /// One resolution as <c>{"error": message|null, "chain": [...]}</c>. The chain is left out when there is an error:
    /// botocore raises and has no chain to show (ours keeps the hops found before the error for the editor).
    /// </summary>
    public static JsonObject Resolution(Resolution resolution)
    {
        var output = CliApp.ToOutput(resolution);
        var result = new JsonObject { ["error"] = output.Error?.Message };
        if (output.Error is null)
        {
            result["chain"] = new JsonArray([.. output.Chain.Select(hop => (JsonNode)ConformanceJson.HopJson(hop))]);
        }
        return result;
    }

    /// <summary>An oracle answer (botocore_resolve.py) in the same shape as <see cref="Resolution(Model.Resolution)"/>.</summary>
    public static JsonObject OracleResolution(JsonNode answer, string configPath, string credentialsPath)
    {
        var error = answer["error"]?["message"]?.GetValue<string>();
        var result = new JsonObject { ["error"] = error is null ? null : ConformanceJson.WithPaths(error, configPath, credentialsPath) };
        if (error is null)
        {
            result["chain"] = new JsonArray([.. (answer["chain"]?.AsArray() ?? []).Select(hop => (JsonNode)OracleHop(hop!.AsObject()))]);
        }
        return result;
    }

    /// <summary>
    /// An oracle hop with our field names: nulls dropped, <c>command</c> is our <c>credentialProcess</c>; <c>loginSession</c>
    /// is dropped because our chain does not carry the login session name.
    /// </summary>
    private static JsonObject OracleHop(JsonObject hop)
    {
        var result = new JsonObject();
        foreach (var (key, value) in hop)
        {
            if (value is null || key == "loginSession") continue;
            result[key == "command" ? "credentialProcess" : key] = value.DeepClone();
        }
        return result;
    }
}
