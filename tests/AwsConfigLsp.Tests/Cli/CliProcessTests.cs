using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Cli;

/// <summary>The CLI as a user runs it: the real process, relative paths, exit code and output streams.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Runs the CLI process to its end: the process (for its exit code and stderr; the caller disposes it) and its stdout.</summary>
    private static async Task<(ServerProcess Process, string Stdout)> RunAsync(string home, string workingDirectory, params string[] args)
    {
        var process = ServerProcess.Start(home, workingDirectory, null, args);
        var stdout = await process.Process.StandardOutput.ReadToEndAsync();
        await process.Process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30), "the CLI process to end");
        return (process, stdout);
    }

    [Fact]
    public async Task CheckProcess_RelativePathsAndAnError_PrintsTheDiagnosticAndExits1()
    {
        folder.Write("work/config", "[profile instance]\nrole_arn = arn:aws:iam::123456789012:role/i\ncredential_source = ec2instancemetadata\n");
        folder.Write("work/credentials", "");

        var (process, stdout) = await RunAsync(folder.Combine("home"), folder.Combine("work"), "check", "--config", "config", "--credentials", "credentials");
        using var _ = process;

        Assert.True(process.Process.ExitCode == 1, $"exit code {process.Process.ExitCode}, stderr: {process.Stderr}");
        Assert.Equal(
            [
                $"{CliTests.Shown(folder.Combine("work/config"))}:3:21: error invalid-credential-source: credential_source must be exactly Environment, Ec2InstanceMetadata or EcsContainer (case-sensitive). The AWS CLI fails with: The credential source \"ec2instancemetadata\" referenced in profile \"instance\" is not valid.",
                "1 error(s), 0 other finding(s) in 1 profiles.",
            ],
            stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal("", process.Stderr);
    }

    [Fact]
    public async Task Version_PrintsTheVersionTheRuntimeAndTheCollectorSettings()
    {
        var (process, stdout) = await RunAsync(folder.Path, folder.Path, "--version");
        using var _ = process;

        Assert.Equal(0, process.Process.ExitCode);
        var lines = stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^\d+\.\d+\.\d+$", lines[0]);
        // The tests run the JIT build; tests/aot-handshake checks the NativeAOT binary's own lines (6 MiB, populated commits).
        Assert.Matches(@"^runtime: \.NET 10\.[\d.]+, JIT, [\w.-]+$", lines[1]);
        Assert.Matches(@"^garbage collector: workstation, concurrent, gen0 budget at most [\d.]+ MiB$", lines[2]);
        Assert.Equal("committed memory: faulted in page by page (no populate code in this build)", lines[3]);
    }

    [Theory]
    [InlineData("NativeAOT", false, true, 16L * 1024 * 1024, "runtime: .NET 10.0.1, NativeAOT, linux-x64\ngarbage collector: workstation, concurrent, gen0 budget at most 16 MiB")]
    [InlineData("JIT", true, false, 0L, "runtime: .NET 10.0.1, JIT, linux-x64\ngarbage collector: server, not concurrent, gen0 budget not reported")]
    public void RuntimeReport_SaysWhatTheRuntimeReports(string compilation, bool server, bool concurrent, long budget, string expected)
    {
        var configuration = new Dictionary<string, object> { ["ConcurrentGC"] = concurrent };
        if (budget > 0) configuration["GCGen0MaxBudget"] = budget;

        Assert.Equal(expected, AwsConfigLsp.Server.Cli.RuntimeReport.Describe(compilation, ".NET 10.0.1", "linux-x64", server, configuration));
    }

    [Theory]
    [InlineData(null, false, 0L, 0L, "committed memory: faulted in page by page (no populate code in this build)")]
    [InlineData(true, true, 1036L, 145_016_832L, "committed memory: populated in one call per commit (1036 commits, 138.3 MiB so far)")]
    [InlineData(false, false, 0L, 0L, "committed memory: populate off (AWSCONFIG_LSP_POPULATE=0, or the kernel refused MADV_POPULATE_WRITE)")]
    [InlineData(false, false, 12L, 786_432L, "committed memory: populate off since (12 commits populated before)")]
    public void CommittedMemory_SaysWhatTheNativeCodeReports(bool? linked, bool populated, long commits, long bytes, string expected)
    {
        (bool, long, long)? stats = linked is null ? null : (populated, commits, bytes);
        Assert.Equal(expected, CommittedMemory.Describe(stats));
    }

    [Fact]
    public async Task UnknownCommand_Exits2WithUsageOnStderr()
    {
        var (process, stdout) = await RunAsync(folder.Path, folder.Path, "lint");
        using var _ = process;

        Assert.Equal(2, process.Process.ExitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: unknown command 'lint'.", process.Stderr);
        Assert.Contains("Usage:", process.Stderr);
    }
}
