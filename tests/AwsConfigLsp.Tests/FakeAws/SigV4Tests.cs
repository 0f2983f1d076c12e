using System.Net;
using System.Text;
using Amazon.SecurityToken.Model;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// The fake's SigV4 check, fed with requests the real SDK signed and then replayed, unchanged or tampered with, so the
/// check is proven against a signer that is not ours.
/// </summary>
public sealed class SigV4Tests : IAsyncLifetime
{
    private const string Body = "Action=GetCallerIdentity&Version=2011-06-15";
    private FakeAwsServer fake = null!;
    private readonly HttpClient http = new();
    private IReadOnlyList<KeyValuePair<string, string>> signedHeaders = [];

    public async Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        var alice = fake.AddUser("111111111111", "alice");
        using var sts = SdkStsTests.Client(fake, alice);
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        signedHeaders = fake.Calls.Single().Headers;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await fake.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> Replay(string body, Func<string, string, string?>? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fake.StsUrl + "/");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in signedHeaders)
        {
            var sent = header is null ? value : header(name, value);
            if (sent is null || name is "Host" or "Content-Length") continue;
            if (name == "Content-Type") request.Content.Headers.TryAddWithoutValidation(name, sent);
            else request.Headers.TryAddWithoutValidation(name, sent);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task TheSdksRequest_ReplayedUnchanged_IsAccepted()
    {
        var (status, body) = await Replay(Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<Arn>arn:aws:iam::111111111111:user/alice</Arn>", body);
    }

    [Fact]
    public async Task AChangedBody_WithItsHashUpdated_IsSignatureDoesNotMatch()
    {
        const string tampered = "Action=GetCallerIdentity&Version=2011-06-15&X=1";

        var (status, body) = await Replay(tampered, (name, value) => name == "X-Amz-Content-SHA256" ? Sha256(tampered) : value);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body);
        Assert.Contains("<Type>Sender</Type>", body);
    }

    [Fact]
    public async Task AChangedBody_WithTheOldHash_IsAContentHashMismatch()
    {
        var (status, body) = await Replay("Action=GetCallerIdentity&Version=2011-06-15&X=1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<Code>XAmzContentSHA256Mismatch</Code>", body);
    }

    [Fact]
    public async Task ASignedHeaderChanged_IsSignatureDoesNotMatch()
    {
        var (status, body) = await Replay(Body, (name, value) => name == "Content-Type" ? "application/x-www-form-urlencoded" : value);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body);
    }

    [Fact]
    public async Task NoAuthorizationHeader_IsMissingAuthenticationToken()
    {
        var (status, body) = await Replay(Body, (name, value) => name == "Authorization" ? null : value);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", body);
        Assert.Contains("<Message>Request is missing Authentication Token</Message>", body);
    }

    [Fact]
    public async Task ARequestSignedMoreThan15MinutesAgo_IsSignatureExpired()
    {
        fake.Clock = new ShiftedClock(TimeSpan.FromMinutes(20));

        var (status, body) = await Replay(Body);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Matches(@"<Message>Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)</Message>", body);
    }

    [Fact]
    public async Task AScopeForAnotherService_IsRejected()
    {
        var (status, body) = await Replay(Body, (name, value) => name == "Authorization" ? value.Replace("/sts/aws4_request", "/iam/aws4_request") : value);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Message>Credential should be scoped to correct service: &apos;sts&apos;. </Message>", body);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
