using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Features;

public class HoverTests
{
    private const string Cursor = "$0";

    // Fake keys, unlike the catalog's examples, so that finding them in a hover means the hover leaked them.
    private const string Credentials = "[default]\naws_access_key_id = AKIAZZZZTESTKEY1WXYZ\naws_secret_access_key = s3cr3t/ValueThatMustNeverShow\n";

    /// <summary>
    /// The hover at <c>$0</c>, which is in <paramref name="config"/> or <paramref name="credentials"/>: its markdown and
    /// the text of the span it describes; null when there is no hover.
    /// </summary>
    private static (string Markdown, string Target)? HoverAt(string config, string credentials = "")
    {
        var inConfig = config.Contains(Cursor, StringComparison.Ordinal);
        var marked = inConfig ? config : credentials;
        var offset = marked.IndexOf(Cursor, StringComparison.Ordinal);
        Assert.True(offset >= 0, "mark the cursor with $0");
        var configText = config.Replace(Cursor, "", StringComparison.Ordinal);
        var credentialsText = credentials.Replace(Cursor, "", StringComparison.Ordinal);
        var model = new ProfileModel(
            ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(configText)),
            ConfigFile.Create(ConfigFileKind.Credentials, null, SyntaxParser.Parse(credentialsText)));
        var hover = Hover.Get(model, inConfig ? ConfigFileKind.Config : ConfigFileKind.Credentials, offset);
        if (hover is null) return null;
        var text = inConfig ? configText : credentialsText;
        return (hover.Markdown, text.Substring(hover.Span.Start, hover.Span.Length));
    }

    private static (string Markdown, string Target) Check(string config, string credentials = "") =>
        HoverAt(config, credentials) ?? throw new Xunit.Sdk.XunitException("expected a hover");

    [Fact]
    public void KnownKeyShowsItsCatalogDocumentation()
    {
        var (markdown, target) = Check("[profile a]\nreg$0ion = us-east-1\n");
        Assert.Equal("region", target);
        Assert.StartsWith("**`region`**:", markdown);
        Assert.Contains("AWS_REGION", markdown);
        Assert.Contains("```ini", markdown);
    }

    [Fact]
    public void SubPropertyKeyIsLookedUpInItsBlock()
    {
        var (markdown, target) = Check("[profile a]\ns3 =\n    addressing_st$0yle = path\n");
        Assert.Equal("addressing_style", target);
        Assert.StartsWith("**`addressing_style`**:", markdown);
    }

    [Fact]
    public void ConfigKeyInTheCredentialsFileSaysBotocoreMergesIt()
    {
        var (markdown, _) = Check("", "[default]\n$0region = us-east-1\n");
        Assert.StartsWith("**`region`**:", markdown);
        Assert.Contains("*In the credentials file:* botocore", markdown);
    }

    [Fact]
    public void ThirdPartyKeyNamesTheToolThatReadsIt()
    {
        var (markdown, _) = Check("[profile a]\ngranted_sso_$0region = us-east-1\n");
        Assert.Contains("Granted", markdown);
        Assert.Contains("No AWS CLI or SDK reads this key.", markdown);
    }

    [Fact]
    public void UnknownKeySuggestsWhatWasMeant()
    {
        var (misspelt, _) = Check("[profile a]\nreg$0oin = us-east-1\n");
        Assert.StartsWith("**`regoin`**: unknown key.", misspelt);
        Assert.Contains("Did you mean `region`?", misspelt);

        var (alias, _) = Check("[profile a]\naws_$0region = us-east-1\n");
        Assert.Contains("did you mean `region`", alias);

        // An environment variable written as a key: the suggestion needs the key as written, not lower-cased.
        var (environment, target) = Check("[profile a]\nAWS_$0PROFILE = x\n");
        Assert.Equal("AWS_PROFILE", target);
        Assert.StartsWith("**`AWS_PROFILE`**: unknown key.", environment);
        Assert.Contains("`AWS_PROFILE` is an environment variable that selects a profile", environment);
    }

    [Fact]
    public void KeyValidOnlyElsewhereSaysWhere()
    {
        var (markdown, _) = Check("[sso-session s]\nsso_account$0_id = 111111111111\n");
        Assert.Contains("unknown key", markdown);
        Assert.Contains("`sso_account_id` is valid only in a profile in the config file.", markdown);
    }

    [Fact]
    public void EnumValueShowsWhatItMeansAndTheAllowedValues()
    {
        var (markdown, target) = Check("[default]\nretry_mode = adap$0tive\n");
        Assert.Equal("adaptive", target);
        Assert.StartsWith("**`retry_mode = adaptive`**: `standard` plus client-side rate limiting", markdown);
        Assert.Contains("Valid values (case-sensitive):\n- `legacy`: ", markdown);
        Assert.Contains("- `standard`: ", markdown);
    }

    [Fact]
    public void EnumValueInTheWrongCaseSaysHowToWriteIt()
    {
        var (markdown, _) = Check("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/R\ncredential_source = $0ec2instancemetadata\n");
        Assert.StartsWith("**`ec2instancemetadata`** is not a value `credential_source` accepts: values are case-sensitive, write `Ec2InstanceMetadata`.", markdown);
        Assert.Contains("- `EcsContainer`: Assumes the role with the ECS task role", markdown);
    }

    [Fact]
    public void SubPropertyEnumValueIsExplained()
    {
        var (markdown, _) = Check("[profile a]\ns3 =\n    addressing_style = pa$0th\n");
        Assert.StartsWith("**`addressing_style = path`**: Always path style", markdown);
    }

    [Fact]
    public void RegionValueShowsItsDisplayName()
    {
        Assert.Equal(("**eu-west-3**: Europe (Paris)\n", "eu-west-3"), Check("[default]\nregion = eu-we$0st-3\n"));
        Assert.StartsWith("**us-east-1**: US East (N. Virginia)", Check("[sso-session s]\nsso_region = $0us-east-1\n").Markdown);
        Assert.StartsWith("**cn-north-1**: China (Beijing). A China Region", Check("[default]\nregion = cn-north-1$0\n").Markdown);
    }

    [Fact]
    public void RegionListItemUnderTheCursorIsDescribed()
    {
        var (markdown, target) = Check("[default]\nsigv4a_signing_region_set = us-east-1, eu-w$0est-1\n");
        Assert.Equal("eu-west-1", target);
        Assert.StartsWith("**eu-west-1**: Europe (Ireland)", markdown);
    }

    [Fact]
    public void MalformedRegionSuggestsTheRealOne()
    {
        var (markdown, _) = Check("[default]\nregion = $0us-east1\n");
        Assert.StartsWith("**`us-east1`** is not a Region code (such as `us-east-1`). Did you mean `us-east-1` (US East (N. Virginia))", markdown);
    }

    [Fact]
    public void SsoSessionValueShowsTheSession()
    {
        var (markdown, target) = Check("[profile dev]\nsso_session = co$0rp\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n");
        Assert.Equal("corp", target);
        Assert.Contains("- Start URL: `https://example.awsapps.com/start`", markdown);
        Assert.Contains("- Region: `eu-west-1` (Europe (Ireland))", markdown);
        Assert.Contains("Used by: `dev`.", markdown);
    }

    [Fact]
    public void OtherHeadersAreExplained()
    {
        Assert.StartsWith("**`[sso-session NAME]`**", Check("[sso-session $0corp]\n[profile a]\nsso_session = corp\n").Markdown);
        Assert.Contains("Used by: `a`.", Check("[sso-session $0corp]\n[profile a]\nsso_session = corp\n").Markdown);
        Assert.StartsWith("**`[DEFAULT]`** (upper-case)", Check("[DEF$0AULT]\n").Markdown);
        Assert.StartsWith("**`[profile a b]`**: botocore ignores this section.", Check("[profile a$0 b]\n").Markdown);
        Assert.StartsWith("**`[okta]`**: settings of aws-okta.", Check("[ok$0ta]\n").Markdown);
    }

    [Fact]
    public void SecretValuesAreNeverShown()
    {
        Assert.Null(HoverAt("", "[default]\naws_secret_access_key = s3cr3t/Value$0ThatMustNeverShow\n"));
        Assert.Null(HoverAt("", "[default]\naws_session_token = IQoJb3$0JpZ2luX2VjEXAMPLE\n"));
        Assert.Null(HoverAt("[profile a]\nazure_default_password = hun$0ter2\n"));

        // The key itself is documented, without the value.
        var (markdown, _) = Check("", "[default]\naws_secret_$0access_key = s3cr3t/ValueThatMustNeverShow\n");
        Assert.Contains("*Secret: never share this value.*", markdown);
        Assert.DoesNotContain("s3cr3t", markdown);
    }

    [Fact]
    public void AccessKeyIdIsShownMasked()
    {
        var (markdown, _) = Check("", "[default]\naws_access_key_id = AKIAZZZZ$0TESTKEY1WXYZ\n");
        Assert.Equal("**Access key ID** `AKIA****WXYZ`: long-term credentials of an IAM user (or of the root user).\n", markdown);
    }

    [Fact]
    public void ProfileHoverShowsTheChainFromTheProfileToItsBase()
    {
        const string config = "[default]\nregion = us-east-1\n"
            + "[profile role-a]\nrole_arn = arn:aws:iam::111111111111:role/RoleA\nmfa_serial = arn:aws:iam::222222222222:mfa/User1\nsource_profile = default\n"
            + "[profile role-b]\nrole_arn = arn:aws:iam::111111111111:role/RoleB\nsource_profile = role-a\n";
        var (markdown, target) = Check(config.Replace("[profile role-b]", "[profile ro$0le-b]", StringComparison.Ordinal), Credentials);
        Assert.Equal("role-b", target);
        Assert.Contains("`role-b <- role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys, ~/.aws/credentials)`", markdown);
        Assert.Contains("AssumeRole `RoleB` in account `111111111111`", markdown);
        Assert.DoesNotContain("AKIAZZZZTESTKEY1WXYZ", markdown);
        Assert.DoesNotContain("s3cr3t", markdown);

        // On a source_profile value, the hover is the referenced profile's.
        var (referenced, referenceTarget) = Check(config.Replace("source_profile = role-a", "source_profile = role-$0a", StringComparison.Ordinal), Credentials);
        Assert.Equal("role-a", referenceTarget);
        Assert.Contains("`role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys, ~/.aws/credentials)`", referenced);
    }

    [Fact]
    public void ProfileHoverShowsTheCliErrorWhenResolutionFails()
    {
        const string config = "[profile loop-1]\nrole_arn = arn:aws:iam::111111111111:role/L1\nsource_profile = loop-2\n"
            + "[profile loop-2]\nrole_arn = arn:aws:iam::111111111111:role/L2\nsource_profile = loop-1\n";
        var (markdown, _) = Check(config.Replace("[profile loop-1]", "[profile loop$0-1]", StringComparison.Ordinal));
        Assert.Contains("**The AWS CLI fails:** `source-profile-loop`: Infinite loop in credential configuration detected.", markdown);
        Assert.Contains("Visited profiles: ['loop-1', 'loop-2']", markdown);
        // No chain line: the CLI gets no credentials.
        Assert.DoesNotContain(" <- ", markdown);
    }

    [Fact]
    public void NothingToSayOnBlankLinesAndPlainValues()
    {
        Assert.Null(HoverAt("[profile a]\n$0\nregion = us-east-1\n"));
        Assert.Null(HoverAt("[profile a]\ncredential_process = /usr/bin/he$0lper\n"));
    }
}
