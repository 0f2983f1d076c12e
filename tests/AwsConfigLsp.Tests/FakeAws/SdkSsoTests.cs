using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>The SSO portal fake checked against AWSSDK.SSO's GetRoleCredentials (REST-JSON, bearer token header).</summary>
public sealed class SdkSsoTests : IAsyncLifetime
{
    private FakeAwsServer fake = null!;

    public Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        fake.AddSsoAccess("portal-token", "111111111111", "ReadOnly");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await fake.DisposeAsync();

    private AmazonSSOClient Client() => new(new AnonymousAWSCredentials(), new AmazonSSOConfig
    {
        ServiceURL = fake.SsoUrl,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task GetRoleCredentials_AnswersCredentialsOfThePermissionSetsRole()
    {
        using var sso = Client();

        var response = await sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = "portal-token", AccountId = "111111111111", RoleName = "ReadOnly" });

        var credentials = response.RoleCredentials;
        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(credentials.Expiration!.Value), DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));

        using var sts = SdkStsTests.Client(fake, new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        var identity = await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());
        Assert.Equal(FakeAwsServer.SsoRoleArn("111111111111", "ReadOnly").Split('/')[^1], identity.Arn.Split('/')[1]);
    }

    [Fact]
    public async Task UnknownToken_IsUnauthorizedException_NoAccess_IsForbiddenException()
    {
        using var sso = Client();

        var unauthorized = await Assert.ThrowsAsync<UnauthorizedException>(() =>
            sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = "expired-token", AccountId = "111111111111", RoleName = "ReadOnly" }));
        Assert.Equal("Session token not found or invalid", unauthorized.Message);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        await Assert.ThrowsAsync<Amazon.SSO.AmazonSSOException>(() =>
            sso.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = "portal-token", AccountId = "111111111111", RoleName = "Admin" }));
    }
}
