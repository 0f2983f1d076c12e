using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

public class SuggestTests
{
    [Theory]
    [InlineData("regoin", "region")]
    [InlineData("regin", "region")]
    [InlineData("aws_secret_acess_key", "aws_secret_access_key")]
    [InlineData("aws_acces_key_id", "aws_access_key_id")]
    [InlineData("sorce_profile", "source_profile")]
    [InlineData("role-arn", "role_arn")]
    [InlineData("credentials_process", "credential_process")]
    [InlineData("ignore_configure_endpoint_urls", "ignore_configured_endpoint_urls")]
    [InlineData("Regoin", "region")]
    public void Spelling_mistakes_suggest_the_key_first(string typo, string expected)
    {
        var suggestions = KeyCatalog.Suggest(typo, SectionContext.Profile);
        Assert.NotEmpty(suggestions);
        Assert.Equal(expected, suggestions[0].Key);
        Assert.Equal(SuggestionKind.Spelling, suggestions[0].Kind);
        Assert.InRange(suggestions[0].Distance, 1, 2);
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "aws_access_key_id")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "aws_secret_access_key")]
    [InlineData("AWS_REGION", "region")]
    [InlineData("AWS_DEFAULT_REGION", "region")]
    [InlineData("AWS_RETRY_MODE", "retry_mode")]
    [InlineData("AWS_PAGER", "cli_pager")]
    [InlineData("AWS_DEFAULT_OUTPUT", "output")]
    public void Environment_variable_names_map_to_their_key(string variable, string expected)
    {
        var first = KeyCatalog.Suggest(variable, SectionContext.Profile)[0];
        Assert.Equal(expected, first.Key);
        Assert.Equal(SuggestionKind.EnvironmentVariable, first.Kind);
        Assert.Contains(variable, first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variable_in_the_credentials_file_points_at_the_credentials_key()
    {
        var first = KeyCatalog.Suggest("AWS_SESSION_TOKEN", SectionContext.Credentials)[0];
        Assert.Equal("aws_session_token", first.Key);
    }

    [Theory]
    [InlineData("AWS_PROFILE")]
    [InlineData("AWS_DEFAULT_PROFILE")]
    [InlineData("AWS_CONFIG_FILE")]
    [InlineData("AWS_SHARED_CREDENTIALS_FILE")]
    public void Environment_only_variables_get_a_hint(string variable)
    {
        var suggestions = KeyCatalog.Suggest(variable, SectionContext.Profile);
        var first = suggestions[0];
        Assert.Equal(SuggestionKind.Hint, first.Kind);
        Assert.Null(first.Key);
        Assert.Contains("environment variable", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_service_endpoint_variable_points_at_the_services_section()
    {
        var first = KeyCatalog.Suggest("AWS_ENDPOINT_URL_DYNAMODB", SectionContext.Profile)[0];
        Assert.Equal("endpoint_url", first.Key);
        Assert.Contains("[services", first.Message, StringComparison.Ordinal);
        Assert.Contains("dynamodb", first.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws_region", "region")]
    [InlineData("aws_secret_key", "aws_secret_access_key")]
    [InlineData("aws_sdk_ua_app_id", "sdk_ua_app_id")]
    public void Known_confusions_are_aliases(string text, string expected)
    {
        var first = KeyCatalog.Suggest(text, SectionContext.Profile)[0];
        Assert.Equal(expected, first.Key);
        Assert.Equal(SuggestionKind.Alias, first.Kind);
    }

    [Fact]
    public void Sub_property_case_mismatch_comes_first()
    {
        var first = KeyCatalog.Suggest("Addressing_Style", SectionContext.S3Block)[0];
        Assert.Equal("addressing_style", first.Key);
        Assert.Equal(SuggestionKind.CaseMismatch, first.Kind);
    }

    [Fact]
    public void Keys_valid_elsewhere_are_suggested_after_keys_valid_here()
    {
        var atTop = KeyCatalog.Suggest("addressing_style", SectionContext.Profile);
        Assert.Equal("addressing_style", atTop[0].Key);
        Assert.Equal(SuggestionKind.OtherSection, atTop[0].Kind);
        Assert.Contains("`s3 =`", atTop[0].Message, StringComparison.Ordinal);

        var scopes = KeyCatalog.Suggest("sso_registration_scope", SectionContext.Profile);
        Assert.Equal("sso_registration_scopes", scopes[0].Key);
        Assert.Equal(SuggestionKind.OtherSection, scopes[0].Kind);
        Assert.Contains("sso-session", scopes[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spelling_in_a_services_section_and_a_service_block()
    {
        Assert.Equal("dynamodb", KeyCatalog.Suggest("dynamdb", SectionContext.Services)[0].Key);
        Assert.Equal("endpoint_url", KeyCatalog.Suggest("endpoint_ur", SectionContext.ServiceBlock("s3"))[0].Key);
    }

    [Fact]
    public void A_service_block_in_a_profile_gets_a_hint()
    {
        var first = KeyCatalog.Suggest("dynamodb", SectionContext.Profile)[0];
        Assert.Equal(SuggestionKind.Hint, first.Kind);
        Assert.Contains("[services", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_are_ordered_best_first_and_distinct()
    {
        var suggestions = KeyCatalog.Suggest("sso_regon", SectionContext.Profile);
        Assert.Equal("sso_region", suggestions[0].Key);
        Assert.Equal(suggestions.Count, suggestions.Select(s => s.Key ?? s.Message).Distinct().Count());
        for (var i = 1; i < suggestions.Count; i++)
            if (suggestions[i].Kind == suggestions[i - 1].Kind)
                Assert.True(suggestions[i].Distance >= suggestions[i - 1].Distance);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("completely_unrelated_words")]
    [InlineData("xyz")]
    public void Nothing_close_means_no_suggestion(string text) =>
        Assert.Empty(KeyCatalog.Suggest(text, SectionContext.Profile));

    [Fact]
    public void Short_keys_allow_only_one_edit()
    {
        Assert.Equal("s3", KeyCatalog.Suggest("s4", SectionContext.Profile)[0].Key);
        Assert.DoesNotContain(KeyCatalog.Suggest("ab", SectionContext.Profile), s => s.Key == "s3");
    }

    [Fact]
    public void Edit_distance_counts_transpositions_once()
    {
        Assert.Equal(1, EditDistance.Compute("regoin", "region"));
        Assert.Equal(1, EditDistance.Compute("aws_secret_acess_key", "aws_secret_access_key"));
        Assert.Equal(0, EditDistance.Compute("abc", "abc"));
        Assert.Equal(3, EditDistance.Compute("", "abc"));
        Assert.Equal(3, EditDistance.Compute("kitten", "sitting"));
        Assert.Equal(2, EditDistance.Compute("kitten", "sitting", max: 1));
    }
}
