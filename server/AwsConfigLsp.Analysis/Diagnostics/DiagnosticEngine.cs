using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>Runs every rule over a model: syntax (file) problems first, then chain errors. A failing rule becomes one diagnostic.</summary>
public static class DiagnosticEngine
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
        var index = plan?.Previous.Index ?? ReferenceIndex.Build(model);
        var context = new AnalysisContext(model, facts, index);
        var perRule = new List<Diagnostic>[Rules.Count];
        var failed = new bool[Rules.Count];
        var failures = new string[Rules.Count];
        for (var r = 0; r < Rules.Count; r++) perRule[r] = [];
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
        var sectionUnits = new Dictionary<SectionEntry, Unit>(plan?.Previous.SectionUnits.Count ?? 0, ReferenceEqualityComparer.Instance);
        var rerunSections = 0;
        var items = new List<(int Rule, Diagnostic Diagnostic)>();
        var counter = 0;
        foreach (var file in (ReadOnlySpan<ConfigFile>)[model.Config, model.Credentials])
        {
            foreach (var section in file.Sections)
            {
                if ((++counter & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                var old = plan?.Previous.SectionUnits.GetValueOrDefault(section);
                var dirty = plan is null || plan.DirtySections.Contains(section);
                if (!dirty && old is not null && (old = AnalysisPlan.Move(model, old!)) is null) dirty = true;
                if (dirty) rerunSections++;
                items.Clear();
                var changed = dirty;
                var oldIndex = 0;
                foreach (var r in sectionRules)
                {
                    if (dirty || everywhere[r])
                    {
                        changed = true;
                        if (!failed[r]) RunSection(r, (ISectionRule)Rules[r], context, section, items, failed, failures);
                    }
                    else if (old is not null)
                    {
                        while (oldIndex < old.Items.Length && old.Items[oldIndex].Rule < r) oldIndex++;
                        while (oldIndex < old.Items.Length && old.Items[oldIndex].Rule == r) items.Add(old.Items[oldIndex++]);
                    }
                }
                if (items.Count == 0) continue;
                var unit = !changed && old is not null ? old : new Unit([.. items], AnalysisPlan.AnchorsOf(model, [section], items));
                sectionUnits[section] = unit;
                foreach (var (r, diagnostic) in unit.Items) perRule[r].Add(diagnostic);
            }
        }

        trace.Mark("sections");
        var profileUnits = new Dictionary<string, Unit>(plan?.Previous.ProfileUnits.Count ?? 0, StringComparer.Ordinal);
        var rerunProfiles = 0;
        foreach (var profile in model.Profiles.Values)
        {
            if ((++counter & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            var old = plan?.Previous.ProfileUnits.GetValueOrDefault(profile.Name);
            var dirty = plan is null || plan.AllProfiles || plan.DirtyProfiles.Contains(profile.Name);
            var t0 = trace.Now();
            if (!dirty && old is not null && (old = AnalysisPlan.Move(model, old!)) is null) dirty = true;
            trace.Add(0, t0);
            Unit? unit;
            if (dirty)
            {
                t0 = trace.Now();
                rerunProfiles++;
                items.Clear();
                foreach (var r in profileRules)
                {
                    if (!failed[r]) RunProfile(r, (IProfileRule)Rules[r], context, profile, items, failed, failures);
                }
                unit = items.Count == 0 ? null : new Unit([.. items], AnalysisPlan.AnchorsOf(model, profile.Sections, items));
                trace.Add(1, t0);
            }
            else
            {
                unit = old;
            }
            if (unit is null) continue;
            profileUnits[profile.Name] = unit;
            foreach (var (r, diagnostic) in unit.Items) perRule[r].Add(diagnostic);
        }

        trace.Mark("profiles", "move", "rules");
        for (var r = 0; r < Rules.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rule = Rules[r];
            if (rule is ISectionRule or IProfileRule || options.Disabled.Contains(rule.Code)) continue;
            items.Clear();
            RunFile(r, rule, context, items, failed, failures);
            foreach (var (_, diagnostic) in items) perRule[r].Add(diagnostic);
        }

        trace.Mark("file rules");
        // The sections with a suppression comment: those of the last analysis still there, and the changed ones.
        var marked = plan is null
            ? Suppressions.MarkedSections(model.Config.Sections.Concat(model.Credentials.Sections))
            : [.. plan.Previous.MarkedSections.Where(section => AnalysisPlan.IsCurrent(model, section) && !plan.DirtySections.Contains(section))
                .Concat(Suppressions.MarkedSections(plan.DirtySections))
                .OrderBy(section => section.File.Kind).ThenBy(section => section.SectionIndex)];
        var suppressions = Suppressions.Find(model, marked);
        var total = 0;
        foreach (var list in perRule) total += list.Count;
        var seen = new HashSet<(string, SourceLocation)>(total);
        var diagnostics = new List<Diagnostic>(total + 4);
        for (var r = 0; r < Rules.Count; r++)
        {
            foreach (var found in perRule[r])
            {
                if (!seen.Add((found.Code, found.Location))) continue;
                if (suppressions.Silences(model, found)) continue;
                diagnostics.Add(options.Severity.TryGetValue(found.Code, out var severity) ? found with { Severity = severity } : found);
            }
            if (failed[r])
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.InternalError, DiagnosticSeverity.Warning,
                    new SourceLocation(ConfigFileKind.Config, new Syntax.TextSpan(0, 0)),
                    $"The check '{Rules[r].Code}' failed and was skipped: {failures[r]}. Please report this."));
            }
        }
        trace.Mark("merge");
        // Stable: findings at the same place keep the rules' order.
        var order = new int[diagnostics.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var x = diagnostics[a].Location;
            var y = diagnostics[b].Location;
            if (x.File != y.File) return x.File.CompareTo(y.File);
            return x.Span.Start != y.Span.Start ? x.Span.Start.CompareTo(y.Span.Start) : a.CompareTo(b);
        });
        var sorted = new Diagnostic[order.Length];
        for (var i = 0; i < order.Length; i++) sorted[i] = diagnostics[order[i]];
        var result = new AnalysisResult(model, sorted, options, facts, sectionUnits, profileUnits, index)
        {
            MarkedSections = marked,
            Mode = (plan is null ? $"full ({why})" : $"incremental: {rerunSections} sections, {rerunProfiles} profiles") + trace.End(),
        };
        // A rule that failed leaves partial findings: the next analysis starts from scratch.
        if (failed.Any(f => f))
        {
            result.Consumed = 1;
            result.Mode += " (failed: " + string.Join(", ", Enumerable.Range(0, failed.Length).Where(r => failed[r]).Select(r => $"{Rules[r].Code} {failures[r]}")) + ")";
        }
        return result;
    }

    // Run one rule over one unit; a rule that throws is skipped from then on (its findings so far are kept). Static
    // methods, not lambdas: a closure per section is ~100k allocations per analysis at 50k profiles.
    private static void RunSection(int r, ISectionRule rule, AnalysisContext context, SectionEntry section,
        List<(int Rule, Diagnostic Diagnostic)> items, bool[] failed, string[] failures)
    {
        try
        {
            foreach (var diagnostic in rule.AnalyzeSection(context, section)) items.Add((r, diagnostic));
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
            foreach (var diagnostic in rule.AnalyzeProfile(context, profile)) items.Add((r, diagnostic));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failed[r] = true;
            failures[r] = exception.GetType().Name;
        }
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
