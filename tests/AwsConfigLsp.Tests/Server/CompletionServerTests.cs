// The parameter-object APIs of StreamJsonRpc carry trimming warnings; every type sent here is in LspJsonContext.
#pragma warning disable IL2026, IL3050
using System.Text.Json;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>textDocument/completion through the real server over an in-memory pipe: capabilities, JSON shape, UTF-16 positions.</summary>
public sealed class CompletionServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private LanguageServer server = null!;
    private JsonRpc client = null!;
    private JsonElement capabilities;

    public async Task InitializeAsync()
    {
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        // Paths that do not exist: the server reads nothing from this machine.
        var folder = Path.Combine(Path.GetTempPath(), "awsconfig-lsp-completion-" + Guid.NewGuid().ToString("N"));
        server = LanguageServerHost.Start(serverStream, serverStream,
            new ServerOptions(new AwsFileLocations(Path.Combine(folder, "config"), Path.Combine(folder, "credentials")), TimeSpan.Zero));
        client = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, LanguageServerHost.CreateFormatter()));
        client.StartListening();
        var result = await client.InvokeWithParameterObjectAsync<JsonElement>("initialize",
            new InitializeParams { Capabilities = JsonDocument.Parse("{}").RootElement }).WaitAsync(Timeout);
        capabilities = result.GetProperty("capabilities");
        await client.NotifyWithParameterObjectAsync("initialized", JsonDocument.Parse("{}").RootElement);
    }

    public async Task DisposeAsync()
    {
        await client.InvokeAsync("shutdown").WaitAsync(Timeout);
        await client.NotifyAsync("exit");
        await server.Completion.WaitAsync(Timeout);
        Assert.Equal(0, server.ExitCode);
        client.Dispose();
    }

    private async Task<JsonElement> CompleteAsync(string uri, string text, int line, int character)
    {
        await client.NotifyWithParameterObjectAsync("textDocument/didOpen",
            new DidOpenTextDocumentParams(new TextDocumentItem(uri, "awsconfig", 1, text)));
        return await client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/completion",
            new CompletionParams(new TextDocumentIdentifier(uri), new Position(line, character))).WaitAsync(Timeout);
    }

    [Fact]
    public void ServerAdvertisesCompletionWithItsTriggerCharacters()
    {
        var triggers = capabilities.GetProperty("completionProvider").GetProperty("triggerCharacters")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["=", " ", "[", ":", "/"], triggers);
    }

    [Fact]
    public async Task SourceProfileCompletionReplacesTheTypedNameInUtf16Columns()
    {
        // CRLF line breaks, and a name with a character outside the BMP: "🚀r" is three UTF-16 code units.
        const string text = "[profile 🚀rocket]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = s\r\n"
            + "[profile new]\r\nrole_arn = arn:aws:iam::111111111111:role/New\r\nsource_profile = 🚀r";
        var list = await CompleteAsync("untitled:Untitled-1", text, 5, "source_profile = 🚀r".Length);

        Assert.False(list.GetProperty("isIncomplete").GetBoolean());
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("🚀rocket", item.GetProperty("label").GetString());
        Assert.Equal(18, item.GetProperty("kind").GetInt32());
        Assert.Equal("static", item.GetProperty("detail").GetString());
        Assert.Equal("markdown", item.GetProperty("documentation").GetProperty("kind").GetString());
        Assert.Equal(1, item.GetProperty("insertTextFormat").GetInt32());
        var edit = item.GetProperty("textEdit");
        Assert.Equal("🚀rocket", edit.GetProperty("newText").GetString());
        Assert.Equal("""{"start":{"line":5,"character":17},"end":{"line":5,"character":20}}""", edit.GetProperty("range").GetRawText());
    }

    [Fact]
    public async Task HeaderSnippetsAreSentAsSnippetsAndKeysWithTheirMarkdown()
    {
        var headers = await CompleteAsync("untitled:Untitled-2", "[default]\nregion = us-east-1\n[", 2, 1);
        var snippet = headers.GetProperty("items").EnumerateArray().First(i => i.GetProperty("label").GetString() == "profile … (new role profile with MFA)");
        Assert.Equal(2, snippet.GetProperty("insertTextFormat").GetInt32());
        Assert.Equal(15, snippet.GetProperty("kind").GetInt32());
        Assert.Contains("mfa_serial = arn:aws:iam::${5:account}:mfa/${6:user}", snippet.GetProperty("textEdit").GetProperty("newText").GetString());

        var keys = await CompleteAsync("untitled:Untitled-3", "[profile a]\nimds\n", 1, 4);
        var deprecated = keys.GetProperty("items").EnumerateArray().First(i => i.GetProperty("label").GetString() == "imds_use_ipv6");
        Assert.Equal("[1]", deprecated.GetProperty("tags").GetRawText());
        Assert.Equal(10, deprecated.GetProperty("kind").GetInt32());
        Assert.Contains("Read by:", deprecated.GetProperty("documentation").GetProperty("value").GetString());
        Assert.Equal("""{"start":{"line":1,"character":0},"end":{"line":1,"character":4}}""", deprecated.GetProperty("textEdit").GetProperty("range").GetRawText());
    }
}
