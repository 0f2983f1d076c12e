using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// Asks the installed botocore (through <c>tests/tools/botocore_resolve.py</c>, offline) which chain the AWS CLI builds
/// for each profile of two file texts. Fails, never skips, when python3 or botocore is missing.
/// </summary>
internal static class BotocoreChains
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AwsConfigLsp.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AwsConfigLsp.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>botocore_resolve.py's JSON for the two texts, written to a temporary directory.</summary>
    public static async Task<JsonNode> ResolveAsync(string config, string credentials)
    {
        var directory = Directory.CreateTempSubdirectory("awsconfig-oracle-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config");
            var credentialsPath = Path.Combine(directory.FullName, "credentials");
            await File.WriteAllTextAsync(configPath, config);
            await File.WriteAllTextAsync(credentialsPath, credentials);
            var script = Path.Combine(RepositoryRoot(), "tests", "tools", "botocore_resolve.py");
            var (exitCode, stdout, stderr) = await RunAsync(Python(), [script, "--config", configPath, "--credentials", credentialsPath]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The botocore oracle failed (exit {exitCode}): {stderr.Trim()}\n"
                    + "It needs Python 3.11 with botocore 1.43 (python3 -m pip install botocore==1.43.11).");
            }
            return JsonNode.Parse(stdout) ?? throw new InvalidOperationException("The botocore oracle printed nothing.");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The chain botocore builds for <paramref name="profile"/> (base first); fails the test when botocore raised an error.</summary>
    public static JsonArray Chain(JsonNode result, string profile)
    {
        var entry = result["profiles"]!.AsArray().FirstOrDefault(p => p!["profile"]!.GetValue<string>() == profile)
            ?? throw new InvalidOperationException($"botocore did not resolve profile {profile}: {result.ToJsonString()}");
        if (entry["error"] is JsonObject error) throw new InvalidOperationException($"botocore failed for {profile}: {error.ToJsonString()}");
        return entry["chain"]!.AsArray();
    }

    /// <summary>The <c>SerialNumber</c> botocore sends when it assumes <paramref name="profile"/>'s own role.</summary>
    public static string? MfaSerialOf(JsonNode result, string profile)
    {
        var hop = Chain(result, profile).Last(h => h!["profile"]!.GetValue<string>() == profile && h["kind"]!.GetValue<string>() == "assume-role");
        return hop!["mfaSerial"]?.GetValue<string>();
    }

    private static string Python()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        string[] names = OperatingSystem.IsWindows() ? ["python3.exe", "python.exe"] : ["python3"];
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"python3 was not found on PATH ({path}). The fix tests check their result with the real botocore through "
                + "tests/tools/botocore_resolve.py: install Python 3.11 with botocore 1.43 (python3 -m pip install botocore==1.43.11).");
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
            throw new TimeoutException($"{executable} did not finish within {Timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
