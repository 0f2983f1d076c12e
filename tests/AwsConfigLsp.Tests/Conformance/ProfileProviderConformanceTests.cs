using System.Text.Json.Nodes;
using Xunit;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>
/// smithy-rs <c>profile-provider/&lt;case&gt;/</c>: a fake home with <c>.aws/config</c> and <c>.aws/credentials</c>, and the
/// credentials (or error) the provider ends with. The vectors do not spell out the chain, so botocore's chain for every
/// case is checked in as <c>Fixtures/Conformance/profile-provider-botocore.json</c>; where botocore's outcome differs
/// from the vector (<c>differs</c>), botocore's answer is the expected one, otherwise the vector's outcome is checked too.
/// </summary>
public sealed class ProfileProviderConformanceTests
{
    private const string SuiteDirectory = "smithy-rs/aws/rust-runtime/aws-config/test-data/profile-provider";
    private const string AnswersFile = "profile-provider-botocore.json";

    public static TheoryData<string> CaseNames => SuiteRows.Names(Cases);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ProfileProviderVector_ResolvesTheSelectedProfileAsBotocoreDoes(string caseName)
    {
        var caseDirectory = Path.Combine(ConformancePaths.Vector(SuiteDirectory), caseName);
        var suiteResult = ConformanceJson.Load(Path.Combine(caseDirectory, "test-case.json"))["result"]!.AsObject();
        var environment = File.Exists(Path.Combine(caseDirectory, "env.json"))
            ? ConformanceJson.Load(Path.Combine(caseDirectory, "env.json")).AsObject()
            : [];
        var profile = environment["AWS_PROFILE"]?.GetValue<string>() ?? "default";
        var configPath = Path.Combine(caseDirectory, "fs", "home", ".aws", "config");
        var credentialsPath = Path.Combine(caseDirectory, "fs", "home", ".aws", "credentials");

        var answer = ConformanceJson.LoadBotocoreAnswers(AnswersFile)[caseName]
            ?? throw new InvalidOperationException($"{AnswersFile} has no botocore answer for {caseName}: regenerate it with tests/tools/make_conformance_fixtures.py.");
        Assert.Equal(answer["selectedProfile"]!.GetValue<string>(), profile);
        Assert.Equal(ConformanceJson.Canonical(answer["suite"]), ConformanceJson.Canonical(suiteResult));

        var resolution = ModelSnapshot.Load(configPath, credentialsPath).Resolve(profile);
        var expected = ModelSnapshot.OracleResolution(answer["botocore"]!, configPath, credentialsPath);
        Assert.Equal(ConformanceJson.Canonical(expected), ConformanceJson.Canonical(ModelSnapshot.Resolution(resolution)));

        if (!answer["differs"]!.GetValue<bool>())
        {
            // botocore agrees with the vector's outcome: credentials from the files, not from container / IMDS.
            Assert.True(suiteResult.ContainsKey("Ok"), $"The vector expects {suiteResult.ToJsonString()}, but the answer is not marked as differing.");
            Assert.Null(resolution.Error);
            Assert.NotEqual(Model.CredentialKind.None, resolution.Chain[^1].Kind);
        }
    }

    [Fact]
    public void BotocoreAnswers_NameOnlyCasesOfTheSuite()
    {
        _ = ConformancePaths.VectorsDirectory; // fails, saying where it looked, when the vectors are absent
        var cases = Cases().ToHashSet(StringComparer.Ordinal);
        var unknown = ConformanceJson.LoadBotocoreAnswers(AnswersFile).Select(p => p.Key).Where(name => !cases.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"{AnswersFile} has answers for cases the suite does not have (regenerate it): {string.Join(", ", unknown)}");
    }

    /// <summary>Every <c>profile-provider/&lt;case&gt;</c> directory that has a <c>test-case.json</c>.</summary>
    private static IEnumerable<string> Cases() => Directory
        .EnumerateDirectories(ConformancePaths.Vector(SuiteDirectory))
        .Where(directory => File.Exists(Path.Combine(directory, "test-case.json")))
        .Select(directory => Path.GetFileName(directory))
        .Order(StringComparer.Ordinal);
}
