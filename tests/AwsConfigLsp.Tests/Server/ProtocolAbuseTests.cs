using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using StreamJsonRpc.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The real server process over stdio, fed what a broken or hostile client sends. After each abuse the server still
/// answers a valid request correctly, and only <c>exit</c> (or stdin closing) ends it, with LSP's exit code.
/// </summary>
public sealed class ProtocolAbuseTests : IDisposable
{
    private const string Config = "[profile a]\nregion = us-east-1\n\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n";

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string ConfigUri => folder.Uri("home/.aws/config");

    [Fact]
    public async Task BeforeInitialize_RequestsAnswerServerNotInitialized_AndNotificationsAreDropped()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;

        var error = await client.RequestErrorAsync("textDocument/documentSymbol", new { textDocument = new { uri = ConfigUri } });
        Assert.Equal(-32002, error.Code);
        Assert.Equal("The server is not initialized: send initialize before textDocument/documentSymbol.", error.Message);
        Assert.Equal(-32002, (await client.RequestErrorAsync("shutdown", null)).Code);
        await client.OpenAsync(ConfigUri, Config);

        await client.InitializeAsync();
        // The didOpen before initialize was dropped: the document is not open.
        JsonAssert.Exact("[]", await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = ConfigUri } }));
        Assert.Equal((int)JsonRpcErrorCode.InvalidRequest, (await client.RequestErrorAsync("initialize", new { capabilities = new { } })).Code);
        await AssertServesAsync(client);

        await client.ShutdownAsync();
        await client.ExitAsync();
        Assert.Equal(0, await session.ExitCodeAsync());
    }

    [Fact]
    public async Task AfterShutdown_RequestsAnswerInvalidRequest_AndExitEndsWith0()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        await AssertServesAsync(client);

        await client.ShutdownAsync();
        var error = await client.RequestErrorAsync("textDocument/hover", new { textDocument = new { uri = ConfigUri }, position = new { line = 0, character = 10 } });
        Assert.Equal((int)JsonRpcErrorCode.InvalidRequest, error.Code);
        Assert.Equal("The server is shutting down: textDocument/hover is not served after shutdown; send exit.", error.Message);
        Assert.Equal((int)JsonRpcErrorCode.InvalidRequest, (await client.RequestErrorAsync("shutdown", null)).Code);
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = ConfigUri, version = 9 }, contentChanges = new[] { new { text = "" } } });
        Assert.False(session.Process.HasExited);

        await client.ExitAsync();
        Assert.Equal(0, await session.ExitCodeAsync());
    }

    [Fact]
    public async Task StdinClosingWithoutExit_EndsTheServerWith1()
    {
        var session = StdioSession.Start(folder);
        await session.Client.InitializeAsync();
        await AssertServesAsync(session.Client);

        session.Process.StandardInput.Close();

        Assert.Equal(1, await session.ExitCodeAsync());
        Assert.DoesNotContain("Unhandled exception", session.Stderr);
        session.Client.Rpc.Dispose();
        await session.DisposeAsync();
    }

    [Fact]
    public async Task MalformedFramesAndBodies_AreAnswered_AndTheServerKeepsServing()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        await AssertServesAsync(client);

        await client.WriteRawAsync("Content-Length: 9\r\n\r\n{not json");
        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServesAsync(client);

        await client.WriteRawAsync("Content-Length: 3\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"$/x\"}");
        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServesAsync(client);

        var body = "{\"jsonrpc\":\"2.0\",\"method\":\"$/x\"}";
        await client.WriteRawAsync($"Content-Length: {body.Length + 30}\r\n\r\n{body}Content-Length: {body.Length}\r\n\r\n{body}");
        Assert.Equal(-32700, (await client.NextNullIdErrorAsync()).Code);
        await AssertServesAsync(client);

        await client.WriteRawAsync("Content-Length: 15\r\n\r\n\"just a string\"");
        Assert.Equal(-32600, (await client.NextNullIdErrorAsync()).Code);
        await client.WriteRawAsync("\0\u0001\u0002 garbage without a header\r\n\r\n");
        await AssertServesAsync(client);
        Assert.False(session.Process.HasExited);
    }

    [Fact]
    public async Task WrongParameterTypes_UnknownMethods_AndUnknownNotifications_AreAnsweredOrIgnored()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        await AssertServesAsync(client);

        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, (await client.RequestErrorAsync("textDocument/hover", """{ "textDocument": { "uri": ["x"] }, "position": { "line": "zero", "character": 1 } }""")).Code);
        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, (await client.RequestErrorAsync("textDocument/completion", """{ "textDocument": { "uri": "file:///x" }, "position": { "line": 1e40, "character": -1 } }""")).Code);
        Assert.Equal((int)JsonRpcErrorCode.InvalidParams, (await client.RequestErrorAsync("textDocument/didOpen", """{ "textDocument": 5 }""")).Code);
        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, (await client.RequestErrorAsync("textDocument/noSuchThing", new { })).Code);
        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, (await client.RequestErrorAsync("$/someRequest", new { })).Code);
        await client.NotifyAsync("$/someNotification", new { x = 1 });
        await client.NotifyAsync("custom/notification", new { x = 1 });
        await client.NotifyAsync("textDocument/didChange", JsonAssert.Parse("""{ "textDocument": { "uri": 42, "version": "v" }, "contentChanges": {} }"""));
        await AssertServesAsync(client);
        Assert.DoesNotContain("Unhandled exception", session.Stderr);
    }

    [Fact]
    public async Task TenThousandCancelRequests_AreAbsorbed_AndTheNextRequestIsAnswered()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        await AssertServesAsync(client);

        var batch = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            var body = i % 2 == 0 ? $"{{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{{\"id\":{i}}}}}" : $"{{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{{\"id\":\"r{i}\"}}}}";
            batch.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n").Append(body);
        }
        await client.WriteRawAsync(batch.ToString());

        await AssertServesAsync(client);
        Assert.False(session.Process.HasExited);
    }

    [Fact]
    public async Task DidChange_OutsideTheDocument_AndOutOfOrderVersions_ApplyInArrivalOrder()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        await client.OpenAsync(ConfigUri, Config, version: 5);
        await client.NextDiagnosticsAsync(ConfigUri, version: 5);

        // Past the last line and past the line end: clamped to the end of the document.
        await client.ChangeAsync(ConfigUri, 6, (1000, 5, 2000, 7, "\n[profile c]\nregion = eu-west-1\n"));
        // Negative and huge positions, and a range given backwards: clamped, and taken start <= end.
        await client.ChangeAsync(ConfigUri, 3, (-4, -9, -1, -1, "# top\n"), (int.MaxValue, int.MaxValue, int.MaxValue, 0, "# end\n"), (1, 11, 1, 0, "[profile a]"));
        // A version lower than the last one: applied in arrival order all the same.
        await client.ChangeAsync(ConfigUri, 2, (0, 0, 0, 0, ""));

        // Publishes come for the versions as they were given; the last one is for version 2.
        while ((await client.NextDiagnosticsAsync(ConfigUri)).GetProperty("version").GetInt32() != 2)
        {
        }
        var outline = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = ConfigUri } });
        Assert.Equal(new[] { "a", "b", "c" }, outline.EnumerateArray().Select(symbol => symbol.GetProperty("name").GetString()!).ToArray());
        var hover = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = ConfigUri }, position = new { line = 4, character = 9 } });
        Assert.Contains("**Profile `b`**", hover.GetProperty("contents").GetProperty("value").GetString());
    }

    [Fact]
    public async Task FiftyMegabyteDocument_IsServed_AndTheServerAnswersAfterIt()
    {
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();
        var text = new StringBuilder(52 * 1024 * 1024).Append(Config).Append("\n[profile big]\n");
        var line = "# " + new string('x', 97) + "\n";
        while (text.Length < 50 * 1024 * 1024) text.Append(line);
        text.Append("region = eu-west-1\n");
        var watch = Stopwatch.StartNew();

        await client.OpenAsync(ConfigUri, text.ToString());
        var outline = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = ConfigUri } });

        Assert.Equal(new[] { "a", "b", "big" }, outline.EnumerateArray().Select(symbol => symbol.GetProperty("name").GetString()!).ToArray());
        JsonAssert.Subset("""[{ "code": "source-profile-without-credentials", "range": { "start": { "line": 5 } } }]""", await client.NextDiagnosticsAsync(ConfigUri, version: 1));
        // An edit at the end of the big document, and the server answers with the edit applied.
        var lastLine = text.ToString().Count(c => c == '\n') - 1;
        await client.ChangeAsync(ConfigUri, 2, (lastLine, 9, lastLine, 18, "nowhere-9"));
        Assert.Contains(await client.NextDiagnosticsAsync(ConfigUri, version: 2) is var diagnostics ? diagnostics.EnumerateArray() : default,
            diagnostic => diagnostic.GetProperty("code").GetString() == "invalid-region");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"The 50 MB document took {watch.Elapsed.TotalSeconds:F1} s.");
        await AssertServesAsync(client);
    }

    [Fact]
    public async Task CredentialsFileOfBinaryGarbage_IsReportedAsUnparsable_AndHoverStillWorks()
    {
        var random = new Random(8);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        folder.Write("home/.aws/config", Config);
        var credentials = folder.Combine("home/.aws/credentials");
        File.WriteAllBytes(credentials, garbage);
        TempFolder.MakePrivate(credentials);
        await using var session = StdioSession.Start(folder);
        var client = session.Client;
        await client.InitializeAsync();

        await client.OpenAsync(ConfigUri, Config);

        var credentialsUri = folder.Uri("home/.aws/credentials");
        var published = await client.NextDiagnosticsAsync(credentialsUri, version: null);
        Assert.Contains(published.EnumerateArray(), diagnostic => diagnostic.GetProperty("code").GetString() == "unparsable-file");
        await AssertServesAsync(client);
        // The garbage opened as a buffer too.
        await client.OpenAsync(credentialsUri, Encoding.UTF8.GetString(garbage), "awscredentials");
        await client.RequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri = credentialsUri } });
        await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = credentialsUri }, position = new { line = 3, character = 2 } });
        await client.RequestAsync("textDocument/completion", new { textDocument = new { uri = credentialsUri }, position = new { line = 5, character = 1 } });
        await AssertServesAsync(client);
    }

    /// <summary>A valid request answered correctly: the outline of a config opened for the purpose.</summary>
    private static async Task AssertServesAsync(LspTestClient client)
    {
        var uri = "untitled:probe-" + Guid.NewGuid().ToString("N");
        await client.OpenAsync(uri, "[profile probe]\nregion = us-east-1\n", "awsconfig");
        var outline = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        JsonAssert.Subset("""[{ "name": "probe", "children": [{ "name": "region", "detail": "us-east-1" }] }]""", outline);
        await client.CloseAsync(uri);
    }
}
