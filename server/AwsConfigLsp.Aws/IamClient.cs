using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime.Internal.Auth;

namespace AwsConfigLsp.Aws;

/// <summary>The IAM look-ups the server makes (AWSSDK.IdentityManagement is not available here, so it is a small interface).</summary>
public interface IIamClient
{
    /// <summary>The serial numbers (ARNs) of the MFA devices of the user the credentials belong to.</summary>
    Task<IReadOnlyList<string>> ListMfaDevicesAsync(AwsCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>
/// IAM's Query API over HTTP, signed with AWSSDK.Core's SigV4 signer: <c>ListMFADevices</c> with a 3 s limit, answers
/// cached per access key for the server's lifetime.
/// </summary>
public sealed class SigV4IamClient(HttpClient http, ServiceEndpoint endpoint, TimeProvider clock, TimeSpan? timeout = null) : IIamClient
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> cache = new(StringComparer.Ordinal);
    private readonly TimeSpan timeout = timeout ?? TimeSpan.FromSeconds(3);

    /// <summary>What an earlier look-up found for this access key, without any call.</summary>
    public IReadOnlyList<string>? TryGetCached(string accessKeyId) => cache.GetValueOrDefault(accessKeyId);

    public async Task<IReadOnlyList<string>> ListMfaDevicesAsync(AwsCredentials credentials, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(credentials.AccessKeyId, out var cached)) return cached;
        var body = "Action=ListMFADevices&Version=2010-05-08";
        var xml = await SdkCalls.RunAsync(endpoint, timeout, async token =>
        {
            using var request = Sign(body, credentials);
            using var response = await http.SendAsync(request, token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (code, message) = ParseError(text);
                throw new AwsCallException(FailureKind.Service, code ?? $"Http{(int)response.StatusCode}", message ?? $"IAM answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
            }
            return text;
        }, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> serials;
        try
        {
            var document = XDocument.Parse(xml);
            serials = [.. document.Descendants().Where(e => e.Name.LocalName == "SerialNumber").Select(e => e.Value.Trim()).Where(v => v.Length > 0)];
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", "IAM answered something that is not XML.");
        }
        cache[credentials.AccessKeyId] = serials;
        return serials;
    }

    private HttpRequestMessage Sign(string body, AwsCredentials credentials)
    {
        var uri = new Uri(endpoint.Url.TrimEnd('/') + "/");
        var now = clock.GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = contentType,
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        if (credentials.SessionToken is { } token) headers["x-amz-security-token"] = token;
        var signedHeaders = string.Join(";", headers.Keys);
        var canonicalRequest = new StringBuilder()
            .Append("POST\n").Append(uri.AbsolutePath).Append("\n\n")
            .Append(string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"))).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(AWS4Signer.ComputeHash(body)))
            .ToString();
        var result = AWS4Signer.ComputeSignature(credentials.AccessKeyId, credentials.SecretAccessKey, endpoint.SigningRegion, now, "iam", signedHeaders, canonicalRequest);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (credentials.SessionToken is { } sessionToken) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", sessionToken);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return request;
    }

    private static (string? Code, string? Message) ParseError(string text)
    {
        try
        {
            var document = XDocument.Parse(text);
            string? Find(string name) => document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            return (Find("Code"), Find("Message"));
        }
        catch (System.Xml.XmlException)
        {
            return (null, null);
        }
    }
}
