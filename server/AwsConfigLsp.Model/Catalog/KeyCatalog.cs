using System.Collections.Frozen;

namespace AwsConfigLsp.Model.Catalog;

/// <summary>
/// Every key the AWS CLI (v1, v2), botocore and the other AWS SDKs read from the shared config and credentials files,
/// with where it is valid, its value, its documentation and its readers. Pure data and lookups.
/// </summary>
/// <remarks>
/// Top-level keys are compared case-insensitively because configparser lower-cases them; sub-property keys (under
/// <c>s3 =</c>, <c>api_versions =</c> or a service in <c>[services]</c>) are compared exactly, as botocore does.
/// </remarks>
public static partial class KeyCatalog
{
    /// <summary>Every real entry, in a stable order grouped by topic. Generic entries (see <see cref="KeyEntry.IsGeneric"/>) are not listed.</summary>
    public static IReadOnlyList<KeyEntry> All { get; } = BuildEntries().ToArray();

    private static readonly FrozenDictionary<string, KeyEntry[]> ByName =
        All.GroupBy(e => e.Name, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KeyEntry[]> ByEnvironmentVariable =
        All.SelectMany(e => e.EnvironmentVariables.Select(v => (v, e)))
           .GroupBy(p => p.v, StringComparer.Ordinal)
           .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.e).ToArray(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KeyEntry> ServiceEntries =
        ServiceIds.All.ToFrozenDictionary(s => s.Identifier, ServiceEntry, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KeyEntry> ApiVersionEntries =
        ServiceIds.All.ToFrozenDictionary(s => s.BotocoreName, s => ApiVersionEntry(s.BotocoreName, s), StringComparer.Ordinal);

    /// <summary>All distinct key names of real entries.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The entry for <paramref name="key"/> where <paramref name="context"/> says it is, or null when no AWS tool reads it there.</summary>
    public static KeyEntry? Find(string key, SectionContext context)
    {
        var scope = context.Scope;
        if (scope == KeyScope.None || string.IsNullOrEmpty(key)) return null;
        var name = context.IsSubProperty ? key : key.ToLowerInvariant();

        if (ByName.TryGetValue(name, out var entries))
            foreach (var entry in entries)
                if (entry.IsValidIn(scope)) return entry;

        return scope switch
        {
            KeyScope.ServicesSection => ServiceEntries.GetValueOrDefault(name)
                ?? (ServiceIds.IsWellFormedIdentifier(name) ? GenericServiceEntry(name) : null),
            KeyScope.ApiVersionsBlock => ApiVersionEntries.GetValueOrDefault(name)
                ?? (ServiceIds.IsWellFormedBotocoreName(name) ? ApiVersionEntry(name, null) : null),
            KeyScope.Plugins => PluginEntry(name),
            KeyScope.Preview => PreviewEntry(name),
            _ => null,
        };
    }

    /// <summary>Every real entry named <paramref name="key"/> (case-insensitive), whatever its scope: for "valid elsewhere" diagnostics and hover outside a known context.</summary>
    public static IReadOnlyList<KeyEntry> FindAnywhere(string key) =>
        ByName.TryGetValue(key.ToLowerInvariant(), out var entries) ? entries : [];

    /// <summary>The entries valid in <paramref name="context"/>, for completion. Open-ended slots (service identifiers, botocore service names) list the well-known names only.</summary>
    public static IReadOnlyList<KeyEntry> ForContext(SectionContext context)
    {
        var scope = context.Scope;
        return scope switch
        {
            KeyScope.None => [],
            KeyScope.ServicesSection => ServiceEntries.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray(),
            KeyScope.ApiVersionsBlock => ApiVersionEntries.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray(),
            _ => All.Where(e => e.IsValidIn(scope)).ToArray(),
        };
    }

    /// <summary>Whether values of <paramref name="key"/> are secrets, wherever it appears (AWS keys and third-party ones).</summary>
    public static bool IsSecret(string key) =>
        FindAnywhere(key).Any(e => e.IsSecret) || ThirdPartyKeys.Find(key)?.IsSecret == true;

    /// <summary>Where an entry may appear, in words ("a profile", "under `s3 =`").</summary>
    public static string DescribeScopes(KeyScope scopes)
    {
        var parts = new List<string>();
        if (scopes.HasFlag(KeyScope.Profile)) parts.Add("a profile in the config file");
        if (scopes.HasFlag(KeyScope.CredentialsFile)) parts.Add("the credentials file");
        if (scopes.HasFlag(KeyScope.SsoSession)) parts.Add("an `[sso-session]` section");
        if (scopes.HasFlag(KeyScope.ServicesSection)) parts.Add("a `[services]` section");
        if (scopes.HasFlag(KeyScope.ServiceBlock)) parts.Add("a service block in a `[services]` section");
        if (scopes.HasFlag(KeyScope.S3Block)) parts.Add("an `s3 =` block");
        if (scopes.HasFlag(KeyScope.ApiVersionsBlock)) parts.Add("an `api_versions =` block");
        if (scopes.HasFlag(KeyScope.Plugins)) parts.Add("the `[plugins]` section");
        if (scopes.HasFlag(KeyScope.Preview)) parts.Add("the `[preview]` section");
        return parts.Count switch
        {
            0 => "nowhere",
            1 => parts[0],
            _ => string.Join(", ", parts.Take(parts.Count - 1)) + " or " + parts[^1],
        };
    }

    // ---- Generic and synthesized entries ---------------------------------------------------

    private static KeyEntry ServiceEntry(ServiceId service) => new()
    {
        Name = service.Identifier,
        Scopes = KeyScope.ServicesSection,
        ReadBy = KeyReaders.All,
        Value = ValueSpec.Of(ValueKind.SubProperties),
        Summary = $"Settings for {service.ServiceIdName} (serviceId `{service.ServiceIdName}`): a nested block whose only key is `endpoint_url`.",
        Example = $"[services my-services]\n{service.Identifier} =\n  endpoint_url = https://example.com",
        EnvironmentVariables = [service.EndpointEnvironmentVariable],
    };

    private static KeyEntry GenericServiceEntry(string identifier) => new()
    {
        Name = identifier,
        Scopes = KeyScope.ServicesSection,
        ReadBy = KeyReaders.All,
        Value = ValueSpec.Of(ValueKind.SubProperties),
        Summary = $"Settings for the service whose identifier is `{identifier}` (its serviceId, lower-cased, spaces replaced by underscores): a nested block whose only key is `endpoint_url`.",
        Example = $"[services my-services]\n{identifier} =\n  endpoint_url = https://example.com",
        EnvironmentVariables = ["AWS_ENDPOINT_URL_" + identifier.ToUpperInvariant()],
        IsGeneric = true,
    };

    private static KeyEntry ApiVersionEntry(string botocoreName, ServiceId? service) => new()
    {
        Name = botocoreName,
        Scopes = KeyScope.ApiVersionsBlock,
        ReadBy = KeyReaders.BotocoreOnly,
        Value = ValueSpec.Of(ValueKind.ApiVersion),
        Summary = service is null
            ? $"The API version botocore uses for the `{botocoreName}` service."
            : $"The API version botocore uses for {service.ServiceIdName} (`{botocoreName}`).",
        Default = "the latest version",
        Example = $"[default]\napi_versions =\n    {botocoreName} = 2015-03-01",
        IsGeneric = service is null,
    };

    private static KeyEntry PluginEntry(string name) => new()
    {
        Name = name,
        Scopes = KeyScope.Plugins,
        ReadBy = KeyReaders.AwsCli,
        Value = ValueSpec.String(),
        Summary = $"Loads the AWS CLI plugin `{name}`: the value is the Python module to import.",
        Example = $"[plugins]\n{name} = awscli_plugin_{name.Replace('-', '_')}",
        Notes = "AWS CLI v2 also needs `cli_legacy_plugin_path`.",
        IsGeneric = true,
    };

    private static KeyEntry PreviewEntry(string name) => new()
    {
        Name = name,
        Scopes = KeyScope.Preview,
        ReadBy = KeyReaders.AwsCliV1,
        Value = ValueSpec.Boolean,
        Summary = $"Turns on the AWS CLI v1 preview commands of the `{name}` service.",
        Example = $"[preview]\n{name} = true",
        IsGeneric = true,
    };
}
