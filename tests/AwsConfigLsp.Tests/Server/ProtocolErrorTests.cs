using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using StreamJsonRpc.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>What the server answers to requests it cannot serve, and that none of them ends the connection.</summary>
public sealed class ProtocolErrorTests : IAsyncLifetime
{
    private static readonly System.Text.RegularExpressions.Regex StackFrame = new(@"\bat [\w.`<>\[\]]+\(");

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string uri = null!;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await client.InitializeAsync();
        uri = folder.Uri("work/config");
        await client.OpenAsync(uri, "[profile a]\nregion = us-east-1\n");
        await client.NextDiagnosticsAsync(uri, version: 1);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task UnknownRequest_AnswersMethodNotFound_AndTheServerAnswersTheNextRequest()
    {
        var error = await client.RequestErrorAsync("textDocument/noSuchMethod", new { textDocument = new { uri }, position = new { line = 0, character = 1 } });

        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, error.Code);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task UnknownNotification_IsIgnored()
    {
        await client.NotifyAsync("$/someClientExtension", new { value = 1 });
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { } });

        await AssertServerStillAnswersAsync();
    }

    [Theory]
    [InlineData("textDocument/documentSymbol", "{}")]
    [InlineData("textDocument/documentSymbol", """{ "textDocument": null }""")]
    [InlineData("textDocument/foldingRange", """{ "textDocument": {} }""")]
    public async Task MissingTextDocument_AnswersInvalidParamsWithAPlainMessage(string method, string parameters)
    {
        var error = await client.RequestErrorAsync(method, parameters);

        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, error.Code);
        Assert.Equal("The request needs textDocument.uri.", error.Message);
        AssertNoStackTrace(error);
        await AssertServerStillAnswersAsync();
    }

    [Theory]
    [InlineData("""{ "textDocument": { "uri": 42 } }""", "The params of textDocument/documentSymbol do not have the LSP shape at $.textDocument.uri.")]
    [InlineData("""{ "textDocument": "file:///config" }""", "The params of textDocument/documentSymbol do not have the LSP shape at $.textDocument.")]
    public async Task ParamsOfTheWrongType_AnswerInvalidParamsWithThePath(string parameters, string message)
    {
        var error = await client.RequestErrorAsync("textDocument/documentSymbol", parameters);

        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, error.Code);
        Assert.Equal(message, error.Message);
        AssertNoStackTrace(error);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task ParamsAsAnArray_AnswerInvalidParams()
    {
        var error = await client.RequestErrorAsync("textDocument/documentSymbol", "[1, 2]");

        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, error.Code);
        AssertNoStackTrace(error);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task NotificationHandlerThatThrows_DoesNotEndTheServer_AndKeepsTheDocument()
    {
        // A content change without text makes the didChange handler throw; a notification has no answer to carry it.
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = 2 }, contentChanges = new object?[] { null } });
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = 2 } });
        await client.NotifyAsync("textDocument/didOpen", new { });

        await AssertServerStillAnswersAsync();
        // The document is unchanged, and a valid edit still applies.
        await client.ChangeAsync(uri, 3, (1, 9, 1, 18, "eu-west-1"));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(uri, version: 3));
        JsonAssert.Subset("""[{ "children": [{ "name": "region", "detail": "eu-west-1" }] }]""",
            await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }));
    }

    [Theory]
    [InlineData("{not json", -32700)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///x/config\",\"text\":", -32700)]
    [InlineData("\u0000\u0001binary", -32700)]
    [InlineData("", -32700)]
    [InlineData("[]", -32600)]
    [InlineData("\"just a string\"", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":42}", -32600)]
    [InlineData("{\"id\":1,\"method\":\"textDocument/foldingRange\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{\"nested\":true},\"method\":\"textDocument/foldingRange\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"textDocument/foldingRange\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/foldingRange\",\"params\":\"text\"}", -32600)]
    // A wrong member before broken JSON: the body is not JSON, which is what is said (the check reads the body once).
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"textDocument/foldingRange\",\"params\":{\"x\":", -32700)]
    [InlineData("[1, 2", -32700)]
    // Members of params are not the message's: a "jsonrpc" or "method" inside it does not make a message.
    [InlineData("{\"id\":1,\"params\":{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/foldingRange\"}}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"params\":{\"method\":\"textDocument/foldingRange\",\"id\":3}}", -32600)]
    public async Task MalformedBody_IsAnsweredWithIdNull_AndTheNextRequestIsAnswered(string body, int code)
    {
        await client.WriteRawAsync($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

        var error = await client.NextNullIdErrorAsync();
        Assert.Equal(code, error.Code);
        Assert.StartsWith(code == -32700 ? "Parse error: " : "Invalid request: ", error.Message);
        AssertNoStackTrace(error);
        await AssertServerStillAnswersAsync();
        Assert.False(client.Server!.Completion.IsCompleted);
    }

    [Fact]
    public async Task JsonNestedDeeperThanTheServerReads_IsAParseError_AndTheServerGoesOn()
    {
        var body = $$"""{"jsonrpc":"2.0","method":"x","params":{{new string('[', 200)}}{{new string(']', 200)}}}""";
        await client.WriteRawAsync($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task ContentLengthTooShort_AnswersParseError_SkipsTheRest_AndServesTheNextMessage()
    {
        var body = """{"jsonrpc":"2.0","id":"lost","method":"textDocument/documentSymbol","params":{"textDocument":{"uri":""" + $"\"{uri}\"" + "}}}";
        await client.WriteRawAsync($"Content-Length: 20\r\n\r\n{body}");

        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task ContentLengthTooLong_SwallowsTheNextMessage_AnswersParseError_AndServesTheOneAfter()
    {
        var body = $$"""{"jsonrpc":"2.0","method":"$/nothing"}""";
        var next = $$$"""{"jsonrpc":"2.0","method":"$/alsoNothing","params":{"padding":"{{{new string('x', 100)}}}"}}""";
        await client.WriteRawAsync($"Content-Length: {body.Length + 40}\r\n\r\n{body}Content-Length: {next.Length}\r\n\r\n{next}");

        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServerStillAnswersAsync();
    }

    [Theory]
    [InlineData("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")]
    [InlineData("Content-Length: many\r\n\r\n")]
    [InlineData("Content-Length: -5\r\n\r\n")]
    public async Task HeaderWithoutAUsableContentLength_AnswersParseError(string header)
    {
        await client.WriteRawAsync(header);

        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task GarbageBetweenMessages_IsSkipped()
    {
        await client.WriteRawAsync("garbage\r\nmore garbage \u0000\u0001 ");

        await AssertServerStillAnswersAsync();
        Assert.Equal(0, client.UnreadNullIdErrors);
    }

    [Fact]
    public async Task CancelRequest_AnswersRequestCancelledOrTheResult()
    {
        var id = await client.SendRawRequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        await client.NotifyAsync("$/cancelRequest", new { id });

        var response = await client.ResponseAsync(id);

        if (response.Error is { } error)
        {
            Assert.Equal((int)JsonRpcErrorCode.RequestCanceled, error.Code);
            AssertNoStackTrace(error);
        }
        else
        {
            JsonAssert.Subset("""[{ "name": "a" }]""", response.Result!.Value);
        }
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task CancelRequest_ThroughStreamJsonRpc_EndsTheCallAndTheServerGoesOn()
    {
        using var cancellation = new CancellationTokenSource();
        var call = client.Rpc.InvokeWithParameterObjectAsync<JsonElement>(
            "textDocument/foldingRange", JsonAssert.Parse($$"""{ "textDocument": { "uri": "{{uri}}" } }"""), cancellation.Token);
        cancellation.Cancel();

        try
        {
            JsonAssert.Subset("""[{ "startLine": 0 }]""", await call.WithTimeout(LspTestClient.Timeout, "the cancelled request"));
        }
        catch (OperationCanceledException)
        {
        }
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task CancelRequest_ForAnUnknownId_IsIgnored()
    {
        await client.NotifyAsync("$/cancelRequest", new { id = 12345 });
        await client.NotifyAsync("$/cancelRequest", new { id = "no-such-request" });

        await AssertServerStillAnswersAsync();
    }

    private async Task AssertServerStillAnswersAsync()
    {
        var outline = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        JsonAssert.Subset("""[{ "name": "a" }]""", outline);
    }

    private static void AssertNoStackTrace(LspError error)
    {
        // One plain line: no frames ("   at Type.Method(...) in file:line"), no exception dump.
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotMatch(StackFrame, error.Message);
        Assert.DoesNotContain("Exception:", error.Message);
        if (error.Data is { } data && data.ValueKind != JsonValueKind.Null)
        {
            var text = data.GetRawText();
            Assert.DoesNotMatch(StackFrame, text);
            Assert.DoesNotContain("stack", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
