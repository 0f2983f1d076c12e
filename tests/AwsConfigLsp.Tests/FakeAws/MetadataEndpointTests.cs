using System.Net;
using System.Text.Json;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// The IMDSv2, ECS and SSO portal fakes at the HTTP level: the rules their real counterparts enforce (the AWS CLI tests
/// show that botocore accepts their answers).
/// </summary>
public sealed class MetadataEndpointTests : IAsyncLifetime
{
    private FakeAwsServer fake = null!;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await fake.DisposeAsync();
    }

    private async Task<string> ImdsToken(string ttl = "21600")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, fake.ImdsUrl + "/latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> ImdsGet(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fake.ImdsUrl + path);
        if (token is not null) request.Headers.Add("X-aws-ec2-metadata-token", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Imds_ServesTheInstanceRoleAndItsCredentials_OnlyWithASessionToken()
    {
        var credentials = fake.SetInstanceProfile("111111111111", "ec2-role");

        using var withoutToken = await ImdsGet("/latest/meta-data/iam/security-credentials/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);

        var token = await ImdsToken();
        using var roleName = await ImdsGet("/latest/meta-data/iam/security-credentials/", token);
        Assert.Equal("ec2-role", await roleName.Content.ReadAsStringAsync());

        using var document = await ImdsGet("/latest/meta-data/iam/security-credentials/ec2-role", token);
        var json = JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Success", json.GetProperty("Code").GetString());
        Assert.Equal("AWS-HMAC", json.GetProperty("Type").GetString());
        Assert.Equal(credentials.AccessKeyId, json.GetProperty("AccessKeyId").GetString());
        Assert.Equal(credentials.SecretAccessKey, json.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(credentials.SessionToken, json.GetProperty("Token").GetString());
        Assert.Equal(credentials.Expiration, DateTimeOffset.Parse(json.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("arn:aws:sts::111111111111:assumed-role/ec2-role/", credentials.Arn);

        using var otherRole = await ImdsGet("/latest/meta-data/iam/security-credentials/other", token);
        Assert.Equal(HttpStatusCode.NotFound, otherRole.StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21601")]
    [InlineData("abc")]
    public async Task ImdsToken_TtlOutOfRange_IsBadRequest(string ttl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, fake.ImdsUrl + "/latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Imds_WithoutAnInstanceProfile_IsNotFound_AndAFaultAppliesToIt()
    {
        var token = await ImdsToken();
        using var missing = await ImdsGet("/latest/meta-data/iam/security-credentials/", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        fake.SetFault("imds", FakeFault.ServerError);
        using var request = new HttpRequestMessage(HttpMethod.Put, fake.ImdsUrl + "/latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "60");
        using var failed = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Fact]
    public async Task Ecs_ChecksTheAuthorizationHeader_AndAnswersTheAgentsJson()
    {
        var credentials = fake.SetContainerCredentials("111111111111", "task-role", authorizationToken: "secret-token");

        using var unauthorized = await http.GetAsync(fake.EcsFullUri);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, fake.EcsFullUri);
        request.Headers.TryAddWithoutValidation("Authorization", "secret-token");
        using var response = await http.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("arn:aws:iam::111111111111:role/task-role", json.GetProperty("RoleArn").GetString());
        Assert.Equal(credentials.AccessKeyId, json.GetProperty("AccessKeyId").GetString());
        Assert.Equal(credentials.SessionToken, json.GetProperty("Token").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", json.GetProperty("Expiration").GetString());
    }

    private async Task<HttpResponseMessage> GetRoleCredentials(string? token, string account = "111111111111", string role = "ReadOnly")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fake.SsoUrl}/federation/credentials?role_name={role}&account_id={account}");
        if (token is not null) request.Headers.Add("x-amz-sso_bearer_token", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Sso_GetRoleCredentials_AnswersCredentialsWithExpirationInMilliseconds()
    {
        fake.AddSsoAccess("token-1", "111111111111", "ReadOnly");

        using var response = await GetRoleCredentials("token-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var credentials = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("roleCredentials");
        Assert.StartsWith("ASIA", credentials.GetProperty("accessKeyId").GetString());
        Assert.Equal(40, credentials.GetProperty("secretAccessKey").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(credentials.GetProperty("sessionToken").GetString()));
        var expiration = DateTimeOffset.FromUnixTimeMilliseconds(credentials.GetProperty("expiration").GetInt64());
        Assert.InRange(expiration, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task Sso_UnknownToken_Is401Unauthorized_RoleWithoutAccess_Is403Forbidden()
    {
        fake.AddSsoAccess("token-1", "111111111111", "ReadOnly");

        using var unknown = await GetRoleCredentials("token-2");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("UnauthorizedException", unknown.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("Session token not found or invalid", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());

        using var forbidden = await GetRoleCredentials("token-1", role: "Admin");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("ForbiddenException", forbidden.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task TotpHelper_AnswersTheCurrentCode_UnknownSerialIsNotFound()
    {
        var alice = fake.AddUser("111111111111", "alice", mfaDevice: true);

        var code = await http.GetStringAsync($"{fake.StsUrl}/_fake/totp?serial={Uri.EscapeDataString(alice.MfaSerial!)}");
        Assert.Contains(code, new[] { fake.Totp(alice.MfaSerial!, DateTimeOffset.UtcNow.AddSeconds(-30)), fake.Totp(alice.MfaSerial!) });

        using var unknown = await http.GetAsync($"{fake.StsUrl}/_fake/totp?serial=arn:aws:iam::111111111111:mfa/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
