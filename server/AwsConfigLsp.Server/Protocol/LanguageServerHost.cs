using System.Buffers;
using System.Reflection;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>Wires StreamJsonRpc to a stream pair: LSP framing, camelCase System.Text.Json with source generation, serialized dispatch.</summary>
public static class LanguageServerHost
{
    /// <summary>
    /// Every method of <see cref="LanguageServer"/> with <see cref="JsonRpcMethodAttribute"/> handles that LSP method. Added
    /// one by one (StreamJsonRpc's whole-target registration generates code at run time, which NativeAOT cannot do);
    /// <see cref="LspMessageFormatter"/> binds each request's params to the handler's single parameter.
    /// </summary>
    internal static IReadOnlyList<(string Name, MethodInfo Method)> Handlers { get; } =
        [.. typeof(LanguageServer).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(method => (Attribute: method.GetCustomAttribute<JsonRpcMethodAttribute>(), Method: method))
            .Where(handler => handler.Attribute?.Name is not null)
            .Select(handler => (handler.Attribute!.Name!, handler.Method))];

    private static void AddHandlers(JsonRpc rpc, LanguageServer server)
    {
        foreach (var (name, method) in Handlers) rpc.AddLocalRpcMethod(name, method, server);
    }

    public static async Task<int> RunStdioAsync()
    {
        // Larger pipes: a huge didOpen or publish crosses them in fewer pieces.
        var input = PipeCapacity.TryEnlarge(0);
        var output = PipeCapacity.TryEnlarge(1);
        if (OpenTrace.Enabled) Console.Error.WriteLine($"awsconfig-lsp trace: pipe capacity: stdin {input?.ToString() ?? "-"}, stdout {output?.ToString() ?? "-"} bytes");
        var server = Start(Console.OpenStandardOutput(), Console.OpenStandardInput(), ServerOptions.FromProcess());
        await server.Completion;
        MessageTiming.Flush();
        return server.ExitCode;
    }

    /// <summary>Answers a message that never reached StreamJsonRpc: an error with id null, as JSON-RPC says for unreadable messages.</summary>
    private static async Task AnswerAsync(MessageHandlerBase handler, LspFrameFilter.Problem problem)
    {
        try
        {
            await Console.Error.WriteLineAsync($"awsconfig-lsp: answered a malformed message with {(int)problem.Code}.");
            await handler.WriteAsync(new JsonRpcError
            {
                RequestId = RequestId.Null,
                Error = new JsonRpcError.ErrorDetail { Code = problem.Code, Message = problem.Message },
            }, CancellationToken.None);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The connection is ending: nobody reads the answer.
        }
    }

    /// <summary>
    /// The message loop: handlers run one at a time, in arrival order, so document changes apply in order before any
    /// later request. Sticky, so that it is <see cref="SynchronizationContext.Current"/> while a handler runs and the
    /// continuation of every <c>await</c> in a handler comes back to it: the workspace (open documents, model builds,
    /// caches) is only ever touched on the loop. (Not sticky, the code after a handler's first <c>await</c> ran on the
    /// thread pool, beside the next handlers: the publish's snapshot built models while a hover built the same ones.)
    /// </summary>
    internal static SynchronizationContext CreateMessageLoop() => new NonConcurrentSynchronizationContext(sticky: true);

    /// <summary>
    /// Worker threads the pool starts at once, without its starvation delay. The message loop, the frame reader and
    /// StreamJsonRpc's reader each need a pool thread to move; a full analysis holds <see cref="Analysis.Diagnostics.DiagnosticEngine.MaxParallelism"/>
    /// of them, the publish and the value-index build one more each. With the pool's default minimum (one per core: 2
    /// here) those took every thread, and a hover asked during the first analysis of a huge file waited for the pool to
    /// add one (hundreds of ms) instead of being answered at once.
    /// </summary>
    internal const int MinimumWorkerThreads = 16;

    private static void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var io);
        if (worker < MinimumWorkerThreads) ThreadPool.SetMinThreads(MinimumWorkerThreads, io);
    }

    /// <summary>Starts a server that reads requests from <paramref name="receivingStream"/> and writes to <paramref name="sendingStream"/>.</summary>
    public static LanguageServer Start(Stream sendingStream, Stream receivingStream, ServerOptions options)
    {
        ReserveThreads();
        // The client's bytes go through LspFrameFilter, which answers malformed messages itself, into this pipe.
        var frames = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        // A didOpen's text is decoded by the frame filter and bound to the params by the formatter.
        var texts = new DecodedTexts();
        var handler = new TolerantMessageHandler(PipeWriter.Create(sendingStream), frames.Reader, LspMessageFormatter.Create(texts));
        var rpc = new LspJsonRpc(handler)
        {
            SynchronizationContext = CreateMessageLoop(),
        };
        var server = new LanguageServer(rpc, options);
        rpc.Gate = new LifecycleGate();
        AddHandlers(rpc, server);
        rpc.StartListening();
        _ = LspFrameFilter.PumpAsync(receivingStream, frames.Writer, problem => AnswerAsync(handler, problem), Console.Error, texts);
        return server;
    }
}

/// <summary>Answers errors with a plain message and never a .NET stack trace.</summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    /// <summary>LSP's lifecycle: what may be dispatched before initialize and after shutdown.</summary>
    public LifecycleGate? Gate { get; set; }

    protected override async ValueTask<JsonRpcMessage> DispatchRequestAsync(JsonRpcRequest request, TargetMethod targetMethod, CancellationToken cancellationToken)
    {
        if (Gate?.Check(request.Method) is { } refusal)
        {
            // A notification's answer is not sent: it is dropped, as LSP says.
            return new JsonRpcError { RequestId = request.RequestId, Error = refusal };
        }
        return await base.DispatchRequestAsync(request, targetMethod, cancellationToken);
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } e } ? e : exception;
        return inner switch
        {
            LocalRpcException local => new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)local.ErrorCode, Message = local.Message },
            OperationCanceledException => new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.RequestCanceled, Message = "The request was cancelled." },
            // Handlers never parse JSON themselves: a JsonException comes from binding params of the wrong type.
            JsonException json => new JsonRpcError.ErrorDetail
            {
                Code = JsonRpcErrorCode.InvalidParams,
                Message = $"The params of {request.Method} do not have the LSP shape at {json.Path ?? "$"}.",
            },
            _ => new JsonRpcError.ErrorDetail
            {
                Code = JsonRpcErrorCode.InternalError,
                Message = $"The server failed to answer {request.Method}: {inner.GetType().Name}. It keeps running.",
            },
        };
    }
}

/// <summary>
/// The last guard after <see cref="LspFrameFilter"/>: a body the filter passed but StreamJsonRpc still cannot read is
/// answered with -32600 (id null) and skipped, where StreamJsonRpc would end the connection.
/// </summary>
internal sealed class TolerantMessageHandler(PipeWriter writer, PipeReader reader, IJsonRpcMessageFormatter formatter)
    : HeaderDelimitedMessageHandler(writer, reader, formatter)
{
    private const int MaxConsecutiveFailures = 100;

    // A notification whose params were written beforehand (RawJson, e.g. a publish of ~16 MiB at 50k profiles) is
    // framed here and streamed in pieces of this size: StreamJsonRpc would first copy it whole into a buffer of its own
    // (to know its length) and then into the pipe, and the client would see nothing until both copies are done.
    private const int StreamedChunk = 256 * 1024;

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcResult { Result: LspWholeFileSemanticTokens } && Formatter is LspMessageFormatter lsp)
        {
            WriteStreamed(content, lsp);
            return;
        }
        if (content is not JsonRpcRequest { RequestId.IsEmpty: true, Method: { } method, Arguments: object?[] { Length: 1 } arguments }
            || arguments[0] is not RawJson raw)
        {
            base.Write(content, cancellationToken);
            return;
        }
        var writer = Writer ?? throw new InvalidOperationException("The server cannot write.");
        var prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"{JsonEncodedText.Encode(method)}\",\"params\":");
        WriteHeader(writer, prefix.Length + raw.Length + 1);
        // Sent on a pool thread (never the message loop): flushed piece by piece so that the client starts reading at
        // once. Once the header is out the frame is finished whatever happens: a half-written frame would end the session.
        var pieces = new FlushingBufferWriter(writer, StreamedChunk);
        pieces.Write(prefix);
        pieces.Write(raw.First.Span);
        pieces.Write(raw.Second.Span);
        // The caller flushes the rest.
        pieces.Write("}"u8);
        MessageTiming.Sent(content);
    }

    private static void WriteHeader(PipeWriter writer, long length) =>
        writer.Write(System.Text.Encoding.ASCII.GetBytes($"Content-Length: {length}\r\n\r\n"));

    /// <summary>
    /// A message whose JSON is written from data the server holds anyway (the whole file's semantic tokens: ~9 MB at 50k
    /// profiles) is written twice instead of being held: once into a counter for its length, then into the pipe in
    /// pieces. StreamJsonRpc would write it whole into a buffer of its own, then copy that into the pipe (~20 MiB of
    /// peak memory per answer). The data is an immutable snapshot, so both writes give the same bytes.
    /// </summary>
    private void WriteStreamed(JsonRpcMessage content, LspMessageFormatter lsp)
    {
        var writer = Writer ?? throw new InvalidOperationException("The server cannot write.");
        var counter = new CountingBufferWriter();
        lsp.Write(counter, content);
        WriteHeader(writer, counter.Count);
        // Flushed piece by piece only off the message loop (the handler ends on a pool thread): a flush waits for the
        // client to read. On the loop the pieces stay in the pipe until the caller's asynchronous flush.
        var pieces = new FlushingBufferWriter(writer, SynchronizationContext.Current is null ? StreamedChunk : int.MaxValue);
        lsp.Write(pieces, content);
        if (pieces.Count != counter.Count) throw new InvalidOperationException("A streamed message changed between its two writes.");
        MessageTiming.Sent(content);
    }

    /// <summary>Counts the bytes written into it (into one scratch array, overwritten).</summary>
    private sealed class CountingBufferWriter : IBufferWriter<byte>
    {
        private byte[] scratch = new byte[64 * 1024];

        public long Count { get; private set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint).Span;

        private Memory<byte> Scratch(int sizeHint)
        {
            if (sizeHint > scratch.Length) scratch = new byte[sizeHint];
            return scratch;
        }
    }

    /// <summary>Writes into the pipe and flushes it every <c>piece</c> bytes, so the pipe never holds the whole message.</summary>
    private sealed class FlushingBufferWriter(PipeWriter pipe, int piece) : IBufferWriter<byte>
    {
        private long sinceFlush;

        public long Count { get; private set; }

        public void Advance(int count)
        {
            pipe.Advance(count);
            Count += count;
            sinceFlush += count;
            if (sinceFlush < piece) return;
            sinceFlush = 0;
            pipe.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => pipe.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => pipe.GetSpan(sizeHint);
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                return await base.ReadCoreAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not EndOfStreamException
                                              && exception is JsonException or InvalidOperationException or FormatException or ArgumentException
                                              && ++failures < MaxConsecutiveFailures)
            {
                await Console.Error.WriteLineAsync($"awsconfig-lsp: skipped a message the server cannot read ({exception.GetType().Name}).");
                await WriteAsync(new JsonRpcError
                {
                    RequestId = RequestId.Null,
                    Error = new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidRequest, Message = "Invalid request: the server cannot read this message." },
                }, cancellationToken);
            }
        }
    }
}
