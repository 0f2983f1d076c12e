using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Aws;
using AwsConfigLsp.Model;
using StreamJsonRpc;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// "Test this profile": the code lenses, the commands, the MFA prompt, progress, and the test outcomes that feed the
/// <c>mfa-probably-required</c> diagnostic. The walk itself is <see cref="ProfileTester"/> (AwsConfigLsp.Aws); it runs
/// off the serialized context, so other requests are answered while it waits for AWS or for the user.
/// </summary>
public sealed partial class LanguageServer
{
    public const string TestProfileCommand = "awsconfig.testProfile";
    public const string ClearSessionCommand = "awsconfig.clearCachedSession";
    public const string ClearCliCacheCommand = "awsconfig.clearCliCache";
    public const string MfaCodeMethod = "awsconfig/mfaCode";

    private readonly SessionCache sessions = new();
    private readonly Dictionary<(FilePair Pair, string Profile), MfaTestOutcome> mfaOutcomes = [];
    private AwsSettings awsSettings = AwsSettings.Default;
    private bool clientWorkDoneProgress;
    private SigV4IamClient? iamClient;
    private string? iamClientEndpoint;
    private int progressTokens;

    private AwsEnvironment AwsEnvironment => options.Aws ?? EmptyEnvironment();

    private AwsEnvironment? emptyEnvironment;

    private AwsEnvironment EmptyEnvironment() => emptyEnvironment ??= new AwsEnvironment(
        ImmutableDictionary<string, string>.Empty,
        Path.GetDirectoryName(Path.GetDirectoryName(workspace.CliFiles.ConfigPath)) ?? "/");

    [JsonRpcMethod("textDocument/codeLens", UseSingleObjectParameterDeserialization = true)]
    public CodeLens[] CodeLens(CodeLensParams? parameters)
    {
        var uri = parameters?.TextDocument?.Uri ?? throw InvalidParams("codeLens needs textDocument.uri.");
        if (workspace.Get(uri) is not { } document) return [];
        var model = workspace.GetModel(workspace.PairOf(document));
        var lineIndex = document.Syntax.LineIndex;
        var lenses = new List<CodeLens>();
        foreach (var lens in Features.CodeLenses.Get(model, document.Kind))
        {
            var range = LspConvert.ToRange(lineIndex, lens.HeaderSpan);
            var argument = CommandArgument(lens.Profile, uri);
            lenses.Add(new CodeLens(range) { Command = new LspCommand("Test this profile", TestProfileCommand) { Arguments = [argument] } });
            if (lens.TopRole is not { } role) continue;
            if (sessions.TryGet(CliCache.Key(role), AwsEnvironment.Now) is not null)
            {
                lenses.Add(new CodeLens(range) { Command = new LspCommand("Clear cached session", ClearSessionCommand) { Arguments = [argument] } });
            }
            if (CliCache.Find(AwsEnvironment, role) is { } entry)
            {
                lenses.Add(new CodeLens(range)
                {
                    Command = new LspCommand($"AWS CLI session until {entry.Expiration.ToUniversalTime():HH:mm} UTC: clear", ClearCliCacheCommand) { Arguments = [argument] },
                });
            }
        }
        return [.. lenses];
    }

    private static JsonElement CommandArgument(string profile, string uri) =>
        JsonSerializer.SerializeToElement(new ProfileCommandArgs(profile, uri), LspJsonContext.Default.ProfileCommandArgs);

    /// <summary>The profile and document a profile command names, with the model of that document's pair.</summary>
    private (string Profile, FilePair Pair, ProfileModel Model) ProfileCommandTarget(ExecuteCommandParams parameters)
    {
        if (parameters.Arguments is not [{ ValueKind: JsonValueKind.Object } argument])
        {
            throw InvalidParams($"{parameters.Command} needs one argument: {{\"profile\": NAME, \"uri\": URI}}.");
        }
        ProfileCommandArgs? args;
        try
        {
            args = argument.Deserialize(LspJsonContext.Default.ProfileCommandArgs);
        }
        catch (JsonException)
        {
            args = null;
        }
        if (args?.Profile is not { } profile || args.Uri is not { } uri) throw InvalidParams($"{parameters.Command} needs {{\"profile\": NAME, \"uri\": URI}}.");
        if (workspace.Get(uri) is not { } document) throw InvalidParams($"{uri} is not an open config or credentials file.");
        var pair = workspace.PairOf(document);
        var model = workspace.GetModel(pair);
        if (model.GetProfile(profile) is null) throw InvalidParams($"There is no profile {profile} in {uri} and its partner file.");
        return (profile, pair, model);
    }

    private async Task<TestProfileResult> TestProfileAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        var (profile, pair, model) = ProfileCommandTarget(parameters);
        var environment = AwsEnvironment;
        var settings = awsSettings;
        var progress = await BeginProgressAsync(parameters.WorkDoneToken, $"Testing profile {profile}", cancellationToken);
        var context = new TestContext
        {
            Environment = environment,
            Sts = new SdkStsApi(options.AwsCallTimeout),
            Providers = new BaseProviders(environment, AwsHttp.Client, options.ProcessTimeout),
            Sso = new SsoProvider(environment, options.AwsCallTimeout),
            Sessions = sessions,
            Iam = IamFor(model, profile, environment),
            Prompt = (name, serial, attempt, token) => AskMfaCodeAsync(name, serial, attempt, token),
            Progress = progress is null ? null : (step, total, message) => _ = ReportProgressAsync(progress.Value, message, step * 100 / total),
            SessionObtained = settings.ShareCliCache ? (key, session) => ShareWithCli(environment, key, session) : null,
        };
        ProfileTestResult result;
        try
        {
            // Off the serialized context: other requests are answered while the walk waits for AWS or the user. The
            // walk gets only immutable data read here: edits meanwhile update the model in place.
            var inputs = ProfileTester.Prepare(model, profile, environment);
            result = await Task.Run(() => ProfileTester.TestAsync(inputs, context, cancellationToken), cancellationToken);
        }
        finally
        {
            if (progress is { } token) await EndProgressAsync(token);
        }
        RecordOutcome(pair, model, result);
        // A new session changes the lenses (Clear cached session).
        if (result.Ok) _ = RefreshCodeLensesAsync();
        await ShowMessageAsync(result.Ok ? 3 : result.Cancelled ? 2 : 1, Summary(result));
        return ToLsp(result);
    }

    /// <summary>The one-line message shown after a test.</summary>
    internal static string Summary(ProfileTestResult result) => result switch
    {
        { Ok: true, Identity: { } identity } => $"Profile {result.Profile}: you are {identity.Arn} (account {identity.Account}).",
        { Cancelled: true } => $"Profile {result.Profile}: test cancelled.",
        { Error: { } error } => $"Profile {result.Profile}: {error.Message}{(error.Hint is { } hint ? $" Hint: {hint}." : "")}",
        _ => $"Profile {result.Profile}: the test failed.",
    };

    private static TestProfileResult ToLsp(ProfileTestResult result) => new(
        result.Profile,
        result.Ok,
        result.Identity is { } identity ? new TestIdentity(identity.Account, identity.Arn, identity.UserId) : null,
        [.. result.Hops.Select(hop => new TestHop(hop.Profile, hop.Action, hop.RoleArn, hop.MfaSerial, hop.Ok, hop.Ms, ToLsp(hop.Error)))],
        ToLsp(result.Error));

    private static TestErrorInfo? ToLsp(TestError? error) => error is null ? null : new TestErrorInfo(error.Code, error.Message, error.Hint);

    /// <summary>Keeps what a test says about MFA for the diagnostic, and forgets it when a later test of the profile succeeds.</summary>
    private void RecordOutcome(FilePair pair, ProfileModel model, ProfileTestResult result)
    {
        var changed = false;
        if (result.MfaSuspect is { } suspect && model.GetProfile(suspect.Profile) is { } profile)
        {
            mfaOutcomes[(pair, suspect.Profile)] = new MfaTestOutcome(suspect.Profile, suspect.RoleArn, MfaTestOutcome.TextOf(profile),
                [.. suspect.CandidateSerials], suspect.CallerArn);
            changed = true;
        }
        else if (result.Ok)
        {
            foreach (var hop in result.Hops) changed |= mfaOutcomes.Remove((pair, hop.Profile));
            changed |= mfaOutcomes.Remove((pair, result.Profile));
        }
        if (changed) ScheduleDiagnostics(pair, TimeSpan.Zero);
    }

    /// <summary>The outcomes of a pair that still describe its profiles as they are; stale ones are forgotten.</summary>
    private ImmutableArray<MfaTestOutcome> MfaOutcomesOf(FilePair pair, ProfileModel model)
    {
        if (mfaOutcomes.Count == 0) return [];
        var result = ImmutableArray.CreateBuilder<MfaTestOutcome>();
        foreach (var ((outcomePair, name), outcome) in mfaOutcomes.ToList())
        {
            if (outcomePair != pair) continue;
            if (model.GetProfile(name) is not { } profile || MfaTestOutcome.TextOf(profile) != outcome.ProfileText)
            {
                mfaOutcomes.Remove((outcomePair, name));
                continue;
            }
            result.Add(outcome);
        }
        return result.ToImmutable();
    }

    private object? ClearCachedSession(ExecuteCommandParams parameters)
    {
        var (profile, _, model) = ProfileCommandTarget(parameters);
        var removed = 0;
        foreach (var hop in CredentialResolver.Resolve(model, profile, ignoreFileProblems: true).Chain.Where(hop => hop.Kind == CredentialKind.AssumeRole))
        {
            if (sessions.Remove(CliCache.Key(hop))) removed++;
        }
        _ = RefreshCodeLensesAsync();
        return removed;
    }

    private object? ClearCliCache(ExecuteCommandParams parameters)
    {
        var (profile, _, model) = ProfileCommandTarget(parameters);
        var top = CredentialResolver.Resolve(model, profile, ignoreFileProblems: true).Chain.LastOrDefault(hop => hop.Kind == CredentialKind.AssumeRole)
            ?? throw InvalidParams($"Profile {profile} assumes no role: the AWS CLI caches no session for it.");
        try
        {
            var deleted = CliCache.Delete(AwsEnvironment, top);
            _ = RefreshCodeLensesAsync();
            return deleted;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw RequestFailed($"Could not delete the AWS CLI's cached session: {exception.Message}");
        }
    }

    private void ShareWithCli(AwsEnvironment environment, string key, AssumedRole session)
    {
        try
        {
            CliCache.Write(environment, key, session);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _ = LogAsync($"Could not write the session to the AWS CLI's cache ({environment.CliCacheDirectory}): {exception.Message}");
        }
    }

    private SigV4IamClient IamFor(ProfileModel model, string profile, AwsEnvironment environment)
    {
        var endpoint = EndpointResolver.Iam(model, profile, environment);
        if (iamClient is null || iamClientEndpoint != endpoint.Url + "|" + endpoint.SigningRegion)
        {
            iamClient = new SigV4IamClient(AwsHttp.Client, endpoint, environment.Clock, options.IamTimeout);
            iamClientEndpoint = endpoint.Url + "|" + endpoint.SigningRegion;
        }
        return iamClient;
    }

    private async Task<string?> AskMfaCodeAsync(string profile, string serial, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await rpc.RequestLspAsync<MfaCodeParams, MfaCodeResult?>(MfaCodeMethod, new MfaCodeParams(profile, serial, attempt), cancellationToken).ConfigureAwait(false);
            return answer?.Code;
        }
        catch (RemoteRpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw AwsCallException.Local("MfaUnavailable", $"The editor did not answer the MFA prompt ({MfaCodeMethod}): {exception.Message}");
        }
    }

    private async Task<JsonElement?> BeginProgressAsync(JsonElement? clientToken, string title, CancellationToken cancellationToken)
    {
        JsonElement token;
        if (clientToken is { ValueKind: JsonValueKind.String or JsonValueKind.Number } given) token = given;
        else if (clientWorkDoneProgress)
        {
            token = JsonSerializer.SerializeToElement($"awsconfig-test-{Interlocked.Increment(ref progressTokens).ToString(CultureInfo.InvariantCulture)}", LspJsonContext.Default.String);
            try
            {
                await rpc.RequestLspAsync("window/workDoneProgress/create", new WorkDoneProgressCreateParams(token), cancellationToken);
            }
            catch (RemoteRpcException)
            {
                return null;
            }
        }
        else return null;
        await NotifyAsync("$/progress", new ProgressParams(token, new WorkDoneProgressValue("begin") { Title = title, Percentage = 0, Cancellable = false }));
        return token;
    }

    private Task ReportProgressAsync(JsonElement token, string message, int percentage) =>
        NotifyAsync("$/progress", new ProgressParams(token, new WorkDoneProgressValue("report") { Message = message, Percentage = percentage }));

    private Task EndProgressAsync(JsonElement token) => NotifyAsync("$/progress", new ProgressParams(token, new WorkDoneProgressValue("end")));

    private Task ShowMessageAsync(int type, string message) => NotifyAsync("window/showMessage", new ShowMessageParams(type, message));

    private async Task RefreshCodeLensesAsync()
    {
        if (!clientRefreshesCodeLenses) return;
        try
        {
            await rpc.RequestLspAsync("workspace/codeLens/refresh");
        }
        catch (RemoteRpcException)
        {
        }
    }

    private async Task NotifyAsync<T>(string method, T parameters)
    {
        try
        {
            await rpc.NotifyLspAsync(method, parameters);
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
        }
    }

    private readonly HashSet<string> iamLookupsInFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// The MFA devices IAM lists for the user whose static keys <paramref name="source"/> holds, if a look-up already
    /// ran; else, when allowed, starts one in the background (3 s limit) and answers null at once.
    /// </summary>
    private (IReadOnlyList<string>? Devices, bool Started) MfaDevicesOfSource(ProfileModel model, string source, bool mayLookUp)
    {
        if (CredentialResolver.Resolve(model, source, ignoreFileProblems: true) is not { Succeeded: true, Chain: [{ Kind: CredentialKind.Static } hop] }) return (null, false);
        AwsCredentials credentials;
        try
        {
            credentials = BaseProviders.Static(model, hop);
        }
        catch (AwsCallException)
        {
            return (null, false);
        }
        var iam = IamFor(model, source, AwsEnvironment);
        if (iam.TryGetCached(credentials.AccessKeyId) is { } devices) return (devices, false);
        lock (iamLookupsInFlight)
        {
            if (!mayLookUp || !iamLookupsInFlight.Add(credentials.AccessKeyId)) return (null, false);
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await iam.ListMfaDevicesAsync(credentials, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AwsCallException exception)
            {
                await LogAsync($"Could not list the MFA devices of the user of profile {source}: {exception.Message}").ConfigureAwait(false);
            }
            finally
            {
                lock (iamLookupsInFlight) iamLookupsInFlight.Remove(credentials.AccessKeyId);
            }
        });
        return (null, true);
    }

    /// <summary>For hover on a role profile: what the AWS CLI's own cache holds for it.</summary>
    private string? CliCacheNote(ProfileModel model, ConfigFileKind kind, int offset)
    {
        var file = model.GetFile(kind);
        if (file.Sections.Count == 0) return null;
        // The section at the offset (a header starts its section), not a walk over every section's position.
        var section = file.Sections[file.Syntax.FindSectionIndex(offset)];
        if (section.Syntax.Header is null || offset < section.HeaderSpan.Start || offset > section.HeaderSpan.End) return null;
        if (section.EntityName is not { } name || section.Role != SectionRole.Profile) return null;
        var top = CredentialResolver.Resolve(model, name, ignoreFileProblems: true).Chain.LastOrDefault();
        if (top is not { Kind: CredentialKind.AssumeRole } || CliCache.Find(AwsEnvironment, top) is not { } entry) return null;
        return $"The AWS CLI holds a cached session for this role until {entry.Expiration.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
            + (entry.AssumedRoleArn is { } arn ? $" ({arn})" : "")
            + $": `aws --profile {name}` uses it without asking for credentials. To forget it: `rm {entry.Path}` (or the code lens).";
    }
}
