using System.Collections.Immutable;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// The diagnostics of one version of a model, and what the next analysis reuses: the findings of section rules per
/// section, of profile rules per profile (with the sections they point into, to move them when text shifts), and the
/// references between profiles. An analysis consumes the result it starts from: reuse each result once.
/// </summary>
public sealed class AnalysisResult
{
    internal AnalysisResult(ProfileModel model, DiagnosticList diagnostics, DiagnosticOptions options, FileFacts facts,
        List<(SectionEntry Section, Unit Unit)> sectionUnits, List<(string Name, Unit Unit)> profileUnits, ReferenceIndex index)
    {
        Model = model;
        Diagnostics = diagnostics;
        Options = options;
        Facts = facts;
        SectionUnits = sectionUnits;
        ProfileUnits = profileUnits;
        Index = index;
        ConfigUnreadable = model.Config.IsUnreadable;
        CredentialsUnreadable = model.Credentials.IsUnreadable;
        ConfigNewline = Rules.SectionNames.FirstNewline(model.Config);
        CredentialsNewline = Rules.SectionNames.FirstNewline(model.Credentials);
    }

    public ProfileModel Model { get; }
    /// <summary>Sorted by file and position; <see cref="DiagnosticList.GetShifted"/> reads places without building diagnostics.</summary>
    public DiagnosticList Diagnostics { get; }
    /// <summary>How the analysis ran: from scratch, or re-running rules for this many sections and profiles.</summary>
    public string Mode { get; internal set; } = "full";
    /// <summary>Whether every rule ran over the whole model (no previous result to start from).</summary>
    public bool IsFull { get; internal init; } = true;
    public DiagnosticOptions Options { get; }
    public FileFacts Facts { get; }
    /// <summary>The units of section rules, in file order (config, then credentials).</summary>
    internal List<(SectionEntry Section, Unit Unit)> SectionUnits { get; }
    /// <summary>The units of profile rules, in model order.</summary>
    internal List<(string Name, Unit Unit)> ProfileUnits { get; }

    /// <summary>The units of the given sections that have one.</summary>
    internal Dictionary<SectionEntry, Unit> SectionUnitsOf(HashSet<SectionEntry> sections)
    {
        var units = new Dictionary<SectionEntry, Unit>(ReferenceEqualityComparer.Instance);
        foreach (var (section, unit) in SectionUnits)
        {
            if (sections.Contains(section)) units[section] = unit;
        }
        return units;
    }

    /// <summary>The units of the given profiles that have one.</summary>
    internal Dictionary<string, Unit> ProfileUnitsOf(HashSet<string> names)
    {
        var units = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var (name, unit) in ProfileUnits)
        {
            if (names.Contains(name)) units[name] = unit;
        }
        return units;
    }

    /// <summary>The profile units by profile name (for an analysis that walks every profile).</summary>
    internal Dictionary<string, Unit> ProfileUnitsByName()
    {
        var units = new Dictionary<string, Unit>(ProfileUnits.Count, StringComparer.Ordinal);
        foreach (var (name, unit) in ProfileUnits) units[name] = unit;
        return units;
    }
    internal ReferenceIndex Index { get; }
    internal bool ConfigUnreadable { get; }
    internal bool CredentialsUnreadable { get; }
    internal string? ConfigNewline { get; }
    internal string? CredentialsNewline { get; }
    internal int Consumed;
    /// <summary>The result this one was computed from (incrementally), until <see cref="Commit"/>: what <see cref="Abandon"/> returns to.</summary>
    private AnalysisResult? baseResult;
    private List<(string Name, string? Source, string? Session, string? Services)>? journal;

    internal void SetBase(AnalysisResult previous, List<(string Name, string? Source, string? Session, string? Services)> changes)
    {
        baseResult = previous;
        journal = changes;
        // Something is built on the previous result now: it cannot go back to its own base any more.
        previous.baseResult = null;
        previous.journal = null;
    }

    /// <summary>
    /// Throws this result away (it was computed from a model that changed under it): the result it was computed from
    /// is again the base of the next analysis, as if this one had never run. Never use this result as a base afterwards.
    /// </summary>
    public void Abandon()
    {
        if (baseResult is { } previous && journal is not null)
        {
            Index.Rollback(journal);
            Volatile.Write(ref previous.Consumed, 0);
        }
        baseResult = null;
        journal = null;
        Volatile.Write(ref Consumed, 1);
    }

    /// <summary>Keeps this result: it can no longer be abandoned, and the result it was computed from is released.</summary>
    public void Commit()
    {
        baseResult = null;
        journal = null;
    }
    /// <summary>Whether the config's [plugins] loads the endpoint plugin, when an analysis asked (kept: see <see cref="AnalysisContext.LoadsEndpointPlugin"/>).</summary>
    internal bool? LoadsEndpointPlugin { get; init; }
    /// <summary>The sections that hold a suppression comment.</summary>
    internal List<SectionEntry> MarkedSections { get; init; } = [];

    /// <summary>
    /// For each diagnostic (in <see cref="Diagnostics"/> order), the unit that found it: an index into
    /// <see cref="SectionUnits"/>, or past them into <see cref="ProfileUnits"/>; -1 for a whole-file rule's.
    /// </summary>
    internal int[] Owners { get; init; } = [];

    /// <summary>For each diagnostic, the index of the rule (in <see cref="DiagnosticEngine.Rules"/>) that found it.</summary>
    internal int[] RuleIndices { get; init; } = [];

    /// <summary>
    /// The units (see <see cref="Owners"/>) of findings that repeat another's code and place, and of the findings they
    /// repeat: only the first is listed. The next splice re-runs them, so that it decides again which one is listed.
    /// </summary>
    internal int[] RepeatOwners { get; init; } = [];

    /// <summary>
    /// Whether the next analysis may splice this one's sorted diagnostics (see DiagnosticEngine.Splice): every finding
    /// of a unit is listed, silenced by a suppression comment or a repeat (<see cref="RepeatOwners"/>), and no rule failed.
    /// </summary>
    internal bool Spliceable { get; init; }
}

/// <summary>
/// The findings of one section or one profile (rule index, diagnostic), and the sections they point into with their
/// start then. Kept as found while those sections only move (see <see cref="AnalysisPlan.Move"/>).
/// </summary>
internal sealed record Unit((int Rule, Diagnostic Diagnostic)[] Items, (SectionEntry Section, int Start)[] Anchors)
{
    /// <summary>The anchors' <see cref="SectionEntry.Id"/>s: whether an edit replaced one is checked without reading the entries.</summary>
    public int[] AnchorIds { get; } = AnchorIdsOf(Anchors);

    /// <summary>For a profile's unit, the hash of the profile's name (see <see cref="NameHashOf"/>): a cheap first check of "is it dirty".</summary>
    public int NameHash { get; init; }

    public static int NameHashOf(string name) => StringComparer.Ordinal.GetHashCode(name);

    private static int[] AnchorIdsOf((SectionEntry Section, int Start)[] anchors)
    {
        var ids = new int[anchors.Length];
        for (var i = 0; i < ids.Length; i++) ids[i] = anchors[i].Section.Id;
        return ids;
    }

    // 0: not known yet, 1: yes, 2: no. Computed when an analysis after an edit first keeps or moves the unit (a full
    // analysis of a 40k-profile source_profile loop has units with 40k places and anchors: not paid up front).
    private int mappable;

    // Read and written whole by concurrent readers. One array, not a tuple of three: kept by every unit that an edit
    // moved once (most of them over a session: ~80 bytes a unit less, ~1 MiB at 50k profiles).
    private int[]? flat;

    /// <summary>
    /// The anchors as they were when found, flat: file (as an int), start and end of each, three ints an anchor (what
    /// <see cref="PlaceShift"/> reads).
    /// </summary>
    public int[] Flat
    {
        get
        {
            if (Volatile.Read(ref flat) is { } found) return found;
            var values = new int[Anchors.Length * 3];
            for (var i = 0; i < Anchors.Length; i++)
            {
                var (section, start) = Anchors[i];
                values[3 * i] = (int)section.File.Kind;
                values[3 * i + 1] = start;
                values[3 * i + 2] = start + section.Syntax.Length;
            }
            // Two threads may both build it: equal values.
            Volatile.Write(ref flat, values);
            return values;
        }
    }

    /// <summary>Whether every place of the findings lies inside one of the anchors (else the unit is re-run once its sections move).</summary>
    public bool Mappable
    {
        get
        {
            if (mappable == 0) mappable = AnalysisPlan.AllMappable(Items, Anchors) ? 1 : 2;
            return mappable == 1;
        }
    }
}

/// <summary>Which role profiles name each source, which profiles name each sso-session and each services section; kept up to date across edits.</summary>
internal sealed class ReferenceIndex
{
    private ReferenceIndex(int roles, int sessionUsers, int servicesUsers)
    {
        // Sized up front: grown by doubling, the tables of a 50k-profile file (~40k roles) left their smaller arrays
        // behind as the analysis' garbage, and spent the open's time copying them.
        SourceOf = new(roles, StringComparer.Ordinal);
        RolesBySource = new(StringComparer.Ordinal);
        SessionOf = new(sessionUsers, StringComparer.Ordinal);
        ProfilesBySession = new(StringComparer.Ordinal);
        ServicesOf = new(servicesUsers, StringComparer.Ordinal);
        ProfilesByServices = new(StringComparer.Ordinal);
    }

    public Dictionary<string, NameSet> ProfilesByServices { get; }
    public Dictionary<string, string> ServicesOf { get; }
    public Dictionary<string, NameSet> RolesBySource { get; }
    public Dictionary<string, string> SourceOf { get; }
    public Dictionary<string, NameSet> ProfilesBySession { get; }
    public Dictionary<string, string> SessionOf { get; }

    public static ReferenceIndex Build(ProfileModel model) => Build(model, out _);

    /// <summary>
    /// <see cref="Build(ProfileModel)"/>, and from the same pass the role profiles that send an mfa_serial by the source
    /// they name (<see cref="MfaRoleTable"/>): exact for this version of the model only, so kept by the analysis that
    /// asked, not by the index.
    /// </summary>
    public static ReferenceIndex Build(ProfileModel model, out MfaRoleTable mfaRoles)
    {
        var profiles = model.ProfileList;
        // What each profile refers to, read once: the key look-ups are most of the build (at 50k profiles ~40 ms before
        // the rules can start), so a large file's are read on two threads. The tables are then filled in profile order.
        var references = new (string? Source, string? Session, string? Services)[profiles.Count];
        // A role's mfa_serial, read in the same pass (see MfaRoleTable).
        var mfaSerials = new string?[profiles.Count];
        var half = profiles.Count >= ParallelFrom && DiagnosticEngine.MaxParallelism > 1 ? profiles.Count / 2 : profiles.Count;
        var second = half < profiles.Count
            ? Task.Run(() =>
            {
                // The version this build reads: the scope is per thread.
                using var read = model.Read();
                ReadReferences(profiles, references, mfaSerials, half, profiles.Count);
            })
            : null;
        ReadReferences(profiles, references, mfaSerials, 0, half);
        second?.GetAwaiter().GetResult();
        var (roles, sessionUsers, servicesUsers) = (0, 0, 0);
        foreach (var (source, session, services) in references)
        {
            if (source is not null) roles++;
            if (session is not null) sessionUsers++;
            if (services is not null) servicesUsers++;
        }
        var index = new ReferenceIndex(roles, sessionUsers, servicesUsers);
        MfaRoleTable? table = null;
        // The tables from each profile to what it names on another thread than those from each name to its profiles:
        // no table is written by both (at 50k profiles the links were ~15 ms on one thread, the other core idle).
        TwoThreads.Run(second is not null,
            () =>
            {
                for (var i = 0; i < references.Length; i++) index.LinkTargets(profiles[i].Name, references[i]);
                table = MfaRoleTable.Build(profiles, references, mfaSerials);
            },
            () =>
            {
                for (var i = 0; i < references.Length; i++) index.LinkNames(profiles[i].Name, references[i]);
            });
        mfaRoles = table!;
        return index;
    }

    // Below this many profiles, one thread is faster than starting another.
    private const int ParallelFrom = 4096;

    private static void ReadReferences(IReadOnlyList<Profile> profiles, (string? Source, string?, string?)[] references, string?[] mfaSerials, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var profile = profiles[i];
            references[i] = ReferencesOf(profile);
            if (references[i].Source is not null) mfaSerials[i] = profile.Get(Keys.MfaSerial)?.Value;
        }
    }

    /// <summary>The source profile of a role, the sso-session and the services section <paramref name="profile"/> names (each null when it names none).</summary>
    private static (string? Source, string? Session, string? Services) ReferencesOf(Profile profile) => (
        RuleSupport.AssumesRole(profile) && profile.Get(Keys.SourceProfile) is { } source ? source.Value : null,
        profile.Get(Keys.SsoSession)?.Value,
        profile.Get("services")?.Value);

    private void Link(string name, (string? Source, string? Session, string? Services) references)
    {
        LinkTargets(name, references);
        LinkNames(name, references);
    }

    /// <summary>What <paramref name="name"/> names, into the tables from a profile to its source, session and services.</summary>
    private void LinkTargets(string name, (string? Source, string? Session, string? Services) references)
    {
        if (references.Source is { } source) SourceOf[name] = source;
        if (references.Session is { } session) SessionOf[name] = session;
        if (references.Services is { } services) ServicesOf[name] = services;
    }

    /// <summary><paramref name="name"/> into the tables from each source, session and services name to the profiles that name it.</summary>
    private void LinkNames(string name, (string? Source, string? Session, string? Services) references)
    {
        if (references.Source is { } source) AddName(RolesBySource, name, source);
        if (references.Session is { } session) AddName(ProfilesBySession, name, session);
        if (references.Services is { } services) AddName(ProfilesByServices, name, services);
    }

    /// <summary>
    /// Replaces what the index knows of <paramref name="name"/> by what the model says; returns the old and new source
    /// and session. The old ones are added to <paramref name="journal"/>, for <see cref="Rollback"/>.
    /// </summary>
    public (string? OldSource, string? NewSource, string? OldSession, string? NewSession) Update(string name, ProfileModel model,
        List<(string Name, string? Source, string? Session, string? Services)> journal)
    {
        var (oldSource, oldSession, oldServices) = Remove(name);
        journal.Add((name, oldSource, oldSession, oldServices));
        if (model.GetProfile(name) is { } profile) Add(profile);
        return (oldSource, SourceOf.GetValueOrDefault(name), oldSession, SessionOf.GetValueOrDefault(name));
    }

    /// <summary>Undoes the updates of <paramref name="journal"/>, newest first: the index is again what it was before them.</summary>
    public void Rollback(List<(string Name, string? Source, string? Session, string? Services)> journal)
    {
        for (var i = journal.Count - 1; i >= 0; i--)
        {
            var (name, source, session, services) = journal[i];
            Remove(name);
            if (source is not null) Link(RolesBySource, SourceOf, name, source);
            if (session is not null) Link(ProfilesBySession, SessionOf, name, session);
            if (services is not null) Link(ProfilesByServices, ServicesOf, name, services);
        }
        journal.Clear();
    }

    private (string? Source, string? Session, string? Services) Remove(string name)
    {
        string? oldSource = null, oldSession = null, oldServices = null;
        if (ServicesOf.Remove(name, out var services))
        {
            oldServices = services;
            ProfilesByServices[services].Remove(name);
        }
        if (SourceOf.Remove(name, out var source))
        {
            oldSource = source;
            RolesBySource[source].Remove(name);
        }
        if (SessionOf.Remove(name, out var session))
        {
            oldSession = session;
            ProfilesBySession[session].Remove(name);
        }
        return (oldSource, oldSession, oldServices);
    }

    private static void Link(Dictionary<string, NameSet> byTarget, Dictionary<string, string> targetOf, string name, string target)
    {
        targetOf[name] = target;
        AddName(byTarget, name, target);
    }

    private static void AddName(Dictionary<string, NameSet> byTarget, string name, string target)
    {
        ref var names = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byTarget, target, out _);
        (names ??= new NameSet()).Add(name);
    }

    private void Add(Profile profile) => Link(profile.Name, ReferencesOf(profile));
}

/// <summary>What an incremental analysis re-runs: the sections and profiles an edit can change.</summary>
internal sealed class AnalysisPlan
{
    public required AnalysisResult Previous { get; init; }
    public required HashSet<SectionEntry> DirtySections { get; init; }
    public required HashSet<string> DirtyProfiles { get; init; }
    public bool AllProfiles { get; init; }
    /// <summary>The profile and sso-session names whose sections changed (removed, added or edited).</summary>
    public HashSet<string> ChangedNames { get; init; } = [];
    /// <summary>The sections the edits since the previous result replaced or removed (of both files): no longer in the model.</summary>
    public List<SectionEntry> RemovedSections { get; init; } = [];
    public bool NamesChanged { get; init; }
    public bool ProblemsChanged { get; init; }

    /// <summary>The plan to go from <paramref name="previous"/> to <paramref name="model"/>, or null when only a full analysis is right.</summary>
    /// <summary>The updates made to the previous result's <see cref="ReferenceIndex"/>, to undo them if the analysis does not complete.</summary>
    public List<(string Name, string? Source, string? Session, string? Services)> Journal { get; private init; } = [];

    /// <summary>
    /// The plan to go from <paramref name="previous"/> to <paramref name="model"/>, or null when only a full analysis is
    /// right. A plan consumes <paramref name="previous"/> (its index is updated in place) until <see cref="Rollback"/>;
    /// when there is no plan, <paramref name="previous"/> is left as it was.
    /// </summary>
    public static AnalysisPlan? Create(ProfileModel model, AnalysisResult previous, DiagnosticOptions options, FileFacts facts, out string why)
    {
        why = "previous result already used";
        if (Interlocked.Exchange(ref previous.Consumed, 1) != 0) return null;
        var journal = new List<(string Name, string? Source, string? Session, string? Services)>();
        AnalysisPlan? plan = null;
        try
        {
            plan = CreateCore(model, previous, options, facts, journal, out why);
            return plan;
        }
        finally
        {
            if (plan is null)
            {
                previous.Index.Rollback(journal);
                Volatile.Write(ref previous.Consumed, 0);
            }
        }
    }

    /// <summary>Undoes what the plan changed in the previous result, which is again usable as a base.</summary>
    public void Rollback()
    {
        Previous.Index.Rollback(Journal);
        Volatile.Write(ref Previous.Consumed, 0);
    }

    private static AnalysisPlan? CreateCore(ProfileModel model, AnalysisResult previous, DiagnosticOptions options, FileFacts facts,
        List<(string Name, string? Source, string? Session, string? Services)> journal, out string why)
    {
        why = "other options or facts";
        if (!ReferenceEquals(options, previous.Options) || facts != previous.Facts) return null;
        var configChanges = ProfileModel.Follows(model.Config, previous.Model.Config);
        var credentialsChanges = ProfileModel.Follows(model.Credentials, previous.Model.Credentials);
        why = configChanges is null ? "the config file was rebuilt from scratch" : "the credentials file was rebuilt from scratch";
        if (configChanges is null || credentialsChanges is null) return null;
        why = "line break changed";
        if (Rules.SectionNames.FirstNewline(model.Config) != previous.ConfigNewline
            || Rules.SectionNames.FirstNewline(model.Credentials) != previous.CredentialsNewline)
        {
            return null;
        }
        why = "[plugins] changed";

        var changed = new List<SectionEntry>();
        var removedSections = new List<SectionEntry>();
        var namesChanged = false;
        foreach (var change in configChanges.Concat(credentialsChanges))
        {
            changed.AddRange(change.Removed);
            changed.AddRange(change.Added);
            removedSections.AddRange(change.Removed);
            namesChanged |= change.NamesChanged;
        }
        var dirtySections = new HashSet<SectionEntry>(ReferenceEqualityComparer.Instance);
        var changedNames = new HashSet<string>(StringComparer.Ordinal);
        var allProfiles = false;
        foreach (var section in changed)
        {
            // [plugins] decides whether profile blocks are read by the endpoint plugin: every key changes meaning.
            if (section.RawName == "plugins") return null;
            if (IsCurrent(model, section)) dirtySections.Add(section);
            if (section.EntityName is { } name && section.Role is SectionRole.Profile or SectionRole.SsoSession)
            {
                changedNames.Add(name);
                // The list of sso-sessions is in the messages of sso-session-not-found.
                if (section.Role == SectionRole.SsoSession && namesChanged) allProfiles = true;
            }
        }
        // Section rules also read the sections of the same name in the other file (secret-in-config-file).
        foreach (var name in changedNames)
        {
            foreach (var table in new[] { model.Config.Profiles, model.Credentials.Profiles, model.Config.SsoSessions })
            {
                if (table.TryGetValue(name, out var section)) dirtySections.Add(section);
            }
        }

        // Profiles: the changed ones, the profiles whose chain goes through a changed name or its old or new source,
        // and the profiles that name a changed sso-session; then every role whose source is one of those, and so on.
        var index = previous.Index;
        var seeds = new List<string>(changedNames);
        foreach (var name in changedNames)
        {
            // The old and new source: their rules read their roles (missing-mfa-serial's siblings), and their other roles
            // are siblings of this one. Not the sso-session a profile names: no profile rule reads the other profiles of
            // a session (an edit of the [sso-session] itself is a changed name, whose users are re-run below).
            var (oldSource, newSource, _, _) = index.Update(name, model, journal);
            if (oldSource is not null) seeds.Add(oldSource);
            if (newSource is not null) seeds.Add(newSource);
        }
        // A profile named "" resolves the credentials of "default".
        if (changedNames.Contains("default")) seeds.Add("");
        var dirtyProfiles = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(seeds);
        while (queue.Count > 0 && !allProfiles)
        {
            var name = queue.Dequeue();
            if (!visited.Add(name)) continue;
            if (model.Profiles.ContainsKey(name)) dirtyProfiles.Add(name);
            if (index.RolesBySource.TryGetValue(name, out var roles)) foreach (var role in roles) queue.Enqueue(role);
            if (index.ProfilesBySession.TryGetValue(name, out var users)) foreach (var user in users) queue.Enqueue(user);
            if (dirtyProfiles.Count > model.Profiles.Count / 4 + 64) allProfiles = true;
        }

        // Section rules may read the chain of the section's profile (invalid-duration-seconds): re-run them for the
        // sections of every profile re-analysed, and for [DEFAULT], whose keys every chain reads.
        why = "too many profiles affected";
        if (allProfiles) return null;
        why = "";
        foreach (var name in dirtyProfiles)
        {
            foreach (var section in model.Profiles[name].Sections) dirtySections.Add(section);
        }
        if (dirtyProfiles.Count > 0)
        {
            foreach (var file in new[] { model.Config, model.Credentials })
            {
                foreach (var defaults in file.DefaultsSections) dirtySections.Add(defaults);
            }
        }
        return new AnalysisPlan
        {
            Previous = previous,
            Journal = journal,
            DirtySections = dirtySections,
            DirtyProfiles = dirtyProfiles,
            ChangedNames = changedNames,
            RemovedSections = removedSections,
            AllProfiles = allProfiles,
            NamesChanged = namesChanged,
            ProblemsChanged = model.Config.IsUnreadable != previous.ConfigUnreadable || model.Credentials.IsUnreadable != previous.CredentialsUnreadable,
        };
    }

    /// <summary>
    /// The sections an analysis after this edit must visit when no section rule runs everywhere: those with findings
    /// last time (still in the files) and the dirty ones, in file order, each with its previous unit. A section with
    /// neither has no finding to keep and none to make.
    /// </summary>
    public List<(SectionEntry Section, Unit? Old)> SectionsToVisit(ProfileModel model)
    {
        var visit = new List<(long Order, SectionEntry Section, Unit? Old)>(Previous.SectionUnits.Count + DirtySections.Count);
        foreach (var (section, unit) in Previous.SectionUnits)
        {
            if (DirtySections.Contains(section) || !IsCurrent(model, section, out var index)) continue;
            visit.Add((Order(section, index), section, unit));
        }
        if (DirtySections.Count > 0)
        {
            var previous = Previous.SectionUnitsOf(DirtySections);
            foreach (var section in DirtySections)
            {
                if (IsCurrent(model, section, out var index)) visit.Add((Order(section, index), section, previous.GetValueOrDefault(section)));
            }
        }
        visit.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        var sections = new List<(SectionEntry Section, Unit? Old)>(visit.Count);
        foreach (var (_, section, old) in visit) sections.Add((section, old));
        return sections;

        static long Order(SectionEntry section, int index) => ((long)section.File.Kind << 32) | (uint)index;
    }

    /// <summary>
    /// The profiles an analysis after this edit must visit: those with findings last time (still in the model) and the
    /// dirty ones, in model order, each with its previous unit. A profile with neither has no finding to keep and none to make.
    /// </summary>
    public List<(string Name, Unit? Old)> ProfilesToVisit(ProfileModel model, AnalysisContext context)
    {
        var visit = new List<(string Name, Unit? Old)>(Previous.ProfileUnits.Count + DirtyProfiles.Count);
        foreach (var (name, unit) in Previous.ProfileUnits)
        {
            if (DirtyProfiles.Contains(name)) continue;
            // Only a name whose sections changed can be gone.
            if (ChangedNames.Contains(name) && !model.Profiles.ContainsKey(name)) continue;
            visit.Add((name, unit));
        }
        if (DirtyProfiles.Count > 0)
        {
            var previous = Previous.ProfileUnitsOf(DirtyProfiles);
            foreach (var name in DirtyProfiles) visit.Add((name, previous.GetValueOrDefault(name)));
        }
        var ranked = new List<(long Rank, int Index)>(visit.Count);
        for (var i = 0; i < visit.Count; i++)
        {
            // Every name kept is in the model (see above); one that is not is left out rather than guessed.
            if (model.GetProfile(visit[i].Name) is { } profile) ranked.Add((context.RankOf(profile), i));
        }
        ranked.Sort();
        var profiles = new List<(string Name, Unit? Old)>(ranked.Count);
        foreach (var (_, i) in ranked) profiles.Add(visit[i]);
        return profiles;
    }

    /// <summary>Whether the section belongs to the model's version of its file, and its index there.</summary>
    public static bool IsCurrent(ProfileModel model, SectionEntry section, out int index)
    {
        var of = section.File;
        var file = model.GetFile(of.Kind);
        index = -1;
        if (!ReferenceEquals(of, file)) return false;
        index = file.IndexOf(section);
        return index >= 0;
    }

    /// <summary>Whether the section belongs to the model's version of its file.</summary>
    public static bool IsCurrent(ProfileModel model, SectionEntry section)
    {
        var file = model.GetFile(section.File.Kind);
        return ReferenceEquals(section.File, file) && section.SectionIndex < file.Sections.Count && ReferenceEquals(file.Sections[section.SectionIndex], section);
    }

    /// <summary>
    /// Whether the unit's findings hold at the model's positions: null when one of the sections they point into is
    /// gone, or moved while a place is outside them (re-run the unit); else how far the places moved (null: not at
    /// all). The findings are read shifted, not copied.
    /// </summary>
    public static bool Move(ProfileModel model, Unit unit, out PlaceShift? shift)
    {
        shift = null;
        int[]? deltas = null;
        var flat = unit.Flat;
        for (var i = 0; i < unit.Anchors.Length; i++)
        {
            // Asked of the model's version directly: each SectionEntry.File / Start is a version lookup, and this runs
            // for every anchor of every unit kept after an edit.
            var file = model.GetFile((ConfigFileKind)flat[3 * i]);
            var section = unit.Anchors[i].Section;
            if (!ReferenceEquals(section.File, file)) return false;
            var index = file.IndexOf(section);
            if (index < 0) return false;
            var delta = file.Syntax.GetSectionStart(index) - flat[3 * i + 1];
            if (delta == 0) continue;
            deltas ??= new int[unit.Anchors.Length];
            deltas[i] = delta;
        }
        if (deltas is null) return true;
        if (!unit.Mappable) return false;
        shift = new PlaceShift(flat, deltas);
        return true;
    }

    /// <summary>The unit's findings copied at the model's positions (anchors at their current start), or null (see <see cref="Move"/>).</summary>
    public static Unit? Rebase(ProfileModel model, Unit unit)
    {
        var moved = false;
        foreach (var (section, start) in unit.Anchors)
        {
            if (!IsCurrent(model, section)) return null;
            moved |= section.Start != start;
        }
        return moved ? MoveItems(unit) : unit;
    }

    internal static bool AllMappable((int Rule, Diagnostic Diagnostic)[] items, (SectionEntry Section, int Start)[] anchors)
    {
        foreach (var (_, diagnostic) in items)
        {
            foreach (var place in diagnostic.Places)
            {
                if (!InAnchor(anchors, place)) return false;
            }
        }
        return true;
    }

    /// <summary>Whether the place lies inside one of the anchors as they were (what <see cref="Map"/> needs).</summary>
    private static bool InAnchor((SectionEntry Section, int Start)[] anchors, SourceLocation location)
    {
        foreach (var (section, start) in anchors)
        {
            if (section.File.Kind == location.File && location.Span.Start >= start && location.Span.End <= start + section.Syntax.Length) return true;
        }
        return false;
    }

    private static SourceLocation? Map((SectionEntry Section, int Start)[] anchors, SourceLocation location)
    {
        foreach (var (section, start) in anchors)
        {
            if (section.File.Kind != location.File) continue;
            if (location.Span.Start < start || location.Span.End > start + section.Syntax.Length) continue;
            return location with { Span = location.Span.Shift(section.Start - start) };
        }
        return null;
    }

    private static Unit? MoveItems(Unit unit)
    {
        var anchors = unit.Anchors;
        var items = new (int Rule, Diagnostic Diagnostic)[unit.Items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var (rule, diagnostic) = unit.Items[i];
            if (diagnostic.Moved(location => Map(anchors, location)) is not { } moved) return null;
            items[i] = (rule, moved);
        }
        var movedAnchors = new (SectionEntry Section, int Start)[anchors.Length];
        for (var i = 0; i < anchors.Length; i++) movedAnchors[i] = (anchors[i].Section, anchors[i].Section.Start);
        return new Unit(items, movedAnchors) { NameHash = unit.NameHash };
    }

    /// <summary>The sections the findings point into (with <paramref name="own"/>), at their current start.</summary>
    public static (SectionEntry, int)[] AnchorsOf(ProfileModel model, Profile profile, List<(int Rule, Diagnostic Diagnostic)> items) =>
        profile is { ConfigSection: { } config, CredentialsSection: { } credentials }
            ? AnchorsOf(model, [config, credentials], items)
            : AnchorsOf(model, [profile.PrimarySection], items);

    public static (SectionEntry, int)[] AnchorsOf(ProfileModel model, ReadOnlySpan<SectionEntry> own, List<(int Rule, Diagnostic Diagnostic)> items)
    {
        // Most findings point only into their own sections (a profile has one or two): those places need no look-up of
        // the section they fall in. At 50k profiles the look-ups and lists were ~25 ms of an open's analysis.
        // One scratch list per thread (an analysis runs on two): only the result array is made per unit.
        var anchors = scratchAnchors ??= new List<(SectionEntry Section, int Start, int End)>(8);
        anchors.Clear();
        foreach (var section in own)
        {
            var start = section.Start;
            anchors.Add((section, start, start + section.Syntax.Length));
        }
        var ownCount = anchors.Count;
        foreach (var (_, diagnostic) in items)
        {
            foreach (var place in diagnostic.Places)
            {
                if (IsInside(anchors, ownCount, place)) continue;
                var file = model.GetFile(place.File);
                if (file.Sections.Count == 0) continue;
                var section = file.Sections[file.Syntax.FindSectionIndex(place.Span.Start)];
                if (!Holds(anchors, section)) anchors.Add((section, section.Start, section.Start + section.Syntax.Length));
            }
        }
        var result = new (SectionEntry, int)[anchors.Count];
        for (var i = 0; i < result.Length; i++) result[i] = (anchors[i].Section, anchors[i].Start);
        anchors.Clear();
        return result;
    }

    [ThreadStatic]
    private static List<(SectionEntry Section, int Start, int End)>? scratchAnchors;

    private static bool Holds(List<(SectionEntry Section, int Start, int End)> anchors, SectionEntry section)
    {
        foreach (var anchor in anchors)
        {
            if (ReferenceEquals(anchor.Section, section)) return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="place"/> starts strictly inside one of the first <paramref name="count"/> anchors (then it is that section's).</summary>
    private static bool IsInside(List<(SectionEntry Section, int Start, int End)> anchors, int count, SourceLocation place)
    {
        for (var i = 0; i < count; i++)
        {
            var (section, start, end) = anchors[i];
            if (section.File.Kind == place.File && place.Span.Start >= start && place.Span.Start < end) return true;
        }
        return false;
    }
}

/// <summary>
/// The role profiles that send an mfa_serial, by the <c>source_profile</c> they name, in model order, with each source's
/// distinct devices: what missing-mfa-serial asks of every role without one (see
/// <see cref="AnalysisContext.MfaRolesOf"/>). Made by a full analysis in the reference index's pass over the profiles
/// and shared by its threads (read-only once made): asked per source, the siblings were a look-up of every role's name
/// in the model, done again by each thread (~25% of a 50k-profile analysis). A source's sibling list and related
/// places are kept here too, made by the first thread that needs them.
/// </summary>
internal sealed class MfaRoleTable
{
    private readonly Dictionary<string, MfaRoles> bySource;

    private MfaRoleTable(Dictionary<string, MfaRoles> bySource) => this.bySource = bySource;

    internal static MfaRoleTable Build(IReadOnlyList<Profile> profiles, (string? Source, string?, string?)[] references, string?[] mfaSerials)
    {
        var bySource = new Dictionary<string, MfaRoles>(StringComparer.Ordinal);
        for (var i = 0; i < references.Length; i++)
        {
            if (references[i].Source is not { } source || mfaSerials[i] is not { Length: > 0 } serial) continue;
            if (!bySource.TryGetValue(source, out var roles)) bySource[source] = roles = new MfaRoles();
            roles.Add(profiles[i], serial);
        }
        return new MfaRoleTable(bySource);
    }

    /// <summary>The MFA-protected roles of <paramref name="source"/> (<see cref="MfaRoles.None"/> when it has none).</summary>
    internal MfaRoles Of(string source) => bySource.GetValueOrDefault(source) ?? MfaRoles.None;
}

/// <summary>
/// The role profiles of one source that send an mfa_serial, in model order, and their distinct devices
/// (<see cref="AnalysisContext.MfaRolesOf"/>); and missing-mfa-serial's message part and related places for them, the
/// same for every role of the source, made once (a full run's threads share one instance: the first that needs them
/// sets them, see <see cref="Rules.MissingMfaSerialRule"/>).
/// </summary>
internal sealed class MfaRoles
{
    /// <summary>No role of the source sends an mfa_serial (shared; nothing is ever added to it).</summary>
    public static readonly MfaRoles None = new();

    public List<Profile> Roles { get; } = [];
    public List<string> Devices { get; } = new(1);

    /// <summary>missing-mfa-serial's sibling list and related places, once made.</summary>
    public Tuple<string, ImmutableArray<RelatedLocation>>? Siblings;

    public void Add(Profile role, string serial)
    {
        Roles.Add(role);
        if (!Devices.Contains(serial, StringComparer.Ordinal)) Devices.Add(serial);
    }
}
