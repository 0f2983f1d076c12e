using System.Text.RegularExpressions;
using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

public class KeyCatalogTests
{
    // The keys the brief requires, by where they must be found.
    public static TheoryData<string> RequiredProfileKeys => new()
    {
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token", "aws_account_id",
        "role_arn", "source_profile", "credential_source", "mfa_serial", "external_id", "role_session_name", "duration_seconds",
        "web_identity_token_file", "credential_process",
        "sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name", "login_session",
        "region", "output", "cli_pager", "cli_timestamp_format", "cli_follow_urlparam", "cli_binary_format", "cli_auto_prompt",
        "cli_history", "ca_bundle", "parameter_validation", "tcp_keepalive", "max_attempts", "retry_mode", "sts_regional_endpoints",
        "endpoint_url", "ignore_configured_endpoint_urls", "services", "use_dualstack_endpoint", "use_fips_endpoint", "defaults_mode",
        "metadata_service_timeout", "metadata_service_num_attempts", "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
        "ec2_metadata_v1_disabled", "api_versions", "s3", "account_id_endpoint_mode", "request_min_compression_size_bytes",
        "disable_request_compression", "sigv4a_signing_region_set", "auth_scheme_preference", "request_checksum_calculation",
        "response_checksum_validation", "disable_host_prefix_injection", "endpoint_discovery_enabled", "csm_enabled", "csm_port",
        "csm_client_id", "csm_host", "sdk_ua_app_id", "imds_use_ipv6", "s3_use_arn_region", "s3_disable_multiregion_access_points",
        "s3_disable_express_session_auth", "s3_us_east_1_regional_endpoint",
    };

    public static TheoryData<string> RequiredS3Keys => new()
    {
        "addressing_style", "payload_signing_enabled", "use_accelerate_endpoint", "use_dualstack_endpoint", "use_arn_region",
        "us_east_1_regional_endpoint", "signature_version", "multipart_threshold", "multipart_chunksize", "max_concurrent_requests",
        "max_queue_size", "max_bandwidth", "preferred_transfer_client", "target_bandwidth", "io_chunksize",
    };

    [Theory]
    [MemberData(nameof(RequiredProfileKeys))]
    public void Required_profile_keys_are_found_in_a_profile(string key)
    {
        var entry = KeyCatalog.Find(key, SectionContext.Profile);
        Assert.NotNull(entry);
        Assert.Equal(key, entry.Name);
        Assert.False(entry.IsGeneric);
    }

    [Theory]
    [MemberData(nameof(RequiredS3Keys))]
    public void Required_s3_keys_are_found_under_s3(string key)
    {
        var entry = KeyCatalog.Find(key, SectionContext.S3Block);
        Assert.NotNull(entry);
        Assert.True(entry.IsValidIn(KeyScope.S3Block));
    }

    [Fact]
    public void Sso_session_section_has_exactly_its_three_keys()
    {
        var names = KeyCatalog.ForContext(SectionContext.SsoSession).Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["sso_region", "sso_registration_scopes", "sso_start_url"], names);
        Assert.Null(KeyCatalog.Find("region", SectionContext.SsoSession));
        Assert.Null(KeyCatalog.Find("sso_account_id", SectionContext.SsoSession));
        Assert.Null(KeyCatalog.Find("sso_registration_scopes", SectionContext.Profile));
    }

    [Fact]
    public void S3_sub_keys_are_not_profile_keys_and_vice_versa()
    {
        Assert.Null(KeyCatalog.Find("addressing_style", SectionContext.Profile));
        Assert.Null(KeyCatalog.Find("multipart_threshold", SectionContext.Profile));
        Assert.Null(KeyCatalog.Find("region", SectionContext.S3Block));
        Assert.DoesNotContain(KeyCatalog.ForContext(SectionContext.Profile), e => e.Name == "max_queue_size");
    }

    [Fact]
    public void Same_name_in_two_places_gives_the_entry_for_the_place()
    {
        var top = KeyCatalog.Find("use_dualstack_endpoint", SectionContext.Profile);
        var s3 = KeyCatalog.Find("use_dualstack_endpoint", SectionContext.S3Block);
        Assert.NotNull(top);
        Assert.NotNull(s3);
        Assert.NotSame(top, s3);
        Assert.True(top.IsValidIn(KeyScope.Profile));
        Assert.True(s3.IsValidIn(KeyScope.S3Block));
        Assert.Equal(2, KeyCatalog.FindAnywhere("use_dualstack_endpoint").Count);
    }

    [Fact]
    public void Top_level_keys_are_case_insensitive_sub_properties_are_not()
    {
        Assert.Equal("region", KeyCatalog.Find("Region", SectionContext.Profile)?.Name);
        Assert.Equal("aws_access_key_id", KeyCatalog.Find("AWS_Access_Key_Id", SectionContext.Credentials)?.Name);
        Assert.Null(KeyCatalog.Find("Addressing_Style", SectionContext.S3Block));
        Assert.Null(KeyCatalog.Find("Endpoint_Url", SectionContext.ServiceBlock("dynamodb")));
    }

    [Fact]
    public void Credentials_file_holds_credentials_and_tolerates_config_keys_through_botocore()
    {
        foreach (var key in new[] { "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token", "aws_account_id" })
        {
            var entry = KeyCatalog.Find(key, SectionContext.Credentials);
            Assert.NotNull(entry);
            Assert.Equal(CredentialsFileSupport.Expected, entry.CredentialsFile);
        }
        Assert.Null(KeyCatalog.Find("region", SectionContext.Credentials));
        Assert.Equal(CredentialsFileSupport.MergedByBotocore, KeyCatalog.FindAnywhere("role_arn").Single().CredentialsFile);
        Assert.Equal(CredentialsFileSupport.NotRead, KeyCatalog.FindAnywhere("sso_registration_scopes").Single().CredentialsFile);
        Assert.Equal(CredentialsFileSupport.NotRead, KeyCatalog.FindAnywhere("s3_disable_multiregion_access_points").Single(e => e.IsValidIn(KeyScope.Profile)).CredentialsFile);
    }

    [Fact]
    public void Services_section_accepts_service_identifiers_and_their_endpoint_url()
    {
        var dynamodb = KeyCatalog.Find("dynamodb", SectionContext.Services);
        Assert.NotNull(dynamodb);
        Assert.False(dynamodb.IsGeneric);
        Assert.Equal(ValueKind.SubProperties, dynamodb.Value.Kind);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.EnvironmentVariables);

        Assert.Equal("elastic_load_balancing_v2", KeyCatalog.Find("elastic_load_balancing_v2", SectionContext.Services)?.Name);
        Assert.Equal("cloudwatch_logs", KeyCatalog.Find("CloudWatch_Logs", SectionContext.Services)?.Name);

        var unlisted = KeyCatalog.Find("some_new_service", SectionContext.Services);
        Assert.NotNull(unlisted);
        Assert.True(unlisted.IsGeneric);
        Assert.Null(KeyCatalog.Find("not-an-identifier", SectionContext.Services));

        var endpoint = KeyCatalog.Find("endpoint_url", SectionContext.ServiceBlock("dynamodb"));
        Assert.NotNull(endpoint);
        Assert.Equal(ValueKind.Url, endpoint.Value.Kind);
        Assert.Null(KeyCatalog.Find("region", SectionContext.ServiceBlock("dynamodb")));
        Assert.Equal(["endpoint_url"], KeyCatalog.ForContext(SectionContext.ServiceBlock("s3")).Select(e => e.Name));
        Assert.Contains(KeyCatalog.ForContext(SectionContext.Services), e => e.Name == "s3");
    }

    [Fact]
    public void Api_versions_plugins_and_preview_are_open_ended()
    {
        Assert.Equal(ValueKind.ApiVersion, KeyCatalog.Find("ec2", SectionContext.ApiVersionsBlock)?.Value.Kind);
        Assert.False(KeyCatalog.Find("ec2", SectionContext.ApiVersionsBlock)!.IsGeneric);
        Assert.True(KeyCatalog.Find("some-service", SectionContext.ApiVersionsBlock)!.IsGeneric);
        Assert.Contains(KeyCatalog.ForContext(SectionContext.ApiVersionsBlock), e => e.Name == "cloudfront");

        var pluginPath = KeyCatalog.Find("cli_legacy_plugin_path", SectionContext.Plugins);
        Assert.NotNull(pluginPath);
        Assert.False(pluginPath.IsGeneric);
        Assert.True(KeyCatalog.Find("endpoint", SectionContext.Plugins)!.IsGeneric);
        Assert.Equal(ValueKind.Boolean, KeyCatalog.Find("cloudsearch", SectionContext.Preview)?.Value.Kind);
        Assert.Empty(KeyCatalog.ForContext(SectionContext.Preview));
    }

    [Fact]
    public void Other_sections_and_unread_blocks_have_no_keys()
    {
        var other = new SectionContext(SectionKind.Other);
        Assert.Null(KeyCatalog.Find("region", other));
        Assert.Empty(KeyCatalog.ForContext(other));
        Assert.Null(KeyCatalog.Find("endpoint_url", SectionContext.Profile.Under("dynamodb")));
        Assert.Equal(KeyScope.None, SectionContext.SsoSession.Under("s3").Scope);
    }

    [Fact]
    public void Secrets_are_exactly_the_secret_key_and_the_tokens()
    {
        var secrets = KeyCatalog.All.Where(e => e.IsSecret).Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["aws_secret_access_key", "aws_security_token", "aws_session_token"], secrets);
        Assert.True(KeyCatalog.IsSecret("AWS_SECRET_ACCESS_KEY"));
        Assert.False(KeyCatalog.IsSecret("aws_access_key_id"));
        Assert.True(KeyCatalog.IsSecret("azure_default_password"));
    }

    [Fact]
    public void Every_enum_key_has_values_and_every_list_of_closed_items_too()
    {
        var enums = KeyCatalog.All.Where(e => e.Value.Kind == ValueKind.Enum).ToArray();
        Assert.NotEmpty(enums);
        foreach (var entry in enums)
        {
            Assert.True(entry.Value.Values.Count >= 2, $"{entry.Name} has fewer than two values");
            Assert.Equal(entry.Value.Values.Count, entry.Value.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(entry.Value.Values, v => Assert.False(string.IsNullOrWhiteSpace(v)));
        }
        foreach (var entry in KeyCatalog.All.Where(e => e.Value.IsClosedList))
            Assert.NotEmpty(entry.Value.Values);
    }

    [Theory]
    [InlineData("credential_source", "Environment,Ec2InstanceMetadata,EcsContainer", true)]
    [InlineData("output", "json,yaml,yaml-stream,text,table", true)]
    [InlineData("cli_timestamp_format", "iso8601,wire,none", true)]
    [InlineData("cli_binary_format", "base64,raw-in-base64-out", true)]
    [InlineData("cli_auto_prompt", "on,on-partial,off", true)]
    [InlineData("cli_history", "enabled,disabled", true)]
    [InlineData("retry_mode", "legacy,standard,adaptive", true)]
    [InlineData("sts_regional_endpoints", "regional,legacy", true)]
    [InlineData("defaults_mode", "legacy,standard,in-region,cross-region,mobile,auto", false)]
    [InlineData("ec2_metadata_service_endpoint_mode", "IPv4,IPv6", false)]
    [InlineData("account_id_endpoint_mode", "preferred,disabled,required", false)]
    [InlineData("request_checksum_calculation", "when_supported,when_required", false)]
    [InlineData("response_checksum_validation", "when_supported,when_required", false)]
    public void Enum_values_match_the_documentation(string key, string values, bool caseSensitive)
    {
        var spec = KeyCatalog.Find(key, SectionContext.Profile)!.Value;
        Assert.Equal(ValueKind.Enum, spec.Kind);
        Assert.Equal(values.Split(','), spec.Values);
        Assert.Equal(caseSensitive, spec.CaseSensitive);
    }

    [Fact]
    public void Credential_source_is_case_sensitive_like_botocore()
    {
        var spec = KeyCatalog.Find("credential_source", SectionContext.Profile)!.Value;
        Assert.True(spec.IsAllowedValue("Ec2InstanceMetadata"));
        Assert.False(spec.IsAllowedValue("ec2instancemetadata"));
        var mode = KeyCatalog.Find("ec2_metadata_service_endpoint_mode", SectionContext.Profile)!.Value;
        Assert.True(mode.IsAllowedValue("ipv6"));
    }

    [Fact]
    public void Integer_ranges()
    {
        var duration = KeyCatalog.Find("duration_seconds", SectionContext.Profile)!.Value;
        Assert.Equal((ValueKind.Integer, 900L, 43200L), (duration.Kind, duration.Min, duration.Max));
        var compression = KeyCatalog.Find("request_min_compression_size_bytes", SectionContext.Profile)!.Value;
        Assert.Equal((0L, 10485760L), (compression.Min, compression.Max));
        Assert.Equal(1L, KeyCatalog.Find("max_attempts", SectionContext.Profile)!.Value.Min);
    }

    [Fact]
    public void Value_kinds_of_reference_keys()
    {
        Assert.Equal(ValueKind.RoleArn, KeyCatalog.Find("role_arn", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.MfaSerial, KeyCatalog.Find("mfa_serial", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.ProfileReference, KeyCatalog.Find("source_profile", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.SsoSessionReference, KeyCatalog.Find("sso_session", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.ServicesReference, KeyCatalog.Find("services", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.Region, KeyCatalog.Find("region", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.Command, KeyCatalog.Find("credential_process", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.Path, KeyCatalog.Find("web_identity_token_file", SectionContext.Profile)!.Value.Kind);
        Assert.Equal(ValueKind.Url, KeyCatalog.Find("sso_start_url", SectionContext.SsoSession)!.Value.Kind);
        Assert.Equal(ValueKind.Boolean, KeyCatalog.Find("use_fips_endpoint", SectionContext.Profile)!.Value.Kind);
    }

    [Fact]
    public void Every_entry_is_documented_and_well_formed()
    {
        var snake = new Regex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
        foreach (var entry in KeyCatalog.All)
        {
            Assert.Matches(snake, entry.Name);
            Assert.NotEqual(KeyScope.None, entry.Scopes);
            Assert.NotEqual(KeyReaders.None, entry.ReadBy);
            Assert.False(string.IsNullOrWhiteSpace(entry.Summary), entry.Name);
            Assert.Contains(entry.Name, entry.Example, StringComparison.Ordinal);
            Assert.StartsWith("[", entry.Example, StringComparison.Ordinal);
            Assert.DoesNotContain("\n\n\n", entry.Documentation, StringComparison.Ordinal);
            Assert.Contains("```ini", entry.Documentation, StringComparison.Ordinal);
            Assert.Contains("Valid values:", entry.Documentation, StringComparison.Ordinal);
            Assert.All(entry.EnvironmentVariables, v => Assert.Matches("^[A-Z][A-Z0-9_]+$", v));
        }
    }

    [Fact]
    public void No_two_entries_share_a_name_and_a_scope()
    {
        foreach (var group in KeyCatalog.All.GroupBy(e => e.Name))
        {
            var scopes = group.Select(e => e.Scopes).ToArray();
            for (var i = 0; i < scopes.Length; i++)
                for (var j = i + 1; j < scopes.Length; j++)
                    Assert.Equal(KeyScope.None, scopes[i] & scopes[j]);
        }
    }

    [Fact]
    public void Documentation_covers_values_default_and_readers()
    {
        var doc = KeyCatalog.Find("retry_mode", SectionContext.Profile)!.Documentation;
        Assert.Contains("`standard`", doc, StringComparison.Ordinal);
        Assert.Contains("Default:", doc, StringComparison.Ordinal);
        Assert.Contains("AWS_RETRY_MODE", doc, StringComparison.Ordinal);
        Assert.Contains("AWS CLI v1 and v2", doc, StringComparison.Ordinal);
        Assert.Contains("retry_mode = standard", doc, StringComparison.Ordinal);
        Assert.Contains("Secret", KeyCatalog.Find("aws_secret_access_key", SectionContext.Credentials)!.Documentation, StringComparison.Ordinal);
    }

    [Fact]
    public void Readers_distinguish_botocore_only_and_cli_only_keys()
    {
        Assert.Equal(KeyReaders.BotocoreOnly, KeyCatalog.Find("parameter_validation", SectionContext.Profile)!.ReadBy);
        Assert.Equal(KeyReaders.AwsCliV2, KeyCatalog.Find("cli_pager", SectionContext.Profile)!.ReadBy);
        Assert.Equal(KeyReaders.All, KeyCatalog.Find("region", SectionContext.Profile)!.ReadBy);
        Assert.Equal("AWS CLI v1 and v2, botocore/boto3", KeyEntry.DescribeReaders(KeyReaders.BotocoreOnly));
    }

    [Fact]
    public void Section_docs_explain_default_and_the_cli_sections()
    {
        Assert.Contains("[default]", SectionDocs.For(SectionKind.Profile, isDefaultProfile: true), StringComparison.Ordinal);
        Assert.Contains("cli_legacy_plugin_path", SectionDocs.For(SectionKind.Plugins), StringComparison.Ordinal);
        Assert.Contains("preview", SectionDocs.For(SectionKind.Preview), StringComparison.Ordinal);
        Assert.Contains("every", SectionDocs.ConfigParserDefaults, StringComparison.Ordinal);
    }
}
