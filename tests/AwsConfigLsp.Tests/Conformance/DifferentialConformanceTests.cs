using System.Text.Json.Nodes;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using Xunit;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>
/// Differential test: each <c>Fixtures/Differential/&lt;case&gt;/{config,credentials}</c> is given to the real botocore
/// and to our model. Every profile must resolve the same way (<c>tests/tools/botocore_resolve.py</c>): same profile
/// list, same chain (profile, kind, file of static keys, role parameters, credential source, process, SSO and web
/// identity values) and the same error message. And both must read the same keys and values
/// (<c>tests/tools/botocore_parse.py</c>): merged profiles, nested blocks and sso-sessions. The resolve oracle runs
/// once per case, all cases in parallel, and the parse oracle once for all cases, started by the first row.
/// </summary>
public sealed class DifferentialConformanceTests
{
    private static readonly Lazy<Dictionary<string, Task<JsonNode>>> OracleAnswers = new(() =>
        CaseDirectories().ToDictionary(
            directory => Path.GetFileName(directory),
            directory => Task.Run(() => BotocoreOracle.ResolveAsync(ConfigPath(directory), CredentialsPath(directory))),
            StringComparer.Ordinal));

    private static readonly Lazy<Task<Dictionary<string, JsonNode>>> ParsedByBotocore = new(() => Task.Run(async () =>
    {
        var directories = CaseDirectories().ToList();
        var answers = await BotocoreOracle.ParseAsync(directories.Select(d => (ConfigPath(d), CredentialsPath(d))));
        return directories.Zip(answers).ToDictionary(p => Path.GetFileName(p.First), p => p.Second!, StringComparer.Ordinal);
    }));

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var directory in CaseDirectories()) data.Add(Path.GetFileName(directory));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task DifferentialCase_EveryProfileResolvesAsBotocoreDoes(string caseName)
    {
        var directory = Path.Combine(ConformancePaths.DifferentialFixtures, caseName);
        var configPath = ConfigPath(directory);
        var credentialsPath = CredentialsPath(directory);
        var oracle = await OracleAnswers.Value[caseName];
        var botocore = await BotocoreOracle.DescribeAsync();
        var model = ModelSnapshot.Load(configPath, credentialsPath);

        if (oracle["fileError"] is JsonObject fileError)
        {
            // botocore reads no profile from an unreadable file, so every profile we see (or `default` when there is
            // none) must fail with botocore's ConfigParseError, blamed on the same file.
            Assert.Empty(oracle["profiles"]!.AsArray());
            var expectedErrors = new JsonObject();
            var actualErrors = new JsonObject();
            foreach (var name in model.Profiles.Keys.DefaultIfEmpty("default"))
            {
                expectedErrors[name] = new JsonObject
                {
                    ["code"] = DiagnosticCodes.UnparsableFile,
                    ["file"] = fileError["file"]!.DeepClone(),
                    ["message"] = fileError["message"]!.DeepClone(),
                };
                var resolution = model.Resolve(name);
                actualErrors[name] = new JsonObject
                {
                    ["code"] = CliApp.ToOutput(resolution).Error?.Code,
                    ["file"] = resolution.Error?.Location?.File == ConfigFileKind.Credentials ? "credentials" : "config",
                    ["message"] = resolution.Error?.Message,
                };
            }
            Assert.True(ConformanceJson.Canonical(expectedErrors) == ConformanceJson.Canonical(actualErrors),
                $"{botocore} cannot read a file of {caseName}; our model disagrees.\nbotocore:\n{ConformanceJson.Canonical(expectedErrors)}\nours:\n{ConformanceJson.Canonical(actualErrors)}");
            return;
        }

        var oracleProfiles = oracle["profiles"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(oracleProfiles.Select(p => p["profile"]!.GetValue<string>()), model.Profiles.Keys);
        var expected = new JsonObject();
        var actual = new JsonObject();
        foreach (var answer in oracleProfiles)
        {
            var name = answer["profile"]!.GetValue<string>();
            expected[name] = ModelSnapshot.OracleResolution(answer, configPath, credentialsPath);
            actual[name] = ModelSnapshot.Resolution(model.Resolve(name));
        }
        var expectedText = ConformanceJson.Canonical(expected);
        var actualText = ConformanceJson.Canonical(actual);
        Assert.True(expectedText == actualText, $"{caseName}: our model resolves differently from {botocore}.\nbotocore:\n{expectedText}\nours:\n{actualText}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task DifferentialCase_EveryProfileReadsTheSameKeysAndValuesAsBotocore(string caseName)
    {
        var directory = Path.Combine(ConformancePaths.DifferentialFixtures, caseName);
        var answer = (await ParsedByBotocore.Value)[caseName];
        var botocore = await BotocoreOracle.DescribeAsync();
        JsonObject expected = answer["fileError"] is JsonObject fileError
            ? new JsonObject { ["error"] = fileError.DeepClone() }
            : new JsonObject { ["profiles"] = answer["profiles"]!.DeepClone(), ["ssoSessions"] = answer["ssoSessions"]!.DeepClone() };
        var actual = ModelSnapshot.Read(ModelSnapshot.Load(ConfigPath(directory), CredentialsPath(directory)));
        var expectedText = ConformanceJson.Canonical(expected);
        var actualText = ConformanceJson.Canonical(actual);
        Assert.True(expectedText == actualText, $"{caseName}: our model reads the files differently from {botocore}.\nbotocore:\n{expectedText}\nours:\n{actualText}");
    }

    [Fact]
    public void DifferentialFixtures_CoverAtLeastThirtyCases() => Assert.True(CaseDirectories().Count() >= 30,
        $"Only {CaseDirectories().Count()} differential cases in {ConformancePaths.DifferentialFixtures}.");

    private static IEnumerable<string> CaseDirectories() =>
        Directory.EnumerateDirectories(ConformancePaths.DifferentialFixtures).Order(StringComparer.Ordinal);

    private static string ConfigPath(string directory) => Path.Combine(directory, "config");

    private static string CredentialsPath(string directory) => Path.Combine(directory, "credentials");
}
