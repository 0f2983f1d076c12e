using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Cli;

/// <summary>The CLI as a user runs it: the real process, relative paths, exit code and output streams.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task CheckProcess_RelativePathsAndAnError_PrintsTheDiagnosticAndExits1()
    {
        folder.Write("work/config", "[profile instance]\nrole_arn = arn:aws:iam::123456789012:role/i\ncredential_source = ec2instancemetadata\n");
        folder.Write("work/credentials", "");

        using var process = ServerProcess.Start(folder.Combine("home"), folder.Combine("work"), null, "check", "--config", "config", "--credentials", "credentials");
        var stdout = await process.Process.StandardOutput.ReadToEndAsync();
        await process.Process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30), "the CLI process to end");

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
    public async Task UnknownCommand_Exits2WithUsageOnStderr()
    {
        using var process = ServerProcess.Start(folder.Path, folder.Path, null, "lint");
        var stdout = await process.Process.StandardOutput.ReadToEndAsync();
        await process.Process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30), "the CLI process to end");

        Assert.Equal(2, process.Process.ExitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: unknown command 'lint'.", process.Stderr);
        Assert.Contains("Usage:", process.Stderr);
    }
}
