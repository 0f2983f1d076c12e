using System.Text;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Scenarios;

/// <summary>
/// The five user scenarios of SCENARIOS.md (S1-S5), each as a config and credentials file under
/// <c>Fixtures/Scenarios/Sn/</c>, with what <c>check</c> and <c>resolve --all</c> print for them checked in as
/// <c>expected.txt</c>: a transcript of the commands as a user would run them. The fixture folder shows as <c>$FIXTURE</c>.
/// </summary>
public sealed class ScenarioTests
{
    private static readonly string[] ScenarioNames = ["S1", "S2", "S3", "S4", "S5"];

    public static TheoryData<string> Scenarios => new(ScenarioNames);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_CheckAndResolveOutput_MatchesTheBaseline(string scenario)
    {
        var folder = Path.Combine(Baseline.FixturesFolder(), "Scenarios", scenario);
        var files = new[] { "--config", "$FIXTURE/config", "--credentials", "$FIXTURE/credentials" };
        var transcript = new StringBuilder();

        Run(transcript, folder, [], "check", files);
        Run(transcript, folder, [], "resolve", ["--all", .. files]);
        Run(transcript, folder, [], "resolve", ["--all", "--format", "json", .. files]);
        if (scenario == "S5")
        {
            // The SDK way of selecting the profile: the variable, not --profile.
            Run(transcript, folder, [("AWS_PROFILE", "develop")], "resolve", files);
        }

        Baseline.AssertMatches(Path.Combine(Baseline.SourceFolder(), "Fixtures", "Scenarios", scenario, "expected.txt"), transcript.ToString());
    }

    [Fact]
    public void Scenarios_AllHaveTheirFilesAndABaseline()
    {
        var root = Path.Combine(Baseline.FixturesFolder(), "Scenarios");
        foreach (var scenario in ScenarioNames)
        {
            foreach (var file in new[] { "config", "credentials", "expected.txt" })
            {
                Assert.True(File.Exists(Path.Combine(root, scenario, file)), $"{scenario}/{file} is missing.");
            }
        }
    }

    /// <summary>Runs one command in process and appends <c>$ command</c>, its stdout, its stderr and its exit code.</summary>
    private static void Run(StringBuilder transcript, string folder, (string Name, string Value)[] variables, string command, string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        // HOME only matters for files not given on the command line; it must not be the machine's.
        environment["HOME"] = Path.Combine(folder, "no-home");
        var exitCode = CliApp.Run(command, [.. arguments.Select(a => a.Replace("$FIXTURE", folder))], stdout, stderr, environment.GetValueOrDefault);

        var prefix = string.Concat(variables.Select(v => $"{v.Name}={v.Value} "));
        transcript.Append($"$ {prefix}awsconfig-lsp {command} {string.Join(' ', arguments)}\n");
        transcript.Append(Normalize(stdout.ToString(), folder));
        if (stderr.ToString().Length > 0) transcript.Append("[stderr]\n").Append(Normalize(stderr.ToString(), folder));
        transcript.Append($"[exit code {exitCode}]\n\n");
    }

    /// <summary>The fixture folder as <c>$FIXTURE</c>, whether printed as an absolute path or under <c>~</c>.</summary>
    private static string Normalize(string output, string folder)
    {
        output = output.ReplaceLineEndings("\n").Replace(folder, "$FIXTURE");
        var home = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home) && folder.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            output = output.Replace("~" + folder[home.TrimEnd('/').Length..], "$FIXTURE");
        }
        return output;
    }
}
