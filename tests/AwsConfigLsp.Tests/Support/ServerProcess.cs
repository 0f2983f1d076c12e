using System.Diagnostics;
using System.Text;

namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// Runs the built server (<c>dotnet awsconfig-lsp.dll</c>, copied next to the test assembly through the project
/// reference) as a child process, with <c>HOME</c> and the <c>AWS_*</c> file variables pointing into a test folder so it
/// never reads the real <c>~/.aws</c>. Stderr is collected; <see cref="Dispose"/> kills the process if it still runs.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly StringBuilder stderr = new();

    private ServerProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string ServerDll { get; } = Path.Combine(AppContext.BaseDirectory, "awsconfig-lsp.dll");

    /// <summary>What the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    /// <summary>Starts <c>dotnet awsconfig-lsp.dll ARGS</c> in <paramref name="workingDirectory"/> with <paramref name="home"/> as HOME.</summary>
    public static ServerProcess Start(string home, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "awsconfig-lsp.dll");
        if (!File.Exists(serverDll)) throw new FileNotFoundException("The server is not next to the tests; build the test project.", serverDll);
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        startInfo.ArgumentList.Add(serverDll);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var name in startInfo.Environment.Keys.Where(name => name.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }
        startInfo.Environment["HOME"] = home;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;

        var process = new Process { StartInfo = startInfo };
        var server = new ServerProcess(process);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (server.stderr) server.stderr.AppendLine(line.Data);
        };
        process.Start();
        process.BeginErrorReadLine();
        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
        Process.Dispose();
    }

    /// <summary>The dotnet host running the tests, so the server runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
