using System.Text.Json;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// The fakes checked against the installed AWS CLI (botocore): every endpoint answers what botocore sends, in a shape
/// botocore accepts, through the same settings users have (<c>--endpoint-url</c>, <c>AWS_ENDPOINT_URL_STS</c>,
/// <c>mfa_serial</c> with the code typed on stdin, <c>credential_source</c>, <c>web_identity_token_file</c>, SSO).
/// </summary>
public sealed class AwsCliTests : IAsyncLifetime
{
    private const string Account = "111111111111";
    private FakeAwsServer fake = null!;
    private readonly AwsCli cli = new();

    public Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await fake.DisposeAsync();
        cli.Dispose();
    }

    private static JsonElement Json(AwsCli.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    private void UseKeys(FakeUser user, string profile = "default") =>
        cli.WriteCredentials($"[{profile}]\naws_access_key_id = {user.AccessKeyId}\naws_secret_access_key = {user.SecretAccessKey}\n");

    [Fact]
    public async Task GetCallerIdentity_WithEndpointUrl_AnswersTheUserOfTheCredentialsFile()
    {
        var alice = fake.AddUser(Account, "alice");
        UseKeys(alice);
        cli.WriteConfig("[default]\nregion = us-east-1\n");

        var identity = Json(await cli.RunAsync(null, "sts", "get-caller-identity", "--endpoint-url", fake.StsUrl, "--output", "json"));

        Assert.Equal("arn:aws:iam::111111111111:user/alice", identity.GetProperty("Arn").GetString());
        Assert.Equal(Account, identity.GetProperty("Account").GetString());
        var call = Assert.Single(fake.Calls);
        Assert.True(call.Signed);
        Assert.Equal(alice.AccessKeyId, call.CallerAccessKeyId);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", call.Headers.Single(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Fact]
    public async Task GetCallerIdentity_WithAWrongSecret_FailsWithTheCliWordingOfSignatureDoesNotMatch()
    {
        var alice = fake.AddUser(Account, "alice");
        cli.WriteCredentials($"[default]\naws_access_key_id = {alice.AccessKeyId}\naws_secret_access_key = {new string('x', 40)}\n");
        cli.WriteConfig("[default]\nregion = us-east-1\n");

        var result = await cli.RunAsync(null, "sts", "get-caller-identity", "--endpoint-url", fake.StsUrl);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match", result.Stderr);
    }

    private void WriteMfaChain(FakeUser alice)
    {
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        fake.AddRole("arn:aws:iam::111111111111:role/deep", ["arn:aws:iam::111111111111:role/admin"], requireMfa: true);
        UseKeys(alice);
        cli.WriteConfig("""
            [default]
            region = us-east-1

            [profile admin]
            role_arn = arn:aws:iam::111111111111:role/admin
            source_profile = default
            mfa_serial = arn:aws:iam::111111111111:mfa/alice
            region = us-east-1

            [profile deep]
            role_arn = arn:aws:iam::111111111111:role/deep
            source_profile = admin
            role_session_name = deep-session
            region = us-east-1
            """);
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
    }

    [Fact]
    public async Task RoleChainWithMfaSerial_ThroughAwsEndpointUrlSts_PromptsOnce_AndEndsAsTheLastRole()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        WriteMfaChain(alice);
        var code = fake.Totp(alice.MfaSerial!);

        var result = await cli.RunAsync(code + "\n", "sts", "get-caller-identity", "--profile", "deep", "--output", "json");

        Assert.Equal("arn:aws:sts::111111111111:assumed-role/deep/deep-session", Json(result).GetProperty("Arn").GetString());
        Assert.Contains("Enter MFA code for arn:aws:iam::111111111111:mfa/alice:", result.Stderr);
        var assumeRoles = fake.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(2, assumeRoles.Count);
        Assert.Equal(("arn:aws:iam::111111111111:role/admin", code, alice.AccessKeyId),
            (assumeRoles[0].Parameters["RoleArn"], assumeRoles[0].Parameters["TokenCode"], assumeRoles[0].CallerAccessKeyId));
        Assert.False(assumeRoles[1].Parameters.ContainsKey("TokenCode"));
        Assert.StartsWith("ASIA", assumeRoles[1].CallerAccessKeyId);
        Assert.All(fake.Calls, call => Assert.Equal(200, call.Status));
    }

    [Fact]
    public async Task RoleChainWithAWrongMfaCode_FailsWithTheRealAccessDeniedMessage()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        WriteMfaChain(alice);

        var result = await cli.RunAsync(fake.WrongTotp(alice.MfaSerial!) + "\n", "sts", "get-caller-identity", "--profile", "deep");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("An error occurred (AccessDenied) when calling the AssumeRole operation: MultiFactorAuthentication failed with invalid MFA one time pass code.", result.Stderr);
    }

    [Fact]
    public async Task RoleThatRequiresMfa_WithoutMfaSerial_IsTheAccessDeniedOfScenarioS1()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        UseKeys(alice);
        cli.WriteConfig("[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = default\nregion = us-east-1\n");
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var result = await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "admin");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/admin", result.Stderr);
    }

    [Fact]
    public async Task CredentialSourceEc2InstanceMetadata_ReadsTheInstanceRoleFromImdsV2()
    {
        fake.SetInstanceProfile(Account, "ec2-role");
        fake.AddRole("arn:aws:iam::111111111111:role/target", ["arn:aws:iam::111111111111:role/ec2-role"]);
        cli.WriteConfig("[profile target]\nrole_arn = arn:aws:iam::111111111111:role/target\ncredential_source = Ec2InstanceMetadata\nregion = us-east-1\n");
        cli.Environment.Remove("AWS_EC2_METADATA_DISABLED");
        cli.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fake.ImdsUrl;
        // botocore gives IMDS one attempt of 1 s by default; a loaded CI machine (the fake's first answers while the
        // test run starts) once took longer, and the CLI found no credentials. The settings users have for slow IMDS.
        cli.Environment["AWS_METADATA_SERVICE_TIMEOUT"] = "10";
        cli.Environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = "3";
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var identity = Json(await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "target", "--output", "json"));

        Assert.StartsWith("arn:aws:sts::111111111111:assumed-role/target/", identity.GetProperty("Arn").GetString());
        Assert.Equal(["GetToken", "GetRoleName", "GetCredentials"], fake.Calls.Where(c => c.Endpoint == "imds").Select(c => c.Action).Distinct());
        Assert.Equal("21600", fake.Calls.First(c => c.Action == "GetToken").Parameters["ttl"]);
    }

    [Fact]
    public async Task CredentialSourceEcsContainer_SendsTheAuthorizationToken()
    {
        fake.SetContainerCredentials(Account, "task-role", authorizationToken: "container-token");
        fake.AddRole("arn:aws:iam::111111111111:role/target", ["arn:aws:iam::111111111111:role/task-role"]);
        cli.WriteConfig("[profile target]\nrole_arn = arn:aws:iam::111111111111:role/target\ncredential_source = EcsContainer\nregion = us-east-1\n");
        cli.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fake.EcsFullUri;
        cli.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token";
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var identity = Json(await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "target", "--output", "json"));
        Assert.StartsWith("arn:aws:sts::111111111111:assumed-role/target/", identity.GetProperty("Arn").GetString());

        cli.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong-token";
        var refused = await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "target");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(fake.Calls, call => call.Endpoint == "ecs" && call.Status == 401);
    }

    [Fact]
    public async Task WebIdentityTokenFile_AssumesTheRoleWithoutSigning()
    {
        fake.AddWebIdentityToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln", "arn:aws:iam::111111111111:role/web");
        var tokenFile = cli.Home.Write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln");
        cli.WriteConfig($"[profile web]\nrole_arn = arn:aws:iam::111111111111:role/web\nweb_identity_token_file = {tokenFile}\nrole_session_name = pod\nregion = us-east-1\n");
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var identity = Json(await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "web", "--output", "json"));

        Assert.Equal("arn:aws:sts::111111111111:assumed-role/web/pod", identity.GetProperty("Arn").GetString());
        Assert.False(fake.Calls.Single(c => c.Action == "AssumeRoleWithWebIdentity").Signed);
    }

    [Fact]
    public async Task SsoProfile_GetsRoleCredentialsFromThePortalWithTheCachedToken()
    {
        fake.AddSsoAccess("sso-access-token", Account, "ReadOnly");
        cli.WriteConfig("""
            [profile sso]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = ReadOnly
            region = us-east-1

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            """);
        // botocore finds the session's token under the SHA-1 of the session name.
        var cacheName = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("corp"u8)) + ".json";
        cli.Home.Write(".aws/sso/cache/" + cacheName, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["startUrl"] = "https://corp.awsapps.com/start",
            ["region"] = "us-east-1",
            ["accessToken"] = "sso-access-token",
            ["expiresAt"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        }));
        cli.Environment["AWS_ENDPOINT_URL_SSO"] = fake.SsoUrl;
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var identity = Json(await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "sso", "--output", "json"));

        Assert.Matches("^arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_ReadOnly_[0-9a-f]{16}/user@example.com$", identity.GetProperty("Arn").GetString());
        var call = fake.Calls.Single(c => c.Endpoint == "sso");
        Assert.Equal(("GetRoleCredentials", "ReadOnly", Account), (call.Action, call.Parameters["role_name"], call.Parameters["account_id"]));
    }

    [Fact]
    public async Task SsoProfile_WithAnUnknownToken_IsUnauthorized()
    {
        fake.AddSsoAccess("sso-access-token", Account, "ReadOnly");
        cli.WriteConfig("[profile sso]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nregion = us-east-1\n");
        var cacheName = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("https://corp.awsapps.com/start"u8)) + ".json";
        cli.Home.Write(".aws/sso/cache/" + cacheName, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["startUrl"] = "https://corp.awsapps.com/start",
            ["region"] = "us-east-1",
            ["accessToken"] = "some-other-token",
            ["expiresAt"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        }));
        cli.Environment["AWS_ENDPOINT_URL_SSO"] = fake.SsoUrl;
        cli.Environment["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;

        var result = await cli.RunAsync(null, "sts", "get-caller-identity", "--profile", "sso");

        // botocore turns the portal's UnauthorizedException (and only that error) into this advice.
        Assert.Equal(255, result.ExitCode);
        Assert.Contains("The SSO session associated with this profile has expired or is otherwise invalid.", result.Stderr);
        Assert.Equal((401, "UnauthorizedException"), (fake.Calls.Single(c => c.Endpoint == "sso").Status, fake.Calls.Single(c => c.Endpoint == "sso").ErrorCode));
    }

    [Fact]
    public async Task IamListMfaDevices_AnswersTheUsersDevice()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        UseKeys(alice);
        cli.WriteConfig("[default]\nregion = us-east-1\n");

        var devices = Json(await cli.RunAsync(null, "iam", "list-mfa-devices", "--endpoint-url", fake.IamUrl, "--output", "json")).GetProperty("MFADevices");

        var device = Assert.Single(devices.EnumerateArray());
        Assert.Equal("arn:aws:iam::111111111111:mfa/alice", device.GetProperty("SerialNumber").GetString());
        Assert.Equal("alice", device.GetProperty("UserName").GetString());
        Assert.True(fake.Calls.Single().Signed);
    }
}
