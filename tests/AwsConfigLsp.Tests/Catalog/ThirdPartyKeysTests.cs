using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

public class ThirdPartyKeysTests
{
    [Theory]
    [InlineData("include_profile", "aws-vault")]
    [InlineData("mfa_process", "aws-vault")]
    [InlineData("session_tags", "aws-vault")]
    [InlineData("transitive_session_tags", "aws-vault")]
    [InlineData("source_identity", "aws-vault")]
    [InlineData("parent_profile", "aws-vault")]
    [InlineData("granted_sso_start_url", "Granted (Common Fate)")]
    [InlineData("granted_sso_registration_scopes", "Granted (Common Fate)")]
    [InlineData("common_fate_generated_from", "Granted (Common Fate)")]
    [InlineData("azure_tenant_id", "aws-azure-login")]
    [InlineData("azure_default_remember_me", "aws-azure-login")]
    [InlineData("google_config.google_idp_id", "aws-google-auth")]
    [InlineData("aws_saml_url", "aws-okta")]
    [InlineData("x_security_token_expires", "saml2aws, okta-aws-cli")]
    [InlineData("x_principal_arn", "saml2aws")]
    public void Exact_entries_name_their_tool(string key, string tool)
    {
        var entry = ThirdPartyKeys.Find(key);
        Assert.NotNull(entry);
        Assert.False(entry.IsPrefix);
        Assert.Equal(tool, entry.Tool);
        Assert.False(string.IsNullOrWhiteSpace(entry.Description));
    }

    [Theory]
    [InlineData("granted_custom_thing", "granted_")]
    [InlineData("common_fate_anything", "common_fate_")]
    [InlineData("azure_new_option", "azure_")]
    [InlineData("google_config.something_new", "google_config.")]
    public void Prefixes_cover_unlisted_keys(string key, string prefix)
    {
        var entry = ThirdPartyKeys.Find(key);
        Assert.NotNull(entry);
        Assert.True(entry.IsPrefix);
        Assert.Equal(prefix, entry.Name);
    }

    [Fact]
    public void Exact_match_wins_over_prefix_and_lookup_ignores_case()
    {
        Assert.False(ThirdPartyKeys.Find("GRANTED_SSO_REGION")!.IsPrefix);
        Assert.Equal("common_fate_generated_from", ThirdPartyKeys.Find("common_fate_generated_from")!.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("region")]
    [InlineData("granted_")]
    [InlineData("totally_unknown")]
    public void Unknown_keys_and_bare_prefixes_are_not_found(string key) => Assert.Null(ThirdPartyKeys.Find(key));

    [Fact]
    public void No_third_party_key_shadows_an_aws_key()
    {
        foreach (var entry in ThirdPartyKeys.All)
        {
            if (entry.IsPrefix)
                Assert.DoesNotContain(KeyCatalog.Names, n => n.StartsWith(entry.Name, StringComparison.OrdinalIgnoreCase));
            else
                Assert.Empty(KeyCatalog.FindAnywhere(entry.Name));
        }
    }

    [Fact]
    public void Stored_passwords_are_secret_and_expiry_keys_live_in_the_credentials_file()
    {
        Assert.True(ThirdPartyKeys.Find("azure_default_password")!.IsSecret);
        Assert.Equal(ThirdPartyFile.Credentials, ThirdPartyKeys.Find("x_security_token_expires")!.File);
        Assert.Contains("No AWS CLI or SDK reads", ThirdPartyKeys.Find("mfa_process")!.Documentation, StringComparison.Ordinal);
        Assert.NotNull(ThirdPartyKeys.Find("toolkit_artifact_guid"));
    }

    [Fact]
    public void Names_are_unique()
    {
        Assert.Equal(ThirdPartyKeys.All.Count, ThirdPartyKeys.All.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
