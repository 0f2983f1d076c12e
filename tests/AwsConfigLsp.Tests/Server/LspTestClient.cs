using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Tests.Support;
using Nerdbank.Streams;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using StreamJsonRpc.Reflection;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// An LSP client for tests, talking JSON-RPC to a real server: in memory (<see cref="StartInMemory"/>, the server runs
/// in this process through <see cref="LanguageServerHost.Start"/>) or over any stream pair (<see cref="Connect"/>, e.g.
/// a server process's stdio).
/// <para>
/// Everything the server sends is recorded as it arrives: <c>textDocument/publishDiagnostics</c> per URI,
/// <c>window/logMessage</c>, <c>client/registerCapability</c> and <c>workspace/configuration</c> each in a channel
/// (the client answers the last with <see cref="Settings"/>). Tests await the next one with a
/// timeout (<see cref="NextDiagnosticsAsync"/>), never sleep or poll. Each channel is consumed in arrival order, so a
/// test sees every publish exactly once and can assert that nothing came in between.
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> shuts down cleanly: <c>shutdown</c>, then <c>exit</c>, then waits for the server to end.
/// </para>
/// </summary>
public sealed class LspTestClient : IAsyncDisposable
{
    /// <summary>How long a test waits for something the server should send. Generous, because a passing test never waits it out.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Parameters are serialized with these options: tests write LSP's camelCase names themselves.</summary>
    private static readonly JsonSerializerOptions ParameterOptions = new();

    private readonly ConcurrentDictionary<string, Channel<JsonElement>> diagnosticsByUri = new(StringComparer.Ordinal);
    private readonly Channel<JsonElement> logMessages = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> registrations = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> configurationRequests = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> shownMessages = Channel.CreateUnbounded<JsonElement>();
    private readonly ConcurrentQueue<JsonElement> mfaRequests = new();
    private readonly ConcurrentQueue<JsonElement> progress = new();
    private readonly RecordingMessageHandler handler;
    private readonly Stream sendingStream;
    private readonly Func<Task>? waitForServerEnd;
    private bool exitSent;

    private LspTestClient(Stream sendingStream, Stream receivingStream, LanguageServer? server, Func<Task>? waitForServerEnd)
    {
        this.sendingStream = sendingStream;
        this.waitForServerEnd = waitForServerEnd;
        Server = server;
        handler = new RecordingMessageHandler(sendingStream, receivingStream, AwsConfigLsp.Tests.Support.ClientFormatter.Create());
        Rpc = new JsonRpc(handler)
        {
            // Server notifications are handled one at a time in arrival order, so the channels keep the wire order.
            SynchronizationContext = new Microsoft.VisualStudio.Threading.NonConcurrentSynchronizationContext(sticky: false),
        };
        Rpc.AddLocalRpcTarget(new ClientTarget(this), new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        Rpc.StartListening();
    }

    /// <summary>The in-process server, or null when the server is another process.</summary>
    public LanguageServer? Server { get; }

    public JsonRpc Rpc { get; }

    /// <summary>When set, the client answers <c>client/registerCapability</c> with this JSON-RPC error code instead of null.</summary>
    public int? RefuseRegistrationsWith { get; set; }

    /// <summary>
    /// What the client answers to <c>workspace/configuration</c> for the <c>awsconfig</c> section (JSON text, e.g.
    /// <c>{"diagnostics":{"disabled":["source-profile-loop"]}}</c>); null answers null, as a client without settings does.
    /// The server asks only when <see cref="InitializeAsync"/> advertised <c>workspace.configuration</c>. Read when the
    /// request arrives, so a test can change it before sending <c>workspace/didChangeConfiguration</c>.
    /// </summary>
    public string? Settings { get; set; }

    /// <summary>
    /// Answers the server's <c>awsconfig/mfaCode</c> request (its params: profile, mfaSerial, attempt): the code, or null
    /// for a user who cancels. Unset, the client answers null. Every request is recorded in <see cref="MfaRequests"/>.
    /// </summary>
    public Func<JsonElement, CancellationToken, Task<string?>>? MfaCode { get; set; }

    /// <summary>The <c>awsconfig/mfaCode</c> requests received so far, in order.</summary>
    public IReadOnlyList<JsonElement> MfaRequests => [.. mfaRequests];

    /// <summary>The <c>$/progress</c> notifications received so far, in order.</summary>
    public IReadOnlyList<JsonElement> Progress => [.. progress];

    /// <summary>How many <c>window/logMessage</c> notifications arrived that no test read yet.</summary>
    public int UnreadLogMessages => logMessages.Reader.Count;

    /// <summary>The next <c>window/showMessage</c> the server sends.</summary>
    public Task<JsonElement> NextShownMessageAsync() => ReadAsync(shownMessages, "window/showMessage");

    /// <summary>When set, the client answers <c>workspace/configuration</c> with this JSON-RPC error code instead of the settings.</summary>
    public int? RefuseConfigurationWith { get; set; }

    /// <summary>Options for an in-memory server: the CLI's own files in <paramref name="cliFolder"/>, diagnostics 20 ms after typing.</summary>
    public static ServerOptions Options(string cliFolder, TimeSpan? diagnosticsDelay = null) => new(
        new AwsFileLocations(Path.Combine(cliFolder, "config"), Path.Combine(cliFolder, "credentials")),
        diagnosticsDelay ?? TimeSpan.FromMilliseconds(20));

    /// <summary>Starts a server in this process on an in-memory duplex pipe and connects to it.</summary>
    public static LspTestClient StartInMemory(ServerOptions options)
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        var server = LanguageServerHost.Start(serverStream, serverStream, options);
        return new LspTestClient(clientStream, clientStream, server, () => server.Completion);
    }

    /// <summary>Connects to a server that reads <paramref name="sendingStream"/> and writes <paramref name="receivingStream"/>.</summary>
    public static LspTestClient Connect(Stream sendingStream, Stream receivingStream, Func<Task> waitForServerEnd) =>
        new(sendingStream, receivingStream, server: null, waitForServerEnd);

    /// <summary>Sends <c>initialize</c> and then <c>initialized</c>; returns the <c>initialize</c> result.</summary>
    public async Task<JsonElement> InitializeAsync(object? capabilities = null)
    {
        var result = await RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = (string?)null, capabilities = capabilities ?? new { } });
        await NotifyAsync("initialized", new { });
        return result;
    }

    /// <summary>Sends a request and returns its result; a JSON-RPC error fails the test with its code and message.</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Rpc.InvokeWithParameterObjectAsync<JsonElement>(method, ToJson(parameters), cancellationToken).WithTimeout(Timeout, method);
        }
        catch (RemoteRpcException exception)
        {
            throw new XunitException($"{method} failed: {exception.Message}");
        }
    }

    /// <summary>Sends a request that must fail; returns the error exactly as it came over the wire.</summary>
    public async Task<LspError> RequestErrorAsync(string method, object? parameters)
    {
        var id = handler.NextRawId();
        await WriteMessageAsync(new { jsonrpc = "2.0", id, method, @params = ToJson(parameters) });
        var response = await handler.ResponseAsync(id).WithTimeout(Timeout, $"the response to {method}");
        return response.Error ?? throw new XunitException($"{method} succeeded with {response.Result}, but an error was expected.");
    }

    /// <summary>Writes a hand-made request without waiting for its answer; await <see cref="ResponseAsync"/> for it.</summary>
    public async Task<string> SendRawRequestAsync(string method, object? parameters)
    {
        var id = handler.NextRawId();
        await WriteMessageAsync(new { jsonrpc = "2.0", id, method, @params = ToJson(parameters) });
        return id;
    }

    /// <summary>The response to a request sent with <see cref="SendRawRequestAsync"/>.</summary>
    public Task<LspResponse> ResponseAsync(string id, TimeSpan? timeout = null) =>
        handler.ResponseAsync(id).WithTimeout(timeout ?? Timeout, $"the response to request {id}");

    public Task NotifyAsync(string method, object? parameters) => Rpc.NotifyWithParameterObjectAsync(method, ToJson(parameters));

    public Task OpenAsync(string uri, string text, string languageId = "awsconfig", int version = 1) =>
        NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId, version, text } });

    /// <summary>Sends <c>didChange</c> with ranged edits, each <c>(startLine, startCharacter, endLine, endCharacter, text)</c>, applied in order.</summary>
    public Task ChangeAsync(string uri, int version, params (int StartLine, int StartCharacter, int EndLine, int EndCharacter, string Text)[] edits) =>
        NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version },
            contentChanges = edits.Select(edit => new
            {
                range = new
                {
                    start = new { line = edit.StartLine, character = edit.StartCharacter },
                    end = new { line = edit.EndLine, character = edit.EndCharacter },
                },
                text = edit.Text,
            }).ToArray(),
        });

    /// <summary>Sends <c>didChange</c> replacing the whole text.</summary>
    public Task ReplaceAsync(string uri, int version, string text) =>
        NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version }, contentChanges = new[] { new { text } } });

    public Task SaveAsync(string uri) => NotifyAsync("textDocument/didSave", new { textDocument = new { uri } });

    public Task CloseAsync(string uri) => NotifyAsync("textDocument/didClose", new { textDocument = new { uri } });

    /// <summary>The next <c>publishDiagnostics</c> params for <paramref name="uri"/> not yet consumed, waiting up to <see cref="Timeout"/>.</summary>
    public async Task<JsonElement> NextDiagnosticsAsync(string uri)
    {
        var channel = DiagnosticsChannel(uri);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await channel.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var others = string.Join(", ", diagnosticsByUri.Where(pair => pair.Value.Reader.Count > 0).Select(pair => $"{pair.Key} ({pair.Value.Reader.Count})"));
            throw new XunitException($"No publishDiagnostics for {uri} within {Timeout.TotalSeconds} s. Unread publishes: {(others.Length == 0 ? "none" : others)}.");
        }
    }

    /// <summary>The next <c>publishDiagnostics</c> for <paramref name="uri"/>, which must be for <paramref name="version"/>; returns its diagnostics.</summary>
    public async Task<JsonElement> NextDiagnosticsAsync(string uri, int? version)
    {
        var published = await NextDiagnosticsAsync(uri);
        var actualVersion = published.TryGetProperty("version", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : (int?)null;
        if (actualVersion != version)
        {
            throw new XunitException($"Expected a publish for version {version?.ToString() ?? "none"} of {uri}, got version {actualVersion?.ToString() ?? "none"}:\n{JsonAssertPretty(published)}");
        }
        return published.GetProperty("diagnostics");
    }

    /// <summary>How many publishes for <paramref name="uri"/> arrived and were not consumed yet.</summary>
    public int UnreadDiagnosticsCount(string uri) => DiagnosticsChannel(uri).Reader.Count;

    /// <summary>The next <c>window/logMessage</c> params not yet consumed, waiting up to <see cref="Timeout"/>.</summary>
    public Task<JsonElement> NextLogMessageAsync() => ReadAsync(logMessages, "window/logMessage");

    /// <summary>The next error the server sent with id null (its answer to a message it could not read), waiting up to <see cref="Timeout"/>.</summary>
    public async Task<LspError> NextNullIdErrorAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await handler.NullIdErrors.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"No error with id null within {Timeout.TotalSeconds} s.");
        }
    }

    /// <summary>How many errors with id null arrived and were not consumed yet.</summary>
    public int UnreadNullIdErrors => handler.NullIdErrors.Reader.Count;

    /// <summary>The next <c>client/registerCapability</c> params not yet consumed, waiting up to <see cref="Timeout"/>.</summary>
    public Task<JsonElement> NextRegistrationAsync() => ReadAsync(registrations, "client/registerCapability");

    /// <summary>The next <c>workspace/configuration</c> params not yet consumed, waiting up to <see cref="Timeout"/>.</summary>
    public Task<JsonElement> NextConfigurationRequestAsync() => ReadAsync(configurationRequests, "workspace/configuration");

    private static async Task<JsonElement> ReadAsync(Channel<JsonElement> channel, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await channel.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"No {what} within {Timeout.TotalSeconds} s.");
        }
    }

    /// <summary>
    /// Writes bytes as they are onto the server's input. Use it only while no other message is being written (every
    /// earlier call awaited), so the bytes do not interleave with a message of the client.
    /// </summary>
    public Task WriteRawAsync(string text) => handler.WriteRawAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <c>shutdown</c>; returns its result (null).</summary>
    public Task<JsonElement> ShutdownAsync() => RequestAsync("shutdown", null);

    /// <summary>Sends <c>exit</c> and waits for the server to end.</summary>
    public async Task ExitAsync()
    {
        exitSent = true;
        await NotifyAsync("exit", null);
        if (waitForServerEnd is not null) await waitForServerEnd().WithTimeout(Timeout, "the server to end after exit");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!exitSent && !Rpc.IsDisposed && !Rpc.Completion.IsCompleted)
            {
                await ShutdownAsync();
                await ExitAsync();
            }
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
            // The server is already gone (the test ended it, or it failed): the test's own assertion says why.
        }
        finally
        {
            Rpc.Dispose();
            await sendingStream.DisposeAsync();
        }
    }

    private async Task WriteMessageAsync(object message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, ParameterOptions);
        await WriteRawAsync($"Content-Length: {body.Length}\r\n\r\n{Encoding.UTF8.GetString(body)}");
    }

    private Channel<JsonElement> DiagnosticsChannel(string uri) => diagnosticsByUri.GetOrAdd(uri, _ => Channel.CreateUnbounded<JsonElement>());

    private static JsonElement? ToJson(object? parameters) => parameters switch
    {
        null => null,
        JsonElement element => element,
        string json => JsonAssertParse(json),
        _ => JsonSerializer.SerializeToElement(parameters, parameters.GetType(), ParameterOptions),
    };

    private static JsonElement JsonAssertParse(string json) => JsonAssert.Parse(json);

    private static string JsonAssertPretty(JsonElement element) => JsonAssert.Pretty(element);

    /// <summary>The methods the server calls on the client.</summary>
    private sealed class ClientTarget(LspTestClient client)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void PublishDiagnostics(JsonElement parameters)
        {
            var uri = parameters.GetProperty("uri").GetString()!;
            client.DiagnosticsChannel(uri).Writer.TryWrite(parameters.Clone());
        }

        [JsonRpcMethod("window/logMessage", UseSingleObjectParameterDeserialization = true)]
        public void LogMessage(JsonElement parameters) => client.logMessages.Writer.TryWrite(parameters.Clone());

        [JsonRpcMethod("client/registerCapability", UseSingleObjectParameterDeserialization = true)]
        public object? RegisterCapability(JsonElement parameters)
        {
            client.registrations.Writer.TryWrite(parameters.Clone());
            if (client.RefuseRegistrationsWith is { } code) throw new LocalRpcException("Dynamic registration is not supported.") { ErrorCode = code };
            return null;
        }

        [JsonRpcMethod("window/showMessage", UseSingleObjectParameterDeserialization = true)]
        public void ShowMessage(JsonElement parameters) => client.shownMessages.Writer.TryWrite(parameters.Clone());

        [JsonRpcMethod("$/progress", UseSingleObjectParameterDeserialization = true)]
        public void Progress(JsonElement parameters) => client.progress.Enqueue(parameters.Clone());

        [JsonRpcMethod("window/workDoneProgress/create", UseSingleObjectParameterDeserialization = true)]
        public object? CreateProgress(JsonElement parameters) => null;

        [JsonRpcMethod("workspace/codeLens/refresh")]
        public object? RefreshCodeLenses() => null;

        [JsonRpcMethod("awsconfig/mfaCode", UseSingleObjectParameterDeserialization = true)]
        public async Task<JsonElement> MfaCode(JsonElement parameters, CancellationToken cancellationToken)
        {
            client.mfaRequests.Enqueue(parameters.Clone());
            var code = client.MfaCode is { } answer ? await answer(parameters.Clone(), cancellationToken) : null;
            return code is null ? JsonAssert.Parse("null") : JsonSerializer.SerializeToElement(new { code }, ParameterOptions);
        }

        /// <summary>One answer per item: <see cref="Settings"/> for the <c>awsconfig</c> section, null for any other.</summary>
        [JsonRpcMethod("workspace/configuration", UseSingleObjectParameterDeserialization = true)]
        public JsonElement Configuration(JsonElement parameters)
        {
            client.configurationRequests.Writer.TryWrite(parameters.Clone());
            if (client.RefuseConfigurationWith is { } code) throw new LocalRpcException("Configuration is not available.") { ErrorCode = code };
            var settings = client.Settings is { } json ? JsonAssert.Parse(json) : (JsonElement?)null;
            var answers = parameters.GetProperty("items").EnumerateArray()
                .Select(item => item.TryGetProperty("section", out var section) && section.GetString() == "awsconfig" ? settings : null)
                .ToArray();
            return JsonSerializer.SerializeToElement(answers, ParameterOptions);
        }
    }
}

/// <summary>A JSON-RPC error as it came over the wire.</summary>
public sealed record LspError(int Code, string Message, JsonElement? Data);

/// <summary>A JSON-RPC response as it came over the wire: a result or an error.</summary>
public sealed record LspResponse(JsonElement? Result, LspError? Error);

/// <summary>
/// The client's framing, which also hands the responses to requests written by hand (ids <c>raw-1</c>, <c>raw-2</c>...)
/// to the test instead of to <see cref="JsonRpc"/>, which would drop them as unknown.
/// </summary>
internal sealed class RecordingMessageHandler(Stream sendingStream, Stream receivingStream, IJsonRpcMessageFormatter formatter)
    : HeaderDelimitedMessageHandler(sendingStream, receivingStream, formatter)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<LspResponse>> responses = new(StringComparer.Ordinal);
    private int nextId;

    /// <summary>Errors that came with id null: the server's answers to messages it could not read.</summary>
    public Channel<LspError> NullIdErrors { get; } = Channel.CreateUnbounded<LspError>();

    public string NextRawId() => $"raw-{Interlocked.Increment(ref nextId)}";

    /// <summary>
    /// Writes bytes through the same pipe as <see cref="JsonRpc"/>'s messages. The stream behind it is written by a
    /// background copy, so writing to the stream directly could overtake a message JsonRpc has already "sent" (a
    /// <c>didOpen</c> would then arrive after the request that needs it).
    /// </summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
    {
        var writer = Writer ?? throw new InvalidOperationException("The handler has no writer.");
        await writer.WriteAsync(bytes);
    }

    public Task<LspResponse> ResponseAsync(string id) => Pending(id).Task;

    private TaskCompletionSource<LspResponse> Pending(string id) =>
        responses.GetOrAdd(id, _ => new TaskCompletionSource<LspResponse>(TaskCreationOptions.RunContinuationsAsynchronously));

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await base.ReadCoreAsync(cancellationToken);
            LspResponse response;
            string id;
            switch (message)
            {
                case JsonRpcError { RequestId.IsNull: true, Error: { } nullIdError }:
                    ((IJsonRpcMessageBufferManager)this).DeserializationComplete(message);
                    NullIdErrors.Writer.TryWrite(new LspError((int)nullIdError.Code, nullIdError.Message ?? "", null));
                    continue;
                case JsonRpcError { RequestId.String: { } errorId, Error: { } error } when errorId.StartsWith("raw-", StringComparison.Ordinal):
                    id = errorId;
                    JsonElement? data = error.Data is null ? null : JsonSerializer.SerializeToElement(error.Data, error.Data.GetType());
                    response = new LspResponse(null, new LspError((int)error.Code, error.Message ?? "", data?.Clone()));
                    break;
                case JsonRpcResult { RequestId.String: { } resultId } result when resultId.StartsWith("raw-", StringComparison.Ordinal):
                    id = resultId;
                    response = new LspResponse(result.GetResult<JsonElement>().Clone(), null);
                    break;
                default:
                    return message;
            }
            // JsonRpc never sees this message, so release its buffer as JsonRpc would after deserializing it.
            ((IJsonRpcMessageBufferManager)this).DeserializationComplete(message);
            Pending(id).TrySetResult(response);
        }
    }
}
