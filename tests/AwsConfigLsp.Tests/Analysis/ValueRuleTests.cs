using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>Rules on single values: role_arn, mfa_serial, region / sso_region, output, duration_seconds.</summary>
public class ValueRuleTests
{
    private const string Keys = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    [Fact]
    public void RoleArnThatIsNotAnIamRoleIsReportedWithTheParsersReason() => RuleCheck.Check("""
        [profile session]
        role_arn = arn:aws:sts::111111111111:assumed-role/Dev/alice
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning invalid-role-arn: This is an assumed-role session ARN
        source_profile = default
        [profile user]
        role_arn = arn:aws:iam::111111111111:user/alice
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning invalid-role-arn: is not a role: it must start with `role/`
        source_profile = default
        [profile no-account]
        role_arn = arn:aws:iam:::role/Dev
        #          ^^^^^^^^^^^^^^^^^^^^^^ warning invalid-role-arn: `` is not a 12-digit account ID
        source_profile = default
        [profile empty]
        role_arn =
        #^^^^^^^^^ warning empty-value
        source_profile = default
        [profile with-path]
        role_arn = arn:aws:iam::111111111111:role/team/Dev
        source_profile = default
        [profile gov]
        role_arn = arn:aws-us-gov:iam::111111111111:role/Dev
        source_profile = default
        [profile web]
        role_arn = arn:aws:iam::111111111111:role/Pod
        web_identity_token_file = /var/run/secrets/token
        """, Keys);

    [Fact]
    public void MfaSerialThatIsNeitherADeviceArnNorAHardwareSerialIsReported() => RuleCheck.Check("""
        [profile user-arn]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::111111111111:user/alice
        #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning invalid-mfa-serial: This is the user's ARN
        [profile short]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = 123456
        #            ^^^^^^ warning invalid-mfa-serial: nor a hardware serial number
        [profile no-account]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::mfa/alice
        #            ^^^^^^^^^^^^^^^^^^^^^^ warning invalid-mfa-serial
        [profile virtual]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::111111111111:mfa/alice
        [profile u2f]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::111111111111:u2f/user/alice/key-ABCDEFGHIJKLMNOP
        [profile hardware]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = GAHT12345678
        """, Keys);

    [Fact]
    public void UnknownRegionsAreReportedWithDidYouMeanAndNamesBotocoreRejectsAreErrors() => RuleCheck.Check("""
        [DEFAULT]
        region = eu-west-1
        [default]
        region = us-est-1
        #        ^^^^^^^^ warning invalid-region: Did you mean `us-east-1` or `us-west-1`?
        [profile upper]
        region = US-EAST-1
        #        ^^^^^^^^^ warning invalid-region: Did you mean `us-east-1`?
        [profile spaces]
        region = us east 1
        #        ^^^^^^^^^ error invalid-region: Provided region_name 'us east 1' doesn't match a supported format.
        [profile future]
        region = xx-future-1
        #        ^^^^^^^^^^^ warning invalid-region: If it is a Region newer than this tool, ignore this.
        [profile sso]
        sso_session = corp
        sso_account_id = 111111111111
        sso_role_name = ReadOnly
        sso_region = us-eats-1
        #            ^^^^^^^^^ warning invalid-region: `sts.us-eats-1.amazonaws.com`
        [profile ok]
        region = ap-northeast-1
        [profile china]
        region = cn-north-1
        [profile empty]
        region =
        #^^^^^^^ warning empty-value
        [sso-session corp]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-eats-1
        #            ^^^^^^^^^ warning invalid-region
        """);

    [Fact]
    public void RegionInTheCredentialsFileIsCheckedToo() => RuleCheck.Check("", """
        [default]
        region = eu-wset-1
        #        ^^^^^^^^^ warning invalid-region: `eu-west-1`
        """);

    [Fact]
    public void RegionFixReplacesOnlyTheValue()
    {
        const string original = "[default]\nregion = ap-northeest-1 \noutput = json\n";
        var fix = Assert.Single(Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(original))).Fixes);
        Assert.True(fix.IsPreferred);
        var (config, _) = FixCheck.Apply(original, "", DiagnosticCodes.InvalidRegion);
        Assert.Equal("[default]\nregion = ap-northeast-1 \noutput = json\n", config);
    }

    [Fact]
    public void RegionWithSeveralCandidatesOffersEachAndPrefersNone()
    {
        var diagnostic = Assert.Single(RuleCheck.Check("""
            [default]
            region = eu-west-4
            #        ^^^^^^^^^ warning invalid-region: Did you mean `eu-west-1` or `eu-west-2` or `eu-west-3`?
            """));
        Assert.Equal(["Change to eu-west-1 (Europe (Ireland))", "Change to eu-west-2 (Europe (London))", "Change to eu-west-3 (Europe (Paris))"],
            diagnostic.Fixes.Select(f => f.Title));
        Assert.DoesNotContain(diagnostic.Fixes, f => f.IsPreferred);
        var (config, _) = FixCheck.Apply("[default]\nregion = eu-west-4\n", "", DiagnosticCodes.InvalidRegion, "Change to eu-west-2 (Europe (London))");
        Assert.Equal("[default]\nregion = eu-west-2\n", config);
    }

    [Fact]
    public void UnknownOutputFormatIsAnErrorInBothFilesAndInDefaults() => RuleCheck.Check("""
        [DEFAULT]
        output = jsno
        #        ^^^^ error invalid-output: Did you mean `json`?
        [default]
        output = JSON
        #        ^^^^ error invalid-output: "Unknown output type: JSON"
        [profile yaml]
        output = yaml
        [profile stream]
        output = yaml-stream
        [profile text]
        output = text
        [profile table]
        output = table
        [profile empty]
        output =
        #^^^^^^^ warning empty-value
        """, """
        [ci]
        output = Text
        #        ^^^^ error invalid-output: Did you mean `text`?
        """);

    [Fact]
    public void OutputFixLowerCasesTheFormat()
    {
        var (config, credentials) = FixCheck.Apply("[default]\r\noutput = JSON\r\n", "[ci]\noutput = tabel\n", DiagnosticCodes.InvalidOutput);
        Assert.Equal("[default]\r\noutput = json\r\n", config);
        Assert.Equal("[ci]\noutput = tabel\n", credentials);
        var (_, fixedCredentials) = FixCheck.Apply("", "[ci]\noutput = tabel\n", DiagnosticCodes.InvalidOutput);
        Assert.Equal("[ci]\noutput = table\n", fixedCredentials);
    }

    [Fact]
    public void DurationSecondsTheCliIgnoresOrStsRefusesIsReported() => RuleCheck.Check("""
        [profile text]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 12h
        #                  ^^^ warning invalid-duration-seconds: the AWS CLI silently ignores it
        [profile float]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 3600.0
        #                  ^^^^^^ warning invalid-duration-seconds: is not an integer
        [profile short]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 600
        #                  ^^^ warning invalid-duration-seconds: outside 900-43200 seconds (15 minutes to 12 hours): STS will refuse
        [profile long]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 86400
        #                  ^^^^^ warning invalid-duration-seconds: STS will refuse
        [profile huge]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 99999999999
        #                  ^^^^^^^^^^^ warning invalid-duration-seconds: outside 900-43200
        [profile python-int]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds =  43_200
        [profile twelve-hours]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        duration_seconds = 43200
        """, Keys);

    [Fact]
    public void TheChainedDurationMessageIsWrittenWhole()
    {
        // The message is written from its parts when it is read (~3k of these in a generated 50k-profile file).
        var config = "[profile first]\nrole_arn = arn:aws:iam::111111111111:role/First\nsource_profile = base\n"
            + "[profile chained]\nrole_arn = arn:aws:iam::111111111111:role/Chained\nsource_profile = first\nduration_seconds = +7_200\n"
            + "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n";
        var model = new AwsConfigLsp.Model.ProfileModel(
            AwsConfigLsp.Model.ConfigFile.Create(AwsConfigLsp.Model.ConfigFileKind.Config, "/c", AwsConfigLsp.Syntax.SyntaxParser.Parse(config)),
            AwsConfigLsp.Model.ConfigFile.Create(AwsConfigLsp.Model.ConfigFileKind.Credentials, "/k", AwsConfigLsp.Syntax.SyntaxParser.Parse("")));
        var finding = Assert.Single(DiagnosticEngine.Analyze(model), d => d.Code == DiagnosticCodes.InvalidDurationSeconds);
        Assert.Equal("duration_seconds 7200 is above 3600, but this role is assumed with the credentials of the role of profile `first` (role chaining), "
            + "and role chaining caps sessions at one hour: STS refuses the AssumeRole call "
            + "(\"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining\").", finding.Message);
        Assert.Equal(finding.Message.Length, finding.MessageLength);
    }

    [Fact]
    public void DurationAboveOneHourOnAChainedRoleIsReportedButNotOnTheFirstHop() => RuleCheck.Check("""
        [profile first]
        role_arn = arn:aws:iam::111111111111:role/First
        source_profile = default
        duration_seconds = 43200
        [profile chained]
        role_arn = arn:aws:iam::111111111111:role/Chained
        source_profile = first
        duration_seconds = 7200
        #                  ^^^^ warning invalid-duration-seconds: assumed with the credentials of the role of profile `first` (role chaining)
        [profile chained-hour]
        role_arn = arn:aws:iam::111111111111:role/Chained
        source_profile = first
        duration_seconds = 3600
        [profile from-instance]
        role_arn = arn:aws:iam::111111111111:role/FromInstance
        credential_source = Ec2InstanceMetadata
        duration_seconds = 14400
        #                  ^^^^^ warning invalid-duration-seconds: the EC2 instance profile's role credentials
        [profile from-environment]
        role_arn = arn:aws:iam::111111111111:role/FromEnvironment
        credential_source = Environment
        duration_seconds = 14400
        [profile sso]
        sso_session = corp
        sso_account_id = 111111111111
        sso_role_name = ReadOnly
        [profile from-sso]
        role_arn = arn:aws:iam::111111111111:role/FromSso
        source_profile = sso
        duration_seconds = 7200
        #                  ^^^^ warning invalid-duration-seconds: IAM Identity Center role credentials
        [sso-session corp]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        """, Keys);

    [Fact]
    public void DurationOnAChainedRoleOutsideTheRangeGetsOneDiagnostic()
    {
        var diagnostic = Assert.Single(RuleCheck.Check("""
            [profile first]
            role_arn = arn:aws:iam::111111111111:role/First
            source_profile = default
            [profile chained]
            role_arn = arn:aws:iam::111111111111:role/Chained
            source_profile = first
            duration_seconds = 50000
            #                  ^^^^^ warning invalid-duration-seconds: outside 900-43200
            """, Keys));
        Assert.Empty(diagnostic.Fixes);
    }
}
