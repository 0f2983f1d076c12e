using System.Buffers;
using System.Text;
using System.Text.Json;
using AwsConfigLsp.Server.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The server's JSON-RPC formatter on its own: what it writes is what LSP clients read, and what it reads binds to the
/// handlers as LSP means it. The whole-server tests drive it against StreamJsonRpc's formatter on the client side.
/// </summary>
public sealed class LspMessageFormatterTests
{
    private readonly LspMessageFormatter formatter = LspMessageFormatter.Create();

    private string Write(JsonRpcMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        formatter.Serialize(buffer, message);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private JsonRpcMessage Read(string json) => formatter.Deserialize(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void ANotificationWithOneArgument_WritesThatArgumentAsTheParamsObject()
    {
        var json = Write(new JsonRpcRequest
        {
            Method = "window/logMessage",
            ArgumentsList = [new LogMessageParams(3, "hello")],
            ArgumentListDeclaredTypes = [typeof(LogMessageParams)],
        });

        Assert.Equal("""{"jsonrpc":"2.0","method":"window/logMessage","params":{"type":3,"message":"hello"}}""", json);
    }

    [Fact]
    public void ARequestWithoutArguments_HasNoParams_AndKeepsItsId()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":7,"method":"workspace/codeLens/refresh"}""",
            Write(new JsonRpcRequest { RequestId = new RequestId(7), Method = "workspace/codeLens/refresh", ArgumentsList = [] }));
    }

    [Fact]
    public void NamedArguments_AreWrittenAsAnObject_AsStreamJsonRpcSendsCancelRequest()
    {
        var json = Write(new JsonRpcRequest
        {
            Method = "$/cancelRequest",
            NamedArguments = new Dictionary<string, object?> { ["id"] = new RequestId("abc") },
        });

        Assert.Equal("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"abc"}}""", json);
    }

    [Fact]
    public void ResultsAndErrors_KeepTheirIds_AndAnErrorWithoutIdSaysNull()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":"r1","result":null}""", Write(new JsonRpcResult { RequestId = new RequestId("r1"), Result = null }));
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""",
            Write(new JsonRpcError { RequestId = RequestId.Null, Error = new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.ParseError, Message = "Parse error" } }));
    }

    [Fact]
    public void AValueOfATypeOutsideLspJsonContext_FailsWithAMessageNamingTheType()
    {
        var exception = Assert.Throws<NotSupportedException>(() => Write(new JsonRpcResult { RequestId = new RequestId(1), Result = new Uri("file:///x") }));

        Assert.Contains("Uri is not in LspJsonContext", exception.Message);
    }

    [Fact]
    public void AnIncomingRequest_BindsItsWholeParamsToTheHandlersOneParameter()
    {
        var request = Assert.IsAssignableFrom<JsonRpcRequest>(Read("""{"jsonrpc":"2.0","id":3,"method":"window/showMessage","params":{"type":1,"message":"m"}}"""));
        var parameters = typeof(Handlers).GetMethod(nameof(Handlers.Show))!.GetParameters();
        var arguments = new object?[1];

        Assert.Equal(JsonRpcRequest.ArgumentMatchResult.Success, request.TryGetTypedArguments(parameters, arguments));
        Assert.Equal(new ShowMessageParams(1, "m"), arguments[0]);
        Assert.Equal(new RequestId(3), request.RequestId);
        Assert.Equal("2.0", request.Version);
    }

    [Fact]
    public void CancelRequest_ReadsTheIdByName()
    {
        var request = Assert.IsAssignableFrom<JsonRpcRequest>(Read("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":42}}"""));
        var arguments = new object?[1];

        Assert.Equal(JsonRpcRequest.ArgumentMatchResult.Success, request.TryGetTypedArguments(typeof(Handlers).GetMethod(nameof(Handlers.Cancel))!.GetParameters(), arguments));
        Assert.Equal(new RequestId(42), arguments[0]);
        Assert.True(request.IsNotification);
    }

    [Fact]
    public void ParamsOfTheWrongShape_ThrowJsonExceptionWithThePath()
    {
        var request = Assert.IsAssignableFrom<JsonRpcRequest>(Read("""{"jsonrpc":"2.0","id":1,"method":"x","params":{"type":"one","message":"m"}}"""));

        var exception = Assert.Throws<JsonException>(() => request.TryGetTypedArguments(typeof(Handlers).GetMethod(nameof(Handlers.Show))!.GetParameters(), new object?[1]));
        Assert.Equal("$.type", exception.Path);
    }

    [Fact]
    public void AResponseToTheServersRequest_IsReadAsTheCallerAsks()
    {
        var result = Assert.IsAssignableFrom<JsonRpcResult>(Read("""{"jsonrpc":"2.0","id":5,"result":{"code":"123456"}}"""));
        var error = Assert.IsAssignableFrom<JsonRpcError>(Read("""{"jsonrpc":"2.0","id":6,"error":{"code":-32601,"message":"no such method","data":{"x":1}}}"""));

        Assert.Equal(new MfaCodeResult("123456"), result.GetResult<MfaCodeResult>());
        Assert.Equal(JsonRpcErrorCode.MethodNotFound, error.Error!.Code);
        Assert.Equal("no such method", error.Error.Message);
        Assert.Equal(1, ((JsonElement)error.Error.GetData(typeof(JsonElement))!).GetProperty("x").GetInt32());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"x"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":7}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"message":"no code"}}""")]
    public void MessagesThatAreNotJsonRpc_ThrowJsonException(string json)
    {
        Assert.Throws<JsonException>(() => Read(json));
    }

    private static class Handlers
    {
        public static void Show(ShowMessageParams? parameters) => _ = parameters;

        public static void Cancel(RequestId id) => _ = id;
    }
}
