using AwsConfigLsp.Tests.Support;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The real <c>awsconfig-lsp</c> process over stdio with a test client connected, HOME and the CLI's files in a test
/// folder. Every byte the server wrote on stdout is kept (<see cref="Stdout"/>), and stderr (<see cref="Stderr"/>).
/// </summary>
public sealed class StdioSession : IAsyncDisposable
{
    private readonly ServerProcess server;
    private readonly RecordingStream stdout;

    private StdioSession(ServerProcess server, RecordingStream stdout, LspTestClient client)
    {
        this.server = server;
        this.stdout = stdout;
        Client = client;
    }

    public LspTestClient Client { get; }

    public System.Diagnostics.Process Process => server.Process;

    public byte[] Stdout => stdout.Bytes;

    public string Stderr => server.Stderr;

    /// <summary>Starts the server with HOME at <c>FOLDER/home</c> and the CLI's files at <c>FOLDER/home/.aws/{config,credentials}</c>.</summary>
    public static StdioSession Start(TempFolder folder, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_CONFIG_FILE"] = folder.Combine("home/.aws/config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = folder.Combine("home/.aws/credentials"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        var server = ServerProcess.Start(folder.Combine("home"), folder.Path, variables);
        var stdout = new RecordingStream(server.Process.StandardOutput.BaseStream);
        var client = LspTestClient.Connect(server.Process.StandardInput.BaseStream, stdout, () => server.Process.WaitForExitAsync());
        return new StdioSession(server, stdout, client);
    }

    /// <summary>Waits for the process to end on its own (after exit, or stdin closing); returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await server.Process.WaitForExitAsync().WithTimeout(LspTestClient.Timeout, "the server process to end");
        return server.Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        server.Dispose();
    }
}
