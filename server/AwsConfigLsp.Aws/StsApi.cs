using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AwsConfigLsp.Aws;

/// <summary>The AssumeRole arguments of one hop, as botocore builds them.</summary>
public sealed record AssumeRoleArgs(string RoleArn, string RoleSessionName, string? ExternalId, int? DurationSeconds, string? SerialNumber, string? TokenCode);

/// <summary>The STS calls a credential test makes. One implementation (<see cref="SdkStsApi"/>) talks to STS through AWSSDK.SecurityToken.</summary>
public interface IStsApi
{
    Task<AssumedRole> AssumeRoleAsync(ServiceEndpoint endpoint, AwsCredentials source, AssumeRoleArgs args, string origin, CancellationToken cancellationToken);
    Task<AssumedRole> AssumeRoleWithWebIdentityAsync(ServiceEndpoint endpoint, string roleArn, string sessionName, string token, int? durationSeconds, string origin, CancellationToken cancellationToken);
    Task<CallerIdentity> GetCallerIdentityAsync(ServiceEndpoint endpoint, AwsCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>
/// STS through AWSSDK.SecurityToken: one client per call (credentials differ per hop), no SDK retries (a test reports
/// what happened, it does not storm a throttled endpoint), the caller's time limit and cancellation.
/// </summary>
public sealed class SdkStsApi(TimeSpan timeout) : IStsApi
{
    public TimeSpan Timeout { get; } = timeout;

    public async Task<AssumedRole> AssumeRoleAsync(ServiceEndpoint endpoint, AwsCredentials source, AssumeRoleArgs args, string origin, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = args.RoleArn,
            RoleSessionName = args.RoleSessionName,
            ExternalId = args.ExternalId,
            DurationSeconds = args.DurationSeconds,
            SerialNumber = args.SerialNumber,
            TokenCode = args.TokenCode,
        };
        var response = await CallAsync(endpoint, ToSdk(source), (client, token) => client.AssumeRoleAsync(request, token), cancellationToken).ConfigureAwait(false);
        return ToAssumedRole(response.Credentials, response.AssumedRoleUser, origin);
    }

    public async Task<AssumedRole> AssumeRoleWithWebIdentityAsync(ServiceEndpoint endpoint, string roleArn, string sessionName, string token, int? durationSeconds, string origin, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = roleArn,
            RoleSessionName = sessionName,
            WebIdentityToken = token,
            DurationSeconds = durationSeconds,
        };
        var response = await CallAsync(endpoint, new AnonymousAWSCredentials(), (client, t) => client.AssumeRoleWithWebIdentityAsync(request, t), cancellationToken).ConfigureAwait(false);
        return ToAssumedRole(response.Credentials, response.AssumedRoleUser, origin);
    }

    public async Task<CallerIdentity> GetCallerIdentityAsync(ServiceEndpoint endpoint, AwsCredentials credentials, CancellationToken cancellationToken)
    {
        var response = await CallAsync(endpoint, ToSdk(credentials), (client, token) => client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), token), cancellationToken).ConfigureAwait(false);
        if (response.Account is null || response.Arn is null) throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", "GetCallerIdentity answered without Account or Arn.");
        return new CallerIdentity(response.Account, response.Arn, response.UserId ?? "");
    }

    private static AssumedRole ToAssumedRole(Credentials? credentials, AssumedRoleUser? user, string origin)
    {
        if (credentials?.AccessKeyId is null || credentials.SecretAccessKey is null || credentials.SessionToken is null)
        {
            throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", "STS answered without credentials.");
        }
        DateTimeOffset? expiration = credentials.Expiration is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e.ToUniversalTime(), DateTimeKind.Utc)) : null;
        return new AssumedRole(new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, expiration, origin),
            user?.Arn ?? "", user?.AssumedRoleId ?? "");
    }

    private static AWSCredentials ToSdk(AwsCredentials credentials) => credentials.SessionToken is { } token
        ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
        : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey);

    private async Task<T> CallAsync<T>(ServiceEndpoint endpoint, AWSCredentials credentials,
        Func<AmazonSecurityTokenServiceClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var config = SdkCalls.Configure(new AmazonSecurityTokenServiceConfig(), endpoint, Timeout);
        using var client = new AmazonSecurityTokenServiceClient(credentials, config);
        return await SdkCalls.RunAsync(endpoint, Timeout, token => call(client, token), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Runs one SDK call under a time limit and turns what can go wrong into <see cref="AwsCallException"/>.</summary>
internal static class SdkCalls
{
    /// <summary>Every SDK client the server makes: the resolved endpoint, no SDK retries of any kind, each request sent
    /// once (<see cref="AwsHttp"/>), the call's own time limit.</summary>
    public static TConfig Configure<TConfig>(TConfig config, ServiceEndpoint endpoint, TimeSpan timeout) where TConfig : ClientConfig
    {
        config.ServiceURL = endpoint.Url;
        config.AuthenticationRegion = endpoint.SigningRegion;
        config.MaxErrorRetry = 0;
        // AWSSDK resends a request whose connection closed unanswered up to 10 times, outside MaxErrorRetry; the shared
        // client below sends each request once (see AwsHttp).
        config.MaxStaleConnectionRetries = 0;
        config.HttpClientFactory = AwsHttp.Factory;
        config.Timeout = timeout;
        config.DefaultConfigurationMode = DefaultConfigurationMode.Standard;
        return config;
    }

    public static async Task<T> RunAsync<T>(ServiceEndpoint endpoint, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // WaitAsync: the call's own cancellation is cooperative; the test must stop at once even if the SDK does not.
            return await call(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException exception)
        {
            throw Timeout(endpoint, timeout, exception);
        }
        catch (AmazonServiceException exception) when (!string.IsNullOrEmpty(exception.ErrorCode))
        {
            throw new AwsCallException(FailureKind.Service, exception.ErrorCode, exception.Message, (int)exception.StatusCode, exception);
        }
        catch (Exception exception) when (exception is AmazonClientException or AmazonServiceException or HttpRequestException or IOException or SocketException or TimeoutException or System.Xml.XmlException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException)
        {
            if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
            if (limit.IsCancellationRequested || Find<TimeoutException>(exception) is not null) throw Timeout(endpoint, timeout, exception);
            if (Find<System.Xml.XmlException>(exception) is not null || Find<System.Text.Json.JsonException>(exception) is not null || exception is AmazonUnmarshallingException)
            {
                throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", $"{endpoint.Url} answered something that is not an AWS response.", null, exception);
            }
            if (exception is AmazonServiceException { StatusCode: var status } && (int)status >= 500)
            {
                throw new AwsCallException(FailureKind.Service, "ServiceUnavailable", $"{endpoint.Url} answered HTTP {(int)status}.", (int)status, exception);
            }
            if (Find<System.Security.Authentication.AuthenticationException>(exception) is { } tls)
            {
                throw new AwsCallException(FailureKind.Tls, "TlsHandshakeFailed", $"The TLS (https) connection to {endpoint.Url} failed: {TlsDetail(tls)}", null, exception);
            }
            if (Find<SentOnceException>(exception) is not null
                || Find<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.ResponseEnded }
                || Find<HttpIOException>(exception) is { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                throw new AwsCallException(FailureKind.Connection, "ConnectionFailed", $"{endpoint.Url} closed the connection without an answer.", null, exception);
            }
            var detail = Find<SocketException>(exception)?.Message ?? Find<HttpRequestException>(exception)?.Message ?? exception.Message;
            throw new AwsCallException(FailureKind.Connection, "ConnectionFailed", $"Could not reach {endpoint.Url}: {detail}", null, exception);
        }
    }

    /// <summary>What .NET says about a failed handshake, without the "see inner exception" of its wrappers.</summary>
    private static string TlsDetail(System.Security.Authentication.AuthenticationException exception)
    {
        var text = exception.Message.Trim();
        if (text.Length == 0 || text.Contains("inner exception", StringComparison.OrdinalIgnoreCase))
        {
            text = exception.InnerException?.Message.Trim() is { Length: > 0 } inner ? inner : "the handshake did not complete";
        }
        return text.EndsWith('.') ? text : text + ".";
    }

    private static AwsCallException Timeout(ServiceEndpoint endpoint, TimeSpan timeout, Exception inner) =>
        new(FailureKind.Timeout, "Timeout", $"{endpoint.Url} did not answer within {timeout.TotalSeconds:0.#} s.", null, inner);

    private static TException? Find<TException>(Exception? exception) where TException : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is TException match) return match;
        }
        return null;
    }
}
