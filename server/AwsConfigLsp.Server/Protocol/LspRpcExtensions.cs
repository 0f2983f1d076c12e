using StreamJsonRpc;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// What the server sends the client, in LSP's shape: params is one object. The argument goes as the single positional
/// argument, with its declared type, and <see cref="LspMessageFormatter"/> writes it as the params object; unlike
/// StreamJsonRpc's parameter-object overloads, nothing reflects over the object's properties.
/// </summary>
internal static class LspRpcExtensions
{
    public static Task NotifyLspAsync<TParams>(this JsonRpc rpc, string method, TParams parameters) =>
        rpc.NotifyAsync(method, [parameters], [typeof(TParams)]);

    public static Task<TResult> RequestLspAsync<TParams, TResult>(this JsonRpc rpc, string method, TParams parameters, CancellationToken cancellationToken = default) =>
        rpc.InvokeWithCancellationAsync<TResult>(method, [parameters], [typeof(TParams)], cancellationToken);

    public static Task RequestLspAsync<TParams>(this JsonRpc rpc, string method, TParams parameters, CancellationToken cancellationToken = default) =>
        rpc.InvokeWithCancellationAsync(method, [parameters], [typeof(TParams)], cancellationToken);

    /// <summary>A request without params (e.g. <c>workspace/codeLens/refresh</c>).</summary>
    public static Task RequestLspAsync(this JsonRpc rpc, string method, CancellationToken cancellationToken = default) =>
        rpc.InvokeWithCancellationAsync(method, [], cancellationToken);
}
