// The test client serializes anonymous parameter objects by reflection, which the AOT analyzers flag; tests are not
// published with NativeAOT.
#pragma warning disable IL2026, IL3050
using System.Text.Json;
using System.Threading.Channels;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Server.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>credentials-file-permissions: the rule on <see cref="FileFacts"/>, the facts <c>check</c> reads, and the chmod command through the server.</summary>
public class CredentialsFilePermissionsTests
{
    private const string Credentials = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static FileFacts Mode(string octal) => new() { CredentialsFileMode = (UnixFileMode)Convert.ToInt32(octal, 8) };

    [Fact]
    public void CredentialsFileOthersCanReadIsReportedOnItsFirstLine()
    {
        var diagnostic = Assert.Single(RuleCheck.Check("", """
            [default]
            #^^^^^^^^ warning credentials-file-permissions: The credentials file has mode 644: other users can read or change the secret keys
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            """, facts: Mode("644")));
        var fix = Assert.Single(diagnostic.Fixes);
        Assert.Empty(fix.Edits);
        Assert.Equal((CredentialsFilePermissionsRule.CommandName, "/home/user/.aws/credentials"), fix.Command);
        Assert.DoesNotContain("wJalrXUtnFEMI", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupAccessIsReportedAndOwnerOnlyModesAreNot()
    {
        RuleCheck.Check("", """
            # written by hand
            #^^^^^^^^^^^^^^^^ warning credentials-file-permissions: mode 640: its group can read
            [default]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            """, facts: Mode("640"));
        RuleCheck.Check("", Credentials, facts: Mode("600"));
        RuleCheck.Check("", Credentials, facts: Mode("400"));
        RuleCheck.Check("", Credentials, facts: Mode("700"));
        RuleCheck.Check("", Credentials, facts: FileFacts.None);
    }

    [Fact]
    public void CheckReadsTheCredentialsFileModeFromDisk()
    {
        using var folder = new TempFolder();
        var credentials = folder.Write("credentials", Credentials);
        var config = folder.Write("config", "[default]\nregion = us-east-1\n");
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(FileFacts.None, FileLoader.ReadFacts(credentials));
            return;
        }
        File.SetUnixFileMode(credentials, (UnixFileMode)Convert.ToInt32("644", 8));
        Assert.Equal(Mode("644"), FileLoader.ReadFacts(credentials));
        var (exitCode, output) = RunCheck(config, credentials);
        Assert.Equal(0, exitCode);
        Assert.Contains("credentials:1:1: warning credentials-file-permissions: The credentials file has mode 644", output, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {credentials}", output, StringComparison.Ordinal);

        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (exitCode, output) = RunCheck(config, credentials);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("credentials-file-permissions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixCommandMakesTheCredentialsFilePrivateThroughTheServerAndRepublishes()
    {
        using var folder = new TempFolder();
        var credentials = folder.Write("credentials", Credentials);
        folder.Write("config", "[default]\nregion = us-east-1\n");
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(FileFacts.None, FileLoader.ReadFacts(credentials));
            return;
        }
        File.SetUnixFileMode(credentials, (UnixFileMode)Convert.ToInt32("644", 8));
        await using var client = await Client.StartAsync(folder.Path, new { workspace = new { executeCommand = new { dynamicRegistration = false } } });
        var commands = client.InitializeResult.GetProperty("capabilities").GetProperty("executeCommandProvider").GetProperty("commands");
        Assert.Contains(CredentialsFilePermissionsRule.CommandName, commands.EnumerateArray().Select(c => c.GetString()));

        var uri = Workspace.ToUri(credentials);
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "awscredentials", version = 1, text = Credentials } });
        var published = await client.NextDiagnosticsAsync(uri);
        var diagnostic = Assert.Single(published.EnumerateArray());
        Assert.Equal("credentials-file-permissions", diagnostic.GetProperty("code").GetString());
        Assert.Equal(0, diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());

        var actions = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } },
            context = new { diagnostics = new[] { diagnostic } },
        });
        var action = Assert.Single(actions.EnumerateArray());
        var command = action.GetProperty("command");
        Assert.Equal(CredentialsFilePermissionsRule.CommandName, command.GetProperty("command").GetString());
        Assert.False(action.TryGetProperty("edit", out _));

        await client.RequestAsync("workspace/executeCommand", new { command = command.GetProperty("command").GetString(), arguments = command.GetProperty("arguments") });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        // The republish (a disk watcher may add another one, also clean) no longer has the finding.
        Assert.Empty((await client.NextDiagnosticsAsync(uri)).EnumerateArray());
    }

    [Fact]
    public async Task FixCommandIsNotOfferedToClientsWithoutExecuteCommandAndRefusesOtherFiles()
    {
        using var folder = new TempFolder();
        var credentials = folder.Write("credentials", Credentials);
        var other = folder.Write("notes.txt", "not a credentials file\n");
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(FileFacts.None, FileLoader.ReadFacts(credentials));
            return;
        }
        File.SetUnixFileMode(credentials, (UnixFileMode)Convert.ToInt32("644", 8));
        File.SetUnixFileMode(other, (UnixFileMode)Convert.ToInt32("644", 8));
        await using var client = await Client.StartAsync(folder.Path, new { workspace = new { applyEdit = true } });
        var uri = Workspace.ToUri(credentials);
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "awscredentials", version = 1, text = Credentials } });
        Assert.Single((await client.NextDiagnosticsAsync(uri)).EnumerateArray());
        var actions = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 3 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        Assert.Empty(actions.EnumerateArray());

        var error = await Assert.ThrowsAnyAsync<RemoteRpcException>(() =>
            client.RequestAsync("workspace/executeCommand", new { command = CredentialsFilePermissionsRule.CommandName, arguments = new[] { other } }));
        Assert.Contains("is not a credentials file this server reads", error.Message, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(other));
    }

    private static (int ExitCode, string Output) RunCheck(string config, string credentials)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = CliApp.Run("check", ["--config", config, "--credentials", credentials], stdout, stderr, _ => null);
        return (exitCode, stdout.ToString() + stderr);
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("awsconfig-permissions-");

        public string Path => directory.FullName;

        public string Write(string name, string text)
        {
            var path = System.IO.Path.Combine(directory.FullName, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => directory.Delete(recursive: true);
    }

    /// <summary>A small LSP client over an in-memory duplex pipe to a server started with <see cref="LanguageServerHost.Start"/>.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly Channel<JsonElement> diagnostics = Channel.CreateUnbounded<JsonElement>();
        private readonly JsonRpc rpc;
        private readonly LanguageServer server;

        private Client(Stream stream, LanguageServer server)
        {
            this.server = server;
            rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, AwsConfigLsp.Tests.Support.ClientFormatter.Create()));
            rpc.AddLocalRpcTarget(new Target(diagnostics), new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
            rpc.StartListening();
        }

        public JsonElement InitializeResult { get; private set; }

        public static async Task<Client> StartAsync(string cliFolder, object capabilities)
        {
            var (clientStream, serverStream) = FullDuplexStream.CreatePair();
            var options = new ServerOptions(
                new AwsFileLocations(System.IO.Path.Combine(cliFolder, "config"), System.IO.Path.Combine(cliFolder, "credentials")),
                TimeSpan.FromMilliseconds(20));
            var client = new Client(clientStream, LanguageServerHost.Start(serverStream, serverStream, options));
            client.InitializeResult = await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = (string?)null, capabilities });
            await client.NotifyAsync("initialized", new { });
            return client;
        }

        public Task<JsonElement> RequestAsync(string method, object? parameters) =>
            rpc.InvokeWithParameterObjectAsync<JsonElement>(method, parameters is null ? null : JsonSerializer.SerializeToElement(parameters)).WaitAsync(Timeout);

        public Task NotifyAsync(string method, object? parameters) =>
            rpc.NotifyWithParameterObjectAsync(method, parameters is null ? null : JsonSerializer.SerializeToElement(parameters));

        /// <summary>The diagnostics of the next publish for <paramref name="uri"/> (publishes for other files are passed over).</summary>
        public async Task<JsonElement> NextDiagnosticsAsync(string uri)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            while (true)
            {
                var published = await diagnostics.Reader.ReadAsync(timeout.Token);
                if (published.GetProperty("uri").GetString() == uri) return published.GetProperty("diagnostics");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await RequestAsync("shutdown", null);
            await NotifyAsync("exit", null);
            await server.Completion.WaitAsync(Timeout);
            rpc.Dispose();
        }

        private sealed class Target(Channel<JsonElement> diagnostics)
        {
            [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
            public void PublishDiagnostics(JsonElement parameters) => diagnostics.Writer.TryWrite(parameters);

            [JsonRpcMethod("window/logMessage", UseSingleObjectParameterDeserialization = true)]
            public void LogMessage(JsonElement parameters)
            {
            }
        }
    }
}
