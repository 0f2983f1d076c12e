using System.Collections.Frozen;

namespace AwsConfigLsp.Model.Catalog;

public static partial class KeyCatalog
{
    /// <summary>Names people write for a real key that are too far from it for edit distance (lower-case).</summary>
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["aws_region"] = "region",
        ["aws_default_region"] = "region",
        ["default_region"] = "region",
        ["region_name"] = "region",
        ["aws_access_key"] = "aws_access_key_id",
        ["access_key"] = "aws_access_key_id",
        ["access_key_id"] = "aws_access_key_id",
        ["aws_secret_key"] = "aws_secret_access_key",
        ["secret_key"] = "aws_secret_access_key",
        ["secret_access_key"] = "aws_secret_access_key",
        ["session_token"] = "aws_session_token",
        ["aws_default_output"] = "output",
        ["aws_pager"] = "cli_pager",
        ["aws_sdk_ua_app_id"] = "sdk_ua_app_id",
        ["aws_ca_bundle"] = "ca_bundle",
        ["aws_role_arn"] = "role_arn",
        ["aws_role_session_name"] = "role_session_name",
        ["aws_web_identity_token_file"] = "web_identity_token_file",
        ["aws_max_attempts"] = "max_attempts",
        ["aws_retry_mode"] = "retry_mode",
        ["aws_endpoint_url"] = "endpoint_url",
        ["sso_account"] = "sso_account_id",
        ["sso_role"] = "sso_role_name",
        ["sso_url"] = "sso_start_url",
        ["mfa_arn"] = "mfa_serial",
        ["mfa_device"] = "mfa_serial",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Environment variables that have no config-file key, with what to do instead.</summary>
    private static readonly FrozenDictionary<string, string> EnvironmentOnly = new Dictionary<string, string>
    {
        ["AWS_PROFILE"] = "`AWS_PROFILE` is an environment variable that selects a profile; it is not a setting inside one. Use `--profile NAME` or set it in your shell, and put the profile's settings in a `[profile NAME]` section (`[default]` for the default profile).",
        ["AWS_DEFAULT_PROFILE"] = "`AWS_DEFAULT_PROFILE` is an environment variable that selects a profile (the AWS CLI and botocore prefer it to `AWS_PROFILE`); it is not a setting inside one. Use `--profile NAME` or set it in your shell.",
        ["AWS_CONFIG_FILE"] = "`AWS_CONFIG_FILE` is an environment variable that moves the config file; there is no config key for it.",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "`AWS_SHARED_CREDENTIALS_FILE` is an environment variable that moves the credentials file; there is no config key for it.",
        ["AWS_EC2_METADATA_DISABLED"] = "`AWS_EC2_METADATA_DISABLED` is an environment variable only; there is no config key that turns off the instance metadata service.",
        ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is set by ECS in the container's environment; it has no config key. Use `credential_source = EcsContainer` to assume a role from it.",
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "`AWS_CONTAINER_CREDENTIALS_FULL_URI` is an environment variable only; it has no config key.",
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "`AWS_CONTAINER_AUTHORIZATION_TOKEN` is an environment variable only; it has no config key.",
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` is an environment variable only; it has no config key.",
        ["AWS_LOGIN_CACHE_DIRECTORY"] = "`AWS_LOGIN_CACHE_DIRECTORY` is an environment variable only; it moves the `aws login` credential cache.",
        ["AWS_CREDENTIAL_EXPIRATION"] = "`AWS_CREDENTIAL_EXPIRATION` is an environment variable only; the shared files have no expiration key.",
        ["AWS_SESSION_EXPIRATION"] = "`AWS_SESSION_EXPIRATION` is an environment variable some tools set; no AWS tool reads an expiration from the shared files.",
        ["AWS_EXECUTION_ENV"] = "`AWS_EXECUTION_ENV` is set by AWS runtimes; it has no config key.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string EndpointUrlPrefix = "AWS_ENDPOINT_URL_";

    /// <summary>
    /// Did-you-mean candidates for an unknown <paramref name="key"/> in <paramref name="context"/>, best first:
    /// explanations (<see cref="SuggestionKind.Hint"/>), case mismatches of sub-property keys, environment-variable names
    /// and known confusions mapped to their config key, then keys within edit distance 2 (1 for keys of four characters
    /// or fewer), case-insensitive, first those valid here and then those valid only in other sections.
    /// </summary>
    public static IReadOnlyList<Suggestion> Suggest(string key, SectionContext context)
    {
        var text = key.Trim();
        if (text.Length == 0) return [];
        var scope = context.Scope;
        var lower = text.ToLowerInvariant();
        var found = new List<Suggestion>();

        // Environment-variable spelling: AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL_S3...
        if (LooksLikeEnvironmentVariable(text))
        {
            if (EnvironmentOnly.TryGetValue(text, out var hint))
                found.Add(new Suggestion(null, SuggestionKind.Hint, 0, hint));
            if (ByEnvironmentVariable.TryGetValue(text, out var entries))
                foreach (var entry in PreferScope(entries, scope))
                    found.Add(new Suggestion(entry.Name, SuggestionKind.EnvironmentVariable, 0,
                        $"`{text}` is an environment variable; the config key is `{entry.Name}`" + WhereIfElsewhere(entry, scope) + "."));
            else if (text.StartsWith(EndpointUrlPrefix, StringComparison.Ordinal) && text.Length > EndpointUrlPrefix.Length)
            {
                var service = text[EndpointUrlPrefix.Length..].ToLowerInvariant();
                found.Add(new Suggestion("endpoint_url", SuggestionKind.EnvironmentVariable, 0,
                    $"`{text}` is an environment variable; in the config file, set `endpoint_url` under `{service} =` in a `[services NAME]` section referenced by the profile's `services` key."));
            }
            else if (text.StartsWith("AWS_", StringComparison.Ordinal) && Find(lower[4..], context) is { IsGeneric: false } stripped)
            {
                found.Add(new Suggestion(stripped.Name, SuggestionKind.EnvironmentVariable, 0,
                    $"Config keys are lower-case and have no `AWS_` prefix: did you mean `{stripped.Name}`?"));
            }
        }

        if (Aliases.TryGetValue(lower, out var alias))
            foreach (var entry in PreferScope(FindAnywhere(alias), scope))
                found.Add(new Suggestion(entry.Name, SuggestionKind.Alias, 0,
                    $"No AWS tool reads `{text}`: did you mean `{entry.Name}`" + WhereIfElsewhere(entry, scope) + "?"));

        // Sub-property keys are not lower-cased by configparser, so `Addressing_Style` is unknown to botocore.
        if (context.IsSubProperty && !string.Equals(text, lower, StringComparison.Ordinal) && Find(lower, context) is { IsGeneric: false } cased)
            found.Add(new Suggestion(cased.Name, SuggestionKind.CaseMismatch, 0,
                $"Sub-property names are case-sensitive: write `{cased.Name}`."));

        // A service block written in a profile instead of a [services] section.
        if (scope == KeyScope.Profile && lower != "s3" && ServiceEntries.ContainsKey(lower))
            found.Add(new Suggestion(null, SuggestionKind.Hint, 0,
                $"`{lower} =` blocks are read only in a `[services NAME]` section, which the profile selects with `services = NAME`."));

        var max = lower.Length <= 4 ? 1 : 2;
        foreach (var entry in ForContext(context))
        {
            var distance = EditDistance.Compute(lower, entry.Name.ToLowerInvariant(), max);
            if (distance == 0 || distance > max) continue;
            found.Add(new Suggestion(entry.Name, SuggestionKind.Spelling, distance, $"Did you mean `{entry.Name}`?"));
        }
        foreach (var entry in All)
        {
            if (entry.IsValidIn(scope)) continue;
            var distance = EditDistance.Compute(lower, entry.Name.ToLowerInvariant(), max);
            if (distance > max) continue;
            found.Add(new Suggestion(entry.Name, SuggestionKind.OtherSection, distance,
                distance == 0
                    ? $"`{entry.Name}` is valid only in {DescribeScopes(entry.Scopes)}."
                    : $"Did you mean `{entry.Name}`? It is valid only in {DescribeScopes(entry.Scopes)}."));
        }

        return found
            .OrderBy(s => Rank(s.Kind))
            .ThenBy(s => s.Distance)
            .ThenBy(s => s.Key is null ? 0 : Math.Abs(s.Key.Length - text.Length))
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .DistinctBy(s => s.Key ?? "\0" + s.Message)
            .ToArray();
    }

    private static int Rank(SuggestionKind kind) => kind switch
    {
        SuggestionKind.Hint => 0,
        SuggestionKind.CaseMismatch => 1,
        SuggestionKind.EnvironmentVariable => 2,
        SuggestionKind.Alias => 3,
        SuggestionKind.Spelling => 4,
        _ => 5,
    };

    private static bool LooksLikeEnvironmentVariable(string text) =>
        text.Any(char.IsAsciiLetterUpper) && text.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Entries valid in the scope first; if none is, all of them.</summary>
    private static IEnumerable<KeyEntry> PreferScope(IReadOnlyList<KeyEntry> entries, KeyScope scope)
    {
        var here = entries.Where(e => e.IsValidIn(scope)).ToArray();
        return here.Length > 0 ? here : entries;
    }

    private static string WhereIfElsewhere(KeyEntry entry, KeyScope scope) =>
        entry.IsValidIn(scope) || scope == KeyScope.None ? "" : $", which is valid only in {DescribeScopes(entry.Scopes)}";
}
