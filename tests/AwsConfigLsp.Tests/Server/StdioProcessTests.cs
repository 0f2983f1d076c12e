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

    private ServerProcess StartServer(params string[] arguments) => ServerProcess.Start(
        folder.Combine("home"),
        folder.Path,
        new Dictionary<string, string>
        {
            ["AWS_CONFIG_FILE"] = folder.Combine("home/.aws/config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = folder.Combine("home/.aws/credentials"),
        },
        arguments);
}
