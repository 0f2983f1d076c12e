using System.Net.Sockets;
using Amazon.Runtime;

namespace AwsConfigLsp.Aws;

/// <summary>
/// The HTTP stack of every AWS call the server makes (STS and SSO through AWSSDK, IAM, the instance metadata service,
/// the container endpoint): each request is sent exactly once, on a connection of its own. Two layers below would
/// otherwise send it again when the endpoint closes the connection without an answer:
/// <list type="bullet">
/// <item>.NET's <see cref="SocketsHttpHandler"/> resends a request without a body (GET, PUT: IMDS, ECS, SSO) up to
/// three more times on a new connection (measured against the loopback fake);</item>
/// <item>AWSSDK resends any request up to <see cref="ClientConfig.MaxStaleConnectionRetries"/> (10) times, outside
/// <c>MaxErrorRetry</c>, taking the closed connection for a stale pooled one (<see cref="SdkCalls.Configure"/> sets it to 0).</item>
/// </list>
/// Here every request asks for <c>Connection: close</c> (so no connection is reused, and none can be stale), and a
/// request may open one connection only: a second one, which only a resend would ask for, fails with
/// <see cref="SentOnceException"/>. A profile test makes a handful of calls; a connection each costs nothing that matters.
/// </summary>
public static class AwsHttp
{
    private const string ConnectedOption = "awsconfig-lsp.connected";
    private static readonly HttpRequestOptionsKey<bool> Connected = new(ConnectedOption);

    /// <summary>One client for the whole process (it holds no state between requests): the server's base providers and
    /// IAM use it directly, the SDK clients through <see cref="Factory"/>.</summary>
    public static HttpClient Client { get; } = new(new OneConnectionPerRequest(new SocketsHttpHandler { ConnectCallback = ConnectOnceAsync }))
    {
        // Each call has its own limit (SdkCalls.RunAsync).
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>For <see cref="ClientConfig.HttpClientFactory"/>: every SDK client uses <see cref="Client"/>.</summary>
    public static HttpClientFactory Factory { get; } = new SharedClientFactory();

    private static async ValueTask<Stream> ConnectOnceAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var options = context.InitialRequestMessage.Options;
        if (options.TryGetValue(Connected, out var connected) && connected)
        {
            throw new SentOnceException($"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} closed the connection without an answer; the request is not sent again.");
        }
        options.Set(Connected, true);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class OneConnectionPerRequest(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ConnectionClose = true;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class SharedClientFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => Client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}

/// <summary>A request the HTTP stack wanted to send a second time after its connection closed unanswered.</summary>
public sealed class SentOnceException(string message) : IOException(message);
