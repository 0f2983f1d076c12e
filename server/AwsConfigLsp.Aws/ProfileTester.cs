using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>One link of a test, as the result shows it.</summary>
public sealed record HopResult(string Profile, string Action, string? RoleArn, string? MfaSerial, bool Ok, long Ms, TestError? Error);

/// <summary>
/// A hop that STS refused with AccessDenied while it has no <c>mfa_serial</c>: the server turns it into the
/// <c>mfa-probably-required</c> diagnostic. <see cref="CallerArn"/> is the identity STS named in its message.
/// </summary>
public sealed record MfaSuspect(string Profile, string RoleArn, string? CallerArn, IReadOnlyList<string> CandidateSerials);

/// <summary>The outcome of a test of one profile. Holds no secret.</summary>
public sealed record ProfileTestResult(string Profile, bool Ok, CallerIdentity? Identity, IReadOnlyList<HopResult> Hops, TestError? Error)
{
    public bool Cancelled { get; init; }
    public MfaSuspect? MfaSuspect { get; init; }
}

/// <summary>The static keys of a hop, or why the CLI would fail to read them.</summary>
public sealed class StaticKeys(AwsCredentials? credentials, AwsCallException? error)
{
    public AwsCredentials? Credentials { get; } = credentials;
    public AwsCallException? Error { get; } = error;
}

/// <summary>
/// What a test reads from the files (see <see cref="ProfileTester.Prepare"/>): the resolution (null when the profile
/// does not exist), the STS endpoint, per chain index the SSO endpoint and static keys, and per role profile the
/// <c>mfa_serial</c> values of the profiles that share its source. Immutable.
/// </summary>
public sealed record TestInputs(string Profile, Resolution? Resolution, ServiceEndpoint? Sts,
    ImmutableDictionary<int, ServiceEndpoint> SsoEndpoints, ImmutableDictionary<int, StaticKeys> StaticKeys,
    ImmutableDictionary<string, ImmutableArray<string>> SerialsOfSource);

/// <summary>Asks the user for an MFA code; null when they cancel.</summary>
public delegate Task<string?> MfaPrompt(string profile, string mfaSerial, int attempt, CancellationToken cancellationToken);

/// <summary>Everything a test needs from outside: the environment, the clients, the prompt, the session cache, progress.</summary>
public sealed class TestContext
{
    public required AwsEnvironment Environment { get; init; }
    public required IStsApi Sts { get; init; }
    public required BaseProviders Providers { get; init; }
    public required SsoProvider Sso { get; init; }
    public required SessionCache Sessions { get; init; }
    public IIamClient? Iam { get; init; }
    public MfaPrompt? Prompt { get; init; }
    /// <summary>Called before each step with (step, total, what).</summary>
    public Action<int, int, string>? Progress { get; init; }
    /// <summary>Called after each successful AssumeRole with the CLI cache key (to share it with the CLI when the user asked).</summary>
    public Action<string, AssumedRole>? SessionObtained { get; init; }
    public int MaxMfaAttempts { get; init; } = 3;
}

/// <summary>
/// Walks the chain the model resolved for a profile (and nothing else): the base credentials, every AssumeRole hop with
/// its MFA prompt, then GetCallerIdentity. Cached sessions skip the hops below them, as botocore's cache does.
/// </summary>
public static partial class ProfileTester
{
    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

    public static bool IsValidMfaCode(string? code) => code is not null && SixDigits().IsMatch(code);

    public static Task<ProfileTestResult> TestAsync(ProfileModel model, string profileName, TestContext context, CancellationToken cancellationToken) =>
        TestAsync(Prepare(model, profileName, context.Environment), context, cancellationToken);

    /// <summary>
    /// Tests a profile from what <see cref="Prepare"/> read of the files: the walk reads no model, so it may run on any
    /// thread while the model is updated by edits.
    /// </summary>
    public static async Task<ProfileTestResult> TestAsync(TestInputs inputs, TestContext context, CancellationToken cancellationToken)
    {
        var secrets = new SecretScrubber();
        var result = await WalkAsync(inputs, context, secrets, cancellationToken).ConfigureAwait(false);
        return secrets.Scrub(result);
    }

    /// <summary>
    /// Everything a test of <paramref name="profileName"/> reads from the files: its resolved chain, the endpoints, the
    /// static keys of its base, the <c>mfa_serial</c> of the profiles sharing each role's source. Read where the model
    /// may be read (the server's message loop); the result is immutable.
    /// </summary>
    public static TestInputs Prepare(ProfileModel model, string profileName, AwsEnvironment environment)
    {
        if (model.GetProfile(profileName) is null) return new TestInputs(profileName, null, null, [], [], []);
        var resolution = CredentialResolver.Resolve(model, profileName, ignoreFileProblems: true);
        var sts = EndpointResolver.Sts(model, profileName, environment);
        var sso = ImmutableDictionary.CreateBuilder<int, ServiceEndpoint>();
        var statics = ImmutableDictionary.CreateBuilder<int, StaticKeys>();
        var sourceOfHop = new Dictionary<string, string>(StringComparer.Ordinal);
        var chain = resolution.Chain;
        for (var i = 0; i < chain.Length; i++)
        {
            var hop = chain[i];
            switch (hop.Kind)
            {
                case CredentialKind.Sso:
                    sso[i] = EndpointResolver.Sso(model, profileName, environment, hop.SsoRegion ?? "us-east-1");
                    break;
                case CredentialKind.Static:
                    try
                    {
                        statics[i] = new StaticKeys(BaseProviders.Static(model, hop), null);
                    }
                    catch (AwsCallException exception)
                    {
                        statics[i] = new StaticKeys(null, exception);
                    }
                    break;
                case CredentialKind.AssumeRole:
                    if (model.GetProfile(hop.Profile)?.Get(Keys.SourceProfile)?.Value is { } source) sourceOfHop[hop.Profile] = source;
                    break;
            }
        }
        // The serials other profiles with the same source use (candidates when STS denies a role without mfa_serial).
        var serialsBySource = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var source in sourceOfHop.Values) serialsBySource.TryAdd(source, []);
        if (serialsBySource.Count > 0)
        {
            foreach (var profile in model.Profiles.Values)
            {
                if (profile.Get(Keys.SourceProfile)?.Value is { } source && serialsBySource.TryGetValue(source, out var serials)
                    && profile.Get(Keys.MfaSerial)?.Value is { Length: > 0 } serial && !serials.Contains(serial))
                {
                    serials.Add(serial);
                }
            }
        }
        var serialsByHop = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var (hop, source) in sourceOfHop) serialsByHop[hop] = [.. serialsBySource[source]];
        return new TestInputs(profileName, resolution, sts, sso.ToImmutable(), statics.ToImmutable(), serialsByHop.ToImmutable());
    }

    private static async Task<ProfileTestResult> WalkAsync(TestInputs inputs, TestContext context, SecretScrubber secrets, CancellationToken cancellationToken)
    {
        var profileName = inputs.Profile;
        if (inputs.Resolution is not { } resolution || inputs.Sts is not { } endpoint)
        {
            return new ProfileTestResult(profileName, false, null, [], new TestError("ProfileNotFound", $"The profile {profileName} is not in the files.", null));
        }
        if (resolution.Error is { } resolutionError)
        {
            return new ProfileTestResult(profileName, false, null, [], new TestError("ResolutionError", resolutionError.Message, "the CLI fails the same way; fix the diagnostic on that line first"));
        }
        var chain = resolution.Chain;
        if (chain is [{ Kind: CredentialKind.None }])
        {
            return new ProfileTestResult(profileName, false, null, [], new TestError("NoCredentials",
                $"Nothing in the files gives profile {profileName} credentials; the CLI would look for container and instance metadata.",
                "add source_profile, credential_source, static keys, sso_session or credential_process to the profile"));
        }
        var hops = new List<HopResult>();
        var total = chain.Length + 1;
        AwsCredentials? credentials = null;
        var start = 0;
        var sourceIsRoleSession = false;
        for (var i = chain.Length - 1; i >= 0; i--)
        {
            if (chain[i].Kind != CredentialKind.AssumeRole) continue;
            if (context.Sessions.TryGet(CliCache.Key(chain[i]), context.Environment.Now) is { } cached)
            {
                secrets.Add(cached.Credentials);
                credentials = cached.Credentials;
                hops.Add(new HopResult(chain[i].Profile, "cached-session", chain[i].RoleArn, chain[i].MfaSerial, true, 0, null));
                start = i + 1;
                sourceIsRoleSession = true;
                break;
            }
        }

        for (var i = start; i < chain.Length; i++)
        {
            var hop = chain[i];
            var action = ActionOf(hop);
            context.Progress?.Invoke(i + 1, total, $"{hop.Profile}: {action}");
            var watch = Stopwatch.StartNew();
            var source = credentials;
            try
            {
                switch (hop.Kind)
                {
                    case CredentialKind.Static:
                        var keys = inputs.StaticKeys[i];
                        credentials = keys.Credentials ?? throw keys.Error!;
                        break;
                    case CredentialKind.CredentialSource:
                        credentials = hop.CredentialSource switch
                        {
                            "Environment" => context.Providers.Environment(),
                            "Ec2InstanceMetadata" => await context.Providers.InstanceMetadataAsync(cancellationToken).ConfigureAwait(false),
                            "EcsContainer" => await context.Providers.ContainerAsync(cancellationToken).ConfigureAwait(false),
                            _ => throw AwsCallException.Local("InvalidCredentialSource", $"credential_source = {hop.CredentialSource} is not a value botocore knows."),
                        };
                        break;
                    case CredentialKind.CredentialProcess:
                        credentials = await context.Providers.ProcessAsync(hop, cancellationToken).ConfigureAwait(false);
                        break;
                    case CredentialKind.Sso:
                        credentials = await context.Sso.GetAsync(hop, inputs.SsoEndpoints[i], profileName, cancellationToken).ConfigureAwait(false);
                        break;
                    case CredentialKind.WebIdentity:
                        {
                            string token;
                            try
                            {
                                token = (await File.ReadAllTextAsync(AwsFileLocations.ExpandUser(hop.WebIdentityTokenFile ?? "", context.Environment.Home), cancellationToken).ConfigureAwait(false)).Trim();
                            }
                            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                            {
                                throw AwsCallException.Local("WebIdentityTokenUnreadable", $"Could not read web_identity_token_file {hop.WebIdentityTokenFile} of profile {hop.Profile}: {exception.Message}");
                            }
                            secrets.Add(token);
                            var session = await context.Sts.AssumeRoleWithWebIdentityAsync(endpoint, hop.RoleArn!, hop.RoleSessionName ?? DefaultSessionName(context.Environment),
                                token, null, $"role {hop.RoleArn} (web identity)", cancellationToken).ConfigureAwait(false);
                            credentials = session.Credentials;
                            sourceIsRoleSession = true;
                            break;
                        }
                    case CredentialKind.AssumeRole:
                        {
                            var assumed = await AssumeRoleAsync(hop, source!, endpoint, context, secrets, hops, cancellationToken).ConfigureAwait(false);
                            if (assumed is null)
                            {
                                hops.Add(new HopResult(hop.Profile, action, hop.RoleArn, hop.MfaSerial, false, watch.ElapsedMilliseconds, Cancelled(hop)));
                                return new ProfileTestResult(profileName, false, null, hops, Cancelled(hop)) { Cancelled = true };
                            }
                            credentials = assumed.Credentials;
                            sourceIsRoleSession = true;
                            break;
                        }
                    default:
                        throw AwsCallException.Local("Unsupported", $"Testing {hop.Kind} credentials ({hop.Profile}) is not supported yet; the CLI's own `aws sts get-caller-identity --profile {profileName}` tests them.");
                }
                secrets.Add(credentials);
                hops.Add(new HopResult(hop.Profile, action, hop.RoleArn, hop.MfaSerial, true, watch.ElapsedMilliseconds, null));
            }
            catch (AwsCallException exception)
            {
                var error = ErrorExplainer.Explain(exception, new FailureContext(hop, Describe(action), source, hop.Kind is CredentialKind.AssumeRole or CredentialKind.WebIdentity ? endpoint : null, sourceIsRoleSession));
                hops.Add(new HopResult(hop.Profile, action, hop.RoleArn, hop.MfaSerial, false, watch.ElapsedMilliseconds, error));
                MfaSuspect? suspect = null;
                if (hop.Kind == CredentialKind.AssumeRole && hop.MfaSerial is null && ErrorExplainer.IsAssumeRoleDenied(exception))
                {
                    suspect = await SuspectAsync(inputs, chain, i, source!, exception, context, cancellationToken).ConfigureAwait(false);
                }
                return new ProfileTestResult(profileName, false, null, hops, error) { MfaSuspect = suspect };
            }
        }

        context.Progress?.Invoke(total, total, "GetCallerIdentity");
        try
        {
            var identity = await context.Sts.GetCallerIdentityAsync(endpoint, credentials!, cancellationToken).ConfigureAwait(false);
            return new ProfileTestResult(profileName, true, identity, hops, null);
        }
        catch (AwsCallException exception)
        {
            var top = chain[^1];
            var error = ErrorExplainer.Explain(exception, new FailureContext(top, "GetCallerIdentity", credentials, endpoint, sourceIsRoleSession));
            return new ProfileTestResult(profileName, false, null, hops, error);
        }
    }

    private static async Task<AssumedRole?> AssumeRoleAsync(ChainHop hop, AwsCredentials source, ServiceEndpoint endpoint, TestContext context,
        SecretScrubber secrets, List<HopResult> hops, CancellationToken cancellationToken)
    {
        var key = CliCache.Key(hop);
        var sessionName = hop.RoleSessionName ?? DefaultSessionName(context.Environment);
        int? duration = hop.DurationSeconds is { } d && d is > 0 and <= int.MaxValue ? (int)d : null;
        for (var attempt = 1; ; attempt++)
        {
            string? code = null;
            if (hop.MfaSerial is { } serial)
            {
                if (context.Prompt is null) throw AwsCallException.Local("MfaUnavailable", $"Profile {hop.Profile} needs an MFA code, and the editor cannot ask for one.");
                code = await context.Prompt(hop.Profile, serial, attempt, cancellationToken).ConfigureAwait(false);
                if (code is null) return null;
                code = code.Trim();
                if (!IsValidMfaCode(code))
                {
                    if (attempt < context.MaxMfaAttempts) continue;
                    throw AwsCallException.Local("InvalidMfaCode", $"\"{Truncate(code)}\" is not an MFA code: an MFA code is 6 digits. Nothing was sent to AWS.");
                }
            }
            try
            {
                var args = new AssumeRoleArgs(hop.RoleArn!, sessionName, hop.ExternalId, duration, hop.MfaSerial, code);
                var session = await context.Sts.AssumeRoleAsync(endpoint, source, args, $"role {hop.RoleArn} (profile {hop.Profile})", cancellationToken).ConfigureAwait(false);
                secrets.Add(session.Credentials);
                context.Sessions.Put(key, session);
                context.SessionObtained?.Invoke(key, session);
                return session;
            }
            catch (AwsCallException exception) when (hop.MfaSerial is not null && ErrorExplainer.IsInvalidMfaCode(exception) && attempt < context.MaxMfaAttempts)
            {
                // A wrong or reused code: ask again (the prompt shows the attempt number).
            }
        }
    }

    private static string Truncate(string text) => text.Length > 12 ? text[..12] + "..." : text;

    private static TestError Cancelled(ChainHop hop) =>
        new("Cancelled", $"The test was cancelled at the MFA prompt of profile {hop.Profile}.", null);

    /// <summary>The ARNs to offer as <c>mfa_serial</c>, in order: other profiles with the same source, the user's MFA devices, the ARN derived from the user.</summary>
    private static async Task<MfaSuspect> SuspectAsync(TestInputs inputs, ImmutableArray<ChainHop> chain, int index,
        AwsCredentials source, AwsCallException exception, TestContext context, CancellationToken cancellationToken)
    {
        var hop = chain[index];
        var caller = ErrorExplainer.DeniedCaller(exception.Message);
        var candidates = new List<string>(inputs.SerialsOfSource.GetValueOrDefault(hop.Profile, []));
        if (context.Iam is { } iam && caller is not null && caller.Contains(":user/", StringComparison.Ordinal))
        {
            try
            {
                foreach (var serial in await iam.ListMfaDevicesAsync(source, cancellationToken).ConfigureAwait(false))
                {
                    if (!candidates.Contains(serial)) candidates.Add(serial);
                }
            }
            catch (AwsCallException)
            {
                // IAM may be denied to this user: the other sources still give an ARN.
            }
        }
        if (MfaArnFromUser(caller) is { } derived && !candidates.Contains(derived)) candidates.Add(derived);
        return new MfaSuspect(hop.Profile, hop.RoleArn!, caller, candidates);
    }

    /// <summary><c>arn:aws:iam::ACCOUNT:user/PATH/NAME</c> -> <c>arn:aws:iam::ACCOUNT:mfa/NAME</c> (the console's default device name).</summary>
    public static string? MfaArnFromUser(string? userArn)
    {
        if (userArn is null || !AwsConfigLsp.Model.Catalog.Arn.TryParse(userArn, out var arn) || arn.Service != "iam" || !arn.Resource.StartsWith("user/", StringComparison.Ordinal)) return null;
        var name = arn.Resource[(arn.Resource.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : $"arn:{arn.Partition}:iam::{arn.AccountId}:mfa/{name}";
    }

    public static string DefaultSessionName(AwsEnvironment environment) => $"awsconfig-lsp-{environment.Now.ToUnixTimeSeconds()}";

    public static string ActionOf(ChainHop hop) => hop.Kind switch
    {
        CredentialKind.Static => "static-keys",
        CredentialKind.CredentialSource => hop.CredentialSource switch
        {
            "Environment" => "environment",
            "Ec2InstanceMetadata" => "instance-metadata",
            "EcsContainer" => "container",
            _ => "credential-source",
        },
        CredentialKind.CredentialProcess => "credential-process",
        CredentialKind.Sso => "sso",
        CredentialKind.WebIdentity => "assume-role-with-web-identity",
        CredentialKind.AssumeRole => "assume-role",
        CredentialKind.Login => "login",
        _ => "none",
    };

    private static string Describe(string action) => action switch
    {
        "assume-role" => "AssumeRole",
        "assume-role-with-web-identity" => "AssumeRoleWithWebIdentity",
        "sso" => "GetRoleCredentials",
        "instance-metadata" => "Reading the instance metadata",
        "container" => "Reading the container credentials",
        "credential-process" => "Running credential_process",
        _ => action,
    };
}

/// <summary>Assumed-role sessions the server holds in memory, keyed like the AWS CLI's cache.</summary>
public sealed class SessionCache
{
    private readonly ConcurrentDictionary<string, AssumedRole> sessions = new(StringComparer.Ordinal);

    public void Put(string key, AssumedRole session) => sessions[key] = session;

    /// <summary>A session botocore would still use (more than 15 minutes left).</summary>
    public AssumedRole? TryGet(string key, DateTimeOffset now) =>
        sessions.TryGetValue(key, out var session) && (session.Credentials.Expiration is not { } expiry || expiry - now > CliCache.ExpiryWindow) ? session : null;

    public bool Remove(string key) => sessions.TryRemove(key, out _);

    public int Count => sessions.Count;
}

/// <summary>Remembers every secret a walk handled and removes them from whatever it returns.</summary>
internal sealed class SecretScrubber
{
    private readonly HashSet<string> secrets = [];
    private readonly Dictionary<string, string> accessKeys = [];

    public void Add(AwsCredentials? credentials)
    {
        if (credentials is null) return;
        Add(credentials.SecretAccessKey);
        if (credentials.SessionToken is { } token) Add(token);
        if (credentials.AccessKeyId.Length >= 8) accessKeys[credentials.AccessKeyId] = AwsCredentials.Mask(credentials.AccessKeyId);
    }

    public void Add(string secret)
    {
        if (secret.Length >= 8) secrets.Add(secret);
    }

    public string? Scrub(string? text)
    {
        if (text is null) return null;
        foreach (var secret in secrets) text = text.Replace(secret, "****", StringComparison.Ordinal);
        foreach (var (key, masked) in accessKeys) text = text.Replace(key, masked, StringComparison.Ordinal);
        return text;
    }

    private TestError? Scrub(TestError? error) => error is null ? null : new TestError(error.Code, Scrub(error.Message)!, Scrub(error.Hint));

    public ProfileTestResult Scrub(ProfileTestResult result) => result with
    {
        Error = Scrub(result.Error),
        Hops = [.. result.Hops.Select(h => h with { Error = Scrub(h.Error) })],
    };
}
