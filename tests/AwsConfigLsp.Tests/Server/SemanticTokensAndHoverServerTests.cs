// The client side sends the server's own LSP records, which LspJsonContext serializes without reflection.
#pragma warning disable IL2026
using System.Text.Json;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>Semantic tokens and hover through the real server over an in-memory pipe, as an editor sees them.</summary>
public sealed class SemanticTokensAndHoverServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Uri = "untitled:Untitled-1";
    private const string Text = "[profile café]\r\nregion = eu-west-3\r\n\r\n[profile b]\r\nsource_profile = café\r\n";

    private LanguageServer server = null!;
    private JsonRpc client = null!;

    public Task InitializeAsync()
    {
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        var locations = new AwsFileLocations("/nonexistent/awsconfig-lsp-tests/config", "/nonexistent/awsconfig-lsp-tests/credentials");
        server = LanguageServerHost.Start(serverStream, serverStream, new ServerOptions(locations, TimeSpan.Zero));
        client = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, LanguageServerHost.CreateFormatter()));
        client.StartListening();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await client.InvokeAsync<object?>("shutdown").WaitAsync(Timeout);
        await client.NotifyAsync("exit");
        await server.Completion.WaitAsync(Timeout);
        Assert.Equal(0, server.ExitCode);
        client.Dispose();
    }

    private Task<JsonElement> RequestAsync<TParams>(string method, TParams parameters) where TParams : class =>
        client.InvokeWithParameterObjectAsync<JsonElement>(method, parameters).WaitAsync(Timeout);

    private async Task<JsonElement> InitializeAndOpenAsync()
    {
        var initialize = await RequestAsync("initialize", new InitializeParams { ProcessId = null });
        await client.NotifyWithParameterObjectAsync("initialized", new InitializeParams());
        await client.NotifyWithParameterObjectAsync("textDocument/didOpen",
            new DidOpenTextDocumentParams(new TextDocumentItem(Uri, "awsconfig", 1, Text)));
        return initialize;
    }

    [Fact]
    public async Task SemanticTokensFullAndRangeAnswerWithTheAdvertisedLegend()
    {
        var initialize = await InitializeAndOpenAsync();
        var provider = initialize.GetProperty("capabilities").GetProperty("semanticTokensProvider");
        Assert.True(provider.GetProperty("full").GetBoolean());
        Assert.True(provider.GetProperty("range").GetBoolean());
        var tokenTypes = provider.GetProperty("legend").GetProperty("tokenTypes").EnumerateArray().Select(t => t.GetString()).ToArray();
        var modifiers = provider.GetProperty("legend").GetProperty("tokenModifiers").EnumerateArray().Select(t => t.GetString()).ToArray();

        var full = await RequestAsync("textDocument/semanticTokens/full", new SemanticTokensParams(new TextDocumentIdentifier(Uri)));
        var data = full.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        // Columns count UTF-16 code units; CRLF ends lines like LF.
        Assert.Equal(
        [
            "0:1:7 keyword", "0:9:4 class+declaration",
            "1:0:6 property", "1:9:9 enumMember",
            "3:1:7 keyword", "3:9:1 class+declaration",
            "4:0:14 property", "4:17:4 class",
        ], Describe(data, tokenTypes, modifiers));

        var range = await RequestAsync("textDocument/semanticTokens/range",
            new SemanticTokensRangeParams(new TextDocumentIdentifier(Uri), new AwsConfigLsp.Server.Protocol.Range(new Position(4, 0), new Position(5, 0))));
        var rangeData = range.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        Assert.Equal(["4:0:14 property", "4:17:4 class"], Describe(rangeData, tokenTypes, modifiers));
    }

    [Fact]
    public async Task HoverOnAKeyAndOnARegionThroughTheServer()
    {
        await InitializeAndOpenAsync();
        var key = await RequestAsync("textDocument/hover", new TextDocumentPositionParams(new TextDocumentIdentifier(Uri), new Position(1, 2)));
        Assert.Equal("markdown", key.GetProperty("contents").GetProperty("kind").GetString());
        Assert.StartsWith("**`region`**:", key.GetProperty("contents").GetProperty("value").GetString());
        Assert.Equal(0, key.GetProperty("range").GetProperty("start").GetProperty("character").GetInt32());
        Assert.Equal(6, key.GetProperty("range").GetProperty("end").GetProperty("character").GetInt32());

        var value = await RequestAsync("textDocument/hover", new TextDocumentPositionParams(new TextDocumentIdentifier(Uri), new Position(1, 12)));
        Assert.Equal("**eu-west-3**: Europe (Paris)\n", value.GetProperty("contents").GetProperty("value").GetString());
    }

    /// <summary>Decodes the relative array into "line:column:length type+modifier" strings, through the legend.</summary>
    private static string[] Describe(uint[] data, string?[] tokenTypes, string?[] modifiers)
    {
        var result = new List<string>();
        var line = 0;
        var character = 0;
        for (var i = 0; i < data.Length; i += 5)
        {
            line += (int)data[i];
            character = data[i] == 0 ? character + (int)data[i + 1] : (int)data[i + 1];
            var names = Enumerable.Range(0, modifiers.Length).Where(bit => (data[i + 4] & (1u << bit)) != 0).Select(bit => "+" + modifiers[bit]);
            result.Add($"{line}:{character}:{data[i + 2]} {tokenTypes[data[i + 3]]}{string.Concat(names)}");
        }
        return [.. result];
    }
}
