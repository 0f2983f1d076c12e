using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>docs/rules.md is generated from the rules; this keeps it in sync (UPDATE_BASELINES=1 rewrites it) and checks every example.</summary>
public class RulesDocumentationTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AwsConfigLsp.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AwsConfigLsp.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Generate()
    {
        var builder = new StringBuilder();
        builder.Append("# Diagnostic rules\n\n");
        builder.Append("Generated from `server/AwsConfigLsp.Analysis/Diagnostics/Rules` by `RulesDocumentationTests` (`UPDATE_BASELINES=1 dotnet test` rewrites it).\n");
        builder.Append("Codes never change. Severity: error when the AWS CLI will fail, warning when it silently does something other than what the text suggests, information for advice.\n");
        builder.Append("Silence one line with `# awsconfig-disable-next-line CODE` above it; turn a rule off with the `awsconfig.diagnostics.disabled` setting or `check --disable CODE`.\n\n");
        builder.Append("| code | severity | summary |\n| --- | --- | --- |\n");
        foreach (var rule in DiagnosticEngine.Rules)
        {
            builder.Append($"| [`{rule.Code}`](#{rule.Code}) | {RuleCheck.Severity(rule.DefaultSeverity)} | {rule.Summary.Replace("|", "\\|")} |\n");
        }
        foreach (var rule in DiagnosticEngine.Rules)
        {
            var file = rule.ExampleFile == ConfigFileKind.Config ? "~/.aws/config" : "~/.aws/credentials";
            static string Mode(FileFacts facts) => facts.CredentialsFileMode is { } mode ? $", mode {Convert.ToString((int)mode & 0x1FF, 8)}" : "";
            builder.Append($"\n## {rule.Code}\n\n{RuleCheck.Severity(rule.DefaultSeverity)}: {rule.Summary}\n\n");
            builder.Append($"Wrong ({file}{Mode(rule.WrongFacts)}):\n\n```ini\n{rule.Wrong.TrimEnd('\n')}\n```\n\n");
            builder.Append($"Right{(Mode(rule.RightFacts) is { Length: > 0 } mode ? $" ({mode[2..]})" : "")}:\n\n```ini\n{rule.Right.TrimEnd('\n')}\n```\n");
        }
        return builder.ToString();
    }

    [Fact]
    public void RulesDocumentMatchesTheRules()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "rules.md");
        var expected = Generate();
        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), "docs/rules.md is missing: run UPDATE_BASELINES=1 dotnet test.");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    public static TheoryData<string> Codes() => [.. DiagnosticEngine.Rules.Select(r => r.Code)];

    [Theory]
    [MemberData(nameof(Codes))]
    public void WrongExampleTriggersTheRuleAndRightExampleDoesNot(string code)
    {
        var rule = DiagnosticEngine.Rules.Single(r => r.Code == code);
        ProfileModel Model(string text) => rule.ExampleFile == ConfigFileKind.Config ? RuleCheck.Model(text) : RuleCheck.Model("", text);
        Assert.Contains(DiagnosticEngine.Analyze(Model(rule.Wrong), facts: rule.WrongFacts), d => d.Code == code);
        Assert.DoesNotContain(DiagnosticEngine.Analyze(Model(rule.Right), facts: rule.RightFacts), d => d.Code == code);
    }

    [Fact]
    public void EveryCodeIsUniqueAndKebabCase()
    {
        var codes = DiagnosticEngine.Rules.Select(r => r.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", code));
    }
}
