using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace AwsConfigLsp.Tests.Conformance;

/// <summary>
/// Runs the botocore oracles (the installed botocore, offline): <c>tests/tools/botocore_resolve.py</c> for credential
/// chains and <c>tests/tools/botocore_parse.py</c> for the profile map. Python is the first <c>python3</c> on PATH; when
/// it or botocore is missing every caller fails with a message that says so.
/// </summary>
internal static class BotocoreOracle
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task<(string Executable, string BotocoreVersion)>> Interpreter = new(FindInterpreterAsync);
    private static readonly SemaphoreSlim Slots = new(Math.Max(2, Environment.ProcessorCount));

    private static string Tool(string name) => Path.Combine(ConformancePaths.RepositoryRoot, "tests", "tools", name);

    /// <summary>botocore's chain or error for every profile of the two files (botocore_resolve.py's JSON).</summary>
    public static Task<JsonNode> ResolveAsync(string configPath, string credentialsPath) =>
        RunToolAsync([Tool("botocore_resolve.py"), "--config", configPath, "--credentials", credentialsPath]);

    /// <summary>botocore's profile map for each pair of files, read by one process (botocore_parse.py's JSON list).</summary>
    public static async Task<JsonArray> ParseAsync(IEnumerable<(string ConfigPath, string CredentialsPath)> cases)
    {
        var arguments = new List<string> { Tool("botocore_parse.py") };
        foreach (var (configPath, credentialsPath) in cases) arguments.AddRange(["--case", configPath, credentialsPath]);
        return (await RunToolAsync(arguments)).AsArray();
    }

    private static async Task<JsonNode> RunToolAsync(IReadOnlyList<string> arguments)
    {
        var (python, version) = await Interpreter.Value;
        await Slots.WaitAsync();
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(python, arguments);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"The botocore oracle failed (exit {exitCode}, botocore {version} at {python}): {stderr.Trim()}");
            }
            return JsonNode.Parse(stdout) ?? throw new InvalidOperationException($"The botocore oracle printed nothing (botocore {version} at {python}).");
        }
        finally
        {
            Slots.Release();
        }
    }

    public static async Task<string> DescribeAsync()
    {
        var (python, version) = await Interpreter.Value;
        return $"botocore {version} at {python}";
    }

    private static async Task<(string, string)> FindInterpreterAsync()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        string[] names = OperatingSystem.IsWindows() ? ["python3.exe", "python.exe"] : ["python3"];
        var python = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"python3 was not found on PATH ({path}). The differential conformance test compares the model with the real botocore "
                + "through tests/tools/botocore_resolve.py: install Python 3.11 with botocore 1.43 (python3 -m pip install botocore==1.43.11).");
        // Ask for the real executable: a pyenv shim costs seconds per start, and the oracle is started once per case.
        var (exitCode, stdout, stderr) = await RunAsync(python, ["-c", "import sys, botocore; print(sys.executable); print(botocore.__version__)"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{python} cannot import botocore (exit {exitCode}): {stderr.Trim()}\n"
                + "The differential conformance test needs it: python3 -m pip install botocore==1.43.11.");
        }
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (lines[0], lines[1]);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', start.ArgumentList)} did not finish within {Timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
