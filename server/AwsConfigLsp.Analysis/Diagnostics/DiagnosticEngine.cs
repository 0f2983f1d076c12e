using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>Runs every rule over a model: syntax (file) problems first, then chain errors. A failing rule becomes one diagnostic.</summary>
public static partial class DiagnosticEngine
{
    public static readonly IReadOnlyList<IDiagnosticRule> Rules =
    [
        new UnparsableFileRule(),
        new DuplicateSectionRule(),
        new DuplicateKeyRule(),
        new ProfilePrefixInCredentialsRule(),
        new MissingProfilePrefixRule(),
        new DroppedSectionRule(),
        new DefaultProfileShadowedRule(),
        new UnknownKeyRule(),
        new KeyInWrongSectionRule(),
        new InlineCommentInValueRule(),
        new EmptyValueRule(),
        new SecretInConfigFileRule(),
        new SourceProfileLoopRule(),
        new SourceProfileNotFoundRule(),
        new ConflictingCredentialSourcesRule(),
        new InvalidCredentialSourceRule(),
        new RoleWithoutSourceRule(),
        new SourceProfileWithoutCredentialsRule(),
        new PartialStaticCredentialsRule(),
        new IncompleteSsoRule(),
        new WebIdentityWithoutRoleArnRule(),
        new InvalidRoleArnRule(),
        new InvalidMfaSerialRule(),
        new InvalidRegionRule(),
        new InvalidOutputRule(),
        new InvalidDurationSecondsRule(),
        new MfaSerialIgnoredRule(),
        new MissingMfaSerialRule(),
        new SsoSessionNotFoundRule(),
        new UnusedSsoSessionRule(),
        new SourceProfileChainTooDeepRule(),
        new CredentialsFilePermissionsRule(),
        new MfaProbablyRequiredRule(),
    ];

    /// <summary>
    /// All diagnostics of both files, each (code, place) once, sorted by file and position; codes the options disable
    /// or a <c># awsconfig-disable-next-line CODE</c> comment silences are left out, severities as the options say.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Analyze(
        ProfileModel model, DiagnosticOptions? options = null, CancellationToken cancellationToken = default, FileFacts? facts = null) =>
        Analyze(model, null, options, cancellationToken, facts).Diagnostics;

    /// <summary>
    /// The diagnostics of <paramref name="model"/>, the same as a full analysis, re-running rules only where an edit
    /// since <paramref name="previous"/> can change their findings: section rules for the changed sections, profile
    /// rules for the profiles whose chains, sources or sso-sessions changed, the (cheap) whole-file rules everywhere.
    /// <paramref name="previous"/> must be the result for an earlier version of the same documents (see
    /// <see cref="ProfileModel(ConfigFile, ConfigFile, ProfileModel?)"/>), and is used up; anything else means a full analysis.
    /// </summary>
    public static AnalysisResult Analyze(
        ProfileModel model, AnalysisResult? previous, DiagnosticOptions? options, CancellationToken cancellationToken = default, FileFacts? facts = null)
    {
        options ??= DiagnosticOptions.Default;
        facts ??= FileFacts.None;
        // Every position the rules read (SectionEntry.Start, spans) is this version's, even while the message loop builds
        // newer versions from it: versions never change, so an analysis of an older one is exact for that one.
        using var read = model.Read();
        var trace = EngineTrace.Start();
        var why = "no previous result";
        var plan = previous is null ? null : AnalysisPlan.Create(model, previous, options, facts, out why);
        try
        {
            var result = Run(model, plan, why, options, facts, trace, cancellationToken);
            if (plan is not null) result.SetBase(plan.Previous, plan.Journal);
            return result;
        }
        catch (Exception)
        {
            // Cancelled (or the model changed under the analysis): the previous result is the base of the next one again.
            plan?.Rollback();
            throw;
        }
    }

    private static AnalysisResult Run(ProfileModel model, AnalysisPlan? plan, string why, DiagnosticOptions options, FileFacts facts,
        EngineTrace trace, CancellationToken cancellationToken)
    {
        MfaRoleTable? mfaRoles = null;
        var index = plan?.Previous.Index ?? ReferenceIndex.Build(model, out mfaRoles);
        // Whether [plugins] loads the endpoint plugin: an edit that touches a [plugins] section means a full analysis.
        var context = new AnalysisContext(model, facts, index) { LoadsEndpointPlugin = plan?.Previous.LoadsEndpointPlugin, MfaRoles = mfaRoles };
        var perRule = new List<ShiftedDiagnostic>[Rules.Count];
        // The unit each finding came from (see AnalysisResult.Owners).
        var perRuleOwner = new List<int>[Rules.Count];
        var failed = new bool[Rules.Count];
        var failures = new string[Rules.Count];
        for (var r = 0; r < Rules.Count; r++)
        {
            perRule[r] = [];
            perRuleOwner[r] = [];
        }
        var sectionRules = new List<int>();
        var profileRules = new List<int>();
        for (var r = 0; r < Rules.Count; r++)
        {
            if (options.Disabled.Contains(Rules[r].Code)) continue;
            if (Rules[r] is ISectionRule) sectionRules.Add(r);
            else if (Rules[r] is IProfileRule) profileRules.Add(r);
        }
        // Section rules that must run on every section: those that read other sections' names after a rename, or
        // whether a file parses after that changed.
        var everywhere = new bool[Rules.Count];
        foreach (var r in sectionRules)
        {
            var rule = (ISectionRule)Rules[r];
            everywhere[r] = plan is null || plan.NamesChanged && rule.ReadsSectionNames || plan.ProblemsChanged && rule.ReadsFileProblems;
        }

        trace.Mark("plan");
        var configSections = model.Config.Sections;
        var credentialsSections = model.Credentials.Sections;
        var sectionCount = configSections.Count + credentialsSections.Count;
        var anyEverywhere = sectionRules.Exists(r => everywhere[r]);
        // After an edit that re-runs only some units: splice their findings into the previous result's.
        var notSpliced = "";
        if (plan is not null && !plan.AllProfiles)
        {
            if (TrySplice(model, plan, options, facts, context, sectionRules, profileRules, everywhere, ref trace, out var reason, cancellationToken) is { } spliced) return spliced;
            notSpliced = $" (not spliced: {reason})";
        }
        // After an edit, only the sections that had findings or must be re-run are visited (not every section of the
        // files), in file order. A rule that runs "everywhere" runs on each of those: whether it finds something in a
        // section does not depend on what made it run everywhere (see ISectionRule.ReadsSectionNames).
        var sectionsRun = new SectionsRun(model, plan, sectionRules, everywhere, anyEverywhere, configSections, credentialsSections, cancellationToken);
        Chunk[] sectionChunks;
        if (plan is not null)
        {
            var toVisit = plan.SectionsToVisit(model);
            trace.Mark("section list");
            sectionChunks = [sectionsRun.ProcessListed(toVisit, new Chunk(context, (bool[])failed.Clone()))];
        }
        else
        {
            sectionChunks = RunChunks(sectionCount, context, failed, plan is null, sectionsRun.Process);
        }
        var sectionUnits = new List<(SectionEntry Section, Unit Unit)>(plan?.Previous.SectionUnits.Count ?? 0);
        var rerunSections = 0;
        foreach (var chunk in sectionChunks)
        {
            rerunSections += chunk.Rerun;
            foreach (var (section, unit, shift) in chunk.SectionUnits)
            {
                Collect(unit, shift, failed, perRule, perRuleOwner, sectionUnits.Count);
                sectionUnits.Add((section, unit));
            }
            MergeFailures(chunk, failed, failures);
        }

        trace.Mark("sections");
        var profilesRun = new ProfilesRun(model, plan, profileRules, plan is not null && plan.AllProfiles ? plan.Previous.ProfileUnitsByName() : null, cancellationToken);
        Chunk[] profileChunks;
        if (plan is not null && !plan.AllProfiles)
        {
            // The profiles that had findings or must be re-run, in model order: not every profile of the files.
            var toVisit = plan.ProfilesToVisit(model, context);
            trace.Mark("profile list");
            profileChunks = [profilesRun.ProcessListed(toVisit, new Chunk(context, (bool[])failed.Clone()))];
        }
        else
        {
            var profiles = model.ProfileList;
            profileChunks = RunChunks(profiles.Count, context, failed, true, (from, to, chunk) => profilesRun.Process(profiles, from, to, chunk));
        }
        var profileUnits = new List<(string Name, Unit Unit)>(plan?.Previous.ProfileUnits.Count ?? 0);
        var rerunProfiles = 0;
        foreach (var chunk in profileChunks)
        {
            rerunProfiles += chunk.Rerun;
            foreach (var (name, unit, shift) in chunk.ProfileUnits)
            {
                Collect(unit, shift, failed, perRule, perRuleOwner, sectionUnits.Count + profileUnits.Count);
                profileUnits.Add((name, unit));
            }
            MergeFailures(chunk, failed, failures);
        }

        trace.Mark("profiles");
        foreach (var (r, diagnostic) in RunFileRules(context, options, failed, failures, cancellationToken))
        {
            perRule[r].Add(new ShiftedDiagnostic(diagnostic, null));
            perRuleOwner[r].Add(-1);
        }

        trace.Mark("file rules");
        // The sections with a suppression comment: those of the last analysis still there, and the changed ones.
        var marked = plan is null
            ? Suppressions.MarkedSections(model)
            : [.. plan.Previous.MarkedSections.Where(section => AnalysisPlan.IsCurrent(model, section) && !plan.DirtySections.Contains(section))
                .Concat(Suppressions.MarkedSections(plan.DirtySections))
                .OrderBy(section => section.File.Kind).ThenBy(section => section.SectionIndex)];
        var suppressions = Suppressions.Find(model, marked);
        var total = 0;
        foreach (var list in perRule) total += list.Count;
        // Each (code, place) once: the first finding in rule and unit order is listed (its unit kept, for the splice).
        var seen = new Dictionary<(string, SourceLocation), int>(total);
        var repeatOwners = new HashSet<int>();
        var diagnostics = new List<ShiftedDiagnostic>(total + 4);
        var locations = new List<SourceLocation>(total + 4);
        var owners = new List<int>(total + 4);
        var rules = new List<int>(total + 4);
        for (var r = 0; r < Rules.Count; r++)
        {
            for (var i = 0; i < perRule[r].Count; i++)
            {
                var found = perRule[r][i];
                var location = found.Location;
                var owner = perRuleOwner[r][i];
                if (!seen.TryAdd((found.Found.Code, location), owner))
                {
                    repeatOwners.Add(seen[(found.Found.Code, location)]);
                    repeatOwners.Add(owner);
                    continue;
                }
                if (suppressions.Silences(model, found.Found.Code, location)) continue;
                diagnostics.Add(options.Severity.TryGetValue(found.Found.Code, out var severity) ? found with { Found = found.Found with { Severity = severity } } : found);
                locations.Add(location);
                owners.Add(owner);
                rules.Add(r);
            }
            if (failed[r])
            {
                var location = new SourceLocation(ConfigFileKind.Config, new Syntax.TextSpan(0, 0));
                diagnostics.Add(new ShiftedDiagnostic(new Diagnostic(DiagnosticCodes.InternalError, DiagnosticSeverity.Warning, location,
                    $"The check '{Rules[r].Code}' failed and was skipped: {failures[r]}. Please report this."), null));
                locations.Add(location);
                owners.Add(-1);
                rules.Add(r);
            }
        }
        trace.Mark("dedupe");
        // Stable: findings at the same place keep the rules' order.
        var order = new int[diagnostics.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var x = locations[a];
            var y = locations[b];
            if (x.File != y.File) return x.File.CompareTo(y.File);
            return x.Span.Start != y.Span.Start ? x.Span.Start.CompareTo(y.Span.Start) : a.CompareTo(b);
        });
        var sorted = new ShiftedDiagnostic[order.Length];
        var sortedOwners = new int[order.Length];
        var sortedRules = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = diagnostics[order[i]];
            sortedOwners[i] = owners[order[i]];
            sortedRules[i] = rules[order[i]];
        }
        trace.Mark("sort");
        var result = new AnalysisResult(model, new DiagnosticList(sorted), options, facts, sectionUnits, profileUnits, index)
        {
            MarkedSections = marked,
            LoadsEndpointPlugin = context.LoadsEndpointPlugin,
            Owners = sortedOwners,
            RuleIndices = sortedRules,
            RepeatOwners = [.. repeatOwners.Where(owner => owner >= 0)],
            Spliceable = !failed.Any(f => f),
            IsFull = plan is null,
            Mode = (plan is null ? $"full ({why})"
                : $"incremental: {rerunSections} sections, {rerunProfiles} profiles (visited {Visited(sectionChunks, sectionCount)} sections, {Visited(profileChunks, model.Profiles.Count)} profiles){notSpliced}") + trace.End(),
        };
        // A rule that failed leaves partial findings: the next analysis starts from scratch.
        if (failed.Any(f => f))
        {
            result.Consumed = 1;
            result.Mode += " (failed: " + string.Join(", ", Enumerable.Range(0, failed.Length).Where(r => failed[r]).Select(r => $"{Rules[r].Code} {failures[r]}")) + ")";
        }
        return result;
    }

    // How many units the phase visited: all of them when it walked every one.
    private static int Visited(Chunk[] chunks, int all) => chunks.Length == 1 && chunks[0].Listed is { } listed ? listed : all;

    /// <summary>How many threads a full analysis uses (1: sequential; tests compare both).</summary>
    public static int MaxParallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    // Below this many units per chunk, one thread is faster than starting others.
    private const int MinimumChunk = 2048;

    /// <summary>What one chunk of sections or profiles found: its units in order, and the rules that failed in it.</summary>
    private sealed class Chunk(AnalysisContext context, bool[] failed)
    {
        public AnalysisContext Context { get; } = context;
        public bool[] Failed { get; } = failed;
        public string[] Failures { get; } = new string[failed.Length];
        // Each unit with how far its findings moved in each file (see AnalysisPlan.Move).
        public List<(SectionEntry Section, Unit Unit, PlaceShift? Shift)> SectionUnits { get; } = [];
        public List<(string Name, Unit Unit, PlaceShift? Shift)> ProfileUnits { get; } = [];
        public int Rerun { get; set; }
        /// <summary>How many units a listed run visited (null: a walk over every one).</summary>
        public int? Listed { get; set; }
    }

    /// <summary>A unit's findings, into the lists of the rules that have not failed.</summary>
    private static void Collect(Unit unit, PlaceShift? shift, bool[] failed, List<ShiftedDiagnostic>[] perRule, List<int>[] perRuleOwner, int owner)
    {
        foreach (var (r, diagnostic) in unit.Items)
        {
            if (failed[r]) continue;
            perRule[r].Add(new ShiftedDiagnostic(diagnostic, shift));
            perRuleOwner[r].Add(owner);
        }
    }

    /// <summary>
    /// Runs <paramref name="process"/> over [0, <paramref name="count"/>) in contiguous chunks, in parallel when the work
    /// is large (a full analysis) and the machine has cores: each chunk has its own context (rules cache per context),
    /// and the chunks are returned in order, so merging them gives what one sequential run gives.
    /// </summary>
    private static Chunk[] RunChunks(int count, AnalysisContext context, bool[] failed, bool large, Action<int, int, Chunk> process)
    {
        var parallelism = large ? Math.Min(MaxParallelism, count / MinimumChunk) : 1;
        if (parallelism <= 1)
        {
            var only = new Chunk(context, (bool[])failed.Clone());
            process(0, count, only);
            return [only];
        }
        var chunks = new Chunk[parallelism];
        for (var c = 0; c < parallelism; c++)
        {
            chunks[c] = new Chunk(c == 0 ? context : new AnalysisContext(context.Model, context.Facts, context.Index) { MfaRoles = context.MfaRoles },
                (bool[])failed.Clone());
            // A large run meets most sources in each chunk: their tables are sized for all of them.
            chunks[c].Context.SizedForEverySource = true;
        }
        var tasks = new Task[parallelism - 1];
        for (var c = 1; c < parallelism; c++)
        {
            var chunk = chunks[c];
            var from = (int)((long)count * c / parallelism);
            var to = (int)((long)count * (c + 1) / parallelism);
            tasks[c - 1] = Task.Run(() =>
            {
                // The version this analysis reads (see Analyze): the scope is per thread.
                using var read = context.Model.Read();
                process(from, to, chunk);
            });
        }
        Exception? first = null;
        try
        {
            process(0, (int)((long)count / parallelism), chunks[0]);
        }
        catch (Exception exception)
        {
            first = exception;
        }
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException exception)
        {
            first ??= exception.InnerExceptions.FirstOrDefault(e => e is OperationCanceledException) ?? exception.InnerExceptions[0];
        }
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        return chunks;
    }

    /// <summary>A rule that failed in a chunk failed from there on: its findings in later chunks are dropped, as a sequential run would not have them.</summary>
    private static void MergeFailures(Chunk chunk, bool[] failed, string[] failures)
    {
        for (var r = 0; r < failed.Length; r++)
        {
            if (!chunk.Failed[r] || failed[r]) continue;
            failed[r] = true;
            failures[r] = chunk.Failures[r];
        }
    }

    /// <summary>
    /// Section rules over every section (<see cref="Process"/>: a full analysis), or the listed ones (after an edit).
    /// <paramref name="anyEverywhere"/>: a rule runs on every listed section (after a rename, or a change to whether a file parses).
    /// </summary>
    private sealed class SectionsRun(ProfileModel model, AnalysisPlan? plan, List<int> sectionRules, bool[] everywhere, bool anyEverywhere,
        IReadOnlyList<SectionEntry> configSections, IReadOnlyList<SectionEntry> credentialsSections, CancellationToken cancellationToken)
    {
        public void Process(int from, int to, Chunk chunk)
        {
            var items = new List<(int Rule, Diagnostic Diagnostic)>();
            for (var i = from; i < to; i++)
            {
                if (((i - from) & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                var section = i < configSections.Count ? configSections[i] : credentialsSections[i - configSections.Count];
                Visit(section, null, chunk, items);
            }
        }

        /// <summary>Only the listed sections (in file order, each with its unit of the previous analysis): the others have no finding to keep or make.</summary>
        public Chunk ProcessListed(List<(SectionEntry Section, Unit? Old)> sections, Chunk chunk)
        {
            var items = new List<(int Rule, Diagnostic Diagnostic)>();
            chunk.Listed = sections.Count;
            for (var i = 0; i < sections.Count; i++)
            {
                if ((i & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                Visit(sections[i].Section, sections[i].Old, chunk, items);
            }
            return chunk;
        }

        private void Visit(SectionEntry section, Unit? old, Chunk chunk, List<(int Rule, Diagnostic Diagnostic)> items)
        {
            var dirty = plan is null || plan.DirtySections.Contains(section);
            PlaceShift? shift = null;
            if (!dirty && old is not null)
            {
                // Findings kept beside re-run ones must be at the current positions: copy them moved then.
                if (anyEverywhere) old = AnalysisPlan.Rebase(model, old);
                else if (!AnalysisPlan.Move(model, old, out shift)) old = null;
                if (old is null) dirty = true;
            }
            if (dirty) chunk.Rerun++;
            items.Clear();
            var changed = dirty;
            var oldIndex = 0;
            foreach (var r in sectionRules)
            {
                if (dirty || everywhere[r])
                {
                    changed = true;
                    if (!chunk.Failed[r]) RunSection(r, SectionRuleAt[r]!, chunk.Context, section, items, chunk.Failed, chunk.Failures);
                }
                else if (old is not null)
                {
                    while (oldIndex < old.Items.Length && old.Items[oldIndex].Rule < r) oldIndex++;
                    while (oldIndex < old.Items.Length && old.Items[oldIndex].Rule == r) items.Add(old.Items[oldIndex++]);
                }
            }
            if (items.Count == 0) return;
            if (!changed && old is not null) chunk.SectionUnits.Add((section, old, shift));
            else chunk.SectionUnits.Add((section, new Unit([.. items], AnalysisPlan.AnchorsOf(model, [section], items)), null));
        }
    }

    /// <summary>Profile rules over the given profiles, or the listed ones; <paramref name="previousUnits"/>: the previous analysis' units by name, for a walk over every profile after an edit.</summary>
    private sealed class ProfilesRun(ProfileModel model, AnalysisPlan? plan, List<int> profileRules, Dictionary<string, Unit>? previousUnits,
        CancellationToken cancellationToken)
    {
        public void Process(IReadOnlyList<Profile> profiles, int from, int to, Chunk chunk)
        {
            var items = new List<(int Rule, Diagnostic Diagnostic)>();
            for (var i = from; i < to; i++)
            {
                if (((i - from) & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                var profile = profiles[i];
                Visit(profile.Name, profile, previousUnits?.GetValueOrDefault(profile.Name), chunk, items);
            }
        }

        /// <summary>Only the listed profiles (in model order, each with its unit of the previous analysis): the others have no finding to keep or make.</summary>
        public Chunk ProcessListed(List<(string Name, Unit? Old)> profiles, Chunk chunk)
        {
            var items = new List<(int Rule, Diagnostic Diagnostic)>();
            chunk.Listed = profiles.Count;
            for (var i = 0; i < profiles.Count; i++)
            {
                if ((i & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                Visit(profiles[i].Name, null, profiles[i].Old, chunk, items);
            }
            return chunk;
        }

        private void Visit(string name, Profile? profile, Unit? old, Chunk chunk, List<(int Rule, Diagnostic Diagnostic)> items)
        {
            var dirty = plan is null || plan.AllProfiles || plan.DirtyProfiles.Contains(name);
            PlaceShift? shift = null;
            if (!dirty && old is not null && !AnalysisPlan.Move(model, old, out shift)) dirty = true;
            Unit? unit;
            if (dirty)
            {
                profile ??= model.Profiles[name];
                chunk.Rerun++;
                items.Clear();
                foreach (var r in profileRules)
                {
                    if (!chunk.Failed[r]) RunProfile(r, ProfileRuleAt[r]!, chunk.Context, profile, items, chunk.Failed, chunk.Failures);
                }
                unit = items.Count == 0 ? null : new Unit([.. items], AnalysisPlan.AnchorsOf(model, profile, items)) { NameHash = Unit.NameHashOf(name) };
            }
            else
            {
                unit = old;
            }
            if (unit is not null) chunk.ProfileUnits.Add((name, unit, dirty ? null : shift));
        }
    }

    // Run one rule over one unit; a rule that throws is skipped from then on (its findings so far are kept). Static
    // methods, not lambdas: a closure per section is ~100k allocations per analysis at 50k profiles.
    // The rules by index, typed: a full analysis at 50k profiles asks ~1M (unit, rule) pairs, and a look-up through the
    // rule list's interface and a cast for each were ~10% of its dispatch cost.
    private static readonly ISectionRule?[] SectionRuleAt = [.. Rules.Select(rule => rule as ISectionRule)];
    private static readonly IProfileRule?[] ProfileRuleAt = [.. Rules.Select(rule => rule as IProfileRule)];

    /// <summary>
    /// A rule's findings into <paramref name="items"/>: an array (what most rules return, mostly empty) without an
    /// enumerator, whose three interface calls per pair were most of the engine's own time in a full analysis.
    /// </summary>
    private static void Add(int r, IEnumerable<Diagnostic> found, List<(int Rule, Diagnostic Diagnostic)> items)
    {
        if (found is Diagnostic[] array)
        {
            foreach (var diagnostic in array) items.Add((r, diagnostic));
            return;
        }
        foreach (var diagnostic in found) items.Add((r, diagnostic));
    }

    private static void RunSection(int r, ISectionRule rule, AnalysisContext context, SectionEntry section,
        List<(int Rule, Diagnostic Diagnostic)> items, bool[] failed, string[] failures)
    {
        try
        {
            Add(r, rule.AnalyzeSection(context, section), items);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failed[r] = true;
            failures[r] = exception.GetType().Name;
        }
    }

    private static void RunProfile(int r, IProfileRule rule, AnalysisContext context, Profile profile,
        List<(int Rule, Diagnostic Diagnostic)> items, bool[] failed, string[] failures)
    {
        try
        {
            Add(r, rule.AnalyzeProfile(context, profile), items);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failed[r] = true;
            failures[r] = exception.GetType().Name;
        }
    }

    /// <summary>The findings of the whole-file rules (not disabled), in rule order, each rule's in the order it found them.</summary>
    private static List<(int Rule, Diagnostic Diagnostic)> RunFileRules(AnalysisContext context, DiagnosticOptions options, bool[] failed, string[] failures,
        CancellationToken cancellationToken)
    {
        var items = new List<(int Rule, Diagnostic Diagnostic)>();
        for (var r = 0; r < Rules.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rule = Rules[r];
            if (rule is ISectionRule or IProfileRule || options.Disabled.Contains(rule.Code)) continue;
            RunFile(r, rule, context, items, failed, failures);
        }
        return items;
    }

    private static void RunFile(int r, IDiagnosticRule rule, AnalysisContext context, List<(int Rule, Diagnostic Diagnostic)> items, bool[] failed, string[] failures)
    {
        if (failed[r]) return;
        try
        {
            foreach (var diagnostic in rule.Analyze(context)) items.Add((r, diagnostic));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failed[r] = true;
            failures[r] = exception.GetType().Name;
        }
    }
}
