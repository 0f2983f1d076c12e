using System.Text;
using System.Text.Json.Nodes;
using AwsConfigLsp.Server.Cli;
using Xunit;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>
/// smithy-rs <c>assume-role-tests.json</c>: profile chains (base provider, then AssumeRole hops) or errors. Each case's
/// profiles are written as one config file. Where botocore's chain or error differs (every error case, since the suite's
/// messages are smithy-rs's), the expected answer is botocore's, checked in as
/// <c>Fixtures/Conformance/assume-role-botocore.json</c>.
/// </summary>
public sealed class AssumeRoleConformanceTests
{
    private const string SuitePath = "smithy-rs/aws/rust-runtime/aws-config/test-data/assume-role-tests.json";
    private const string AnswersFile = "assume-role-botocore.json";
    private const string ConfigPath = "/conformance/home/.aws/config";
    private const string CredentialsPath = "/conformance/home/.aws/credentials";

    private static readonly Lazy<Dictionary<string, JsonObject>> Suite = new(LoadSuite);

    /// <summary>The suite's chain entries: our kind and the suite field → our field for the values it gives.</summary>
    private static readonly Dictionary<string, (string Kind, Dictionary<string, string> Fields)> SuiteKinds = new()
    {
        ["AccessKey"] = ("static", []),
        ["AssumeRole"] = ("assume-role", new() { ["role_arn"] = "roleArn", ["role_session_name"] = "roleSessionName", ["external_id"] = "externalId" }),
        ["WebIdentityToken"] = ("web-identity", new()
        {
            ["role_arn"] = "roleArn", ["role_session_name"] = "roleSessionName", ["web_identity_token_file"] = "webIdentityTokenFile",
        }),
        ["Sso"] = ("sso", new()
        {
            ["sso_session"] = "ssoSession", ["sso_start_url"] = "ssoStartUrl", ["sso_region"] = "ssoRegion",
            ["sso_account_id"] = "ssoAccountId", ["sso_role_name"] = "ssoRoleName",
        }),
        ["NamedSource"] = ("credential-source", []),
    };

    public static TheoryData<string> CaseNames => SuiteRows.Names(() => Suite.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AssumeRoleVector_ResolvesTheSelectedProfileAsBotocoreDoes(string caseName)
    {
        var input = Suite.Value[caseName]["input"]!;
        var configText = ConfigText(input);
        var model = ModelSnapshot.Build(configText, credentialsText: null, ConfigPath, CredentialsPath);
        var resolution = model.Resolve(input["selected_profile"]!.GetValue<string>());

        if (ConformanceJson.LoadBotocoreAnswers(AnswersFile)[caseName] is { } botocoreAnswer)
        {
            Assert.True(botocoreAnswer["configText"]!.GetValue<string>() == configText,
                $"{AnswersFile} was made from a different config file for this case: regenerate it with tests/tools/make_conformance_fixtures.py.");
            var expected = ModelSnapshot.OracleResolution(botocoreAnswer["botocore"]!, ConfigPath, CredentialsPath);
            Assert.Equal(ConformanceJson.Canonical(expected), ConformanceJson.Canonical(ModelSnapshot.Resolution(resolution)));
            return;
        }

        // botocore agrees with the suite: compare the kind of every link and the values the suite gives.
        var suiteChain = Suite.Value[caseName]["output"]!["ProfileChain"]?.AsArray()
            ?? throw new InvalidOperationException($"The suite expects an error but {AnswersFile} has no botocore answer: regenerate it.");
        Assert.Null(resolution.Error);
        var expectedChain = new JsonArray();
        foreach (var link in suiteChain)
        {
            var (suiteKind, value) = link!.AsObject().Single();
            var (kind, fields) = SuiteKinds[suiteKind];
            var hop = new JsonObject { ["kind"] = kind };
            if (suiteKind == "NamedSource") hop["credentialSource"] = value!.GetValue<string>();
            foreach (var (suiteField, field) in fields)
            {
                if (value?[suiteField] is { } fieldValue) hop[field] = fieldValue.DeepClone();
            }
            expectedChain.Add((JsonNode)hop);
        }
        var actualChain = new JsonArray();
        var hops = CliApp.ToOutput(resolution).Chain;
        for (var i = 0; i < hops.Count; i++)
        {
            // Only the fields the suite states (and always the kind) are compared.
            var stated = i < expectedChain.Count ? expectedChain[i]!.AsObject() : new JsonObject();
            var hop = ConformanceJson.HopJson(hops[i]);
            actualChain.Add((JsonNode)new JsonObject(hop.Where(p => p.Key == "kind" || stated.ContainsKey(p.Key))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
        }
        Assert.Equal(ConformanceJson.Canonical(expectedChain), ConformanceJson.Canonical(actualChain));
    }

    [Fact]
    public void BotocoreAnswers_NameOnlyCasesOfTheSuite()
    {
        var unknown = ConformanceJson.LoadBotocoreAnswers(AnswersFile).Select(p => p.Key).Where(name => !Suite.Value.ContainsKey(name)).ToList();
        Assert.True(unknown.Count == 0, $"{AnswersFile} has answers for cases the suite does not have (regenerate it): {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// The case as one config file: <c>[profile NAME]</c> sections in the suite's order, then <c>[sso-session NAME]</c>
    /// sections, each followed by a blank line (the rule of make_conformance_fixtures.py's <c>assume_role_config_text</c>).
    /// </summary>
    internal static string ConfigText(JsonNode input)
    {
        var lines = new List<string>();
        foreach (var (prefix, entities) in new[] { ("profile", input["profiles"]), ("sso-session", input["sso_sessions"]) })
        {
            if (entities is not JsonObject entityMap) continue;
            foreach (var (name, properties) in entityMap)
            {
                lines.Add($"[{prefix} {name}]");
                lines.AddRange(properties!.AsObject().Select(p => $"{p.Key} = {p.Value!.GetValue<string>()}"));
                lines.Add("");
            }
        }
        return new StringBuilder().AppendJoin('\n', lines).ToString();
    }

    private static Dictionary<string, JsonObject> LoadSuite()
    {
        var tests = ConformanceJson.Load(ConformancePaths.Vector(SuitePath)).AsArray();
        var names = ConformanceJson.UniqueNames(tests.Select(t => t!["docs"]!.GetValue<string>()));
        return names.Zip(tests).ToDictionary(p => p.First, p => p.Second!.AsObject(), StringComparer.Ordinal);
    }
}
