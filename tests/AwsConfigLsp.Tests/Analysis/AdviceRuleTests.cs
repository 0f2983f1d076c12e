using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>sso-session-not-found, unused-sso-session, source-profile-chain-too-deep; no false positives on the scenarios' files; no secrets in messages.</summary>
public class AdviceRuleTests
{
    private const string Keys = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    [Fact]
    public void SsoSessionThatDoesNotExistIsReportedOnceWhetherOrNotTheProfileIsAnSsoProfile() => RuleCheck.Check("""
        [profile login-only]
        sso_session = my-ssso
        #             ^^^^^^^ warning sso-session-not-found: Did you mean `my-sso`?
        [profile full]
        sso_session = nowhere
        #             ^^^^^^^ error incomplete-sso: The specified sso-session does not exist: "nowhere"
        sso_account_id = 111111111111
        sso_role_name = ReadOnly
        [profile good]
        sso_session = my-sso
        sso_account_id = 111111111111
        sso_role_name = ReadOnly
        [profile far]
        sso_session = totally-different
        #             ^^^^^^^^^^^^^^^^^ warning sso-session-not-found: sso_session configuration does not exist
        [sso-session my-sso]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        """);

    [Fact]
    public void SsoSessionFixRenamesTheReferenceToTheCloseSession()
    {
        const string config = "[profile dev]\nsso_session = My-SSO\n\n[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";
        var (fixedConfig, _) = FixCheck.Apply(config, "", DiagnosticCodes.SsoSessionNotFound);
        Assert.Equal("[profile dev]\nsso_session = my-sso\n\n[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n", fixedConfig);
        RuleCheck.Check(fixedConfig);
    }

    [Fact]
    public void SsoSessionFixOffersTheOnlySessionWhenNoneIsClose()
    {
        const string config = "[profile dev]\nsso_session = legacy\n\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";
        var diagnostics = DiagnosticEngine.Analyze(RuleCheck.Model(config));
        var fix = Assert.Single(Assert.Single(diagnostics, d => d.Code == DiagnosticCodes.SsoSessionNotFound).Fixes);
        Assert.False(fix.IsPreferred);
        var (fixedConfig, _) = FixCheck.Apply(config, "", DiagnosticCodes.SsoSessionNotFound, "Change to corp");
        RuleCheck.Check(fixedConfig);
    }

    [Fact]
    public void SsoSessionThatNoProfileUsesIsReported() => RuleCheck.Check("""
        [profile dev]
        sso_session = used
        sso_account_id = 111111111111
        sso_role_name = ReadOnly
        [sso-session used]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        [sso-session "old one"]
        #            ^^^^^^^^^ information unused-sso-session: only `aws sso login --sso-session old one` does
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        """);

    [Fact]
    public void SsoSessionReferencedFromTheCredentialsFileCountsAsUsed() => RuleCheck.Check("""
        [sso-session from-credentials]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        """, """
        [ci]
        sso_session = from-credentials
        """);

    [Fact]
    public void ChainOfMoreThanFiveLinksIsReportedOnTheProfileHeader() => RuleCheck.Check("""
        [profile r2]
        role_arn = arn:aws:iam::111111111111:role/R2
        source_profile = default
        [profile r3]
        role_arn = arn:aws:iam::111111111111:role/R3
        source_profile = r2
        [profile r4]
        role_arn = arn:aws:iam::111111111111:role/R4
        source_profile = r3
        [profile r5]
        role_arn = arn:aws:iam::111111111111:role/R5
        source_profile = r4
        [profile r6]
        #^^^^^^^^^^^ information source-profile-chain-too-deep: a chain of 6 links (r6 <- r5 <- r4 <- r3 <- r2 <- default)
        role_arn = arn:aws:iam::111111111111:role/R6
        source_profile = r5
        [profile r7]
        #^^^^^^^^^^^ information source-profile-chain-too-deep: a chain of 7 links
        role_arn = arn:aws:iam::111111111111:role/R7
        source_profile = r6
        """, Keys);

    [Fact]
    public void ChainThatFailsIsLeftToTheErrorRules() => RuleCheck.Check("""
        [profile r2]
        role_arn = arn:aws:iam::111111111111:role/R2
        source_profile = missing
        #                ^^^^^^^ error source-profile-not-found
        [profile r3]
        role_arn = arn:aws:iam::111111111111:role/R3
        source_profile = r2
        [profile r4]
        role_arn = arn:aws:iam::111111111111:role/R4
        source_profile = r3
        [profile r5]
        role_arn = arn:aws:iam::111111111111:role/R5
        source_profile = r4
        [profile r6]
        role_arn = arn:aws:iam::111111111111:role/R6
        source_profile = r5
        [profile r7]
        role_arn = arn:aws:iam::111111111111:role/R7
        source_profile = r6
        """);

    public static TheoryData<string, string, string> Scenarios() => new()
    {
        {
            "S1 role without MFA from a user in another account",
            "[profile hoge]\nregion = ap-northeast-1\n\n[profile foo]\nrole_arn = arn:aws:iam::123456789012:role/role-kawahara\nsource_profile = hoge\nregion = ap-northeast-1\noutput = json\n",
            "[hoge]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        },
        {
            "S2 MFA role instead of the daily session token",
            "[default]\nregion = us-east-1\noutput = table\n\n[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/dev-simple-role\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/dev-simple-user\nduration_seconds = 43200\n",
            Keys + "\n[mfa]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naws_session_token = FwoGZXIvYXdzEXAMPLETOKEN\n"
        },
        {
            "S3 role chaining with MFA on the first hop",
            "[profile role-a]\nrole_arn = arn:aws:iam::111111111111:role/RoleA\nmfa_serial = arn:aws:iam::222222222222:mfa/User1\nsource_profile = default\n\n"
                + "[profile role-b]\nrole_arn = arn:aws:iam::111111111111:role/RoleB\nsource_profile = role-a\nduration_seconds = 3600\n\n"
                + "[profile role-c]\nrole_arn = arn:aws:iam::111111111111:role/RoleC\nsource_profile = role-b\n\n"
                + "[profile role-d]\nrole_arn = arn:aws:iam::111111111111:role/RoleD\nsource_profile = role-c\n",
            Keys
        },
        {
            "S4 role from the instance profile",
            "[profile dst-role]\nrole_arn = arn:aws:iam::123456789012:role/some-role\ncredential_source = Ec2InstanceMetadata\nregion = eu-central-1\n",
            ""
        },
        {
            "S5 MFA role used from the CLI and SDKs, SSO beside it",
            "[default]\nregion = ap-northeast-1\n\n[profile develop]\nrole_arn = arn:aws:iam::123456789012:role/develop\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/user\n\n"
                + "[profile sso-dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nregion = us-west-2\n\n"
                + "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
            Keys
        },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ScenarioFilesHaveNoFindings(string scenario, string config, string credentials)
    {
        Assert.NotEmpty(scenario);
        RuleCheck.Check(config, credentials);
    }

    [Fact]
    public void NoMessageOrFixShowsASecret()
    {
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
        const string token = "FwoGZXIvYXdzSECRETSESSIONTOKEN";
        const string config = "[profile a]\nrole_arn = arn:aws:iam::111111111111:user/A\nsource_profile = default\nmfa_serial = bad\nduration_seconds = 7200\nregion = us-est-1\noutput = JSON\n"
            + "[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\nduration_seconds = 7200\n"
            + "[profile c]\nsso_session = nowhere\n[sso-session unused]\nsso_region = us-east-1\n";
        var credentials = $"[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {secret}\naws_session_token = {token}\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n";
        var facts = new FileFacts { CredentialsFileMode = (UnixFileMode)Convert.ToInt32("644", 8) };
        var diagnostics = DiagnosticEngine.Analyze(RuleCheck.Model(config, credentials), facts: facts);
        string[] expected =
        [
            DiagnosticCodes.InvalidRoleArn, DiagnosticCodes.InvalidMfaSerial, DiagnosticCodes.InvalidRegion, DiagnosticCodes.InvalidOutput,
            DiagnosticCodes.InvalidDurationSeconds, DiagnosticCodes.MfaSerialIgnored, DiagnosticCodes.SsoSessionNotFound,
            DiagnosticCodes.UnusedSsoSession, DiagnosticCodes.CredentialsFilePermissions,
        ];
        Assert.All(expected, code => Assert.Contains(diagnostics, d => d.Code == code));
        foreach (var text in diagnostics.SelectMany(d => new[] { d.Message }.Concat(d.Related.Select(r => r.Message)).Concat(d.Fixes.Select(f => f.Title))
                     .Concat(d.Fixes.SelectMany(f => f.Edits.Select(e => e.NewText)))))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }
}
