using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>Applies a fix and checks what it did to the diagnostics: one fewer of its code, and nothing new.</summary>
public static class FixCheck
{
    /// <summary>
    /// <see cref="RuleCheck.ApplyFix"/>, then checks that the fixed files have one diagnostic of <paramref name="code"/>
    /// fewer and no diagnostic (code and message) the original files did not have. Returns the fixed texts.
    /// </summary>
    public static (string Config, string Credentials) Apply(string config, string credentials, string code, string? fixTitle = null)
    {
        var before = DiagnosticEngine.Analyze(RuleCheck.Model(config, credentials));
        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, code, fixTitle);
        var after = DiagnosticEngine.Analyze(RuleCheck.Model(fixedConfig, fixedCredentials));
        Assert.True(after.Count(d => d.Code == code) == before.Count(d => d.Code == code) - 1,
            $"The fix should remove one {code} diagnostic. After the fix:\n{Describe(after)}\nFixed config:\n{fixedConfig}\nFixed credentials:\n{fixedCredentials}");
        var remaining = before.Select(d => (d.Code, d.Message)).ToList();
        foreach (var diagnostic in after)
        {
            Assert.True(remaining.Remove((diagnostic.Code, diagnostic.Message)),
                $"The fix introduced {diagnostic.Code}: {diagnostic.Message}\nFixed config:\n{fixedConfig}\nFixed credentials:\n{fixedCredentials}");
        }
        return (fixedConfig, fixedCredentials);
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => $"  {d.Code}: {d.Message}"));
}
