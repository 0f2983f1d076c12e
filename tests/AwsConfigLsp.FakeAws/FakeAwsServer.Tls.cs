using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AwsConfigLsp.FakeAws;

/// <summary>
/// The TLS fault: HTTPS listeners that serve the same fake endpoints behind a self-signed certificate that nothing
/// trusts, so a client that checks certificates (every AWS SDK and the CLI) fails the handshake; a client told to trust
/// <see cref="TlsCertificate"/> gets the normal answers.
/// </summary>
public sealed partial class FakeAwsServer
{
    private readonly Dictionary<string, HttpServer> tlsServers = new(StringComparer.Ordinal);
    private X509Certificate2? tlsCertificate;

    /// <summary>The self-signed certificate of the HTTPS listeners: CN=fake-aws.invalid, for IP 127.0.0.1 and DNS localhost,
    /// valid from a day ago to a day ahead (so the one thing wrong with it is that no authority signed it).</summary>
    public X509Certificate2 TlsCertificate
    {
        get
        {
            lock (gate) return tlsCertificate ??= CreateCertificate();
        }
    }

    /// <summary>The HTTPS base URL (<c>https://127.0.0.1:PORT</c>) serving <paramref name="endpoint"/> (<c>sts</c>, <c>iam</c>,
    /// <c>imds</c>, <c>ecs</c>, <c>sso</c>) with <see cref="TlsCertificate"/>; started on first use.</summary>
    public string TlsUrl(string endpoint) => Tls(endpoint).BaseUrl;

    /// <summary>The HTTPS URL for <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>.</summary>
    public string EcsTlsFullUri => TlsUrl("ecs") + ecsPath;

    /// <summary>TCP connections the HTTPS listener of <paramref name="endpoint"/> accepted (each is one TLS handshake attempt).</summary>
    public int TlsConnections(string endpoint) => Tls(endpoint).ConnectionsAccepted;

    private HttpServer Tls(string endpoint)
    {
        if (endpoint is not ("sts" or "iam" or "imds" or "ecs" or "sso")) throw new ArgumentException($"unknown endpoint '{endpoint}'", nameof(endpoint));
        var certificate = TlsCertificate;
        lock (gate)
        {
            if (!tlsServers.TryGetValue(endpoint, out var server))
            {
                tlsServers[endpoint] = server = new HttpServer((request, cancellation) => HandleAsync(endpoint, request, cancellation), certificate);
            }
            return server;
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-aws.invalid", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private Task DisposeTlsAsync()
    {
        HttpServer[] servers;
        lock (gate) servers = [.. tlsServers.Values];
        return Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
    }
}
