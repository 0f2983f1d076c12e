using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>The rules about keys: unknown-key, key-in-wrong-section and empty-value.</summary>
public class KeyRuleTests
{
    // ---- unknown-key -----------------------------------------------------------------------------

    [Fact]
    public void UnknownKeysAreReportedWithWhatTheUserProbablyMeant() => RuleCheck.Check("""
        [profile dev]
        regoin = us-east-1
        #^^^^^ warning unknown-key: No AWS tool reads `regoin` in a profile; the AWS CLI ignores it. Did you mean `region`?
        AWS_DEFAULT_OUTPUT = json
        #^^^^^^^^^^^^^^^^^ warning unknown-key: the config key is `output`
        AWS_PROFILE = prod
        #^^^^^^^^^^ warning unknown-key: `AWS_PROFILE` is an environment variable that selects a profile
        totally_made_up = 1
        #^^^^^^^^^^^^^^ warning unknown-key: No AWS tool reads `totally_made_up` in a profile; the AWS CLI ignores it.
        dynamodb =
        #^^^^^^^ warning unknown-key: `dynamodb =` blocks are read only in a `[services NAME]` section
          endpoint_url = http://localhost:8000
        AWS_ACCESS_KEY_ID = AKIAIOSFODNN7EXAMPLE
        #^^^^^^^^^^^^^^^^ info secret-in-config-file
        AWS_SECRET_ACCESS_KEY = secret
        #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
        """);

    [Fact]
    public void UnknownKeysInNestedBlocksAndOtherSections() => RuleCheck.Check("""
        [profile dev]
        s3 =
          adressing_style = path
        # ^^^^^^^^^^^^^^^ warning unknown-key: No AWS tool reads `adressing_style` in an `s3 =` block; the AWS CLI ignores it. Did you mean `addressing_style`?
          Signature_Version = s3v4
        # ^^^^^^^^^^^^^^^^^ warning unknown-key: Sub-property names are case-sensitive: write `signature_version`.
        api_versions =
          ec2 = 2016-11-15
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        sso_regoin = us-east-1
        #^^^^^^^^^ warning unknown-key: in an `[sso-session]` section
        [services local]
        dynamodb =
          endpoint_uri = http://localhost:8000
        # ^^^^^^^^^^^^ warning unknown-key: in the `dynamodb =` block of a `[services]` section; the AWS CLI ignores it. Did you mean `endpoint_url`?
        """, options: RuleCheck.Without("unused-sso-session"));

    [Fact]
    public void RealWorldConfigsGetNoWarnings()
    {
        var diagnostics = RuleCheck.Check("""
            [default]
            region = us-east-1
            output = json
            cli_pager =
            s3 =
                max_concurrent_requests = 20
                multipart_threshold = 64MB
                addressing_style = path
            api_versions =
                ec2 = 2016-11-15
                cloudfront = 2019-03-26

            [plugins]
            cli_legacy_plugin_path = /usr/lib/python3/site-packages
            endpoint = awscli_plugin_endpoint

            [preview]
            cloudfront = true

            [okta]
            aws_saml_url = home/amazon_aws/0oa1/272

            # awscli-plugin-endpoint reads endpoints from blocks in the profile.
            [profile wasabi]
            region = us-east-1
            s3 =
                endpoint_url = https://s3.wasabisys.com
                max_concurrent_requests = 20
            s3api =
                endpoint_url = https://s3.wasabisys.com

            [profile vault]
            include_profile = default
            #^^^^^^^^^^^^^^ info unknown-key: `include_profile` is read by aws-vault, not by the AWS CLI or SDKs
            mfa_process = pass otp aws/vault
            #^^^^^^^^^^ info unknown-key: aws-vault
            role_arn = arn:aws:iam::123456789012:role/Admin
            source_profile = default
            session_tags = team=infra
            #^^^^^^^^^^^ info unknown-key: aws-vault
            duration_seconds = 3600

            [profile granted-dev]
            granted_sso_start_url = https://d-1234567890.awsapps.com/start
            #^^^^^^^^^^^^^^^^^^^^ info unknown-key: Granted
            granted_sso_region = us-east-1
            #^^^^^^^^^^^^^^^^^ info unknown-key: Granted
            granted_sso_account_id = 111111111111
            #^^^^^^^^^^^^^^^^^^^^^ info unknown-key: Granted
            granted_sso_role_name = Developer
            #^^^^^^^^^^^^^^^^^^^^ info unknown-key: Granted
            common_fate_generated_from = aws-sso
            #^^^^^^^^^^^^^^^^^^^^^^^^^ info unknown-key: Granted
            credential_process = granted credential-process --profile granted-dev

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access

            [profile sso-dev]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = ReadOnly
            services = local

            [services local]
            dynamodb =
              endpoint_url = http://localhost:8000
            s3 =
              endpoint_url = http://localhost:9000
            brand_new_service =
              endpoint_url = http://localhost:7000
            """, """
            [default]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            region = us-east-1
            x_security_token_expires = 2030-01-01T00:00:00Z
            #^^^^^^^^^^^^^^^^^^^^^^^ info unknown-key: saml2aws
            x_principal_arn = arn:aws:sts::123456789012:assumed-role/Dev/me
            #^^^^^^^^^^^^^^ info unknown-key: saml2aws
            """);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Information, d.Severity));
    }

    [Fact]
    public void WithoutTheEndpointPluginProfileServiceBlocksAreReported() => RuleCheck.Check("""
        [profile wasabi]
        s3 =
            endpoint_url = https://s3.wasabisys.com
        #   ^^^^^^^^^^^^ warning key-in-wrong-section: `endpoint_url` does nothing in an `s3 =` block
        s3api =
        #^^^^ warning unknown-key: No AWS tool reads `s3api` in a profile; the AWS CLI ignores it. Endpoint blocks are read only in a `[services NAME]` section
            endpoint_url = https://s3.wasabisys.com
        """);

    [Fact]
    public void KeysInTheCredentialsFileAreJudgedByWhatBotocoreMerges() => RuleCheck.Check("", """
        [default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        region = us-east-1
        role_session_name = me
        output = json
        cli_pager = less
        sso_registration_scopes = sso:account:access
        #^^^^^^^^^^^^^^^^^^^^^^ info key-in-wrong-section: No AWS tool reads `sso_registration_scopes` from the credentials file; it belongs in an `[sso-session]` section.
        aws_sesion_token = token
        #^^^^^^^^^^^^^^^ warning unknown-key: No AWS tool reads `aws_sesion_token` in the credentials file; the AWS CLI ignores it. Did you mean `aws_session_token`?
        """);

    [Fact]
    public void UnknownKeyFixRenamesTheKeyOnly()
    {
        const string config = "[profile dev]\n# home region\nregoin = us-east-1 \noutput = json\n";
        var diagnostic = DiagnosticEngine.Analyze(RuleCheck.Model(config)).Single(d => d.Code == "unknown-key");
        var fix = Assert.Single(diagnostic.Fixes);
        Assert.True(fix.IsPreferred);
        Assert.Equal("Change to `region`", fix.Title);
        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "unknown-key");
        Assert.Equal("[profile dev]\n# home region\nregion = us-east-1 \noutput = json\n", fixedConfig);
        RuleCheck.Check(fixedConfig);
    }

    [Theory]
    [InlineData("[default]\nAWS_REGION = us-east-1\n", "[default]\nregion = us-east-1\n")]
    [InlineData("[default]\naws_default_region = us-east-1\n", "[default]\nregion = us-east-1\n")]
    [InlineData("[default]\ns3 =\n    Addressing_Style = path\n", "[default]\ns3 =\n    addressing_style = path\n")]
    [InlineData("[services local]\ns3 =\n  endpoint_ur = http://localhost:9000\n", "[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n")]
    public void UnknownKeyFixesNearMissesAndEnvironmentVariableSpellings(string config, string expected)
    {
        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "unknown-key");
        Assert.Equal(expected, fixedConfig);
        RuleCheck.Check(fixedConfig);
    }

    [Fact]
    public void UnknownKeyFixInTheCredentialsFile()
    {
        const string credentials = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\naws_sesion_token = token\n";
        var (_, fixedCredentials) = RuleCheck.ApplyFix("", credentials, "unknown-key");
        Assert.Equal("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\naws_session_token = token\n", fixedCredentials);
        RuleCheck.Check("", fixedCredentials);
    }

    [Fact]
    public void AmbiguousSuggestionsAreAllOfferedAndNoneIsPreferred()
    {
        var diagnostic = DiagnosticEngine.Analyze(RuleCheck.Model("[default]\ncsm_hort = 1\n")).Single(d => d.Code == "unknown-key");
        Assert.Equal(["Change to `csm_host`", "Change to `csm_port`"], diagnostic.Fixes.Select(f => f.Title).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(diagnostic.Fixes, f => f.IsPreferred);
        var (fixedConfig, _) = RuleCheck.ApplyFix("[default]\ncsm_hort = 1\n", "", "unknown-key", "Change to `csm_port`");
        Assert.Equal("[default]\ncsm_port = 1\n", fixedConfig);
    }

    [Fact]
    public void NoRenameToAKeyThatDoesNothingThere()
    {
        var diagnostics = RuleCheck.Check("""
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            AWS_REGION = us-east-1
            #^^^^^^^^^ warning unknown-key: `AWS_REGION` is an environment variable; the config key is `region`, which is valid only in a profile in the config file.
            """, options: RuleCheck.Without("unused-sso-session"));
        Assert.Empty(Assert.Single(diagnostics).Fixes);
    }

    [Fact]
    public void NoRenameThatWouldDuplicateAKey()
    {
        var diagnostics = RuleCheck.Check("""
            [default]
            region = us-east-1
            regoin = eu-west-1
            #^^^^^ warning unknown-key: Did you mean `region`?
            """);
        Assert.Empty(Assert.Single(diagnostics).Fixes);
    }

    // ---- key-in-wrong-section --------------------------------------------------------------------

    [Fact]
    public void KnownKeysWhereTheyDoNothingAreReportedInsteadOfUnknown() => RuleCheck.Check("""
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        role_arn = arn:aws:iam::123456789012:role/Admin
        #^^^^^^^ warning key-in-wrong-section: `role_arn` does nothing in an `[sso-session]` section: AWS tools read it only in a profile in the config file.
        [services local]
        sso_start_url = https://corp.awsapps.com/start
        #^^^^^^^^^^^^ warning key-in-wrong-section: `sso_start_url` does nothing in a `[services]` section
        dynamodb =
          endpoint_url = http://localhost:8000
          region = us-east-1
        # ^^^^^^ warning key-in-wrong-section: `region` does nothing in the `dynamodb =` block of a `[services]` section
        [profile dev]
        max_concurrent_requests = 20
        #^^^^^^^^^^^^^^^^^^^^^^ warning key-in-wrong-section: AWS tools read it only in an `s3 =` block
        sso_registration_scopes = sso:account:access
        #^^^^^^^^^^^^^^^^^^^^^^ warning key-in-wrong-section: only in an `[sso-session]` section
        s3 =
          region = us-east-1
        # ^^^^^^ warning key-in-wrong-section: `region` does nothing in an `s3 =` block
        """, options: RuleCheck.Without("unused-sso-session"));

    // ---- empty-value -----------------------------------------------------------------------------

    [Fact]
    public void EmptyValuesSayWhatTheCliDoes() => RuleCheck.Check("""
        [default]
        cli_pager =
        csm_client_id =
        [profile role]
        role_arn =
        #^^^^^^^^^ warning empty-value: the assume-role provider still runs and calls AssumeRole with an empty role ARN
        source_profile = base
        [profile dev]
        region =
        #^^^^^^^ warning empty-value: `https://sts..amazonaws.com`
        duration_seconds =
        #^^^^^^^^^^^^^^^^^ warning empty-value: silently drops it
        made_up =
        #^^^^^^ warning unknown-key
        include_profile =
        #^^^^^^^^^^^^^^ info unknown-key
        s3 =
            addressing_style = path
        """, """
        [base]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        aws_session_token =
        """);

    [Fact]
    public void EmptyRoleArnStillSelectsTheAssumeRoleProviderInBotocore()
    {
        var chain = BotocoreOracle.Resolve("[profile role]\nrole_arn =\nsource_profile = base\n",
            "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n").Chain("role");
        Assert.Equal("assume-role", chain[^1].GetProperty("kind").GetString());
        Assert.Equal("", chain[^1].GetProperty("roleArn").GetString());
    }
}
