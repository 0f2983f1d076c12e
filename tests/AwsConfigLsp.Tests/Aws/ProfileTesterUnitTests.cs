using AwsConfigLsp.Aws;
using AwsConfigLsp.Model;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

public sealed class ProfileTesterUnitTests
{
    [Theory]
    [InlineData("123456", true)]
    [InlineData("000000", true)]
    [InlineData("12345", false)]
    [InlineData("1234567", false)]
    [InlineData("12a456", false)]
    [InlineData("", false)]
    [InlineData(" 123456", false)]
    [InlineData("١٢٣٤٥٦", false)]
    public void Mfa_codes_are_six_ascii_digits(string code, bool valid) => Assert.Equal(valid, ProfileTester.IsValidMfaCode(code));

    [Theory]
    [InlineData("arn:aws:iam::111111111111:user/user-kawahara", "arn:aws:iam::111111111111:mfa/user-kawahara")]
    [InlineData("arn:aws:iam::111111111111:user/division/team/alice", "arn:aws:iam::111111111111:mfa/alice")]
    [InlineData("arn:aws-cn:iam::111111111111:user/bob", "arn:aws-cn:iam::111111111111:mfa/bob")]
    [InlineData("arn:aws:sts::111111111111:assumed-role/R/s", null)]
    [InlineData("not an arn", null)]
    public void The_mfa_arn_derived_from_a_user(string user, string? expected) => Assert.Equal(expected, ProfileTester.MfaArnFromUser(user));

    [Fact]
    public void Credential_process_json_as_the_sdks_read_it()
    {
        var credentials = BaseProviders.ParseProcessJson("""{"Version": 1, "AccessKeyId": "AKIAPROCESS000000001", "SecretAccessKey": "s3cr3t-s3cr3t", "SessionToken": "tok", "Expiration": "2026-11-23T10:00:00Z"}""", "p");
        Assert.Equal("AKIAPROCESS000000001", credentials.AccessKeyId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), credentials.Expiration);
        Assert.DoesNotContain("s3cr3t", credentials.ToString());

        var version = Assert.Throws<AwsCallException>(() => BaseProviders.ParseProcessJson("""{"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "b"}""", "p"));
        Assert.Contains("Unsupported version '2' for credential process provider, supported versions: 1", version.Message);
        var missing = Assert.Throws<AwsCallException>(() => BaseProviders.ParseProcessJson("""{"Version": 1, "AccessKeyId": "a"}""", "p"));
        Assert.Contains("SecretAccessKey", missing.Message);
        var notJson = Assert.Throws<AwsCallException>(() => BaseProviders.ParseProcessJson("oops", "p"));
        Assert.Equal("ProcessInvalidJson", notJson.Code);
    }

    [Fact]
    public async Task A_failing_credential_process_reports_its_exit_code_and_stderr()
    {
        using var folder = new TempFolder();
        var providers = new BaseProviders(new AwsEnvironment(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, folder.Path), new HttpClient(), TimeSpan.FromSeconds(20));
        var hop = new ChainHop("proc", CredentialKind.CredentialProcess) { CredentialProcess = "sh -c 'echo token expired >&2; exit 3'" };
        var error = await Assert.ThrowsAsync<AwsCallException>(() => providers.ProcessAsync(hop, CancellationToken.None));
        Assert.Equal("ProcessFailed", error.Code);
        Assert.Contains("exited with code 3: token expired", error.Message);

        var slow = new BaseProviders(new AwsEnvironment(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, folder.Path), new HttpClient(), TimeSpan.FromMilliseconds(300));
        var timeout = await Assert.ThrowsAsync<AwsCallException>(() => slow.ProcessAsync(hop with { CredentialProcess = "sleep 30" }, CancellationToken.None));
        Assert.Equal("ProcessTimeout", timeout.Code);
    }

    [Fact]
    public void The_sso_token_file_is_named_as_botocore_names_it()
    {
        var expected = PythonBotocore.Run("""
import hashlib, sys
print(hashlib.sha1(sys.argv[1].encode('utf-8')).hexdigest() + '.json', hashlib.sha1(sys.argv[2].encode('utf-8')).hexdigest() + '.json')
""", "my-sso", "https://example.awsapps.com/start");
        var session = SsoProvider.CacheFileName(new ChainHop("p", CredentialKind.Sso) { SsoSession = "my-sso", SsoStartUrl = "https://example.awsapps.com/start" });
        var legacy = SsoProvider.CacheFileName(new ChainHop("p", CredentialKind.Sso) { SsoStartUrl = "https://example.awsapps.com/start" });
        Assert.Equal(expected, $"{session} {legacy}");
    }

    [Fact]
    public void A_missing_or_expired_sso_login_says_to_log_in_with_the_profile()
    {
        using var home = new TempFolder();
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var sso = new SsoProvider(new AwsEnvironment(new Dictionary<string, string>(), home.Path, new FixedClock(now)), TimeSpan.FromSeconds(1));
        var hop = new ChainHop("dev", CredentialKind.Sso) { SsoSession = "corp", SsoStartUrl = "https://x.awsapps.com/start" };
        var missing = Assert.Throws<AwsCallException>(() => sso.ReadToken(hop, "dev"));
        Assert.Contains("aws sso login --profile dev", missing.Message);
        home.Write(".aws/sso/cache/" + SsoProvider.CacheFileName(hop), """{"accessToken": "tok", "expiresAt": "2026-11-23T08:59:00Z"}""");
        var expired = Assert.Throws<AwsCallException>(() => sso.ReadToken(hop, "dev"));
        Assert.Equal("SsoTokenExpired", expired.Code);
        Assert.Contains("aws sso login --profile dev", expired.Message);
        home.Write(".aws/sso/cache/" + SsoProvider.CacheFileName(hop), """{"accessToken": "tok", "expiresAt": "2026-11-23T10:00:00UTC"}""");
        Assert.Equal("tok", sso.ReadToken(hop, "dev"));
    }
}
