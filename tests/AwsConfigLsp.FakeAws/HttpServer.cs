using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AwsConfigLsp.FakeAws;

/// <summary>One HTTP/1.1 request as it arrived on the wire: the raw target, header names as sent, the decoded body.</summary>
internal sealed class HttpRequest
{
    public required string Method { get; init; }
    /// <summary>The request target as sent (path and query, still percent-encoded).</summary>
    public required string Target { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
    public required byte[] Body { get; init; }

    public string Path => Target.Split('?', 2)[0];
    public string Query => Target.Split('?', 2) is { Length: 2 } parts ? parts[1] : "";

    /// <summary>The header's values joined by commas (as SigV4 canonicalises repeated headers), or null.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A response to write; <see cref="HttpServer"/> adds Content-Length, Date and Connection.</summary>
internal sealed record HttpResponse(int Status, string ContentType, byte[] Body)
{
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public static HttpResponse Text(int status, string contentType, string body) => new(status, contentType, Encoding.UTF8.GetBytes(body));

    public HttpResponse With(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (free port), written on raw sockets so that faults are exact: a handler can
/// answer, never answer, or drop the connection without a response (<c>null</c>). Keep-alive, <c>Content-Length</c>
/// and chunked bodies, <c>Expect: 100-continue</c>. With a certificate it speaks HTTPS (TLS through <see cref="SslStream"/>).
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Func<HttpRequest, CancellationToken, Task<HttpResponse?>> handler;
    private readonly X509Certificate2? certificate;
    private int connectionsAccepted;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> clients = [];
    private readonly List<Task> connections = [];
    private readonly Task acceptLoop;

    public HttpServer(Func<HttpRequest, CancellationToken, Task<HttpResponse?>> handler, X509Certificate2? certificate = null)
    {
        this.handler = handler;
        this.certificate = certificate;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"{(certificate is null ? "http" : "https")}://127.0.0.1:{Port}";

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref connectionsAccepted);

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref connectionsAccepted);
            lock (clients)
            {
                clients.Add(client);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            client.NoDelay = true;
            Stream stream = client.GetStream();
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stopping.Token);
                }
                catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
                {
                    await tls.DisposeAsync();
                    return;
                }
                stream = tls;
            }
            var reader = new RequestReader(stream);
            while (!stopping.IsCancellationRequested)
            {
                var request = await reader.ReadAsync(stopping.Token);
                if (request is null) return;
                var response = await handler(request, stopping.Token);
                if (response is null) return; // drop the connection without an answer
                var close = string.Equals(request.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
                await WriteAsync(stream, request, response, close, stopping.Token);
                if (close) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // The client went away, sent garbage, or the server is stopping: end this connection only.
        }
        finally
        {
            client.Dispose();
            lock (clients) clients.Remove(client);
        }
    }

    private static async Task WriteAsync(Stream stream, HttpRequest request, HttpResponse response, bool close, CancellationToken cancellation)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(ReasonPhrase(response.Status)).Append("\r\n");
        if (response.ContentType.Length > 0) head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
        head.Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r")).Append("\r\n");
        foreach (var (name, value) in response.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (close) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellation);
        if (request.Method != "HEAD") await stream.WriteAsync(response.Body, cancellation);
        await stream.FlushAsync(cancellation);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested) return;
        stopping.Cancel();
        listener.Stop();
        Task[] pending;
        lock (clients)
        {
            foreach (var client in clients) client.Dispose();
            pending = [.. connections];
        }
        try
        {
            await Task.WhenAll(pending.Append(acceptLoop)).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Connections end on their own once their sockets are closed; nothing to report at shutdown.
        }
        stopping.Dispose();
    }

    /// <summary>Reads requests one after the other from a keep-alive connection.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[16384];
        private int start;
        private int end;

        public async Task<HttpRequest?> ReadAsync(CancellationToken cancellation)
        {
            var requestLine = await ReadLineAsync(cancellation);
            while (requestLine is { Length: 0 }) requestLine = await ReadLineAsync(cancellation);
            if (requestLine is null) return null;
            var parts = requestLine.Split(' ');
            if (parts.Length != 3) throw new InvalidDataException("bad request line");
            var headers = new List<KeyValuePair<string, string>>();
            while (true)
            {
                var line = await ReadLineAsync(cancellation) ?? throw new InvalidDataException("truncated headers");
                if (line.Length == 0) break;
                var colon = line.IndexOf(':');
                if (colon <= 0) throw new InvalidDataException("bad header");
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
            string? Get(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

            if (string.Equals(Get("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellation);
            }
            byte[] body;
            if (string.Equals(Get("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                using var collected = new MemoryStream();
                while (true)
                {
                    var sizeLine = await ReadLineAsync(cancellation) ?? throw new InvalidDataException("truncated chunk");
                    var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(cancellation) ?? "").Length > 0) { }
                        break;
                    }
                    collected.Write(await ReadExactAsync(size, cancellation));
                    await ReadLineAsync(cancellation);
                }
                body = collected.ToArray();
            }
            else
            {
                body = int.TryParse(Get("Content-Length"), out var length) && length > 0 ? await ReadExactAsync(length, cancellation) : [];
            }
            return new HttpRequest { Method = parts[0], Target = parts[1], Headers = headers, Body = body };
        }

        private async Task<bool> FillAsync(CancellationToken cancellation)
        {
            if (start > 0 && start == end) start = end = 0;
            if (end == buffer.Length)
            {
                if (start == 0) throw new InvalidDataException("line too long");
                Array.Copy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellation);
            end += read;
            return read > 0;
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellation)
        {
            var scanned = start;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', scanned, end - scanned);
                if (newline >= 0)
                {
                    var length = newline - start;
                    if (length > 0 && buffer[newline - 1] == '\r') length--;
                    var line = Encoding.Latin1.GetString(buffer, start, length);
                    start = newline + 1;
                    return line;
                }
                var offset = scanned - start;
                if (!await FillAsync(cancellation)) return null;
                scanned = start + Math.Max(0, offset);
            }
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellation)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (start == end && !await FillAsync(cancellation)) throw new InvalidDataException("truncated body");
                var take = Math.Min(count - copied, end - start);
                Array.Copy(buffer, start, result, copied, take);
                start += take;
                copied += take;
            }
            return result;
        }
    }
}
