using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>inline-comment-in-value: the CLI keeps `# ...` after a value as part of it.</summary>
public class InlineCommentInValueTests
{
    [Fact]
    public void CommentAfterAValueIsReportedWhereverTheCliReadsValues() => RuleCheck.Check("""
        [default]
        region = us-east-1 # prod
        #                  ^^^^^^ warning inline-comment-in-value: the value of `region` is `us-east-1 # prod`, not `us-east-1`.
        output = json ; for scripts
        #             ^^^^^^^^^^^^^ warning inline-comment-in-value: the value of `output` is `json ; for scripts`
        ca_bundle = /etc/ssl/bundle#1.pem
        credential_process = /bin/sh -c "get-creds --tag '#1' ; exit 0"
        s3 =
            addressing_style = path # virtual fails behind the proxy
        #                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning inline-comment-in-value: the value of `addressing_style` under `s3 =` is `path # virtual fails behind the proxy`
        [profile vault]
        include_profile = default # aws-vault parses its own keys
        #^^^^^^^^^^^^^^ info unknown-key
        [plugins]
        endpoint = awscli_plugin_endpoint # loads the plugin
        #                                 ^^^^^^^^^^^^^^^^^^ warning inline-comment-in-value
        [ignored]
         #^^^^^^ warning missing-profile-prefix
        region = us-east-1 # not read by the CLI at all
        """);

    [Fact]
    public void SecretValuesAreNeverShown()
    {
        var diagnostics = RuleCheck.Check("", """
            [default]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG # rotated in May
            #                                             ^^^^^^^^^^^^^^^^ warning inline-comment-in-value: the comment becomes part of the secret value of `aws_secret_access_key`
            """);
        Assert.DoesNotContain("wJalr", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[default]\nregion = us-east-1 # prod\n", "[default]\n# prod\nregion = us-east-1\n")]
    [InlineData("[default]\r\nregion = us-east-1   ; prod\r\noutput = json\r\n", "[default]\r\n; prod\r\nregion = us-east-1\r\noutput = json\r\n")]
    [InlineData("[default]\n  region = us-east-1 # prod", "[default]\n  # prod\n  region = us-east-1")]
    [InlineData("[default]\ns3 =\n    addressing_style = path # virtual fails\n    signature_version = s3v4\n", "[default]\ns3 =\n    # virtual fails\n    addressing_style = path\n    signature_version = s3v4\n")]
    [InlineData("[default]\nregion = us-east-1 # prod # really\n", "[default]\n# prod # really\nregion = us-east-1\n")]
    public void FixMovesTheCommentToItsOwnLineAbove(string config, string expected)
    {
        var fix = DiagnosticEngine.Analyze(RuleCheck.Model(config)).Single(d => d.Code == "inline-comment-in-value").Fixes.Single();
        Assert.True(fix.IsPreferred);
        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "inline-comment-in-value");
        Assert.Equal(expected, fixedConfig);
        RuleCheck.Check(fixedConfig);
    }

    [Fact]
    public void BotocoreKeepsTheCommentAndTheFixRemovesIt()
    {
        const string config = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin # prod admin\nsource_profile = default\n";
        const string credentials = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n";
        var before = BotocoreOracle.Resolve(config, credentials).Chain("admin");
        Assert.Equal("arn:aws:iam::123456789012:role/Admin # prod admin", before[^1].GetProperty("roleArn").GetString());
        Assert.Contains(DiagnosticEngine.Analyze(RuleCheck.Model(config, credentials)),
            d => d.Message.Contains("the value of `role_arn` is `arn:aws:iam::123456789012:role/Admin # prod admin`", StringComparison.Ordinal));

        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, "inline-comment-in-value");
        Assert.Equal("[profile admin]\n# prod admin\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n", fixedConfig);
        RuleCheck.Check(fixedConfig, fixedCredentials);
        var after = BotocoreOracle.Resolve(fixedConfig, fixedCredentials).Chain("admin");
        Assert.Equal("arn:aws:iam::123456789012:role/Admin", after[^1].GetProperty("roleArn").GetString());
    }
}
