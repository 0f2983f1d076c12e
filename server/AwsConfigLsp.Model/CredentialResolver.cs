using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace AwsConfigLsp.Model;

/// <summary>
/// botocore's credential resolution for an explicit profile (<c>aws --profile NAME</c>), from the files alone:
/// the assume-role provider, then the profile providers (web identity, SSO, shared credentials file, login,
/// credential_process, config file), else nothing (container and instance metadata). Mirrors
/// <c>botocore/credentials.py</c> <c>AssumeRoleProvider</c> and <c>ProfileProviderBuilder</c> check for check, in
/// the same order, so the first error is the one the CLI raises.
/// </summary>
public static class CredentialResolver
{
    /// <summary>The values botocore accepts for <c>credential_source</c> (a case-sensitive membership test).</summary>
    public static readonly ImmutableArray<string> CredentialSources = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

    /// <summary>
    /// The most source_profile links the resolver follows. botocore recurses a few Python frames per link and stops with
    /// <c>RecursionError: maximum recursion depth exceeded</c> at about 150 links (measured with botocore 1.43); the
    /// resolver stops a little before, which also bounds its own stack and the work a hostile file can cause.
    /// </summary>
    public const int MaxChainLinks = 128;

    /// <summary>
    /// Resolves <paramref name="profileName"/>. With <paramref name="ignoreFileProblems"/> the chain is computed as if
    /// both files were readable (what the editor shows while a file has a syntax error).
    /// </summary>
    public static Resolution Resolve(ProfileModel model, string profileName, bool ignoreFileProblems = false)
    {
        var (chain, error) = Walk(model, profileName, null, ignoreFileProblems, AllHops);
        return new Resolution(profileName, chain, error);
    }

    /// <summary>
    /// <see cref="Resolve"/> with only the last <paramref name="hops"/> links of the chain made (the selected profile's
    /// own link, then its source's, ...), the others being the same shared placeholder (<see cref="ResolutionCheck"/>'s).
    /// The walk and its error are the same: for a rule that asks every profile where its credentials come from (the
    /// link before its own), without making every link of every chain.
    /// </summary>
    public static Resolution ResolveLast(ProfileModel model, string profileName, int hops, bool ignoreFileProblems = false)
    {
        var (chain, error) = Walk(model, profileName, null, ignoreFileProblems, Math.Max(0, hops));
        return new Resolution(profileName, chain, error);
    }

    /// <summary>Every link made (see <see cref="Walk"/>).</summary>
    private const int AllHops = int.MaxValue;

    /// <summary>
    /// What <see cref="Resolve"/> finds, without the chain's links: the error, and how many links the chain has. The
    /// checks are the same walk, but no hop is made: a full analysis asks this of every profile (50,000 at a time) and
    /// needs the links only for the few chains that are long or chained with a long duration.
    /// </summary>
    public static ResolutionCheck Check(ProfileModel model, string profileName, bool ignoreFileProblems = false)
    {
        var (chain, error) = Walk(model, profileName, null, ignoreFileProblems, 0);
        return new ResolutionCheck(error, error is null ? chain.Length : 0);
    }

    /// <summary>
    /// <see cref="Check(ProfileModel, string, bool)"/> of a profile of <paramref name="model"/> the caller holds: the walk
    /// starts from it instead of looking its name up (a full analysis checks every profile; the look-ups were ~5% of it).
    /// </summary>
    public static ResolutionCheck Check(ProfileModel model, Profile profile, bool ignoreFileProblems = false)
    {
        var (chain, error) = Walk(model, profile.Name, profile, ignoreFileProblems, 0);
        return new ResolutionCheck(error, error is null ? chain.Length : 0);
    }

    /// <summary>
    /// <paramref name="hops"/>: how many links to make, from the selected profile's end (<see cref="AllHops"/>: all); the
    /// others are the same shared placeholder (<see cref="Placeholder"/>). With none made, only the chain's length means
    /// something.
    /// </summary>
    private static (ImmutableArray<ChainHop> Chain, ResolutionError? Error) Walk(ProfileModel model, string profileName, Profile? known, bool ignoreFileProblems, int hops)
    {
        // botocore create_credential_resolver: `profile_name = session.get_config_variable('profile') or 'default'`. An empty
        // name (AWS_PROFILE="", Session(profile="")) must exist as a profile ([profile ""]) to get past the ProfileNotFound
        // check of Session.get_scoped_config, but credentials are then resolved for "default", and fall through to
        // container / instance metadata when there is no "default". (`aws --profile ""` never gets here: the CLI ignores
        // an empty --profile.)
        var credentialsProfileName = profileName.Length == 0 ? "default" : profileName;
        var walker = new Walker(model, credentialsProfileName, hops);
        ImmutableArray<ChainHop> chain;
        ResolutionError? error = null;
        try
        {
            var profile = known ?? model.GetProfile(profileName)
                ?? throw new ResolutionException(new ResolutionError(ResolutionErrorKind.ProfileNotFound,
                    $"The config profile ({profileName}) could not be found"));
            // The same profile unless the name is empty (credentials then come from "default").
            var credentialsProfile = ReferenceEquals(credentialsProfileName, profileName) ? profile : model.GetProfile(credentialsProfileName);
            chain = credentialsProfile is not null
                ? walker.DefaultChain(credentialsProfile)
                : [];
            if (chain.IsEmpty || chain is [{ Kind: CredentialKind.None }])
            {
                // Nothing in the files: the selected profile falls through to container / instance metadata.
                chain = hops > 0 ? [new ChainHop(profileName, CredentialKind.None) { Location = profile.PrimarySection.HeaderLocation }] : Placeholders(1);
            }
        }
        catch (ResolutionException exception)
        {
            // No chain is shown with an error: every error is raised before the walk finds the base, so there is no
            // partial chain (and a chain too deep would be MaxChainLinks hops for each of thousands of profiles).
            chain = [];
            error = exception.Error;
        }
        if (!ignoreFileProblems)
        {
            // botocore reads the config file, then the credentials file, before it looks at any profile.
            foreach (var file in (ReadOnlySpan<ConfigFile>)[model.Config, model.Credentials])
            {
                if (!file.IsUnreadable) continue;
                var path = file.Path ?? (file.Kind == ConfigFileKind.Config ? "~/.aws/config" : "~/.aws/credentials");
                error = new ResolutionError(ResolutionErrorKind.UnparsableFile, $"Unable to parse config file: {path}")
                {
                    Location = new SourceLocation(file.Kind, file.Problems[0].Span),
                };
                break;
            }
        }
        return (chain, error);
    }

    /// <summary>The one link a check's chains are made of.</summary>
    private static readonly ChainHop Placeholder = new("", CredentialKind.None);

    private static readonly ImmutableArray<ChainHop>[] PlaceholderChains = [.. Enumerable.Range(0, 8).Select(length => Enumerable.Repeat(Placeholder, length).ToImmutableArray())];

    /// <summary>A check's chain of <paramref name="length"/> links: shared arrays for the usual lengths.</summary>
    private static ImmutableArray<ChainHop> Placeholders(int length) =>
        length < PlaceholderChains.Length ? PlaceholderChains[length] : Enumerable.Repeat(Placeholder, length).ToImmutableArray();

    private sealed class ResolutionException(ResolutionError error) : Exception(error.Message)
    {
        public ResolutionError Error { get; } = error;
    }

    /// <summary>The keys botocore's SSO provider requires, in the order it names the missing ones.</summary>
    private static readonly string[] RequiredSsoKeys = [Keys.SsoRoleName, Keys.SsoAccountId, Keys.SsoStartUrl, Keys.SsoRegion];
    private static readonly string[] RequiredSsoSessionKeys = [.. RequiredSsoKeys, Keys.SsoSession];

    /// <summary>
    /// One walk of botocore's providers for one profile. A resolution is made for every profile of a file on every full
    /// analysis (50,000 at a time), so the walk allocates only what the answer keeps: its hops and the chain's one array.
    /// No error is raised after the base of a chain is found (every check comes before), so an error has no partial chain.
    /// A struct (one per resolution, on the stack): use it through one variable, its visited list is its own.
    /// </summary>
    private struct Walker(ProfileModel model, string selected, int toMake)
    {
        // How many more links to make (AllHops: every one); each role link made counts one, from the selected end.
        private int toMake = toMake;

        /// <summary>Whether the next link is made (else a placeholder stands for it).</summary>
        private readonly bool hops => toMake > 0;

        /// <summary>A link was placed in the chain: one fewer to make.</summary>
        private void Made()
        {
            if (toMake is > 0 and < AllHops) toMake--;
        }

        // The profiles visited through source_profile after the selected one, searched linearly (chains are a few
        // links, at most MaxChainLinks): the first two in fields, the rest in a list made only for longer chains. At
        // 50k profiles ~40k roles follow a source on every full analysis, and a list per walk was ~3.5 MiB of garbage.
        private string? firstVisited;
        private string? secondVisited;
        private List<string>? moreVisited;

        private readonly int VisitedCount => 1 + (firstVisited is null ? 0 : secondVisited is null ? 1 : 2 + (moreVisited?.Count ?? 0));

        private readonly bool Visited(string name) => name == selected || name == firstVisited || name == secondVisited
            || moreVisited is not null && moreVisited.Contains(name);

        private void Visit(string name)
        {
            if (firstVisited is null) firstVisited = name;
            else if (secondVisited is null) secondVisited = name;
            else (moreVisited ??= new List<string>(4)).Add(name);
        }

        /// <summary>The selected profile, then those visited, in order.</summary>
        private readonly List<string> AllVisited()
        {
            List<string> all = [selected];
            if (firstVisited is not null) all.Add(firstVisited);
            if (secondVisited is not null) all.Add(secondVisited);
            if (moreVisited is not null) all.AddRange(moreVisited);
            return all;
        }

        public ImmutableArray<ChainHop> DefaultChain(Profile profile)
        {
            if (HasAssumeRoleConfig(profile)) return AssumeRole(profile);
            var hop = ProfileProviders(profile);
            if (!hops) return hop is null ? Placeholders(0) : Placeholders(1);
            return [hop ?? new ChainHop(profile.Name, CredentialKind.None) { Location = profile.PrimarySection.HeaderLocation }];
        }

        /// <summary>
        /// <c>role_session_name</c>, or null when botocore generates <c>botocore-session-&lt;unix seconds&gt;</c>: it does so
        /// when the value is empty too (<c>BaseAssumeRoleCredentialFetcher.__init__</c>: <c>if not self._role_session_name</c>).
        /// </summary>
        private static string? SessionName(Profile profile) =>
            profile.Get(Keys.RoleSessionName)?.Value is { Length: > 0 } name ? name : null;

        private static bool HasAssumeRoleConfig(Profile profile) =>
            profile.Has(Keys.RoleArn) && !profile.Has(Keys.WebIdentityTokenFile);

        /// <summary><c>ProfileProviderBuilder.providers</c>: the first provider that finds something wins; errors stop everything.</summary>
        private readonly ChainHop? ProfileProviders(Profile profile) =>
            WebIdentity(profile) ?? Sso(profile) ?? SharedCredentials(profile) ?? Login(profile) ?? Process(profile) ?? ConfigKeys(profile);

        private readonly ChainHop? WebIdentity(Profile profile)
        {
            if (profile.Get(Keys.WebIdentityTokenFile) is not { } tokenFile || tokenFile.Value.Length == 0) return null;
            if (profile.Get(Keys.RoleArn) is not { } roleArn || roleArn.Value.Length == 0)
            {
                throw new ResolutionException(new ResolutionError(ResolutionErrorKind.WebIdentityWithoutRoleArn,
                    "The provided profile or the current environment is configured to assume role with web identity but has no role ARN configured. Ensure that the profile has the role_arnconfiguration set or the AWS_ROLE_ARN env var is set.")
                {
                    Location = tokenFile.LineLocation,
                });
            }
            if (!hops) return Placeholder;
            return new ChainHop(profile.Name, CredentialKind.WebIdentity)
            {
                RoleArn = roleArn.Value,
                RoleSessionName = SessionName(profile),
                WebIdentityTokenFile = tokenFile.Value,
                Location = tokenFile.LineLocation,
            };
        }

        private readonly ChainHop? Sso(Profile profile)
        {
            var trigger = profile.Get(Keys.SsoRoleName) ?? profile.Get(Keys.SsoAccountId);
            if (trigger is null) return null;
            // botocore merges the profile (the credentials file winning key by key, as profile.Get does) with the
            // sso-session's keys on top; looking keys up in that order gives the same entries without copying them.
            SectionEntry? session = null;
            var sessionReference = profile.Get(Keys.SsoSession);
            if (sessionReference is { } reference)
            {
                if (!model.SsoSessions.TryGetValue(reference.Value, out session))
                {
                    throw new ResolutionException(new ResolutionError(ResolutionErrorKind.IncompleteSso,
                        $"The specified sso-session does not exist: \"{reference.Value}\"")
                    {
                        Location = reference.ValueOrLineLocation,
                    });
                }
                // The readable keys, as session.Properties lists them, without a dictionary view and its enumerator (a
                // check of every SSO profile made both per profile).
                foreach (var entry in session.ReadableProperties)
                {
                    var key = entry.Key;
                    if (profile.Get(key) is { } own && own.Value != entry.Value)
                    {
                        throw new ResolutionException(new ResolutionError(ResolutionErrorKind.IncompleteSso,
                            $"The value for {key} is inconsistent between profile ({own.Value}) and sso-session ({entry.Value}).")
                        {
                            Location = own.ValueOrLineLocation,
                            Related = [entry.ValueOrLineLocation],
                        });
                    }
                }
            }
            PropertyEntry? Merged(string key) => session?.Get(key) ?? profile.Get(key);

            List<string>? missing = null;
            foreach (var key in sessionReference is null ? RequiredSsoKeys : RequiredSsoSessionKeys)
            {
                if (Merged(key) is null) (missing ??= []).Add(key);
            }
            if (missing is not null)
            {
                throw new ResolutionException(new ResolutionError(ResolutionErrorKind.IncompleteSso,
                    $"The profile \"{profile.Name}\" is configured to use SSO but is missing required configuration: {string.Join(", ", missing)}")
                {
                    Location = trigger.LineLocation,
                });
            }
            if (!hops) return Placeholder;
            return new ChainHop(profile.Name, CredentialKind.Sso)
            {
                SsoSession = sessionReference?.Value,
                SsoStartUrl = Merged(Keys.SsoStartUrl)!.Value.Value,
                SsoRegion = Merged(Keys.SsoRegion)!.Value.Value,
                SsoAccountId = Merged(Keys.SsoAccountId)!.Value.Value,
                SsoRoleName = Merged(Keys.SsoRoleName)!.Value.Value,
                Location = trigger.LineLocation,
            };
        }

        private readonly ChainHop? SharedCredentials(Profile profile) =>
            StaticKeys(profile, profile.CredentialsSection, ConfigFileKind.Credentials, "shared-credentials-file");

        private readonly ChainHop? ConfigKeys(Profile profile) =>
            StaticKeys(profile, profile.ConfigSection, ConfigFileKind.Config, "config-file");

        /// <summary>SharedCredentialProvider / ConfigProvider: triggered by the access key id alone; the secret must follow.</summary>
        private readonly ChainHop? StaticKeys(Profile profile, SectionEntry? section, ConfigFileKind file, string provider)
        {
            var accessKey = section?.Get(Keys.AccessKeyId);
            if (accessKey is null) return null;
            if (!section!.Has(Keys.SecretAccessKey))
            {
                throw new ResolutionException(new ResolutionError(ResolutionErrorKind.PartialStaticCredentials,
                    $"Partial credentials found in {provider}, missing: {Keys.SecretAccessKey}")
                {
                    Location = accessKey.LineLocation,
                });
            }
            return hops ? new ChainHop(profile.Name, CredentialKind.Static) { File = file, Location = accessKey.LineLocation } : Placeholder;
        }

        private readonly ChainHop? Login(Profile profile) =>
            profile.Get(Keys.LoginSession) is not { } login ? null
            : hops ? new ChainHop(profile.Name, CredentialKind.Login) { Location = login.LineLocation }
            : Placeholder;

        private readonly ChainHop? Process(Profile profile) =>
            profile.Get(Keys.CredentialProcess) is not { } process ? null
            : hops ? new ChainHop(profile.Name, CredentialKind.CredentialProcess) { CredentialProcess = process.Value, Location = process.LineLocation }
            : Placeholder;

        /// <summary>
        /// <c>AssumeRoleProvider._load_creds_via_assume_role</c>: validate, resolve the source, then this hop. botocore
        /// recurses through the source profiles; this walks them in a loop (the checks in the same order), so a long chain
        /// costs no stack, and then adds the role hops from the base up.
        /// </summary>
        private ImmutableArray<ChainHop> AssumeRole(Profile start)
        {
            // The role hops from the selected profile down to the last role; the base comes when the walk finds it.
            var roles = hops ? new ChainHop[4] : null;
            var roleCount = 0;
            var profile = start;
            ChainHop baseHop;
            while (true)
            {
                var roleArn = profile.Get(Keys.RoleArn)!.Value;
                var sourceProfile = profile.Get(Keys.SourceProfile);
                var credentialSource = profile.Get(Keys.CredentialSource);
                if (roles is null) roleCount++;
                else
                {
                    if (roleCount == roles.Length) Array.Resize(ref roles, roles.Length * 2);
                    roles[roleCount++] = hops ? RoleHop(profile, roleArn) : Placeholder;
                    Made();
                }

                if (credentialSource is not null && sourceProfile is not null)
                {
                    throw new ResolutionException(new ResolutionError(ResolutionErrorKind.ConflictingCredentialSources,
                        $"The profile \"{profile.Name}\" contains both source_profile and credential_source.")
                    {
                        Location = credentialSource.LineLocation,
                        Related = [sourceProfile.LineLocation],
                    });
                }
                if (credentialSource is null && sourceProfile is null)
                {
                    throw new ResolutionException(new ResolutionError(ResolutionErrorKind.RoleWithoutSource,
                        "Partial credentials found in assume-role, missing: source_profile or credential_source")
                    {
                        Location = roleArn.LineLocation,
                    });
                }

                if (credentialSource is { } named)
                {
                    if (!CredentialSources.Contains(named.Value))
                    {
                        throw new ResolutionException(new ResolutionError(ResolutionErrorKind.InvalidCredentialSource,
                            $"The credential source \"{named.Value}\" referenced in profile \"{profile.Name}\" is not valid.")
                        {
                            Location = named.ValueOrLineLocation,
                        });
                    }
                    baseHop = hops
                        ? new ChainHop(profile.Name, CredentialKind.CredentialSource) { CredentialSource = named.Value, Location = named.LineLocation }
                        : Placeholder;
                    break;
                }

                var (source, sourceBase) = SourceProfile(profile, sourceProfile!.Value);
                if (sourceBase is not null)
                {
                    baseHop = sourceBase;
                    break;
                }
                profile = source;
            }
            if (roles is null) return Placeholders(roleCount + 1);
            // Base first, then the roles from the base up: one array, which the ImmutableArray takes over.
            var chain = new ChainHop[roleCount + 1];
            chain[0] = baseHop;
            for (var i = 0; i < roleCount; i++) chain[i + 1] = roles[roleCount - 1 - i];
            return ImmutableCollectionsMarshal.AsImmutableArray(chain);
        }

        private static ChainHop RoleHop(Profile profile, PropertyEntry roleArn) => new(profile.Name, CredentialKind.AssumeRole)
        {
            RoleArn = roleArn.Value,
            MfaSerial = profile.Get(Keys.MfaSerial)?.Value,
            ExternalId = profile.Get(Keys.ExternalId)?.Value,
            // botocore drops a duration it cannot int() without a word.
            DurationSeconds = profile.Get(Keys.DurationSeconds) is { } duration ? PythonCompat.ParseInt(duration.Value) : null,
            RoleSessionName = SessionName(profile),
            Location = roleArn.LineLocation,
        };

        /// <summary>
        /// <c>_resolve_source_credentials</c>: the source profile, checked; its base hop when it has base credentials, else
        /// (a role itself) null, for <see cref="AssumeRole"/> to go on with it.
        /// </summary>
        private (Profile Source, ChainHop? Base) SourceProfile(Profile profile, PropertyEntry sourceProfile)
        {
            var sourceName = sourceProfile.Value;
            var source = model.GetProfile(sourceName);
            if (source is null)
            {
                throw new ResolutionException(new ResolutionError(ResolutionErrorKind.SourceProfileNotFound,
                    $"The source_profile \"{sourceName}\" referenced in the profile \"{profile.Name}\" does not exist.")
                {
                    Location = sourceProfile.ValueOrLineLocation,
                });
            }
            // The loop check comes before the static-keys check; only a profile naming itself may be revisited, and only with keys.
            if (Visited(sourceName) && (sourceName != profile.Name || !source.HasStaticKeys))
            {
                throw new ResolutionException(LoopError(sourceName));
            }
            if (VisitedCount >= MaxChainLinks)
            {
                var selectedProfile = model.GetProfile(selected);
                throw new ResolutionException(new ResolutionError(ResolutionErrorKind.ChainTooDeep,
                    $"maximum recursion depth exceeded (the source_profile chain of \"{selected}\" is longer than {MaxChainLinks} links)")
                {
                    Location = selectedProfile?.PrimarySection.HeaderLocation ?? sourceProfile.ValueOrLineLocation,
                });
            }
            Visit(sourceName);

            if (source.HasStaticKeys || !HasAssumeRoleConfig(source))
            {
                return (source, ProfileProviders(source) ?? throw new ResolutionException(new ResolutionError(
                    ResolutionErrorKind.SourceProfileWithoutCredentials,
                    $"The source profile \"{sourceName}\" must have credentials.")
                {
                    Location = sourceProfile.ValueOrLineLocation,
                    Related = [source.PrimarySection.HeaderLocation],
                }));
            }
            return (source, null);
        }

        private readonly ResolutionError LoopError(string sourceName)
        {
            var all = AllVisited();
            var files = model;
            var message = "Infinite loop in credential configuration detected. Attempting to load from profile "
                + $"{sourceName} which has already been visited. Visited profiles: {PythonCompat.Repr(all)}";
            // The cycle is the visited profiles from the first visit of the repeated one to the end.
            var cycle = all.Skip(all.IndexOf(sourceName))
                .Select(name => files.GetProfile(name)?.Get(Keys.SourceProfile))
                .Where(entry => entry is not null)
                .Select(entry => entry!.ValueOrLineLocation)
                .ToImmutableArray();
            return new ResolutionError(ResolutionErrorKind.SourceProfileLoop, message)
            {
                Location = cycle.IsEmpty ? null : cycle[^1],
                Related = cycle.IsEmpty ? [] : cycle[..^1],
                CycleLocations = cycle,
            };
        }
    }
}
