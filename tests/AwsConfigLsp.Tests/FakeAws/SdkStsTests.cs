using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsConfigLsp.FakeAws;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// The loopback STS fake checked against a real client, AWSSDK.SecurityToken: what the SDK sends is accepted (SigV4
/// included), and what the fake answers is what the SDK parses into results and exceptions.
/// </summary>
public sealed class SdkStsTests : IAsyncLifetime
{
    private const string Account = "111111111111";
    private const string OtherAccount = "222222222222";
    private FakeAwsServer fake = null!;

    public Task InitializeAsync()
    {
        fake = FakeAwsServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await fake.DisposeAsync();

    internal static AmazonSecurityTokenServiceClient Client(FakeAwsServer fake, AWSCredentials credentials, string region = "us-east-1", TimeSpan? timeout = null) =>
        new(credentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = fake.StsUrl,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
            // Without it AWSSDK resends a request whose connection closed unanswered up to 10 times (AwsHttpTests).
            MaxStaleConnectionRetries = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    internal static AmazonSecurityTokenServiceClient Client(FakeAwsServer fake, FakeUser user, string region = "us-east-1") =>
        Client(fake, new BasicAWSCredentials(user.AccessKeyId, user.SecretAccessKey), region);

    internal static AmazonSecurityTokenServiceClient Client(FakeAwsServer fake, FakeCredentials session) =>
        Client(fake, new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken));

    [Fact]
    public async Task GetCallerIdentity_WithUserKeys_AnswersTheUser()
    {
        var alice = fake.AddUser(Account, "alice");
        using var sts = Client(fake, alice);

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal(Account, identity.Account);
        Assert.Equal("arn:aws:iam::111111111111:user/alice", identity.Arn);
        Assert.StartsWith("AIDA", identity.UserId);
        var call = Assert.Single(fake.Calls);
        Assert.Equal(("sts", "GetCallerIdentity", alice.AccessKeyId, 200, true), (call.Endpoint, call.Action, call.CallerAccessKeyId, call.Status, call.Signed));
        // The SDK posts the query as a form and signs its hash (X-Amz-Content-SHA256), which the fake checks against the body.
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", call.Headers.Single(h => h.Key == "Content-Type").Value);
    }

    [Fact]
    public async Task AssumeRole_TrustedUser_GetsTemporaryCredentialsThatIdentifyAsTheAssumedRole()
    {
        var alice = fake.AddUser(Account, "alice");
        fake.AddRole("arn:aws:iam::111111111111:role/dev", [alice.Arn]);
        using var sts = Client(fake, alice);

        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/dev", RoleSessionName = "test-session" });

        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId);
        Assert.Equal(40, response.Credentials.SecretAccessKey.Length);
        Assert.False(string.IsNullOrEmpty(response.Credentials.SessionToken));
        Assert.InRange(response.Credentials.Expiration!.Value.ToUniversalTime(), DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/dev/test-session", response.AssumedRoleUser.Arn);

        using var asRole = Client(fake, new SessionAWSCredentials(response.Credentials.AccessKeyId, response.Credentials.SecretAccessKey, response.Credentials.SessionToken));
        var identity = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/dev/test-session", identity.Arn);
        Assert.Matches("^AROA[A-Z2-7]{17}:test-session$", identity.UserId);
        Assert.Equal(response.Credentials.SessionToken, fake.Calls[^1].Headers.Single(h => h.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Fact]
    public async Task AssumeRole_WithCurrentMfaCode_Succeeds_AndTheCodeIsRecorded()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        using var sts = Client(fake, alice);
        var code = fake.Totp(alice.MfaSerial!);

        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/admin",
            RoleSessionName = "mfa-session",
            SerialNumber = alice.MfaSerial,
            TokenCode = code,
        });

        Assert.Equal("arn:aws:sts::111111111111:assumed-role/admin/mfa-session", response.AssumedRoleUser.Arn);
        Assert.Equal("arn:aws:iam::111111111111:mfa/alice", alice.MfaSerial);
        var call = fake.Calls.Single(c => c.Action == "AssumeRole");
        Assert.Equal(code, call.Parameters["TokenCode"]);
        Assert.Equal(alice.MfaSerial, call.Parameters["SerialNumber"]);
    }

    [Fact]
    public async Task AssumeRole_MfaRequiredButNotGiven_IsAccessDeniedWithTheRealMessage()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        using var sts = Client(fake, alice);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/admin", RoleSessionName = "s1" }));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(ErrorType.Sender, error.ErrorType);
        Assert.Equal("User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/admin", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task AssumeRole_WrongMfaCode_IsAccessDeniedForTheCode()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        using var sts = Client(fake, alice);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/admin",
            RoleSessionName = "s1",
            SerialNumber = alice.MfaSerial,
            TokenCode = fake.WrongTotp(alice.MfaSerial!),
        }));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal("MultiFactorAuthentication failed with invalid MFA one time pass code. ", error.Message);
    }

    [Fact]
    public async Task AssumeRole_ReusedMfaCode_IsRefused_WhenTheFakeRejectsReuse()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        fake.RejectReusedMfaCodes = true;
        using var sts = Client(fake, alice);
        var code = fake.Totp(alice.MfaSerial!);
        AssumeRoleRequest Request() => new() { RoleArn = "arn:aws:iam::111111111111:role/admin", RoleSessionName = "s1", SerialNumber = alice.MfaSerial, TokenCode = code };

        await sts.AssumeRoleAsync(Request());
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(Request()));

        Assert.Equal(("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. "), (error.ErrorCode, error.Message));
    }

    [Fact]
    public async Task AssumeRole_TokenCodeThatIsNotSixDigits_IsAValidationError()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/admin", [alice.Arn], requireMfa: true);
        using var sts = Client(fake, alice);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/admin", RoleSessionName = "s1", SerialNumber = alice.MfaSerial, TokenCode = string.Concat("12", "ab56"), // not a constant: the SDK analyzer rejects constant bad codes at build time
        }));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("1 validation error detected: Value '12ab56' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*", error.Message);
    }

    [Fact]
    public async Task AssumeRole_UntrustedCaller_IsAccessDenied_TrustByAccountRootLetsTheAccountIn()
    {
        var mallory = fake.AddUser(OtherAccount, "mallory");
        var bob = fake.AddUser(Account, "bob");
        fake.AddRole("arn:aws:iam::111111111111:role/shared", ["arn:aws:iam::111111111111:root"]);

        using var asMallory = Client(fake, mallory);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            asMallory.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/shared", RoleSessionName = "s1" }));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal("User: arn:aws:iam::222222222222:user/mallory is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/shared", error.Message);

        using var asBob = Client(fake, bob);
        var response = await asBob.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/shared", RoleSessionName = "s1" });
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/shared/s1", response.AssumedRoleUser.Arn);
    }

    [Fact]
    public async Task AssumeRole_RoleThatDoesNotExist_IsAccessDeniedLikeAnUntrustedOne()
    {
        var alice = fake.AddUser(Account, "alice");
        using var sts = Client(fake, alice);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/nope", RoleSessionName = "s1" }));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.EndsWith("sts:AssumeRole on resource: arn:aws:iam::111111111111:role/nope", error.Message);
    }

    [Fact]
    public async Task WrongSecret_IsSignatureDoesNotMatch_UnknownKey_IsInvalidClientTokenId()
    {
        var alice = fake.AddUser(Account, "alice");

        // One character changed (secrets are random: one that starts with 'x' must get another letter).
        var wrong = (alice.SecretAccessKey[0] == 'x' ? "y" : "x") + alice.SecretAccessKey[1..];
        using var wrongSecret = Client(fake, new BasicAWSCredentials(alice.AccessKeyId, wrong));
        var mismatch = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => wrongSecret.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", mismatch.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, mismatch.StatusCode);
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", mismatch.Message);

        using var unknown = Client(fake, new BasicAWSCredentials("AKIAUNKNOWNUNKNOWN00", alice.SecretAccessKey));
        var invalid = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => unknown.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", invalid.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", invalid.Message);
    }

    [Fact]
    public async Task CredentialScopeForAnotherRegion_IsRejected_UnlessTheFakeAcceptsAnyRegion()
    {
        var alice = fake.AddUser(Account, "alice");
        using var sts = Client(fake, alice, region: "eu-west-1");

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal("Credential should be scoped to a valid region. ", error.Message);

        fake.Region = "eu-west-1";
        Assert.Equal(Account, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task ExpiredSession_IsExpiredToken_WrongSessionToken_IsInvalidClientTokenId()
    {
        var expired = fake.IssueRoleSession("arn:aws:iam::111111111111:role/dev", TimeSpan.FromMinutes(-1));
        using var sts = Client(fake, expired);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("ExpiredToken", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("The security token included in the request is expired", error.Message);

        var valid = fake.IssueRoleSession("arn:aws:iam::111111111111:role/dev", TimeSpan.FromHours(1));
        using var wrongToken = Client(fake, new SessionAWSCredentials(valid.AccessKeyId, valid.SecretAccessKey, valid.SessionToken + "x"));
        var invalid = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => wrongToken.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", invalid.ErrorCode);
    }

    [Fact]
    public async Task RoleChaining_OverOneHour_IsRefused_MfaOfTheFirstHopCarriesOver()
    {
        var alice = fake.AddUser(Account, "alice", mfaDevice: true);
        fake.AddRole("arn:aws:iam::111111111111:role/first", [alice.Arn], requireMfa: true, maxSessionDurationSeconds: 43200);
        fake.AddRole("arn:aws:iam::111111111111:role/second", ["arn:aws:iam::111111111111:role/first"], requireMfa: true, maxSessionDurationSeconds: 43200);
        using var asAlice = Client(fake, alice);
        var first = await asAlice.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/first", RoleSessionName = "one", DurationSeconds = 7200,
            SerialNumber = alice.MfaSerial, TokenCode = fake.Totp(alice.MfaSerial!),
        });
        using var asFirst = Client(fake, new SessionAWSCredentials(first.Credentials.AccessKeyId, first.Credentials.SecretAccessKey, first.Credentials.SessionToken));

        var tooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => asFirst.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/second", RoleSessionName = "two", DurationSeconds = 7200,
        }));
        Assert.Equal("ValidationError", tooLong.ErrorCode);
        Assert.Equal("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", tooLong.Message);

        var second = await asFirst.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/second", RoleSessionName = "two" });
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/second/two", second.AssumedRoleUser.Arn);
    }

    [Fact]
    public async Task DurationOverTheRolesMaximum_IsAValidationError()
    {
        var alice = fake.AddUser(Account, "alice");
        fake.AddRole("arn:aws:iam::111111111111:role/dev", [alice.Arn]);
        using var sts = Client(fake, alice);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/dev", RoleSessionName = "s1", DurationSeconds = 7200 }));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", error.Message);
    }

    [Fact]
    public async Task ExternalId_MustMatchTheRoles()
    {
        var alice = fake.AddUser(Account, "alice");
        fake.AddRole("arn:aws:iam::111111111111:role/vendor", [alice.Arn], externalId: "contract-42");
        using var sts = Client(fake, alice);

        var missing = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/vendor", RoleSessionName = "s1", ExternalId = "contract-41" }));
        Assert.Equal("AccessDenied", missing.ErrorCode);

        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/vendor", RoleSessionName = "s1", ExternalId = "contract-42" });
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/vendor/s1", response.AssumedRoleUser.Arn);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_RegisteredToken_Succeeds_UnknownToken_IsInvalidIdentityToken()
    {
        fake.AddWebIdentityToken("eyJ.token.sig", "arn:aws:iam::111111111111:role/web");
        using var sts = Client(fake, new AnonymousAWSCredentials());

        var response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/web", RoleSessionName = "pod", WebIdentityToken = "eyJ.token.sig",
        });
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/web/pod", response.AssumedRoleUser.Arn);
        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId);

        var error = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = "arn:aws:iam::111111111111:role/web", RoleSessionName = "pod", WebIdentityToken = "other",
        }));
        Assert.Equal("InvalidIdentityToken", error.ErrorCode);
    }

    [Fact]
    public async Task DisabledRegion_IsRegionDisabledException()
    {
        var alice = fake.AddUser(Account, "alice");
        fake.Region = "*";
        fake.DisabledRegions.Add("ap-east-1");
        fake.AddRole("arn:aws:iam::111111111111:role/dev", [alice.Arn]);
        using var sts = Client(fake, alice, region: "ap-east-1");

        // AssumeRole models RegionDisabledException, so the SDK raises its own type for it.
        var error = await Assert.ThrowsAsync<RegionDisabledException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::111111111111:role/dev", RoleSessionName = "s1" }));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.StartsWith("STS is not activated in this region for account:111111111111.", error.Message);
    }
}
