using System.Text.Json;
using System.Text.RegularExpressions;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Cli;

/// <summary><c>check</c> and <c>resolve</c> through <see cref="CliApp.Run"/>: output formats, exit codes, usage errors and file locations.</summary>
public sealed class CliTests : IDisposable
{
    private const string LoopAndBadSourceConfig = """
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = b

        [profile b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = a

        [profile instance]
        role_arn = arn:aws:iam::123456789012:role/i
        credential_source = ec2instancemetadata

        """;

    private const string ChainConfig = """
        [profile role-a]
        role_arn = arn:aws:iam::111111111111:role/RoleA
        mfa_serial = arn:aws:iam::222222222222:mfa/User1
        source_profile = default

        [profile role-b]
        role_arn = arn:aws:iam::111111111111:role/RoleB
        source_profile = role-a

        """;

    private const string DefaultKeys = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    /// <summary><c>path:line:col: severity code: message</c>, the format editors and CI annotators parse.</summary>
    private static readonly Regex DiagnosticLine = new(@"^(?<path>[^:]+):(?<line>\d+):(?<column>\d+): (?<severity>error|warning|info|hint) (?<code>[a-z-]+): (?<message>.+)$");

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Check_Text_PrintsOneCompilerStyleLinePerDiagnosticWithNotes_AndExits1()
    {
        var (config, credentials) = Write(LoopAndBadSourceConfig, DefaultKeys);

        var result = Run("check", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var lines = result.StdoutLines;
        Assert.Equal(
            [
                $"{Shown(config)}:3:18: error source-profile-loop: source_profile references form a loop; `aws --profile a` fails with: Infinite loop in credential configuration detected. Attempting to load from profile a which has already been visited. Visited profiles: ['a', 'b']",
                $"    {Shown(config)}:7:18: note: another source_profile of the loop",
                $"{Shown(config)}:7:18: error source-profile-loop: source_profile references form a loop; `aws --profile a` fails with: Infinite loop in credential configuration detected. Attempting to load from profile a which has already been visited. Visited profiles: ['a', 'b']",
                $"    {Shown(config)}:3:18: note: another source_profile of the loop",
                $"{Shown(config)}:11:21: error invalid-credential-source: credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive). The AWS CLI fails with: The credential source \"ec2instancemetadata\" referenced in profile \"instance\" is not valid.",
                "3 error(s), 0 other finding(s) in 4 profiles.",
            ],
            lines);
        foreach (var line in lines.Where(line => !line.StartsWith(' ') && line.Contains(": error ")))
        {
            var match = DiagnosticLine.Match(line);
            Assert.True(match.Success, $"Not in path:line:col: severity code: message form: {line}");
            Assert.Equal(Shown(config), match.Groups["path"].Value);
        }
    }

    [Fact]
    public void Check_CleanFiles_SaysSoAndExits0()
    {
        var (config, credentials) = Write(ChainConfig, DefaultKeys);

        var result = Run("check", "--config", config, "--credentials", credentials);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"No problems found in {Shown(config)} and {Shown(credentials)} (3 profiles)."], result.StdoutLines);
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("check", new[] { "--bogus" }, "error: Unknown argument '--bogus'.")]
    [InlineData("check", new[] { "extra" }, "error: Unknown argument 'extra'.")]
    [InlineData("check", new[] { "--all" }, "error: Unknown argument '--all'.")]
    [InlineData("check", new[] { "--format", "xml" }, "error: --format must be one of: text, json, sarif.")]
    [InlineData("check", new[] { "--format" }, "error: --format must be one of: text, json, sarif.")]
    [InlineData("check", new[] { "--config" }, "error: --config needs a path.")]
    [InlineData("check", new[] { "--credentials" }, "error: --credentials needs a path.")]
    [InlineData("check", new[] { "--config", "" }, "error: --config needs a path.")]
    [InlineData("resolve", new[] { "--format", "sarif" }, "error: --format must be one of: text, json.")]
    [InlineData("resolve", new[] { "--verbose" }, "error: Unknown argument '--verbose'.")]
    [InlineData("resolve", new[] { "--all", "default" }, "error: Give profile names or --all, not both.")]
    public void UsageError_Exits2WithTheErrorAndTheUsage(string command, string[] arguments, string error)
    {
        var result = Run(command, arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(error, result.StderrLines[0]);
        Assert.Contains(CliApp.Usage, result.Stderr);
    }

    [Fact]
    public void Check_Json_HasFilesAndDiagnosticsWithPositionsAndRelatedNotes()
    {
        var (config, credentials) = Write(LoopAndBadSourceConfig, DefaultKeys);

        var result = Run("check", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        var json = JsonAssert.Parse(result.Stdout);
        JsonAssert.Exact($$"""
            {
              "files": [
                { "path": {{Quote(config)}}, "kind": "config", "exists": true, "unreadable": false },
                { "path": {{Quote(credentials)}}, "kind": "credentials", "exists": true, "unreadable": false }
              ],
              "diagnostics": [
                {
                  "file": {{Quote(config)}}, "kind": "config", "line": 3, "column": 18, "endLine": 3, "endColumn": 19,
                  "severity": "error", "code": "source-profile-loop", "message": "<any>",
                  "related": [{ "file": {{Quote(config)}}, "line": 7, "column": 18, "message": "another source_profile of the loop" }]
                },
                {
                  "file": {{Quote(config)}}, "kind": "config", "line": 7, "column": 18, "endLine": 7, "endColumn": 19,
                  "severity": "error", "code": "source-profile-loop", "message": "<any>",
                  "related": [{ "file": {{Quote(config)}}, "line": 3, "column": 18, "message": "another source_profile of the loop" }]
                },
                {
                  "file": {{Quote(config)}}, "kind": "config", "line": 11, "column": 21, "endLine": 11, "endColumn": 40,
                  "severity": "error", "code": "invalid-credential-source", "message": "<any>", "related": []
                }
              ]
            }
            """, json);
    }

    [Fact]
    public void Check_Json_MissingFileIsListedAsNotExisting()
    {
        var (config, _) = Write(ChainConfig, null);
        var credentials = folder.Combine("missing/credentials");

        var result = Run("check", "--format", "json", "--config", config, "--credentials", credentials);

        JsonAssert.Subset($$"""{ "files": [{ "exists": true }, { "path": {{Quote(credentials)}}, "exists": false }] }""", JsonAssert.Parse(result.Stdout));
    }

    [Fact]
    public void Check_Sarif_IsSarif210WithEveryRuleAndOneResultPerDiagnostic()
    {
        var (config, credentials) = Write(LoopAndBadSourceConfig, DefaultKeys);

        var result = Run("check", "--format", "sarif", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        var sarif = JsonAssert.Parse(result.Stdout);
        var configUri = new Uri(config).AbsoluteUri;
        JsonAssert.Subset($$"""
            {
              "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
              "version": "2.1.0",
              "runs": [{
                "tool": { "driver": { "name": "awsconfig-lsp", "informationUri": "<any>" } },
                "results": [
                  {
                    "ruleId": "source-profile-loop", "level": "error", "message": { "text": "<any>" },
                    "locations": [{ "physicalLocation": {
                      "artifactLocation": { "uri": "{{configUri}}" },
                      "region": { "startLine": 3, "startColumn": 18, "endLine": 3, "endColumn": 19 }
                    } }]
                  },
                  { "ruleId": "source-profile-loop", "locations": [{ "physicalLocation": { "region": { "startLine": 7 } } }] },
                  { "ruleId": "invalid-credential-source", "locations": [{ "physicalLocation": { "region": { "startLine": 11, "startColumn": 21 } } }] }
                ]
              }]
            }
            """, sarif);
        var rules = sarif.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal(DiagnosticEngine.Rules.Select(rule => rule.Code), rules.EnumerateArray().Select(rule => rule.GetProperty("id").GetString()));
        Assert.All(rules.EnumerateArray(), rule => Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString())));
    }

    [Fact]
    public void Resolve_Json_HasExactlyProfileChainAndError_WithErrorNullWhenResolved()
    {
        var (config, credentials) = Write(ChainConfig + LoopAndBadSourceConfig, DefaultKeys);

        var result = Run("resolve", "role-b", "a", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        JsonAssert.Exact("""
            {
              "profiles": [
                {
                  "profile": "role-b",
                  "chain": [
                    { "profile": "default", "kind": "static", "file": "credentials" },
                    { "profile": "role-a", "kind": "assume-role", "roleArn": "arn:aws:iam::111111111111:role/RoleA", "mfaSerial": "arn:aws:iam::222222222222:mfa/User1" },
                    { "profile": "role-b", "kind": "assume-role", "roleArn": "arn:aws:iam::111111111111:role/RoleB" }
                  ],
                  "error": null
                },
                {
                  "profile": "a",
                  "chain": [],
                  "error": {
                    "code": "source-profile-loop",
                    "message": "Infinite loop in credential configuration detected. Attempting to load from profile a which has already been visited. Visited profiles: ['a', 'b']"
                  }
                }
              ]
            }
            """, JsonAssert.Parse(result.Stdout));
        // "error": null is written out, not left away, so consumers can rely on the key.
        Assert.Contains("\"error\": null", result.Stdout);
    }

    [Fact]
    public void Resolve_Text_ShowsTheChainFromTheProfileToItsBase_AndExits0()
    {
        var (config, credentials) = Write(ChainConfig, DefaultKeys);

        var result = Run("resolve", "role-b", "--config", config, "--credentials", credentials);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [$"role-b <- role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys, {Shown(credentials)})"],
            result.StdoutLines);
    }

    [Fact]
    public void Resolve_UnknownProfile_IsAnErrorLineAndExits1()
    {
        var (config, credentials) = Write(ChainConfig, DefaultKeys);

        var result = Run("resolve", "nope", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        JsonAssert.Exact("""{ "profiles": [{ "profile": "nope", "chain": [], "error": { "code": "profile-not-found", "message": "<any>" } }] }""",
            JsonAssert.Parse(result.Stdout));
    }

    [Fact]
    public void Resolve_All_ListsConfigProfilesInFileOrderThenCredentialsOnlyProfiles()
    {
        var (config, credentials) = Write(ChainConfig + LoopAndBadSourceConfig, DefaultKeys + "[ci]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = x\n");

        var result = Run("resolve", "--all", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        var names = JsonAssert.Parse(result.Stdout).GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("profile").GetString());
        Assert.Equal(["role-a", "role-b", "a", "b", "instance", "default", "ci"], names);
    }

    [Theory]
    [InlineData(null, null, "default")]
    [InlineData("dev", null, "dev")]
    [InlineData(null, "ops", "ops")]
    // botocore reads AWS_DEFAULT_PROFILE first (its session variable "profile" lists it before AWS_PROFILE).
    [InlineData("dev", "ops", "ops")]
    public void Resolve_WithoutNames_UsesTheProfileFromTheEnvironment(string? awsProfile, string? awsDefaultProfile, string expected)
    {
        var (config, credentials) = Write("[profile dev]\nregion = us-east-1\n[profile ops]\nregion = us-east-1\n", DefaultKeys);
        var variables = new Dictionary<string, string?> { ["AWS_PROFILE"] = awsProfile, ["AWS_DEFAULT_PROFILE"] = awsDefaultProfile };

        var result = Run(variables, "resolve", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal(expected, JsonAssert.Parse(result.Stdout).GetProperty("profiles")[0].GetProperty("profile").GetString());
    }

    [Fact]
    public void Resolve_NamesOnTheCommandLine_WinOverTheEnvironment()
    {
        var (config, credentials) = Write(ChainConfig, DefaultKeys);

        var result = Run(new Dictionary<string, string?> { ["AWS_PROFILE"] = "role-a" }, "resolve", "role-b", "--format", "json", "--config", config, "--credentials", credentials);

        Assert.Equal("role-b", JsonAssert.Parse(result.Stdout).GetProperty("profiles")[0].GetProperty("profile").GetString());
    }

    [Fact]
    public void FileVariables_AreHonoured_WithTildeAndVariablesExpanded()
    {
        folder.Write("custom/my-config", LoopAndBadSourceConfig);
        var creds = folder.Write("keys/creds", DefaultKeys);
        TempFolder.MakePrivate(creds);
        var variables = new Dictionary<string, string?>
        {
            ["HOME"] = folder.Path,
            ["KEYS"] = folder.Combine("keys"),
            ["AWS_CONFIG_FILE"] = "~/custom/my-config",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "$KEYS/creds",
        };

        var result = Run(variables, "check");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.StartsWith($"{Shown(folder.Combine("custom/my-config"))}:3:18: error source-profile-loop:", result.StdoutLines[0]);
        Assert.Equal("3 error(s), 0 other finding(s) in 4 profiles.", result.StdoutLines[^1]);
    }

    [Fact]
    public void CommandLineFiles_WinOverTheFileVariables()
    {
        var (config, credentials) = Write(ChainConfig, DefaultKeys);
        folder.Write("other/config", LoopAndBadSourceConfig);
        var variables = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = folder.Combine("other/config") };

        var result = Run(variables, "check", "--config", config, "--credentials", credentials);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void WithoutVariables_ReadsTheFilesUnderHomeDotAws()
    {
        folder.Write(".aws/config", ChainConfig);
        folder.Write(".aws/credentials", DefaultKeys);

        var result = Run(new Dictionary<string, string?> { ["HOME"] = folder.Path }, "resolve", "role-b");

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith($"<- default (static keys, {Shown(folder.Combine(".aws/credentials"))})", result.StdoutLines[0]);
    }

    [Fact]
    public void MissingFile_IsReadAsEmpty_WithOneNoteOnStderr()
    {
        var (config, _) = Write("[profile env]\nrole_arn = arn:aws:iam::123456789012:role/e\ncredential_source = Environment\n", null);
        var credentials = folder.Combine("nowhere/credentials");

        var result = Run("check", "--config", config, "--credentials", credentials);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"note: {credentials} does not exist; the AWS CLI treats it as empty."], result.StderrLines);
        Assert.Equal([$"No problems found in {Shown(config)} and {Shown(credentials)} (1 profiles)."], result.StdoutLines);
    }

    [Fact]
    public void BothFilesMissing_OneNoteEach_AndTheDefaultProfileIsNotFound()
    {
        var config = folder.Combine("none/config");
        var credentials = folder.Combine("none/credentials");

        var result = Run("resolve", "--config", config, "--credentials", credentials);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [$"note: {config} does not exist; the AWS CLI treats it as empty.", $"note: {credentials} does not exist; the AWS CLI treats it as empty."],
            result.StderrLines);
        Assert.StartsWith("default: error profile-not-found: ", result.StdoutLines[0]);
    }

    private (string Config, string Credentials) Write(string config, string? credentials)
    {
        var configPath = folder.Write("aws/config", config);
        var credentialsPath = folder.Combine("aws/credentials");
        if (credentials is not null) folder.Write("aws/credentials", credentials);
        return (configPath, credentialsPath);
    }

    private CliResult Run(string command, params string[] arguments) => Run(new Dictionary<string, string?>(), command, arguments);

    /// <summary>Runs in process with only <paramref name="variables"/> in the environment (HOME defaults to an empty folder).</summary>
    private CliResult Run(Dictionary<string, string?> variables, string command, params string[] arguments)
    {
        variables.TryAdd("HOME", folder.Combine("empty-home"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = CliApp.Run(command, arguments, stdout, stderr, name => variables.GetValueOrDefault(name));
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>A path as the text output shows it: under the process's HOME as <c>~/...</c>.</summary>
    internal static string Shown(string path)
    {
        var home = Environment.GetEnvironmentVariable("HOME")?.TrimEnd('/');
        return !string.IsNullOrEmpty(home) && path.StartsWith(home + "/", StringComparison.Ordinal) ? "~" + path[home.Length..] : path;
    }
}

/// <summary>What a CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);

    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') is { Length: > 0 } trimmed ? trimmed.Split('\n') : [];
}
