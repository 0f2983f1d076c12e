using System.Text.Json.Nodes;
using Xunit;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>
/// smithy-rs <c>profile-parser-tests.json</c>, the cross-SDK parser suite, against our model. Where botocore reads a
/// case differently (SEMANTICS.md §9), the expected answer is botocore's, checked in as
/// <c>Fixtures/Conformance/profile-parser-botocore.json</c> by <c>tests/tools/make_conformance_fixtures.py</c>.
/// </summary>
public sealed class ProfileParserConformanceTests
{
    private const string SuitePath = "smithy-rs/aws/rust-runtime/aws-runtime/test-data/profile-parser-tests.json";
    private const string AnswersFile = "profile-parser-botocore.json";
    private const string ConfigPath = "/conformance/home/.aws/config";
    private const string CredentialsPath = "/conformance/home/.aws/credentials";

    private static readonly Lazy<Dictionary<string, JsonObject>> Suite = new(LoadSuite);

    public static TheoryData<string> CaseNames => SuiteRows.Names(() => Suite.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ParserVector_ReadsProfilesAndSessionsAsBotocoreDoes(string caseName)
    {
        var testCase = Suite.Value[caseName];
        var input = testCase["input"]!;
        var configText = input["configFile"]?.GetValue<string>();
        var credentialsText = input["credentialsFile"]?.GetValue<string>();
        var actual = ModelSnapshot.Read(ModelSnapshot.Build(configText, credentialsText, ConfigPath, CredentialsPath));

        if (ConformanceJson.LoadBotocoreAnswers(AnswersFile)[caseName] is { } botocoreAnswer)
        {
            // botocore differs from the suite here: its answer is the expected one.
            var expected = botocoreAnswer["botocore"]!.DeepClone().AsObject();
            if (expected["error"]?["message"] is { } message)
            {
                expected["error"]!["message"] = ConformanceJson.WithPaths(message.GetValue<string>(), ConfigPath, CredentialsPath);
            }
            Assert.Equal(ConformanceJson.Canonical(expected), ConformanceJson.Canonical(actual));
            return;
        }

        var output = testCase["output"]!;
        if (output["errorContaining"] is not null)
        {
            // The suite's message is smithy-rs's; botocore rejects the whole file with ConfigParseError.
            var file = configText is not null ? "config" : "credentials";
            var expected = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["file"] = file,
                    ["message"] = $"Unable to parse config file: {(file == "config" ? ConfigPath : CredentialsPath)}",
                },
            };
            Assert.Equal(ConformanceJson.Canonical(expected), ConformanceJson.Canonical(actual));
            return;
        }

        var config = output["config"]!;
        var expectedRead = new JsonObject { ["profiles"] = NormalizeNested(config["profiles"]!.AsObject()) };
        if (config["sso_sessions"] is JsonObject sessions) expectedRead["ssoSessions"] = NormalizeNested(sessions);
        else actual.Remove("ssoSessions");
        Assert.Equal(ConformanceJson.Canonical(expectedRead), ConformanceJson.Canonical(actual));
    }

    [Fact]
    public void BotocoreAnswers_NameOnlyCasesOfTheSuite()
    {
        var unknown = ConformanceJson.LoadBotocoreAnswers(AnswersFile).Select(p => p.Key).Where(name => !Suite.Value.ContainsKey(name)).ToList();
        Assert.True(unknown.Count == 0, $"{AnswersFile} has answers for cases the suite does not have (regenerate it): {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// The suite writes a nested block as its raw text (<c>"\nname = value"</c>); botocore (and our model) parse it into
    /// key/value pairs (configloader <c>_parse_nested</c>), so the suite's text is parsed the same way before comparing.
    /// </summary>
    private static JsonObject NormalizeNested(JsonObject entities)
    {
        var result = new JsonObject();
        foreach (var (name, properties) in entities)
        {
            var normalized = new JsonObject();
            foreach (var (key, value) in properties!.AsObject())
            {
                var text = value!.GetValue<string>();
                normalized[key] = text.StartsWith('\n') && ParseNested(text) is { } nested ? nested : JsonValue.Create(text);
            }
            result[name] = normalized;
        }
        return result;
    }

    private static JsonObject? ParseNested(string text)
    {
        var result = new JsonObject();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0) continue;
            var equals = line.IndexOf('=');
            if (equals < 0) return null;
            result[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return result;
    }

    private static Dictionary<string, JsonObject> LoadSuite()
    {
        var tests = ConformanceJson.Load(ConformancePaths.Vector(SuitePath))["tests"]!.AsArray();
        var names = ConformanceJson.UniqueNames(tests.Select(t => t!["name"]!.GetValue<string>()));
        return names.Zip(tests).ToDictionary(p => p.First, p => p.Second!.AsObject(), StringComparer.Ordinal);
    }
}

/// <summary>Theory rows for a suite that is read at run time.</summary>
internal static class SuiteRows
{
    /// <summary>
    /// The placeholder row when the vectors are absent: its test fails with <see cref="ConformancePaths.VectorsDirectory"/>'s
    /// message instead of the theory silently having no rows.
    /// </summary>
    public const string VectorsMissing = "(shared conformance vectors not found)";

    public static TheoryData<string> Names(Func<IEnumerable<string>> names)
    {
        var data = new TheoryData<string>();
        if (!ConformancePaths.VectorsFound)
        {
            data.Add(VectorsMissing);
            return data;
        }
        foreach (var name in names()) data.Add(name);
        return data;
    }
}
