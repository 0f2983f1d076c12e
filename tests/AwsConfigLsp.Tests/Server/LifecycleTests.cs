using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>initialize, shutdown and exit, against a server in this process.</summary>
public sealed class LifecycleTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Initialize_AdvertisesExactlyTheImplementedCapabilities()
    {
        await using var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Path));

        var result = await client.InitializeAsync();

        JsonAssert.Exact("""
            {
              "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
              "documentSymbolProvider": true,
              "foldingRangeProvider": true,
              "hoverProvider": true,
              "definitionProvider": true,
              "referencesProvider": true,
              "documentHighlightProvider": true,
              "renameProvider": { "prepareProvider": true },
              "workspaceSymbolProvider": true,
              "documentFormattingProvider": true,
              "documentRangeFormattingProvider": true,
              "codeActionProvider": { "codeActionKinds": ["quickfix", "source.fixAll.awsconfig"] },
              "semanticTokensProvider": "<any>",
              "completionProvider": { "triggerCharacters": ["=", " ", "[", ":", "/"], "resolveProvider": true },
              "executeCommandProvider": { "commands": ["awsconfig.fixCredentialsPermissions", "awsconfig.testProfile", "awsconfig.clearCachedSession", "awsconfig.clearCliCache"] },
              "codeLensProvider": { "resolveProvider": false }
            }
            """, result.GetProperty("capabilities"));
        JsonAssert.Subset("""{ "serverInfo": { "name": "awsconfig-lsp", "version": "<any>" } }""", result);
    }

    [Fact]
    public async Task ShutdownThenExit_CompletesTheServerWithExitCode0()
    {
        await using var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Path));
        await client.InitializeAsync();

        var shutdownResult = await client.ShutdownAsync();
        await client.ExitAsync();

        Assert.Equal(System.Text.Json.JsonValueKind.Null, shutdownResult.ValueKind);
        Assert.True(client.Server!.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, client.Server.ExitCode);
    }

    [Fact]
    public async Task ExitWithoutShutdown_CompletesTheServerWithExitCode1()
    {
        await using var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Path));
        await client.InitializeAsync();

        await client.ExitAsync();

        Assert.True(client.Server!.Completion.IsCompletedSuccessfully);
        Assert.Equal(1, client.Server.ExitCode);
    }

    [Fact]
    public async Task ClientDisconnecting_CompletesTheServerWithExitCode1()
    {
        var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Path));
        await client.InitializeAsync();
        var server = client.Server!;

        client.Rpc.Dispose();
        await server.Completion.WithTimeout(LspTestClient.Timeout, "the server to notice the closed connection");
        await client.DisposeAsync();

        Assert.Equal(1, server.ExitCode);
    }
}
