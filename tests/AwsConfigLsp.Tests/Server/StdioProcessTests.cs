using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>The real <c>awsconfig-lsp</c> process over stdio: what an editor starts.</summary>
public sealed class StdioProcessTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task StdioServer_InitializeOpenShutdownExit_PublishesDiagnosticsAndExitsWith0()
    {
        using var server = StartServer();
        var client = LspTestClient.Connect(server.Process.StandardInput.BaseStream, server.Process.StandardOutput.BaseStream,
            () => server.Process.WaitForExitAsync());
        await using (client)
        {
            var initialize = await client.InitializeAsync();
            JsonAssert.Subset("""{ "capabilities": { "textDocumentSync": { "change": 2 } }, "serverInfo": { "name": "awsconfig-lsp" } }""", initialize);

            var uri = folder.Uri("home/.aws/config");
            await client.OpenAsync(uri, "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", "ini");
            JsonAssert.Subset("""
                [
                  { "code": "source-profile-loop", "range": { "start": { "line": 2, "character": 17 } } },
                  { "code": "source-profile-loop", "range": { "start": { "line": 6, "character": 17 } } }
                ]
                """, await client.NextDiagnosticsAsync(uri, version: 1));

            await client.ShutdownAsync();
            await client.ExitAsync();
        }

        Assert.True(server.Process.HasExited);
        Assert.True(server.Process.ExitCode == 0, $"Exit code {server.Process.ExitCode}; stderr:\n{server.Stderr}");
    }

    [Fact]
    public async Task StdioServer_ExitWithoutShutdown_ExitsWith1()
    {
        using var server = StartServer("--stdio");
        var client = LspTestClient.Connect(server.Process.StandardInput.BaseStream, server.Process.StandardOutput.BaseStream,
            () => server.Process.WaitForExitAsync());
        await using (client)
        {
            await client.InitializeAsync();
            await client.ExitAsync();
        }

        Assert.Equal(1, server.Process.ExitCode);
    }

    [Fact]
    public async Task StdioServer_WithTimingLog_LogsEachMessageReadAndEachAnswerWrittenInOrder_WithoutContent()
    {
        var log = folder.Combine("timing.log");
        using var server = StartServer(new Dictionary<string, string> { ["AWSCONFIG_LSP_TIMING"] = log });
        var client = LspTestClient.Connect(server.Process.StandardInput.BaseStream, server.Process.StandardOutput.BaseStream,
            () => server.Process.WaitForExitAsync());
        var uri = folder.Uri("home/.aws/config");
        await using (client)
        {
            await client.InitializeAsync();
            await client.OpenAsync(uri, "[profile secret-looking]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", "ini");
            await client.NextDiagnosticsAsync(uri, version: 1);
            await client.ChangeAsync(uri, 2, (0, 1, 0, 1, "x"));
            await client.RequestAsync("textDocument/hover", new { textDocument = new { uri }, position = new { line = 0, character = 3 } });
            await client.ShutdownAsync();
            await client.ExitAsync();
        }
        Assert.Equal(0, server.Process.ExitCode);

        var lines = File.ReadAllLines(log).Select(line => line.Split(' ')).ToList();
        // in|out, time, method or "-", id or "-", the collector's pause and counts so far (gc=TICKS/GEN0/GEN1/GEN2), and
        // its heap, committed memory and fragmentation in KiB (mem=HEAP/COMMITTED/FRAGMENTED).
        Assert.All(lines, fields => Assert.Equal(6, fields.Length));
        Assert.All(lines, fields => Assert.Matches(@"^gc=\d+/\d+/\d+/\d+$", fields[4]));
        Assert.All(lines, fields => Assert.Matches(@"^mem=\d+/\d+/\d+$", fields[5]));
        // As of the last collection (all 0 before the first): the heap is never more than the memory committed for it.
        Assert.All(lines, fields =>
        {
            var memory = fields[5][4..].Split('/').Select(long.Parse).ToArray();
            Assert.True(memory[0] <= memory[1], string.Join(' ', fields));
        });
        var read = lines.Where(f => f[0] == "in").Select(f => f[2]).ToList();
        Assert.Equal(["initialize", "initialized", "textDocument/didOpen", "textDocument/didChange", "textDocument/hover", "shutdown", "exit"],
            read.Where(m => m != "-").ToList());
        // Each answer is written after its request was read, and the clock is monotonic.
        foreach (var request in lines.Where(f => f[0] == "in" && f[3] != "-"))
        {
            var answer = Assert.Single(lines, f => f[0] == "out" && f[2] == "-" && f[3] == request[3]);
            Assert.True(long.Parse(answer[1]) >= long.Parse(request[1]), $"{request[2]} answered before it was read");
        }
        // The server's own messages are logged by method (publishDiagnostics), and no content ever is.
        Assert.Contains(lines, f => f[0] == "out" && f[2] == "textDocument/publishDiagnostics");
        var text = File.ReadAllText(log);
        Assert.DoesNotContain("AKIA", text);
        Assert.DoesNotContain("secret-looking", text);
        Assert.DoesNotContain(uri, text);
    }

    private ServerProcess StartServer(params string[] arguments) => StartServer(null, arguments);

    private ServerProcess StartServer(Dictionary<string, string>? extra, params string[] arguments) => ServerProcess.Start(
        folder.Combine("home"),
        folder.Path,
        new Dictionary<string, string>(extra ?? [])
        {
            ["AWS_CONFIG_FILE"] = folder.Combine("home/.aws/config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = folder.Combine("home/.aws/credentials"),
        },
        arguments);
}
