using System.Diagnostics;
using AwsConfigLsp.Tests.Support;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// Runs the installed AWS CLI (found on PATH; a missing CLI fails the test, it never skips) against the fakes, in a
/// sealed environment: <c>HOME</c>, <c>AWS_CONFIG_FILE</c> and <c>AWS_SHARED_CREDENTIALS_FILE</c> point into a temp
/// folder, every other <c>AWS_*</c> variable of the test process is removed, and IMDS is off unless a test turns it on.
/// </summary>
internal sealed class AwsCli : IDisposable
{
    public AwsCli()
    {
        Home = new TempFolder();
        ConfigFile = Home.Write(".aws/config", "");
        CredentialsFile = Home.Write(".aws/credentials", "");
    }

    public TempFolder Home { get; }
    public string ConfigFile { get; }
    public string CredentialsFile { get; }

    public Dictionary<string, string> Environment { get; } = new() { ["AWS_EC2_METADATA_DISABLED"] = "true" };

    public void WriteConfig(string text) => File.WriteAllText(ConfigFile, text);

    public void WriteCredentials(string text) => File.WriteAllText(CredentialsFile, text);

    /// <summary>The <c>aws</c> executable on PATH.</summary>
    public static string Executable()
    {
        foreach (var folder in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "aws");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "The AWS CLI ('aws') is not on PATH. These tests check the loopback fakes against the real CLI; install it (pip install awscli) and run again.");
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs <c>aws ARGS</c> with <paramref name="stdin"/> as its input (closed afterwards); fails after 60 s.</summary>
    public async Task<Result> RunAsync(string? stdin, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Home.Path,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var name in startInfo.Environment.Keys.Where(name => name.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }
        startInfo.Environment["HOME"] = Home.Path;
        startInfo.Environment["AWS_CONFIG_FILE"] = ConfigFile;
        startInfo.Environment["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsFile;
        startInfo.Environment["AWS_PAGER"] = "";
        foreach (var (name, value) in Environment) startInfo.Environment[name] = value;

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start aws");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aws {string.Join(' ', arguments)} did not finish in 60 s; stderr so far: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Home.Dispose();
}
