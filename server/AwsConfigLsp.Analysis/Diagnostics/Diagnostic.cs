using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

public enum DiagnosticSeverity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

/// <summary>Another place that explains a diagnostic (LSP's relatedInformation).</summary>
public sealed record RelatedLocation(SourceLocation Location, string Message);

/// <summary>
/// A fix a diagnostic carries: minimal edits (never a whole-file rewrite), possibly in both files. A fix whose
/// <see cref="Edits"/> is empty and <see cref="Command"/> is set runs a server command instead (e.g. chmod 600).
/// </summary>
public sealed record CodeFix(string Title, ImmutableArray<FileEdit> Edits, bool IsPreferred = false)
{
    /// <summary>A command for fixes that are not text edits: the command name and its single string argument.</summary>
    public (string Name, string Argument)? Command { get; init; }
}

/// <summary>
/// Fixes that each insert one line at the same place, one per choice (missing-mfa-serial: a line per MFA device the
/// sibling roles use). The titles and lines are the same for every role of a source that writes its lines alike, so
/// one instance serves them all, and a diagnostic keeps only the place (<see cref="Diagnostic.ChoicesAt"/>); its
/// <see cref="Diagnostic.Fixes"/> are made when read. At 50k profiles the ~10k findings of missing-mfa-serial carried
/// ~50k fix and edit objects made up front (8.1 MiB of the analysis' 20.3), for the few a user ever asks for.
/// </summary>
public sealed class InsertChoices
{
    private readonly ImmutableArray<(string Title, string Text)> made;
    private readonly string? key;
    private readonly IReadOnlyList<string>? values;
    private readonly string? format;

    /// <summary>Choices made up front: a title and the text inserted, each.</summary>
    public InsertChoices(ImmutableArray<(string Title, string Text)> choices) => made = choices;

    /// <summary>
    /// One choice per value of <paramref name="values"/>: the line <c>key = value</c> written as <paramref name="format"/>
    /// says (indent, delimiter and line break, separated by NUL: <see cref="RuleSupport.TryInsertionFormat"/>), titled
    /// <c>Add key = value</c>; made when read. The values are strings the model holds: at 50k profiles the ~10k titles
    /// and lines made up front were ~3 MiB of the analysis' result.
    /// </summary>
    public InsertChoices(string key, IReadOnlyList<string> values, string format)
    {
        this.key = key;
        this.values = values;
        this.format = format;
    }

    /// <summary>Each choice's title and the text it inserts.</summary>
    public ImmutableArray<(string Title, string Text)> Choices
    {
        get
        {
            if (values is null) return made;
            var parts = format!.Split('\0');
            var choices = new (string Title, string Text)[values.Count];
            for (var i = 0; i < choices.Length; i++)
            {
                choices[i] = ($"Add {key} = {values[i]}", string.Concat(parts[0], key, parts[1], values[i], parts[2]));
            }
            return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(choices);
        }
    }

    /// <summary>The fixes at <paramref name="at"/>: preferred when there is only one.</summary>
    public ImmutableArray<CodeFix> At(SourceLocation at)
    {
        var choices = Choices;
        var fixes = new CodeFix[choices.Length];
        for (var i = 0; i < fixes.Length; i++)
        {
            fixes[i] = new CodeFix(choices[i].Title, [new FileEdit(at, choices[i].Text)], IsPreferred: fixes.Length == 1);
        }
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(fixes);
    }
}

/// <summary>
/// A message written when it is read, from parts the analysis holds anyway (profile names, a source's list of siblings):
/// a rule that finds thousands of things keeps a small object per finding instead of each message's text. At 50k
/// profiles missing-mfa-serial finds ~10k, whose ~330-character messages were ~6.5 MiB of the analysis' result and
/// garbage; the publish writes them straight into its JSON (<see cref="WriteTo"/>), and <see cref="Diagnostic.Message"/>
/// makes the string for the few readers that want one.
/// </summary>
public abstract class DeferredMessage : IEquatable<DeferredMessage>
{
    /// <summary>The message's length in UTF-16 characters.</summary>
    public abstract int Length { get; }

    /// <summary>Writes the message at the start of <paramref name="destination"/>, which holds at least <see cref="Length"/> characters.</summary>
    public abstract void WriteTo(Span<char> destination);

    public override string ToString() => string.Create(Length, this, static (chars, message) => message.WriteTo(chars));

    public bool Equals(DeferredMessage? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as DeferredMessage);

    public override int GetHashCode() => string.GetHashCode(ToString(), StringComparison.Ordinal);

    /// <summary>Copies <paramref name="part"/> to the start of <paramref name="destination"/> and returns what follows it.</summary>
    protected static Span<char> Append(Span<char> destination, ReadOnlySpan<char> part)
    {
        part.CopyTo(destination);
        return destination[part.Length..];
    }
}

/// <summary>A deferred message that is its parts one after the other: constant texts and strings the analysis holds anyway.</summary>
public sealed class JoinedMessage(params string[] parts) : DeferredMessage
{
    public override int Length
    {
        get
        {
            var length = 0;
            foreach (var part in parts) length += part.Length;
            return length;
        }
    }

    public override void WriteTo(Span<char> destination)
    {
        foreach (var part in parts) destination = Append(destination, part);
    }
}

/// <summary>A finding in editor terms: file, span, code, severity, message, fixes. Protocol turns it into LSP.</summary>
public sealed record Diagnostic
{
    // The message's text, or the parts it is written from (a DeferredMessage): one field either way.
    private readonly object message;

    public Diagnostic(string code, DiagnosticSeverity severity, SourceLocation location, string message)
    {
        Code = code;
        Severity = severity;
        Location = location;
        this.message = message;
    }

    /// <summary>A diagnostic whose message is written when it is read (see <see cref="DeferredMessage"/>).</summary>
    public Diagnostic(string code, DiagnosticSeverity severity, SourceLocation location, DeferredMessage message)
    {
        Code = code;
        Severity = severity;
        Location = location;
        this.message = message;
    }

    public string Code { get; init; }
    public DiagnosticSeverity Severity { get; init; }
    public SourceLocation Location { get; init; }

    /// <summary>The message (made from its parts on each read when it is deferred).</summary>
    public string Message => message as string ?? message.ToString()!;

    /// <summary>The message's parts when it is written on read, else null (its text is <see cref="Message"/>).</summary>
    public DeferredMessage? DeferredMessage => message as DeferredMessage;

    /// <summary>The message's length, without making its text.</summary>
    public int MessageLength => message is string text ? text.Length : ((DeferredMessage)message).Length;

    public ImmutableArray<RelatedLocation> Related { get; init; } = [];
    private readonly ImmutableArray<CodeFix> fixes = [];

    /// <summary>The fixes: those held, or made from <see cref="Choices"/> at <see cref="ChoicesAt"/> on each read.</summary>
    public ImmutableArray<CodeFix> Fixes
    {
        get => Choices is { } choices ? choices.At(ChoicesAt) : fixes;
        init => fixes = value;
    }

    /// <summary>Fixes that insert one of several lines at <see cref="ChoicesAt"/> (shared by many findings), or null.</summary>
    public InsertChoices? Choices { get; init; }

    /// <summary>Where the lines of <see cref="Choices"/> go.</summary>
    public SourceLocation ChoicesAt { get; init; }

    /// <summary>Whether the diagnostic has a fix, without making them.</summary>
    public bool HasFixes => Choices is not null || !fixes.IsEmpty;

    /// <summary>
    /// Every place the diagnostic points at: its own, its related places', and where its fixes edit (the place of its
    /// <see cref="Choices"/> once, without making the fixes). <see cref="Moved"/> moves the same places.
    /// </summary>
    public PlaceList Places => new(this);

    /// <summary>
    /// <see cref="Places"/> without an enumerator object: asked twice of every finding of a full analysis (~25k at 50k
    /// profiles), an iterator each was ~1.3 MiB of the analysis' garbage.
    /// </summary>
    public readonly struct PlaceList(Diagnostic diagnostic)
    {
        public Enumerator GetEnumerator() => new(diagnostic);

        public struct Enumerator(Diagnostic diagnostic)
        {
            // -1: the diagnostic's own place; then Related[0..]; then ChoicesAt, or each fix's edits.
            private int related = -2;
            private int fix;
            private int edit = -1;

            public SourceLocation Current { get; private set; }

            public bool MoveNext()
            {
                if (related < diagnostic.Related.Length)
                {
                    related++;
                    if (related == -1)
                    {
                        Current = diagnostic.Location;
                        return true;
                    }
                    if (related < diagnostic.Related.Length)
                    {
                        Current = diagnostic.Related[related].Location;
                        return true;
                    }
                    if (diagnostic.Choices is not null)
                    {
                        Current = diagnostic.ChoicesAt;
                        fix = diagnostic.fixes.Length;
                        return true;
                    }
                }
                while (fix < diagnostic.fixes.Length)
                {
                    var edits = diagnostic.fixes[fix].Edits;
                    if (++edit < edits.Length)
                    {
                        Current = edits[edit].Location;
                        return true;
                    }
                    fix++;
                    edit = -1;
                }
                return false;
            }
        }
    }

    /// <summary>
    /// The diagnostic with every place moved by <paramref name="move"/> (null: the place no longer exists, and neither
    /// does the diagnostic); the found one when nothing moved.
    /// </summary>
    public Diagnostic? Moved(Func<SourceLocation, SourceLocation?> move)
    {
        if (move(Location) is not { } location) return null;
        var related = Related;
        if (!related.IsEmpty)
        {
            var builder = new RelatedLocation[related.Length];
            for (var j = 0; j < related.Length; j++)
            {
                if (move(related[j].Location) is not { } at) return null;
                builder[j] = related[j] with { Location = at };
            }
            related = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(builder);
        }
        if (Choices is not null)
        {
            return move(ChoicesAt) is { } choicesAt ? this with { Location = location, Related = related, ChoicesAt = choicesAt } : null;
        }
        var moved = fixes;
        if (!moved.IsEmpty)
        {
            var builder = new CodeFix[moved.Length];
            for (var j = 0; j < moved.Length; j++)
            {
                var edits = new FileEdit[moved[j].Edits.Length];
                for (var k = 0; k < edits.Length; k++)
                {
                    if (move(moved[j].Edits[k].Location) is not { } at) return null;
                    edits[k] = moved[j].Edits[k] with { Location = at };
                }
                builder[j] = moved[j] with { Edits = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(edits) };
            }
            moved = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(builder);
        }
        return this with { Location = location, Related = related, Fixes = moved };
    }

    // By the message's text, whether it is held or deferred.
    public bool Equals(Diagnostic? other) =>
        other is not null && string.Equals(Code, other.Code, StringComparison.Ordinal) && Severity == other.Severity && Location == other.Location
        && string.Equals(Message, other.Message, StringComparison.Ordinal) && Related == other.Related && fixes == other.fixes
        && Choices == other.Choices && ChoicesAt == other.ChoicesAt;

    public override int GetHashCode() => HashCode.Combine(Code, Severity, Location, Message);
}

/// <summary>User settings for diagnostics: codes turned off, severities changed (workspace/configuration or check flags).</summary>
public sealed record DiagnosticOptions
{
    public static readonly DiagnosticOptions Default = new();
    public ImmutableHashSet<string> Disabled { get; init; } = [];
    public ImmutableDictionary<string, DiagnosticSeverity> Severity { get; init; } = ImmutableDictionary<string, DiagnosticSeverity>.Empty;

    /// <summary>Parses <c>error</c>, <c>warning</c>, <c>information</c>/<c>info</c>, <c>hint</c>; null for anything else.</summary>
    public static DiagnosticSeverity? ParseSeverity(string text) => text.Trim().ToLowerInvariant() switch
    {
        "error" => DiagnosticSeverity.Error,
        "warning" or "warn" => DiagnosticSeverity.Warning,
        "information" or "info" => DiagnosticSeverity.Information,
        "hint" => DiagnosticSeverity.Hint,
        _ => null,
    };
}

/// <summary>Facts about the files that are not in their text, given by the caller (the model reads no disk).</summary>
public sealed record FileFacts
{
    public static readonly FileFacts None = new();
    /// <summary>The credentials file's POSIX permissions, when it exists on a POSIX file system.</summary>
    public UnixFileMode? CredentialsFileMode { get; init; }
    /// <summary>
    /// What "Test this profile" found (the server holds these): role profiles STS refused with AccessDenied while they
    /// send no MFA code. Feeds <c>mfa-probably-required</c>.
    /// </summary>
    public ImmutableArray<MfaTestOutcome> MfaOutcomes { get; init; } = [];

    // Structural: the server builds new facts for every analysis, and equal facts let the next one be incremental.
    public bool Equals(FileFacts? other) =>
        other is not null && CredentialsFileMode == other.CredentialsFileMode && MfaOutcomes.AsSpan().SequenceEqual(other.MfaOutcomes.AsSpan());

    public override int GetHashCode() => HashCode.Combine(CredentialsFileMode, MfaOutcomes.Length);
}

/// <summary>
/// A test of <see cref="Profile"/> got AccessDenied on AssumeRole <see cref="RoleArn"/> without an MFA code.
/// <see cref="ProfileText"/> is the profile's text when it was tested (<see cref="MfaTestOutcome.TextOf"/>): a change to
/// the profile makes the outcome stale. <see cref="CandidateSerials"/> are the MFA device ARNs to offer, best first.
/// </summary>
public sealed record MfaTestOutcome(string Profile, string RoleArn, string ProfileText, ImmutableArray<string> CandidateSerials, string? CallerArn)
{
    /// <summary>The text of every section of a profile (config, then credentials), for staleness checks.</summary>
    public static string TextOf(Profile profile) => string.Concat(profile.Sections.Select(section => section.Syntax.ToString() + "\u0000"));

    public bool Equals(MfaTestOutcome? other) =>
        other is not null && Profile == other.Profile && RoleArn == other.RoleArn && ProfileText == other.ProfileText && CallerArn == other.CallerArn
        && CandidateSerials.AsSpan().SequenceEqual(other.CandidateSerials.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Profile, RoleArn, ProfileText, CallerArn, CandidateSerials.Length);
}

/// <summary>
/// What every rule gets: the model, and what rules share, computed on first use: the last profile's
/// best-effort resolution, the role profiles by source, the sso-sessions profiles use, the key occurrences of a section.
/// </summary>
public sealed class AnalysisContext
{
    private ImmutableArray<Resolution>? all;
    private ILookup<string, Profile>? rolesBySource;
    private Dictionary<string, int>? profileOrder;

    public AnalysisContext(ProfileModel model, FileFacts? facts = null)
        : this(model, facts, null)
    {
    }

    internal AnalysisContext(ProfileModel model, FileFacts? facts, ReferenceIndex? index)
    {
        Model = model;
        Facts = facts ?? FileFacts.None;
        Index = index;
    }

    public ProfileModel Model { get; }

    public FileFacts Facts { get; }

    /// <summary>The references between profiles kept across analyses (incremental analysis), or null.</summary>
    internal ReferenceIndex? Index { get; }

    /// <summary>The MFA-protected roles of every source, made by a full run for this model (null: found per source).</summary>
    internal MfaRoleTable? MfaRoles { get; init; }

    /// <summary>Whether this context serves a chunk of a large (full) run, which asks about most sources (see <see cref="MfaRolesOf"/>).</summary>
    internal bool SizedForEverySource { get; set; }

    /// <summary>
    /// The role profiles (botocore's AssumeRoleProvider handles them) by the <c>source_profile</c> they name, in model
    /// order: built once so that rules about siblings and sources stay linear on configs of many thousand profiles.
    /// </summary>
    public ILookup<string, Profile> RolesBySource => rolesBySource ??= Model.Profiles.Values
        .Where(profile => profile.Has(Keys.RoleArn) && !profile.Has(Keys.WebIdentityTokenFile) && profile.Get(Keys.SourceProfile) is not null)
        .ToLookup(profile => profile.Get(Keys.SourceProfile)!.Value.Value, StringComparer.Ordinal);

    /// <summary>The role profiles whose <c>source_profile</c> is <paramref name="source"/>, in model order.</summary>
    public IReadOnlyList<Profile> RolesOf(string source)
    {
        if (Index is null) return [.. RolesBySource[source]];
        if (!Index.RolesBySource.TryGetValue(source, out var names) || names.Count == 0) return [];
        var roles = new List<Profile>(names.Count);
        foreach (var name in names)
        {
            if (Model.GetProfile(name) is { } profile) roles.Add(profile);
        }
        if (roles.Count > 1) SortInModelOrder(roles);
        return roles;
    }

    /// <summary>The profile of the model named in either set that comes first in the model's order, or null.</summary>
    internal Profile? FirstInModelOrder(NameSet? some, NameSet? others)
    {
        if (some is not { Count: > 0 } && others is not { Count: > 0 }) return null;
        Profile? first = null;
        var best = long.MaxValue;
        foreach (var names in new[] { some, others })
        {
            if (names is null) continue;
            foreach (var name in names)
            {
                if (Model.GetProfile(name) is not { } profile) continue;
                var rank = RankOf(profile);
                if (rank < best) (best, first) = (rank, profile);
            }
        }
        return first;
    }

    /// <summary>Sorts profiles of the model in the model's order (<see cref="ProfileModel.Profiles"/>).</summary>
    internal void SortInModelOrder(List<Profile> profiles)
    {
        if (profiles.Count < 2) return;
        var keyed = new (long Rank, Profile Profile)[profiles.Count];
        for (var i = 0; i < keyed.Length; i++) keyed[i] = (RankOf(profiles[i]), profiles[i]);
        Array.Sort(keyed, static (a, b) => a.Rank.CompareTo(b.Rank));
        for (var i = 0; i < keyed.Length; i++) profiles[i] = keyed[i].Profile;
    }

    /// <summary>
    /// A key that sorts the model's profiles in the model's order (the config's profiles in file order, then the
    /// credentials-only ones in file order). Without two sections of one name in a file, each profile has one section
    /// per file and its file's order of names is the order of those sections: the key is the section's index (a look-up
    /// near the section's last known index), not a rank table of every profile, which an edit that renames would
    /// have to rebuild (50k names). With such duplicates, the rank table.
    /// </summary>
    internal long RankOf(Profile profile)
    {
        var config = Model.Config;
        var credentials = Model.Credentials;
        if (!config.HasEntityDuplicates && !credentials.HasEntityDuplicates)
        {
            if (profile.ConfigSection is { } inConfig)
            {
                var index = config.IndexOf(inConfig);
                if (index >= 0) return index;
            }
            else if (profile.CredentialsSection is { } inCredentials)
            {
                var index = credentials.IndexOf(inCredentials);
                if (index >= 0) return (1L << 32) | (uint)index;
            }
        }
        return (2L << 32) | (uint)ProfileOrderKnowing(profile.Name)[profile.Name];
    }

    /// <summary>
    /// The rank of every profile in the model's order (<see cref="ProfileModel.Profiles"/>), knowing at least
    /// <paramref name="name"/> (a name of the model): cached per pair of the files' name lists, rebuilt when stale.
    /// </summary>
    private Dictionary<string, int> ProfileOrderKnowing(string name)
    {
        profileOrder ??= BuildProfileOrder(cached: true);
        if (profileOrder.Count != Model.Profiles.Count || !profileOrder.ContainsKey(name)) profileOrder = BuildProfileOrder(cached: false);
        return profileOrder;
    }

    // The model's profile order (config's first definitions, then the credentials-only profiles), from the two files'
    // orders, which an edit that changes no name keeps (same list): cached per pair of lists, not rebuilt per keystroke.
    private Dictionary<string, int> BuildProfileOrder(bool cached)
    {
        var config = Model.Config.ProfileOrder;
        var credentials = Model.Credentials.ProfileOrder;
        if (cached && OrderCache.TryGetValue(config, out var kept) && ReferenceEquals(kept.Credentials, credentials)) return kept.Order;
        var order = new Dictionary<string, int>(Model.Profiles.Count, StringComparer.Ordinal);
        foreach (var name in Model.Profiles.Keys) order[name] = order.Count;
        OrderCache.AddOrUpdate(config, new ProfileOrderCache(credentials, order));
        return order;
    }

    private sealed record ProfileOrderCache(IReadOnlyList<string> Credentials, Dictionary<string, int> Order);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<string>, ProfileOrderCache> OrderCache = new();

    /// <summary>
    /// The role profiles of <paramref name="source"/> that have an mfa_serial, and their distinct devices: from a full
    /// run's table, else found once per source and context.
    /// </summary>
    internal MfaRoles MfaRolesOf(string source)
    {
        if (MfaRoles is { } table) return table.Of(source);
        // In a large run, sized for every source up front: grown by doubling, its arrays were ~2 MiB of a 50k open's
        // garbage. An edit's run asks about a few sources.
        mfaRoles ??= new Dictionary<string, MfaRoles>(SizedForEverySource && Index is { } index ? index.RolesBySource.Count : 0, StringComparer.Ordinal);
        if (mfaRoles.TryGetValue(source, out var found)) return found;
        if (Index is not null && !AnyRoleHasMfa(source))
        {
            // Most sources (~15k of ~18k in a generated 50k-profile file): no list of roles to build and sort.
            mfaRoles[source] = Diagnostics.MfaRoles.None;
            return Diagnostics.MfaRoles.None;
        }
        // Loops, not LINQ: ~3k sources with MFA roles at 50k profiles.
        found = new MfaRoles();
        foreach (var role in RolesOf(source))
        {
            if (role.Get(Keys.MfaSerial) is { Value.Length: > 0 } serial) found.Add(role, serial.Value);
        }
        mfaRoles[source] = found;
        return found;
    }

    private Dictionary<string, MfaRoles>? mfaRoles;

    private bool AnyRoleHasMfa(string source)
    {
        if (!Index!.RolesBySource.TryGetValue(source, out var names)) return false;
        foreach (var name in names)
        {
            if (Model.GetProfile(name)?.Get(Keys.MfaSerial) is { Value.Length: > 0 }) return true;
        }
        return false;
    }

    /// <summary>Whether any profile names <paramref name="session"/> in <c>sso_session</c>.</summary>
    public bool IsSessionUsed(string session)
    {
        if (Index is not null) return Index.ProfilesBySession.TryGetValue(session, out var users) && users.Count > 0;
        usedSessions ??= Model.Profiles.Values.Select(profile => profile.Get(Keys.SsoSession)?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return usedSessions.Contains(session);
    }

    private HashSet<string>? usedSessions;

    /// <summary>A profile's best-effort resolution, computed as if both files were readable, so chain errors show while a file has a syntax error.</summary>
    public Resolution ResolutionOf(string profileName)
    {
        // The rules ask about one profile after the other, each rule in turn: only the last answer is kept. Keeping
        // every profile's chain for the whole analysis (~50 MiB at 50k profiles) made the garbage collector copy them
        // all into the old generation, where they died at the end; a chain asked again later is resolved again (the
        // few profiles whose section rules resolve them too).
        if (lastResolution.Name is { } last && string.Equals(last, profileName, StringComparison.Ordinal)) return lastResolution.Resolution!;
        var resolution = CredentialResolver.Resolve(Model, profileName, ignoreFileProblems: true);
        lastResolution = (profileName, resolution);
        return resolution;
    }

    private (string? Name, Resolution? Resolution) lastResolution;

    /// <summary>
    /// A profile's error and chain length, as <see cref="ResolutionOf"/> finds them, without the chain's links: what the
    /// rules ask of every profile. (Making every link of every chain was a quarter of a full analysis's allocations.)
    /// </summary>
    public ResolutionCheck CheckOf(Profile profile)
    {
        if (ReferenceEquals(lastCheck.Profile, profile)) return lastCheck.Check;
        var check = CredentialResolver.Check(Model, profile, ignoreFileProblems: true);
        lastCheck = (profile, check);
        return check;
    }

    private (Profile? Profile, ResolutionCheck Check) lastCheck;

    /// <summary>One resolution per profile, in model order (computed on first use).</summary>
    public ImmutableArray<Resolution> Resolutions => all ??= [.. Model.Profiles.Keys.Select(ResolutionOf)];

    /// <summary>The line break of a file (its first one, else the other file's, else \n), computed once.</summary>
    internal string NewlineOf(ConfigFile file) => file.Kind == ConfigFileKind.Config
        ? configNewline ??= Rules.SectionNames.Newline(file)
        : credentialsNewline ??= Rules.SectionNames.Newline(file);

    private string? configNewline;
    private string? credentialsNewline;

    // The key occurrences of the last section asked for: the rules about keys run one section after the other.
    internal (SectionEntry? Section, IReadOnlyList<Rules.KeyOccurrence> Keys) LastKeys { get; set; }

    internal bool? LoadsEndpointPlugin { get; set; }

    internal Dictionary<PropertyEntry, (string Description, SourceLocation? Location)>? ChainedDurations { get; set; }

    private Dictionary<string, string>? shared;

    private Dictionary<string, InsertChoices>? choicesByKey;

    /// <summary>Choices a rule cached under <paramref name="key"/> in this analysis (see <see cref="CacheChoices"/>), or null.</summary>
    internal InsertChoices? CachedChoices(ReadOnlySpan<char> key) =>
        choicesByKey is not null && choicesByKey.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var found) ? found : null;

    /// <summary>
    /// Keeps <paramref name="choices"/> under a key the rule makes of everything they depend on (missing-mfa-serial: the
    /// source and the format of the role_arn line), so that the next finding with the same key makes nothing.
    /// </summary>
    internal void CacheChoices(ReadOnlySpan<char> key, InsertChoices choices) => (choicesByKey ??= new(StringComparer.Ordinal))[key.ToString()] = choices;

    /// <summary>
    /// One string per distinct text for this analysis: fixes that many findings repeat word for word (missing-mfa-serial's
    /// "Add mfa_serial = ..." on ~10k roles of a 50k-profile file) keep one copy, not one per finding.
    /// </summary>
    internal string Shared(string text)
    {
        shared ??= new(StringComparer.Ordinal);
        if (shared.TryGetValue(text, out var existing)) return existing;
        shared[text] = text;
        return text;
    }

    /// <summary><see cref="Shared(string)"/> for text still in a buffer: a string is made only for text not seen before.</summary>
    internal string Shared(ReadOnlySpan<char> text)
    {
        shared ??= new(StringComparer.Ordinal);
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var existing)) return existing;
        var made = text.ToString();
        shared[made] = made;
        return made;
    }
}

/// <summary>
/// A rule whose findings lie in the section it looks at, and depend only on that section, the [DEFAULT] keys it
/// inherits, the sections of the same name (in either file), the file's line break and the [plugins] section. The
/// engine runs it section by section, and after an edit only for the sections the edit changed.
/// </summary>
public interface ISectionRule : IDiagnosticRule
{
    IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section);

    /// <summary>
    /// Also reads the names of the other sections of the file: any change of a name runs it again on every section
    /// that had a finding (of any rule) or changed. Such a rule must decide WHETHER a section has a finding from the
    /// section alone; the names may change only what the finding says or fixes (a section without one stays without).
    /// </summary>
    bool ReadsSectionNames => false;

    /// <summary>Also reads whether either file is unreadable: a change of that runs it again as <see cref="ReadsSectionNames"/> does, under the same condition.</summary>
    bool ReadsFileProblems => false;
}

/// <summary>
/// A rule about one profile: its findings depend on the profile's resolution (its chain of source profiles and their
/// sso-sessions) and on the role profiles that name the same source or name it as their source. After an edit the
/// engine re-runs it only for profiles whose chain or sources the edit can change.
/// </summary>
public interface IProfileRule : IDiagnosticRule
{
    IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile);
}

/// <summary>Runs section and profile rules over a whole model (their <see cref="IDiagnosticRule.Analyze"/>).</summary>
public static class RuleRunner
{
    public static IEnumerable<Diagnostic> AllSections(ISectionRule rule, AnalysisContext context)
    {
        foreach (var file in new[] { context.Model.Config, context.Model.Credentials })
        {
            foreach (var section in file.Sections)
            {
                foreach (var diagnostic in rule.AnalyzeSection(context, section)) yield return diagnostic;
            }
        }
    }

    public static IEnumerable<Diagnostic> AllProfiles(IProfileRule rule, AnalysisContext context)
    {
        foreach (var profile in context.Model.Profiles.Values)
        {
            foreach (var diagnostic in rule.AnalyzeProfile(context, profile)) yield return diagnostic;
        }
    }
}

/// <summary>
/// A diagnostic rule: one class per code, in <c>Rules/</c>. <see cref="Wrong"/> and <see cref="Right"/> are the
/// examples docs/rules.md shows (a test keeps the document in sync); the docs anchor is the code.
/// </summary>
public interface IDiagnosticRule
{
    string Code { get; }
    DiagnosticSeverity DefaultSeverity { get; }
    /// <summary>One line for docs/rules.md and hovers.</summary>
    string Summary { get; }
    /// <summary>A minimal config (or credentials, see <see cref="ExampleFile"/>) that triggers the rule.</summary>
    string Wrong { get; }
    /// <summary>The same example fixed.</summary>
    string Right { get; }
    ConfigFileKind ExampleFile => ConfigFileKind.Config;
    IEnumerable<Diagnostic> Analyze(AnalysisContext context);
    /// <summary>Facts that are not in the text (the credentials file's mode) under which <see cref="Wrong"/> triggers the rule.</summary>
    FileFacts WrongFacts => FileFacts.None;
    /// <summary>Facts under which <see cref="Right"/> does not.</summary>
    FileFacts RightFacts => FileFacts.None;
}
