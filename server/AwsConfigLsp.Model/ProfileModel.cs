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

    /// <summary>The profile's sections, config first; a struct, so that a <c>foreach</c> over them allocates nothing (rules ask it of every profile).</summary>
    public ProfileSections Sections => new(ConfigSection, CredentialsSection);

    /// <summary>Either static key in the merged view (botocore <c>_has_static_credentials</c>).</summary>
    public bool HasStaticKeys => Has(Keys.AccessKeyId) || Has(Keys.SecretAccessKey);
}

/// <summary>A profile's one or two sections (config first), enumerable without an allocation by <c>foreach</c>.</summary>
public readonly struct ProfileSections(SectionEntry? config, SectionEntry? credentials) : IEnumerable<SectionEntry>
{
    public Enumerator GetEnumerator() => new(config, credentials);

    IEnumerator<SectionEntry> IEnumerable<SectionEntry>.GetEnumerator() => Boxed();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Boxed();

    private IEnumerator<SectionEntry> Boxed()
    {
        var enumerator = GetEnumerator();
        while (enumerator.MoveNext()) yield return enumerator.Current;
    }

    public struct Enumerator(SectionEntry? config, SectionEntry? credentials)
    {
        // 0: before the config section, 1: before the credentials one, 2: done.
        private int next;

        public SectionEntry Current { get; private set; } = null!;

        public bool MoveNext()
        {
            if (next == 0)
            {
                next = 1;
                if (config is not null)
                {
                    Current = config;
                    return true;
                }
            }
            if (next == 1)
            {
                next = 2;
                if (credentials is not null)
                {
                    Current = credentials;
                    return true;
                }
            }
            return false;
        }
    }
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
    private readonly PersistentMap<Profile> profiles;
    private readonly Dictionary<string, Resolution> resolutions = new(StringComparer.Ordinal);
    private readonly object resolutionLock = new();

    /// <summary>
    /// Both files; with <paramref name="previous"/> (a model of the same pair that <paramref name="config"/> and
    /// <paramref name="credentials"/> were built from), profiles whose sections did not change are reused and the
    /// profile table shares all it can with the previous one. The result equals a model built from scratch;
    /// <paramref name="previous"/> is left unchanged.
    /// </summary>
    public ProfileModel(ConfigFile config, ConfigFile credentials, ProfileModel? previous)
    {
        Config = config;
        Credentials = credentials;
        var order = new ProfileOrderOfPair(config, credentials);
        if (previous is not null && Follows(config, previous.Config) is { } configChange && Follows(credentials, previous.Credentials) is { } credentialsChange)
        {
            // The table holds every name of both files; its order is read from the files. Only the names of the
            // sections the edits replaced can have changed.
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in configChange.Concat(credentialsChange))
            {
                foreach (var section in change.Removed)
                {
                    if (section.Role == SectionRole.Profile && section.EntityName is { } name) touched.Add(name);
                }
                foreach (var section in change.Added)
                {
                    if (section.Role == SectionRole.Profile && section.EntityName is { } name) touched.Add(name);
                }
            }
            var changes = new List<KeyValuePair<string, Profile?>>(touched.Count);
            foreach (var name in touched)
            {
                var configSection = config.Profiles.GetValueOrDefault(name);
                var credentialsSection = credentials.Profiles.GetValueOrDefault(name);
                if (configSection is null && credentialsSection is null)
                {
                    changes.Add(new(name, null));
                    continue;
                }
                if (previous.profiles.TryGetValue(name, out var old) && old.ConfigSection == configSection && old.CredentialsSection == credentialsSection) continue;
                changes.Add(new(name, new Profile(name, configSection, credentialsSection)));
            }
            profiles = previous.profiles.With(changes, order);
            return;
        }
        profiles = BuildTable(config, credentials, order);
    }

    public ProfileModel(ConfigFile config, ConfigFile credentials)
    {
        Config = config;
        Credentials = credentials;
        profiles = BuildTable(config, credentials, new ProfileOrderOfPair(config, credentials));
    }

    private static PersistentMap<Profile> BuildTable(ConfigFile config, ConfigFile credentials, ProfileOrderOfPair order)
    {
        var configNames = config.ProfileOrder;
        var credentialsOnly = new List<string>();
        foreach (var name in credentials.ProfileOrder)
        {
            if (!config.Profiles.ContainsKey(name)) credentialsOnly.Add(name);
        }
        // In the order's order (the names of each file are distinct): the table's value list, made here once.
        var names = new string[configNames.Count + credentialsOnly.Count];
        var values = new Profile[names.Length];
        // The config's sections in the order of its names, when its table has them listed (a full build's does): no
        // look-up of each name in it (~50k at 50k profiles).
        var configSections = config.ProfileSectionsInOrder;
        void Make(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                var name = configNames[i];
                names[i] = name;
                values[i] = new Profile(name, configSections?[i] ?? config.Profiles[name], credentials.Profiles.GetValueOrDefault(name));
            }
        }
        // A large pair's profiles are made and hashed on two threads (the look-ups of both files' tables are most of it).
        var parallel = names.Length >= ParallelProfiles && Environment.ProcessorCount > 1;
        var half = configNames.Count / 2;
        TwoThreads.Run(parallel, () => Make(0, half), () => Make(half, configNames.Count));
        for (var i = 0; i < credentialsOnly.Count; i++)
        {
            var name = credentialsOnly[i];
            names[configNames.Count + i] = name;
            values[configNames.Count + i] = new Profile(name, null, credentials.Profiles[name]);
        }
        return PersistentMap<Profile>.FromDistinct(names, values, order, parallel);
    }

    /// <summary>Pairs with at least this many profiles have their table built on two threads (see <see cref="BuildTable"/>).</summary>
    internal const int ParallelProfiles = 4096;

    /// <summary>botocore's order of the profiles of a pair: the config file's, then those only in the credentials file.</summary>
    private sealed class ProfileOrderOfPair(ConfigFile config, ConfigFile credentials) : IEnumerable<string>
    {
        public IEnumerator<string> GetEnumerator()
        {
            foreach (var name in config.ProfileOrder) yield return name;
            foreach (var name in credentials.ProfileOrder)
            {
                if (!config.Profiles.ContainsKey(name)) yield return name;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The changes that lead from <paramref name="from"/> to <paramref name="file"/> (empty when they are the same), or null.</summary>
    public static IReadOnlyList<ChangedSections>? Follows(ConfigFile file, ConfigFile from)
    {
        if (ReferenceEquals(file, from)) return [];
        var changes = new List<ChangedSections>();
        for (var change = file.Change; change is not null; change = change.Previous)
        {
            // Gone: the change fell out of the history while this walked it.
            if (change.Sections is not { } sections) return null;
            changes.Add(sections);
            if (change.BaseId == from.Id) return changes;
        }
        return null;
    }

    public ConfigFile Config { get; }
    public ConfigFile Credentials { get; }

    [ThreadStatic]
    private static ProfileModel? read;

    /// <summary>
    /// Makes the current thread read this version of the model until the scope is disposed: the positions a section
    /// or property reports (<see cref="SectionEntry.Start"/>, <see cref="SectionEntry.File"/>, spans) are this
    /// version's, even when newer versions were built from it meanwhile. A background reader (an analysis, "Test this
    /// profile") wraps its walk in it; without it an entry reports the newest version that holds it. Scopes nest.
    /// </summary>
    public ReadScope Read()
    {
        var outer = read;
        read = this;
        return new ReadScope(outer);
    }

    /// <summary>Restores the version the thread read before <see cref="Read"/>.</summary>
    public readonly struct ReadScope : IDisposable
    {
        private readonly ProfileModel? outer;

        internal ReadScope(ProfileModel? outer) => this.outer = outer;

        public void Dispose() => read = outer;
    }

    /// <summary>The version of <paramref name="lineage"/> the current thread reads, or null.</summary>
    internal static ConfigFile? VersionRead(FileVersion lineage)
    {
        var model = read;
        if (model is null) return null;
        if (ReferenceEquals(model.Config.Lineage, lineage)) return model.Config;
        return ReferenceEquals(model.Credentials.Lineage, lineage) ? model.Credentials : null;
    }

    /// <summary>Every profile name of both files in botocore's order (<c>Session.available_profiles</c>).</summary>
    public IReadOnlyDictionary<string, Profile> Profiles => profiles;

    /// <summary><see cref="Profiles"/>' values in that order, as a list kept by this version (see <see cref="PersistentMap{TValue}.ValueList"/>).</summary>
    public IReadOnlyList<Profile> ProfileList => profiles.ValueList;

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
