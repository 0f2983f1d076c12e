using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// LSP's lifecycle rules for incoming messages, checked before a handler runs: before <c>initialize</c> a request gets
/// -32002 (ServerNotInitialized) and a notification is dropped; after <c>shutdown</c> a request gets -32600
/// (InvalidRequest) and a notification is dropped; <c>exit</c> always passes. Messages are checked in arrival order, so
/// the gate tracks the state itself rather than waiting for the handlers of <c>initialize</c> and <c>shutdown</c>.
/// </summary>
internal sealed class LifecycleGate
{
    /// <summary>LSP's ServerNotInitialized.</summary>
    public const int ServerNotInitialized = -32002;

    private volatile bool initialized;
    private volatile bool shutDown;

    /// <summary>The error to answer <paramref name="method"/> with, or null to let it through.</summary>
    public JsonRpcError.ErrorDetail? Check(string? method)
    {
        switch (method)
        {
            case "exit":
                return null;
            case "initialize" when !initialized && !shutDown:
                initialized = true;
                return null;
            case "initialize":
                return Error(JsonRpcErrorCode.InvalidRequest, "initialize was already received; it may be sent once.");
        }
        if (!initialized) return Error((JsonRpcErrorCode)ServerNotInitialized, $"The server is not initialized: send initialize before {method}.");
        if (shutDown) return Error(JsonRpcErrorCode.InvalidRequest, $"The server is shutting down: {method} is not served after shutdown; send exit.");
        if (method == "shutdown") shutDown = true;
        return null;
    }

    private static JsonRpcError.ErrorDetail Error(JsonRpcErrorCode code, string message) => new() { Code = code, Message = message };
}
