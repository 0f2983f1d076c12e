using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsConfigLsp.Aws;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

/// <summary>
/// A connection the endpoint closes without an answer: what resends it (measured against the loopback fake), and that
/// the server's HTTP stack (<see cref="AwsHttp"/>, <see cref="SdkCalls.Configure"/>) sends every request exactly once.
/// </summary>
public sealed class AwsHttpTests : IAsyncLifetime
{
    private readonly FakeAwsServer fake = FakeAwsServer.Start();
    private FakeUser alice = null!;

    public Task InitializeAsync()
    {
        alice = fake.AddUser("111111111111", "alice");
        fake.AddRole("arn:aws:iam::111111111111:role/dev", [alice.Arn]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await fake.DisposeAsync();

    private static AssumeRoleRequest AssumeDev() => new() { RoleArn = "arn:aws:iam::111111111111:role/dev", RoleSessionName = "s1" };

    private int AssumeRoleCalls => fake.Calls.Count(c => c.Action == "AssumeRole");

    /// <summary>The cause of the 11 attempts: AWSSDK's stale-connection resends (10, outside MaxErrorRetry), not .NET's
    /// (a POST with a body is never resent by SocketsHttpHandler).</summary>
    [Fact]
    public async Task The_sdk_resends_a_closed_request_ten_times_despite_MaxErrorRetry_0_unless_MaxStaleConnectionRetries_is_0()
    {
        fake.SetFault("AssumeRole", FakeFault.CloseConnection);
        var credentials = new BasicAWSCredentials(alice.AccessKeyId, alice.SecretAccessKey);
        using (var plain = new AmazonSecurityTokenServiceClient(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = fake.StsUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => plain.AssumeRoleAsync(AssumeDev()));
        }
        Assert.Equal(11, AssumeRoleCalls);

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = fake.StsUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, MaxStaleConnectionRetries = 0 };
        using (var once = new AmazonSecurityTokenServiceClient(credentials, config))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => once.AssumeRoleAsync(AssumeDev()));
        }
        Assert.Equal(12, AssumeRoleCalls);
    }

    /// <summary>.NET resends a request without a body (IMDS's PUT, ECS's and SSO's GET) three more times on new connections;
    /// the server's client does not.</summary>
    [Theory]
    [InlineData("PUT")]
    [InlineData("GET")]
    public async Task Dotnet_resends_a_bodiless_request_three_times_the_servers_client_once(string method)
    {
        fake.SetFault("imds", FakeFault.CloseConnection);
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(new HttpMethod(method), fake.ImdsUrl + "/latest/api/token");
            request.Headers.Add("x-aws-ec2-metadata-token-ttl-seconds", "21600");
            return request;
        }
        using (var plain = new HttpClient())
        {
            using var request = Request();
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.SendAsync(request));
        }
        Assert.Equal(4, fake.Calls.Count);

        using (var request = Request())
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => AwsHttp.Client.SendAsync(request));
            Assert.IsType<SentOnceException>(error.InnerException);
        }
        Assert.Equal(5, fake.Calls.Count);
    }

    /// <summary>No request of the server's client goes out on a reused connection (a reused one can be stale, and a
    /// stale one is resent): each asks to close its connection, and the next one opens a new connection and gets its answer.</summary>
    [Fact]
    public async Task Each_request_asks_for_its_own_connection_and_answers_still_arrive()
    {
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, fake.ImdsUrl + "/latest/api/token");
            request.Headers.Add("x-aws-ec2-metadata-token-ttl-seconds", "60");
            using var response = await AwsHttp.Client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
        }
        Assert.Equal(3, fake.Calls.Count);
        Assert.All(fake.Calls, call => Assert.Contains(call.Headers, h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase) && h.Value == "close"));
    }

    /// <summary>The SDK clients the server makes (SdkCalls.Configure) send AssumeRole once when the connection closes,
    /// and the failure reads as such.</summary>
    [Fact]
    public async Task The_servers_sts_calls_send_a_closed_request_once_and_say_so()
    {
        fake.SetFault("AssumeRole", FakeFault.CloseConnection);
        var sts = new SdkStsApi(TimeSpan.FromSeconds(5));
        var endpoint = new ServiceEndpoint(fake.StsUrl, "us-east-1", "AWS_ENDPOINT_URL_STS");

        var error = await Assert.ThrowsAsync<AwsCallException>(() => sts.AssumeRoleAsync(endpoint,
            new AwsCredentials(alice.AccessKeyId, alice.SecretAccessKey, null, null, "test"), new AssumeRoleArgs("arn:aws:iam::111111111111:role/dev", "s1", null, null, null, null), "test", CancellationToken.None));

        Assert.Equal((FailureKind.Connection, "ConnectionFailed"), (error.Kind, error.Code));
        Assert.Equal($"{fake.StsUrl} closed the connection without an answer.", error.Message);
        Assert.Equal(1, AssumeRoleCalls);
    }
}
