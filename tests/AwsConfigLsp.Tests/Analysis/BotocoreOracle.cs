using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// Runs <c>tests/tools/botocore_resolve.py</c> (the installed botocore, offline) on a config and credentials text, so
/// a fix's test can prove that the CLI then does what the diagnostic promised. Fails, never skips, when python3 or
/// botocore is missing.
/// </summary>
public static class BotocoreOracle
{
    /// <summary>What botocore says about two files: the file-level error and, per profile, the chain or the error.</summary>
    public sealed class Result(JsonElement root)
    {
        public JsonElement Root { get; } = root;

        /// <summary>Null when botocore reads both files; else its message.</summary>
        public string? FileError => Root.GetProperty("fileError") is { ValueKind: JsonValueKind.Object } error ? error.GetProperty("message").GetString() : null;

        /// <summary><c>Session.available_profiles</c>, in botocore's order.</summary>
        public IReadOnlyList<string> Profiles => [.. Root.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("profile").GetString()!)];

        public JsonElement Profile(string name)
        {
            foreach (var profile in Root.GetProperty("profiles").EnumerateArray())
            {
                if (profile.GetProperty("profile").GetString() == name) return profile;
            }
            throw new Xunit.Sdk.XunitException($"botocore lists no profile '{name}'; it lists: {string.Join(", ", Profiles)}");
        }

        /// <summary>The chain of <paramref name="name"/>, base first; fails when botocore raised an error for it.</summary>
        public IReadOnlyList<JsonElement> Chain(string name)
        {
            var profile = Profile(name);
            if (profile.GetProperty("error") is { ValueKind: JsonValueKind.Object } error)
            {
                throw new Xunit.Sdk.XunitException($"botocore fails for profile '{name}': {error.GetProperty("message").GetString()}");
            }
            return [.. profile.GetProperty("chain").EnumerateArray()];
        }
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AwsConfigLsp.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AwsConfigLsp.sln not found above " + AppContext.BaseDirectory + "; the botocore oracle lives in tests/tools of the repository.");
    }

    /// <summary>Resolves every profile (or the given ones) of the two texts with botocore.</summary>
    public static Result Resolve(string config, string credentials, params string[] profiles)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "tools", "botocore_resolve.py");
        Assert.True(File.Exists(script), $"The botocore oracle {script} is missing.");
        var directory = Directory.CreateTempSubdirectory("awsconfig-oracle-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config");
            var credentialsPath = Path.Combine(directory.FullName, "credentials");
            File.WriteAllText(configPath, config);
            File.WriteAllText(credentialsPath, credentials);
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { script, "--config", configPath, "--credentials", credentialsPath }.Concat(profiles)) start.ArgumentList.Add(argument);

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
            }
            catch (Win32Exception exception)
            {
                throw new Xunit.Sdk.XunitException(
                    $"python3 is needed to run the botocore oracle ({exception.Message}). Install python3 and botocore 1.43 (scripts/setup.sh; pip install awscli).");
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new Xunit.Sdk.XunitException("The botocore oracle did not finish within 2 minutes.");
                }
                var errors = stderr.GetAwaiter().GetResult();
                if (process.ExitCode != 0)
                {
                    var hint = errors.Contains("No module named", StringComparison.Ordinal)
                        ? " botocore is not installed for python3: install botocore 1.43 (scripts/setup.sh; pip install awscli)."
                        : "";
                    throw new Xunit.Sdk.XunitException($"The botocore oracle failed (exit code {process.ExitCode}).{hint}\n{errors}");
                }
                using var document = JsonDocument.Parse(stdout.GetAwaiter().GetResult());
                return new Result(document.RootElement.Clone());
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
