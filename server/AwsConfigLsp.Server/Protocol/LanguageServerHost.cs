// StreamJsonRpc's System.Text.Json formatter and parameter-object APIs carry trimming/AOT warnings because they can
// fall back to reflection. Every type we send is in LspJsonContext (source-generated), and CI publishes the server with
// NativeAOT and runs the LSP handshake against it (tests/aot-handshake), which is what proves these calls safe.
#pragma warning disable IL2026, IL3050
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>Wires StreamJsonRpc to a stream pair: LSP framing, camelCase System.Text.Json with source generation, serialized dispatch.</summary>
// The pragma above silences the C# analyzer only; the NativeAOT compiler (ilc) reports the same warnings again and
// honours only these attributes.
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every type on the wire is in LspJsonContext; tests/aot-handshake proves it.")]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every type on the wire is in LspJsonContext; tests/aot-handshake proves it.")]
public static class LanguageServerHost
{
    public static async Task<int> RunStdioAsync()
    {
        var server = Start(Console.OpenStandardOutput(), Console.OpenStandardInput(), ServerOptions.FromProcess());
        await server.Completion;
        return server.ExitCode;
    }

    public static SystemTextJsonFormatter CreateFormatter()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        formatter.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        formatter.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, LspJsonContext.Default);
        return formatter;
    }

    /// <summary>Starts a server that reads requests from <paramref name="receivingStream"/> and writes to <paramref name="sendingStream"/>.</summary>
    public static LanguageServer Start(Stream sendingStream, Stream receivingStream, ServerOptions options)
    {
        var handler = new TolerantMessageHandler(sendingStream, receivingStream, CreateFormatter());
        var rpc = new LspJsonRpc(handler)
        {
            // Handlers run one at a time, in arrival order, so document changes apply in order before any later request.
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
        };
        var server = new LanguageServer(rpc, options);
        rpc.AddLocalRpcTarget<LanguageServer>(server, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        rpc.StartListening();
        return server;
    }
}

/// <summary>Answers errors with a plain message and never a .NET stack trace.</summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
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
/// LSP framing that survives a malformed message: a body that is not valid JSON-RPC is logged to stderr and skipped
/// (StreamJsonRpc would otherwise end the connection). The reader has already consumed the body when deserializing fails.
/// </summary>
internal sealed class TolerantMessageHandler(Stream sendingStream, Stream receivingStream, IJsonRpcMessageFormatter formatter)
    : HeaderDelimitedMessageHandler(sendingStream, receivingStream, formatter)
{
    private const int MaxConsecutiveFailures = 100;

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
                await Console.Error.WriteLineAsync($"awsconfig-lsp: skipped a malformed message ({exception.GetType().Name}).");
            }
        }
    }
}
