namespace AwsConfigLsp.Model;

/// <summary>A profile as the CLI sees it after merging both files: the credentials file wins key by key.</summary>
public sealed class Profile
{
    internal Profile(string name, SectionEntry? configSection, SectionEntry? credentialsSection)
    {
        Name = name;
        ConfigSection = configSection;
        CredentialsSection = credentialsSection;
    }

    public string Name { get; }
    public SectionEntry? ConfigSection { get; }
    public SectionEntry? CredentialsSection { get; }

    /// <summary>The section that defines the profile (the config one when both do), for go-to-definition and outlines.</summary>
    public SectionEntry PrimarySection => ConfigSection ?? CredentialsSection!;

    /// <summary>The merged value: the credentials file wins key by key (botocore <c>session.full_config</c>).</summary>
    public PropertyEntry? Get(string key) => CredentialsSection?.Get(key) ?? ConfigSection?.Get(key);

    public bool Has(string key) => Get(key) is not null;

    public IEnumerable<SectionEntry> Sections
    {
        get
        {
            if (ConfigSection is not null) yield return ConfigSection;
            if (CredentialsSection is not null) yield return CredentialsSection;
        }
    }

    /// <summary>Either static key in the merged view (botocore <c>_has_static_credentials</c>).</summary>
    public bool HasStaticKeys => Has(Keys.AccessKeyId) || Has(Keys.SecretAccessKey);
}

/// <summary>Key names botocore reads to pick a credential provider.</summary>
public static class Keys
{
    public const string AccessKeyId = "aws_access_key_id";
    public const string SecretAccessKey = "aws_secret_access_key";
    public const string SessionToken = "aws_session_token";
    public const string SecurityToken = "aws_security_token";
    public const string RoleArn = "role_arn";
    public const string SourceProfile = "source_profile";
    public const string CredentialSource = "credential_source";
    public const string MfaSerial = "mfa_serial";
    public const string ExternalId = "external_id";
    public const string DurationSeconds = "duration_seconds";
    public const string RoleSessionName = "role_session_name";
    public const string WebIdentityTokenFile = "web_identity_token_file";
    public const string CredentialProcess = "credential_process";
    public const string SsoSession = "sso_session";
    public const string SsoStartUrl = "sso_start_url";
    public const string SsoRegion = "sso_region";
    public const string SsoAccountId = "sso_account_id";
    public const string SsoRoleName = "sso_role_name";
    public const string LoginSession = "login_session";
}

/// <summary>
/// Both files together, as botocore's session sees them: profiles of the config file, then those only in the
/// credentials file; sso-sessions and services from the config file. Immutable; resolutions are cached per model.
/// </summary>
public sealed class ProfileModel
{
    private readonly OrderedDictionary<string, Profile> profiles;
    private readonly Dictionary<string, Resolution> resolutions = new(StringComparer.Ordinal);
    private readonly object resolutionLock = new();

    /// <summary>
    /// Both files; with <paramref name="previous"/> (the newest model of the same pair), profiles whose sections did not
    /// change are reused. The result equals a model built from scratch; <paramref name="previous"/> is not read afterwards.
    /// </summary>
    public ProfileModel(ConfigFile config, ConfigFile credentials, ProfileModel? previous)
    {
        Config = config;
        Credentials = credentials;
        if (previous is not null && Follows(config, previous.Config) is { } configChange && Follows(credentials, previous.Credentials) is { } credentialsChange)
        {
            var namesChanged = configChange.Any(c => c.NamesChanged) || credentialsChange.Any(c => c.NamesChanged);
            if (!namesChanged)
            {
                // Same names in the same order: the table is the previous one, with new profiles for the changed sections.
                profiles = previous.profiles;
                foreach (var change in configChange.Concat(credentialsChange))
                {
                    foreach (var section in change.Added)
                    {
                        if (section.Role == SectionRole.Profile && section.EntityName is { } name) profiles[name] = CreateProfile(name);
                    }
                }
                return;
            }
            if (!credentialsChange.Any(c => c.NamesChanged) && TrySplice(previous.profiles, configChange, credentialsChange))
            {
                profiles = previous.profiles;
                return;
            }
            profiles = new OrderedDictionary<string, Profile>(config.ProfileOrder.Count + credentials.ProfileOrder.Count, StringComparer.Ordinal);
            foreach (var name in config.ProfileOrder) profiles[name] = Reuse(previous, name);
            foreach (var name in credentials.ProfileOrder)
            {
                if (!profiles.ContainsKey(name)) profiles[name] = Reuse(previous, name);
            }
            return;
        }
        profiles = new OrderedDictionary<string, Profile>(config.ProfileOrder.Count + credentials.ProfileOrder.Count, StringComparer.Ordinal);
        foreach (var name in config.ProfileOrder)
        {
            profiles[name] = new Profile(name, config.Profiles[name], credentials.Profiles.GetValueOrDefault(name));
        }
        foreach (var name in credentials.ProfileOrder)
        {
            if (!profiles.ContainsKey(name)) profiles[name] = new Profile(name, null, credentials.Profiles[name]);
        }
    }

    /// <summary>
    /// Config profile names changed (a header typed, a section added or removed): removes the names that are gone and
    /// inserts the new ones where the config file lists them, in place, instead of rebuilding the table of every profile.
    /// False (with <paramref name="table"/> untouched) when a name moves between the config part and the
    /// credentials-only part; the table is rebuilt from scratch when the result would not list the config's order.
    /// </summary>
    private bool TrySplice(OrderedDictionary<string, Profile> table, IReadOnlyList<FileChange> configChanges, IReadOnlyList<FileChange> credentialsChanges)
    {
        if (Config.Profiles is not OrderedDictionary<string, SectionEntry> configProfiles) return false;
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in configChanges)
        {
            foreach (var section in change.Removed.Concat(change.Added))
            {
                if (section.Role == SectionRole.Profile && section.EntityName is { } name) touched.Add(name);
            }
        }
        var touchedInConfig = new HashSet<string>(touched, StringComparer.Ordinal);
        foreach (var change in credentialsChanges)
        {
            foreach (var section in change.Added)
            {
                if (section.Role == SectionRole.Profile && section.EntityName is { } name) touched.Add(name);
            }
        }
        var gone = new List<string>();
        var fresh = new List<(int Index, string Name)>();
        foreach (var name in touched)
        {
            var inConfig = configProfiles.ContainsKey(name);
            var inCredentials = Credentials.Profiles.ContainsKey(name);
            var inTable = table.ContainsKey(name);
            if (inTable && !inConfig)
            {
                // Still a credentials profile: it stays where it is, unless it just left the config file (it moves).
                if (inCredentials)
                {
                    if (touchedInConfig.Contains(name)) return false;
                    continue;
                }
                gone.Add(name);
            }
            else if (!inTable && inConfig)
            {
                fresh.Add((configProfiles.IndexOf(name), name));
            }
        }
        var expectedCount = table.Count - gone.Count + fresh.Count;
        if (gone.Count == 1 && fresh.Count == 1 && table.IndexOf(gone[0]) == fresh[0].Index)
        {
            // One profile renamed where it stands (a keystroke in its header): its slot takes the new name.
            table.SetAt(fresh[0].Index, fresh[0].Name, CreateProfile(fresh[0].Name));
            gone.Clear();
            fresh.Clear();
        }
        foreach (var name in gone) table.Remove(name);
        fresh.Sort((a, b) => a.Index.CompareTo(b.Index));
        foreach (var (index, name) in fresh) table.Insert(index, name, CreateProfile(name));
        foreach (var name in touched)
        {
            if (!configProfiles.ContainsKey(name))
            {
                if (table.ContainsKey(name)) table[name] = CreateProfile(name);
                continue;
            }
            if (table.IndexOf(name) != configProfiles.IndexOf(name) || table.Count != expectedCount)
            {
                // Sections moved past each other: the order is the config's again only from scratch.
                table.Clear();
                foreach (var configName in Config.ProfileOrder) table[configName] = CreateProfile(configName);
                foreach (var credentialsName in Credentials.ProfileOrder)
                {
                    if (!table.ContainsKey(credentialsName)) table[credentialsName] = CreateProfile(credentialsName);
                }
                return true;
            }
            table[name] = CreateProfile(name);
        }
        return true;
    }

    private Profile CreateProfile(string name) =>
        new(name, Config.Profiles.GetValueOrDefault(name), Credentials.Profiles.GetValueOrDefault(name));

    private Profile Reuse(ProfileModel previous, string name)
    {
        var config = Config.Profiles.GetValueOrDefault(name);
        var credentials = Credentials.Profiles.GetValueOrDefault(name);
        return previous.profiles.TryGetValue(name, out var old) && old.ConfigSection == config && old.CredentialsSection == credentials
            ? old
            : new Profile(name, config, credentials);
    }

    /// <summary>The changes that lead from <paramref name="from"/> to <paramref name="file"/> (empty when they are the same), or null.</summary>
    public static IReadOnlyList<FileChange>? Follows(ConfigFile file, ConfigFile from)
    {
        if (ReferenceEquals(file, from)) return [];
        var changes = new List<FileChange>();
        for (var change = file.Change; change is not null; change = change.Previous)
        {
            changes.Add(change);
            if (change.BaseId == from.Id) return changes;
        }
        return null;
    }

    public ProfileModel(ConfigFile config, ConfigFile credentials)
    {
        profiles = new OrderedDictionary<string, Profile>(config.ProfileOrder.Count + credentials.ProfileOrder.Count, StringComparer.Ordinal);
        Config = config;
        Credentials = credentials;
        foreach (var name in config.ProfileOrder)
        {
            profiles[name] = new Profile(name, config.Profiles[name], credentials.Profiles.GetValueOrDefault(name));
        }
        foreach (var name in credentials.ProfileOrder)
        {
            if (!profiles.ContainsKey(name)) profiles[name] = new Profile(name, null, credentials.Profiles[name]);
        }
    }

    public ConfigFile Config { get; }
    public ConfigFile Credentials { get; }

    /// <summary>Every profile name of both files in botocore's order (<c>Session.available_profiles</c>).</summary>
    public IReadOnlyDictionary<string, Profile> Profiles => profiles;

    public IReadOnlyDictionary<string, SectionEntry> SsoSessions => Config.SsoSessions;

    public ConfigFile GetFile(ConfigFileKind kind) => kind == ConfigFileKind.Config ? Config : Credentials;

    public Profile? GetProfile(string name) => profiles.GetValueOrDefault(name);

    /// <summary>What the CLI does for <c>--profile NAME</c>, from the files alone.</summary>
    public Resolution Resolve(string profileName)
    {
        lock (resolutionLock)
        {
            if (resolutions.TryGetValue(profileName, out var cached)) return cached;
        }
        var resolution = CredentialResolver.Resolve(this, profileName);
        lock (resolutionLock)
        {
            resolutions[profileName] = resolution;
        }
        return resolution;
    }
}
