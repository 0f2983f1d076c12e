namespace AwsConfigLsp.Model.Catalog;

/// <summary>Markdown describing each kind of section header, for hover on <c>[...]</c> lines.</summary>
public static class SectionDocs
{
    public const string DefaultProfile =
        "**`[default]`**: the default profile, used when no profile is selected (no `--profile`, `AWS_PROFILE` or `AWS_DEFAULT_PROFILE`). " +
        "It is the only profile written without the `profile` prefix in the config file (`[default]`, exactly, lower-case). " +
        "botocore also accepts `[profile default]`; if both exist the later one in the file replaces the earlier, and the .NET SDK tries `[default]` first. " +
        "Its settings are *not* inherited by other profiles.";

    public const string Profile =
        "**`[profile NAME]`**: a named profile in the config file, selected with `--profile NAME` or `AWS_PROFILE=NAME`. " +
        "botocore splits the header like a shell: `[profile \"my name\"]` is the profile `my name`, and a header with more than two words is ignored.";

    public const string CredentialsSection =
        "**`[NAME]`** in the credentials file: the credentials of profile `NAME`, written *without* the `profile` prefix. " +
        "Keys here override the same keys of the config file's profile. `[profile NAME]` here is a profile literally named `profile NAME` to botocore.";

    public const string SsoSession =
        "**`[sso-session NAME]`**: IAM Identity Center settings (`sso_start_url`, `sso_region`, `sso_registration_scopes`) shared by the profiles that say `sso_session = NAME`; the token it yields refreshes automatically.";

    public const string Services =
        "**`[services NAME]`**: per-service settings selected by a profile's `services = NAME`. Each key is a service identifier (`s3`, `dynamodb`, `elastic_load_balancing_v2`...) followed by an indented block whose key is `endpoint_url`.";

    public const string Plugins =
        "**`[plugins]`**: AWS CLI plugins, one `NAME = python.module` line each. AWS CLI v2 also needs `cli_legacy_plugin_path`, the directory the modules are installed in (plugin support in v2 is provisional).";

    public const string Preview =
        "**`[preview]`**: AWS CLI v1 only: `SERVICE = true` turns on that service's preview commands.";

    public const string ConfigParserDefaults =
        "**`[DEFAULT]`** (upper-case): configparser's defaults section, not the default profile. botocore's parser copies its keys into *every* section of the same file, profiles and sso-sessions included; other SDKs treat it as an ordinary, unused section. Use `[default]` for the default profile.";

    public const string Other =
        "A section no AWS tool reads: profiles need `[profile NAME]` in the config file (`[default]` for the default one).";

    /// <summary>The text for a section of this kind; <paramref name="isDefaultProfile"/> picks the <c>[default]</c> text for profiles.</summary>
    public static string For(SectionKind kind, bool isDefaultProfile = false) => kind switch
    {
        SectionKind.Profile => isDefaultProfile ? DefaultProfile : Profile,
        SectionKind.Credentials => CredentialsSection,
        SectionKind.SsoSession => SsoSession,
        SectionKind.Services => Services,
        SectionKind.Plugins => Plugins,
        SectionKind.Preview => Preview,
        _ => Other,
    };
}
