using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// The rules about section headers: profile-prefix-in-credentials, missing-profile-prefix, dropped-section and
/// default-profile-shadowed. Fixes that change what botocore sees are run through the installed botocore.
/// </summary>
public class SectionNameRuleTests
{
    private const string DefaultKeys = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n";

    // ---- profile-prefix-in-credentials ---------------------------------------------------------

    [Fact]
    public void ProfilePrefixInTheCredentialsFileDefinesALiteralName() => RuleCheck.Check("", """
        [default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        [profile dev]
         #^^^^^^^^^^ warning profile-prefix-in-credentials: defines a profile named `profile dev`, so `aws --profile dev` does not use it
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        [profile prod]
         #^^^^^^^^^^^ warning profile-prefix-in-credentials: [prod] cannot be used here: that section already exists
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        [prod]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        [profileless]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        """);

    [Fact]
    public void ProfilePrefixFixRenamesTheSectionAndBotocoreThenFindsTheProfile()
    {
        const string credentials = "[profile dev]\n# from the console\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n";
        Assert.Equal(["profile dev"], BotocoreOracle.Resolve("", credentials).Profiles);

        var (config, fixedCredentials) = RuleCheck.ApplyFix("", credentials, "profile-prefix-in-credentials");
        Assert.Equal("", config);
        Assert.Equal("[dev]\n# from the console\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n", fixedCredentials);
        RuleCheck.Check("", fixedCredentials);
        var botocore = BotocoreOracle.Resolve("", fixedCredentials);
        Assert.Equal(["dev"], botocore.Profiles);
        AssertStatic(botocore.Chain("dev"), "dev", "credentials");
    }

    [Fact]
    public void ProfilePrefixFixUnquotesAQuotedName()
    {
        var (_, fixedCredentials) = RuleCheck.ApplyFix("", "[profile \"my dev\"]\naws_access_key_id = A\naws_secret_access_key = s\n", "profile-prefix-in-credentials");
        Assert.StartsWith("[my dev]\n", fixedCredentials, StringComparison.Ordinal);
        Assert.Equal(["my dev"], BotocoreOracle.Resolve("", fixedCredentials).Profiles);
    }

    // ---- missing-profile-prefix ------------------------------------------------------------------

    [Fact]
    public void SectionWithoutPrefixIsIgnoredButTheCliOwnAndThirdPartySectionsAreNot() => RuleCheck.Check("""
        [default]
        region = us-east-1
        [plugins]
        cli_legacy_plugin_path = /usr/lib/python3/site-packages
        [preview]
        cloudfront = true
        [okta]
        aws_saml_url = home/amazon_aws/0oa1/272
        [dev]
         #^^ warning missing-profile-prefix: The AWS CLI ignores [dev]: in the config file only `[default]` goes without a prefix. Write `[profile dev]`
        region = eu-west-1
        [my dev]
         #^^^^^ warning missing-profile-prefix: Write `[profile "my dev"]` to define the profile `my dev`
        region = eu-west-1
        [prod]
         #^^^ warning missing-profile-prefix: `[profile prod]` already exists, so the keys of this section are not read
        region = eu-west-1
        [profile prod]
        region = eu-west-1
        [keys]
         #^^^ warning missing-profile-prefix: The credentials file's `[keys]` is read; the keys of this section are not
        region = eu-west-1
        """, "[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n");

    [Fact]
    public void MissingPrefixFixMakesBotocoreListTheProfile()
    {
        const string config = "[dev]\n# assumed from the default keys\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = default\n";
        var before = BotocoreOracle.Resolve(config, DefaultKeys);
        Assert.Equal(["default"], before.Profiles);

        var (fixedConfig, credentials) = RuleCheck.ApplyFix(config, DefaultKeys, "missing-profile-prefix");
        Assert.Equal("[profile dev]\n# assumed from the default keys\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = default\n", fixedConfig);
        Assert.Equal(DefaultKeys, credentials);
        RuleCheck.Check(fixedConfig, credentials);
        var chain = BotocoreOracle.Resolve(fixedConfig, credentials).Chain("dev");
        Assert.Equal(["static", "assume-role"], chain.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal("arn:aws:iam::123456789012:role/Dev", chain[1].GetProperty("roleArn").GetString());
    }

    [Fact]
    public void MissingPrefixFixQuotesANameWithBlanks()
    {
        var (fixedConfig, _) = RuleCheck.ApplyFix("[my dev]\nregion = eu-west-1\n", "", "missing-profile-prefix");
        Assert.Equal("[profile \"my dev\"]\nregion = eu-west-1\n", fixedConfig);
        RuleCheck.Check(fixedConfig);
        Assert.Equal(["my dev"], BotocoreOracle.Resolve(fixedConfig, "").Profiles);
    }

    [Fact]
    public void SectionThatAProfileNamesAsItsServicesGetsTheServicesPrefixNamingTheFirstSuchProfile()
    {
        // The first profile in the file's order that refers to [local] names the prefix, here through services.
        const string config = """
            [local]
            s3 =
              endpoint_url = http://localhost:4566
            [profile b]
            services = local
            [profile a]
            sso_session = local
            """;
        var diagnostic = DiagnosticEngine.Analyze(RuleCheck.Model(config)).Single(d => d.Code == "missing-profile-prefix");
        Assert.Contains("Profile `b` refers to it with `services = local`, which needs `[services local]`", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SectionThatAProfileUsesAsItsSsoSessionGetsTheSsoSessionPrefix()
    {
        const string config = """
            [corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            [profile sso]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = ReadOnly
            """;
        Assert.Contains("sso-session does not exist", BotocoreOracle.Resolve(config, "").Profile("sso").GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var diagnostic = DiagnosticEngine.Analyze(RuleCheck.Model(config)).Single(d => d.Code == "missing-profile-prefix");
        Assert.Contains("`sso_session = corp`, which needs `[sso-session corp]`", diagnostic.Message, StringComparison.Ordinal);

        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "missing-profile-prefix");
        Assert.StartsWith("[sso-session corp]\n", fixedConfig, StringComparison.Ordinal);
        RuleCheck.Check(fixedConfig);
        var chain = BotocoreOracle.Resolve(fixedConfig, "").Chain("sso");
        Assert.Equal("sso", chain.Single().GetProperty("kind").GetString());
        Assert.Equal("corp", chain.Single().GetProperty("ssoSession").GetString());
    }

    // ---- dropped-section -------------------------------------------------------------------------

    [Fact]
    public void HeadersTheCliDropsOrRenamesAreReported() => RuleCheck.Check("""
        [profile a b]
         #^^^^^^^^^^ warning dropped-section: The AWS CLI silently drops [profile a b]: the name after `profile` must be one word
        region = us-east-1
        [profile "x]
         #^^^^^^^^^ warning dropped-section: a quote is not closed
        region = us-east-1
        [profile]
         #^^^^^^ warning dropped-section: it has no profile name
        region = us-east-1
        [profile-x]
         #^^^^^^^^ warning dropped-section: `profile` and the name must be separated by a blank
        region = us-east-1
        [sso-session a b]
         #^^^^^^^^^^^^^^ warning dropped-section: The AWS CLI silently drops [sso-session a b]
        sso_region = us-east-1
        [Default]
         #^^^^^^ warning dropped-section: only `[default]`, exactly, is the default profile
        region = us-east-1
        [default ]
         #^^^^^^^ warning dropped-section: Write [default].
        region = us-east-1
        [ profile foo ]
         #^^^^^^^^^^^^ warning dropped-section: section names are case-sensitive and not trimmed, so this is not a profile. Write [profile foo].
        region = us-east-1
        [Profile bar]
         #^^^^^^^^^^ warning dropped-section: Write [profile bar].
        region = us-east-1
        [profiles x]
         #^^^^^^^^^ warning dropped-section: The AWS CLI reads [profiles x] as the profile `x`
        region = us-east-1
        [profilefoo bar]
         #^^^^^^^^^^^^^ warning dropped-section: as the profile `bar`
        region = us-east-1
        [ DEFAULT ]
         #^^^^^^^^ warning dropped-section: only `[DEFAULT]`, exactly, holds defaults
        [profile "fine name"]
        region = us-east-1
        [profile 'quoted']
        region = us-east-1
        [profile  spaced ]
        region = us-east-1
        [sso-session ok]
        sso_region = us-east-1
        [services ok]
        s3 =
          endpoint_url = http://localhost:9000
        """, """
        [ spaced ]
         #^^^^^^^ warning dropped-section: this defines a profile named ` spaced `, blanks included
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        [Default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = secret
        """, options: RuleCheck.Without("unused-sso-session"));

    /// <summary>Each fix, and the profile botocore lists before and after it (null: none from that section).</summary>
    [Theory]
    [InlineData("[profile my dev]\nregion = us-east-1\n", "", "[profile \"my dev\"]\nregion = us-east-1\n", null, "my dev")]
    [InlineData("[profile \"x]\nregion = us-east-1\n", "", "[profile \"x\"]\nregion = us-east-1\n", null, "x")]
    [InlineData("[Default]\nregion = us-east-1\n", "", "[default]\nregion = us-east-1\n", null, "default")]
    [InlineData("[default ]\nregion = us-east-1\n", "", "[default]\nregion = us-east-1\n", null, "default")]
    [InlineData("[ profile foo ]\nregion = us-east-1\n", "", "[profile foo]\nregion = us-east-1\n", null, "foo")]
    [InlineData("[Profile foo]\nregion = us-east-1\n", "", "[profile foo]\nregion = us-east-1\n", null, "foo")]
    [InlineData("[profiles x]\nregion = us-east-1\n", "", "[profile x]\nregion = us-east-1\n", "x", "x")]
    [InlineData("[profilefoo bar]\nregion = us-east-1\n", "", "[profile bar]\nregion = us-east-1\n", "bar", "bar")]
    [InlineData("", "[ spaced ]\naws_access_key_id = A\naws_secret_access_key = s\n", "[spaced]\naws_access_key_id = A\naws_secret_access_key = s\n", " spaced ", "spaced")]
    public void DroppedSectionFixGivesTheProfileTheCliThenUses(string config, string credentials, string expected, string? before, string after)
    {
        var inCredentials = config.Length == 0;
        Assert.Equal(before is null ? [] : [before], BotocoreOracle.Resolve(config, credentials).Profiles);

        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, "dropped-section");
        Assert.Equal(expected, inCredentials ? fixedCredentials : fixedConfig);
        Assert.Equal(inCredentials ? "" : credentials, inCredentials ? fixedConfig : fixedCredentials);
        RuleCheck.Check(fixedConfig, fixedCredentials);
        Assert.Equal([after], BotocoreOracle.Resolve(fixedConfig, fixedCredentials).Profiles);
    }

    [Fact]
    public void DroppedSectionHasNoFixWhenTheTargetNameExists()
    {
        var diagnostics = RuleCheck.Check("""
            [default]
            region = us-east-1
            [Default]
             #^^^^^^ warning dropped-section: [default] already exists in this file
            region = us-east-1
            [profile a b]
             #^^^^^^^^^^ warning dropped-section: [profile "a b"] already exists in this file
            [profile "a b"]
            region = us-east-1
            """);
        Assert.All(diagnostics, d => Assert.Empty(d.Fixes));
    }

    // ---- default-profile-shadowed ----------------------------------------------------------------

    [Fact]
    public void EarlierDefaultSectionIsReportedWithTheWinnerAsRelatedInformation()
    {
        const string config = """
            [default]
             #^^^^^^ warning default-profile-shadowed: The AWS CLI ignores [default] entirely: [profile default] further down also defines the default profile
            region = us-east-1
            [profile default]
            output = json
            """;
        var diagnostics = RuleCheck.Check(config);
        var related = Assert.Single(diagnostics[0].Related);
        Assert.Equal(ConfigFileKind.Config, related.Location.File);
        Assert.Equal(new TextSpan(config.IndexOf("\n[profile default]", StringComparison.Ordinal) + 1, "[profile default]".Length), related.Location.Span);
    }

    [Fact]
    public void AnySpellingOfTheDefaultProfileShadowsAnEarlierOne() => RuleCheck.Check("""
        [profile "default"]
         #^^^^^^^^^^^^^^^^ warning default-profile-shadowed: ignores [profile "default"] entirely: [default] further down
        region = us-east-1
        [default]
        output = json
        [profile dev]
        region = us-east-1
        """);

    [Fact]
    public void DefaultShadowFixRemovesTheIgnoredSectionButIsNotPreferred()
    {
        const string config = "[default]\ncredential_process = /bin/first\n\n[profile default]\ncredential_process = /bin/second\n";
        // botocore: the later section is the default profile, the earlier one is gone.
        Assert.Equal("/bin/second", BotocoreOracle.Resolve(config, "").Chain("default").Single().GetProperty("command").GetString());

        var diagnostic = DiagnosticEngine.Analyze(RuleCheck.Model(config)).Single(d => d.Code == "default-profile-shadowed");
        Assert.False(Assert.Single(diagnostic.Fixes).IsPreferred);
        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "default-profile-shadowed", "Remove the ignored section");
        Assert.Equal("[profile default]\ncredential_process = /bin/second\n", fixedConfig);
        RuleCheck.Check(fixedConfig);
    }

    private static void AssertStatic(IReadOnlyList<JsonElement> chain, string profile, string file)
    {
        var link = Assert.Single(chain);
        Assert.Equal("static", link.GetProperty("kind").GetString());
        Assert.Equal(profile, link.GetProperty("profile").GetString());
        Assert.Equal(file, link.GetProperty("file").GetString());
    }
}
