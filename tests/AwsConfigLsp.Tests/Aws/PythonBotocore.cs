using System.Diagnostics;

namespace AwsConfigLsp.Tests.Aws;

/// <summary>Runs a Python snippet with the installed botocore (the project's truth); fails, never skips, when it is missing.</summary>
internal static class PythonBotocore
{
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) throw new TimeoutException("python3 did not finish in 60 s");
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3 with botocore failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result.TrimEnd('\n');
    }
}
