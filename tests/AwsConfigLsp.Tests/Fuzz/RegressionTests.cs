using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using Xunit;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>Crashes the fuzzing and abuse tests found, each kept as the input that found it.</summary>
public sealed class RegressionTests
{
    /// <summary>Found by CliAbuseTests: 10,000 chained profiles overflowed the stack of the recursive resolver and killed the process.</summary>
    [Fact]
    public void SourceProfileChainOfTenThousandProfiles_StopsAtTheLinkLimit_WithoutOverflowingTheStack()
    {
        var config = new StringBuilder("[profile p0]\ncredential_process = /bin/creds\n");
        for (var i = 1; i < 10_000; i++) config.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p{i - 1}\n");
        var model = FuzzTests.ModelOf(config.ToString(), "");

        var shallow = model.Resolve("p127");
        var deep = model.Resolve("p9999");

        Assert.True(shallow.Succeeded);
        Assert.Equal(CredentialResolver.MaxChainLinks, shallow.Chain.Length);
        Assert.Equal(ResolutionErrorKind.ChainTooDeep, deep.Error?.Kind);
        Assert.Equal("maximum recursion depth exceeded (the source_profile chain of \"p9999\" is longer than 128 links)", deep.Error!.Message);
        Assert.Empty(deep.Chain);
        var diagnostics = DiagnosticEngine.Analyze(model);
        var header = model.GetProfile("p9999")!.PrimarySection.HeaderLocation;
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.SourceProfileChainTooDeep && d.Severity == DiagnosticSeverity.Error && d.Location == header);
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.InternalError);
    }

    /// <summary>Found by CliAbuseTests: a loop through 10,000 profiles, the same overflow before the loop was seen.</summary>
    [Fact]
    public void SourceProfileLoopThroughTenThousandProfiles_IsReportedWithoutOverflowingTheStack()
    {
        var config = new StringBuilder();
        for (var i = 0; i < 10_000; i++) config.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p{(i + 1) % 10_000}\n");
        var model = FuzzTests.ModelOf(config.ToString(), "");

        Assert.Equal(ResolutionErrorKind.ChainTooDeep, model.Resolve("p0").Error?.Kind);
        // A short loop is still a loop.
        var shortLoop = FuzzTests.ModelOf("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n", "");
        Assert.Equal(ResolutionErrorKind.SourceProfileLoop, shortLoop.Resolve("a").Error?.Kind);
    }
}
