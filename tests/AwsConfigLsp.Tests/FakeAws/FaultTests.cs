using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>Injected faults, seen through a real client (AWSSDK.SecurityToken, no retries).</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private FakeAwsServer fake = null!;
    private FakeUser alice = null!;

    public Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        alice = fake.AddUser("111111111111", "alice");
        fake.AddRole("arn:aws:iam::111111111111:role/dev", [alice.Arn]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await fake.DisposeAsync();

    private AmazonSecurityTokenServiceClient Client(TimeSpan? timeout = null) =>
        SdkStsTests.Client(fake, new BasicAWSCredentials(alice.AccessKeyId, alice.SecretAccessKey), timeout: timeout);

    private static AssumeRoleRequest AssumeDev() => new() { RoleArn = "arn:aws:iam::111111111111:role/dev", RoleSessionName = "s1" };

    [Fact]
    public async Task Hang_NeverAnswers_SoTheClientTimesOut_AndDisposingTheFakeDoesNotWaitForIt()
    {
        fake.SetFault("AssumeRole", FakeFault.Hang);
        using var sts = Client(timeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sts.AssumeRoleAsync(AssumeDev()));

        Assert.True(error is OperationCanceledException or TimeoutException || error.InnerException is OperationCanceledException or TimeoutException, error.ToString());
        // The fake answered nothing, and got the request once (the client does not resend on a stale connection).
        var call = Assert.Single(fake.Calls);
        Assert.Equal(("AssumeRole", 0), (call.Action, call.Status));
        // Other actions of the same endpoint still answer.
        Assert.Equal("111111111111", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task Dispose_ReleasesAHangingRequest()
    {
        fake.SetFault("sts", FakeFault.Hang);
        using var sts = Client(timeout: TimeSpan.FromSeconds(30));
        var pending = sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        while (fake.Calls.Count == 0) await Task.Delay(20);

        await fake.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAnyAsync<Exception>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task MalformedXml_FailsTheClientsUnmarshalling()
    {
        fake.SetFault("GetCallerIdentity", FakeFault.MalformedXml);
        using var sts = Client();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.True(error is AmazonUnmarshallingException or System.Xml.XmlException || error.InnerException is System.Xml.XmlException, error.ToString());
    }

    [Fact]
    public async Task Throttle_IsTheThrottlingErrorDocument()
    {
        fake.SetFault("sts", FakeFault.Throttle);
        using var sts = Client();

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(AssumeDev()));

        Assert.Equal(("Throttling", "Rate exceeded", System.Net.HttpStatusCode.BadRequest), (error.ErrorCode, error.Message, error.StatusCode));
    }

    [Fact]
    public async Task ServerError_Once_ThenTheEndpointAnswersAgain()
    {
        fake.SetFault("sts", FakeFault.ServerError, times: 1);
        using var sts = Client();

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal((System.Net.HttpStatusCode.InternalServerError, "InternalFailure", ErrorType.Receiver), (error.StatusCode, error.ErrorCode, error.ErrorType));

        Assert.Equal("111111111111", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task CloseConnection_DropsTheRequestWithoutAnswer()
    {
        fake.SetFault("AssumeRole", FakeFault.CloseConnection);
        using var sts = Client();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sts.AssumeRoleAsync(AssumeDev()));

        Assert.IsNotType<AmazonSecurityTokenServiceException>(error);
        // Once: the client sets MaxStaleConnectionRetries = 0 (AWSSDK's default, 10, would make it 11).
        var call = Assert.Single(fake.Calls);
        Assert.Equal(("AssumeRole", 0), (call.Action, call.Status));
    }

    [Fact]
    public async Task Slow_AnswersNormallyAfterTheDelay()
    {
        fake.SetFault("AssumeRole", FakeFault.Slow(TimeSpan.FromMilliseconds(300)));
        using var sts = Client();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var response = await sts.AssumeRoleAsync(AssumeDev());

        Assert.Equal("arn:aws:sts::111111111111:assumed-role/dev/s1", response.AssumedRoleUser.Arn);
        // The fake's delay is a timer of whole milliseconds, which may fire a fraction of one early by the stopwatch.
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(295), $"answered after {started.Elapsed}");
    }

    [Fact]
    public async Task AccessDeniedFault_NamesTheCallerAndTheAction_AndNoneRemovesTheFault()
    {
        fake.SetFault("GetCallerIdentity", FakeFault.AccessDenied);
        using var sts = Client();

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.StartsWith("User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:GetCallerIdentity", error.Message);

        fake.SetFault("GetCallerIdentity", FakeFault.None);
        Assert.Equal("111111111111", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task Tls_TheCertificateIsRefusedByDefault_AndTheSameEndpointAnswersAClientThatTrustsIt()
    {
        using var untrusting = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(fake.EcsTlsFullUri));
        var tls = Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
        Assert.Contains("UntrustedRoot", tls.Message);
        Assert.Equal(1, fake.TlsConnections("ecs"));
        Assert.Empty(fake.Calls);

        // Nothing else is wrong with the certificate: a client that trusts exactly it gets the endpoint's answer.
        fake.SetContainerCredentials("111111111111", "task-role");
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == fake.TlsCertificate.Thumbprint,
        };
        using var trusting = new HttpClient(handler);
        Assert.StartsWith("https://127.0.0.1:", fake.EcsTlsFullUri);
        var answer = await trusting.GetStringAsync(fake.EcsTlsFullUri);
        Assert.Contains("\"AccessKeyId\"", answer);
        Assert.Equal(("ecs", 200), (fake.Calls[0].Endpoint, fake.Calls[0].Status));
    }

    [Theory]
    [InlineData("hang", FakeFaultKind.Hang)]
    [InlineData("500", FakeFaultKind.ServerError)]
    [InlineData("throttle", FakeFaultKind.Throttle)]
    [InlineData("malformed", FakeFaultKind.MalformedXml)]
    [InlineData("close", FakeFaultKind.CloseConnection)]
    [InlineData("accessDenied", FakeFaultKind.AccessDenied)]
    public void Parse_ReadsTheScenarioSpelling(string text, FakeFaultKind kind) => Assert.Equal(kind, FakeFault.Parse(text).Kind);

    [Fact]
    public void Parse_SlowCarriesItsDelay_UnknownIsAClearError()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), FakeFault.Parse("slow:1500").Delay);
        Assert.Equal("unknown fault 'explode'", Assert.Throws<FormatException>(() => FakeFault.Parse("explode")).Message);
    }
}
