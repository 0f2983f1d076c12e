using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

public static partial class DiagnosticEngine
{
    /// <summary>What a re-run unit found, to be merged into the kept diagnostics; sorted as a full analysis sorts.</summary>
    private readonly record struct NewFinding(Diagnostic Diagnostic, int Rule, long UnitKey, int Item, int Owner)
    {
        public SourceLocation Location => Diagnostic.Location;
    }

    /// <summary>
    /// The analysis after an edit in O(edit) where it can be: the kept units stay in their lists untouched (a check of
    /// their anchors against the sections the edits removed, no move, no re-sort), the re-run units' findings are
    /// merged into the previous result's sorted diagnostics by binary search, and a kept diagnostic's new place is worked
    /// out only when something reads it. Units whose findings repeat another's code and place are re-run, as are the
    /// sections with a finding of a rule that runs "everywhere" after this edit (see ISectionRule.ReadsSectionNames).
    /// Null (the caller runs the full merge) when the edit could change a finding it does not re-run: a suppression
    /// comment in an edited section, a rule that failed.
    /// </summary>
    private static AnalysisResult? TrySplice(ProfileModel model, AnalysisPlan plan, DiagnosticOptions options, FileFacts facts, AnalysisContext context,
        List<int> sectionRules, List<int> profileRules, bool[] everywhere, ref EngineTrace trace, out string why, CancellationToken cancellationToken)
    {
        var previous = plan.Previous;
        why = "a rule failed in the previous analysis";
        if (!previous.Spliceable || previous.Owners.Length != previous.Diagnostics.Count) return null;
        var removed = plan.RemovedSections;
        why = "a suppression comment in an edited section";
        // What a suppression comment silences depends on the lines around it: an edited section that holds or held one
        // is left to the full merge.
        foreach (var section in previous.MarkedSections)
        {
            if (removed.Contains(section)) return null;
        }
        if (Suppressions.MarkedSections(plan.DirtySections).Count > 0) return null;
        // The removed sections by number: a kept unit's anchors are checked without reading each anchor's entry.
        var removedIds = new HashSet<int>(removed.Count);
        foreach (var section in removed) removedIds.Add(section.Id);

        var failed = new bool[Rules.Count];
        var failures = new string[Rules.Count];
        var previousSections = previous.SectionUnits;
        var previousProfiles = previous.ProfileUnits;
        // Where each previous unit is in the new lists (-1: re-run or gone).
        var newIndexOf = new int[previousSections.Count + previousProfiles.Count];
        Array.Fill(newIndexOf, -1);
        var repeated = new bool[newIndexOf.Length];
        foreach (var owner in previous.RepeatOwners) repeated[owner] = true;
        var anyEverywhere = Array.IndexOf(everywhere, true) >= 0;

        // Section units: kept unless their section is dirty or gone, or a section they point into was replaced.
        var kept = new List<(SectionEntry Section, Unit Unit, int Old)>(previousSections.Count);
        var rerun = new List<(long Key, SectionEntry Section)>();
        foreach (var section in plan.DirtySections)
        {
            if (AnalysisPlan.IsCurrent(model, section, out var index)) rerun.Add((SectionKey(section.File.Kind, index), section));
        }
        for (var i = 0; i < previousSections.Count; i++)
        {
            if ((i & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (section, unit) = previousSections[i];
            if (plan.DirtySections.Contains(section) || removedIds.Contains(section.Id)) continue;
            if (repeated[i] || anyEverywhere && HasFindingOf(unit, everywhere) || !Keeps(removedIds, unit))
            {
                rerun.Add((SectionKeyOf(model, section), section));
                continue;
            }
            kept.Add((section, unit, i));
        }
        rerun.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        var sectionUnits = new List<(SectionEntry Section, Unit Unit)>(kept.Count + rerun.Count);
        var found = new List<NewFinding>();
        var items = new List<(int Rule, Diagnostic Diagnostic)>();
        var next = 0;
        foreach (var (key, section) in rerun)
        {
            // The kept units before this section, in file order (their order does not change).
            while (next < kept.Count && SectionKeyOf(model, kept[next].Section) < key) AddKept(sectionUnits, kept[next++], newIndexOf, 0);
            items.Clear();
            foreach (var r in sectionRules)
            {
                if (!failed[r]) RunSection(r, SectionRuleAt[r]!, context, section, items, failed, failures);
            }
            if (items.Count == 0) continue;
            var unit = new Unit([.. items], AnalysisPlan.AnchorsOf(model, [section], items));
            AddFound(found, unit, key, sectionUnits.Count);
            sectionUnits.Add((section, unit));
        }
        while (next < kept.Count) AddKept(sectionUnits, kept[next++], newIndexOf, 0);
        trace.Mark("sections");

        // Profile units: kept unless the profile is dirty or gone, or a section they point into was replaced.
        var keptProfiles = new List<(string Name, Unit Unit, int Old)>(previousProfiles.Count);
        var rerunProfiles = new List<(long Rank, Profile Profile)>();
        foreach (var name in plan.DirtyProfiles)
        {
            if (model.GetProfile(name) is { } profile) rerunProfiles.Add((context.RankOf(profile), profile));
        }
        // The names to leave out (re-run or gone) by hash first: a kept unit's name is read only when its hash matches.
        var leftOut = new HashSet<int>(plan.DirtyProfiles.Count + plan.ChangedNames.Count);
        foreach (var name in plan.DirtyProfiles) leftOut.Add(Unit.NameHashOf(name));
        foreach (var name in plan.ChangedNames) leftOut.Add(Unit.NameHashOf(name));
        for (var i = 0; i < previousProfiles.Count; i++)
        {
            if ((i & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (name, unit) = previousProfiles[i];
            if ((unit.NameHash == 0 || leftOut.Contains(unit.NameHash)) && (plan.DirtyProfiles.Contains(name) || plan.ChangedNames.Contains(name))) continue;
            if (repeated[previousSections.Count + i] || !Keeps(removedIds, unit))
            {
                if (model.GetProfile(name) is { } profile) rerunProfiles.Add((context.RankOf(profile), profile));
                continue;
            }
            keptProfiles.Add((name, unit, previousSections.Count + i));
        }
        rerunProfiles.Sort(static (a, b) => a.Rank.CompareTo(b.Rank));
        trace.Mark("profile list");
        var profileUnits = new List<(string Name, Unit Unit)>(keptProfiles.Count + rerunProfiles.Count);
        next = 0;
        foreach (var (rank, profile) in rerunProfiles)
        {
            // The kept profiles before this one (binary search: a kept profile's rank is a look-up, and they stay in order).
            var (low, high) = (next, keptProfiles.Count);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (context.RankOf(model.Profiles[keptProfiles[middle].Name]) < rank) low = middle + 1;
                else high = middle;
            }
            while (next < low) AddKept(profileUnits, keptProfiles[next++], newIndexOf, sectionUnits.Count);
            items.Clear();
            foreach (var r in profileRules)
            {
                if (!failed[r]) RunProfile(r, ProfileRuleAt[r]!, context, profile, items, failed, failures);
            }
            if (items.Count == 0) continue;
            var unit = new Unit([.. items], AnalysisPlan.AnchorsOf(model, profile, items)) { NameHash = Unit.NameHashOf(profile.Name) };
            AddFound(found, unit, rank, sectionUnits.Count + profileUnits.Count);
            profileUnits.Add((profile.Name, unit));
        }
        while (next < keptProfiles.Count) AddKept(profileUnits, keptProfiles[next++], newIndexOf, sectionUnits.Count);
        trace.Mark("profiles");

        var fileFindings = RunFileRules(context, options, failed, failures, cancellationToken);
        for (var i = 0; i < fileFindings.Count; i++)
        {
            var (r, diagnostic) = fileFindings[i];
            // Within a rule, its findings keep the order it found them in (i grows with it).
            found.Add(new NewFinding(diagnostic, r, 0, i, -1));
        }
        // A failing rule is reported by the full merge (which also starts the next analysis from scratch).
        why = "a rule failed";
        if (Array.IndexOf(failed, true) >= 0) return null;
        trace.Mark("file rules");

        // The new findings as the full merge would list them: silenced ones out, severities as the options say, sorted.
        var suppressions = Suppressions.Find(model, previous.MarkedSections);
        var fresh = new List<NewFinding>(found.Count);
        foreach (var finding in found)
        {
            var diagnostic = finding.Diagnostic;
            if (suppressions.Silences(model, diagnostic.Code, finding.Location)) continue;
            fresh.Add(options.Severity.TryGetValue(diagnostic.Code, out var severity) ? finding with { Diagnostic = diagnostic with { Severity = severity } } : finding);
        }
        fresh.Sort(static (a, b) => Compare(a.Location, a.Rule, a.UnitKey, a.Item, b.Location, b.Rule, b.UnitKey, b.Item));
        // The same code at the same place is listed once, the first in rule and unit order (as the full merge does);
        // the units of both are re-run by the next splice.
        var repeatOwners = new HashSet<int>();
        var unique = new List<NewFinding>(fresh.Count);
        foreach (var finding in fresh)
        {
            var first = -1;
            for (var j = unique.Count - 1; j >= 0 && SamePlaceAndRule(unique[j].Location, unique[j].Rule, finding.Location, finding.Rule); j--)
            {
                if (unique[j].Location.Span == finding.Location.Span) first = j;
            }
            if (first < 0)
            {
                unique.Add(finding);
                continue;
            }
            repeatOwners.Add(unique[first].Owner);
            repeatOwners.Add(finding.Owner);
        }
        fresh = unique;

        // The previous diagnostics that stay: those of kept units (whole-file rules always run again).
        var before = previous.Diagnostics;
        var owners = previous.Owners;
        var alive = new List<int>(before.Count);
        for (var k = 0; k < owners.Length; k++)
        {
            if (owners[k] >= 0 && newIndexOf[owners[k]] >= 0) alive.Add(k);
        }
        // Where each new finding goes among them: binary search on their places in this version, worked out for the
        // few probed (each a look-up of its unit's anchors).
        var probed = new Dictionary<int, (SourceLocation Location, long UnitKey)>();
        Unit UnitOf(int owner) => owner < previousSections.Count ? previousSections[owner].Unit : previousProfiles[owner - previousSections.Count].Unit;
        (SourceLocation Location, long UnitKey) Probe(int k)
        {
            if (probed.TryGetValue(k, out var known)) return known;
            var owner = owners[k];
            var unit = UnitOf(owner);
            var diagnostic = before.FoundAt(k);
            var location = AnalysisPlan.Move(model, unit, out var shift) && shift is not null ? shift.Apply(diagnostic.Location) : diagnostic.Location;
            var newOwner = newIndexOf[owner];
            var unitKey = newOwner < sectionUnits.Count
                ? SectionKeyOf(model, sectionUnits[newOwner].Section)
                : context.RankOf(model.Profiles[profileUnits[newOwner - sectionUnits.Count].Name]);
            return probed[k] = (location, unitKey);
        }
        var rules = previous.RuleIndices;
        var insertAt = new List<int>(fresh.Count);
        var inserted = new List<NewFinding>(fresh.Count);
        // Kept diagnostics a new finding of the same code and place comes before (in rule and unit order): not listed.
        var hidden = new HashSet<int>();
        var from = 0;
        foreach (var finding in fresh)
        {
            var (low, high) = (from, alive.Count);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                var (location, unitKey) = Probe(alive[middle]);
                if (Compare(location, rules[alive[middle]], unitKey, 0, finding.Location, finding.Rule, finding.UnitKey, finding.Item) < 0) low = middle + 1;
                else high = middle;
            }
            // A kept diagnostic of the same code at the same place before it (in rule and unit order): this one is a
            // repeat. After it: that one is.
            var repeat = false;
            for (var j = low - 1; j >= 0 && !repeat; j--)
            {
                var (location, _) = Probe(alive[j]);
                if (!SamePlaceAndRule(location, rules[alive[j]], finding.Location, finding.Rule)) break;
                if (location.Span != finding.Location.Span || hidden.Contains(j)) continue;
                repeat = true;
                repeatOwners.Add(newIndexOf[owners[alive[j]]]);
                repeatOwners.Add(finding.Owner);
            }
            from = low;
            if (repeat) continue;
            for (var j = low; j < alive.Count; j++)
            {
                var (location, _) = Probe(alive[j]);
                if (!SamePlaceAndRule(location, rules[alive[j]], finding.Location, finding.Rule)) break;
                if (location.Span != finding.Location.Span || !hidden.Add(j)) continue;
                repeatOwners.Add(newIndexOf[owners[alive[j]]]);
                repeatOwners.Add(finding.Owner);
            }
            insertAt.Add(low);
            inserted.Add(finding);
        }
        fresh = inserted;

        var total = alive.Count - hidden.Count + fresh.Count;
        var list = new ShiftedDiagnostic[total];
        var pending = new Unit?[total];
        var newOwners = new int[total];
        var newRules = new int[total];
        var origins = new int[total];
        var at = 0;
        var copied = 0;
        void CopyKept(int until)
        {
            for (; copied < until; copied++)
            {
                if (hidden.Contains(copied)) continue;
                var k = alive[copied];
                var owner = owners[k];
                list[at] = new ShiftedDiagnostic(before.FoundAt(k), null);
                pending[at] = UnitOf(owner);
                newOwners[at] = newIndexOf[owner];
                newRules[at] = rules[k];
                origins[at] = k;
                at++;
            }
        }
        for (var i = 0; i < fresh.Count; i++)
        {
            CopyKept(insertAt[i]);
            list[at] = new ShiftedDiagnostic(fresh[i].Diagnostic, null);
            newOwners[at] = fresh[i].Owner;
            newRules[at] = fresh[i].Rule;
            origins[at] = -1;
            at++;
        }
        CopyKept(alive.Count);
        trace.Mark("merge");

        return new AnalysisResult(model, new DiagnosticList(list, pending, model, before, origins), options, facts, sectionUnits, profileUnits, previous.Index)
        {
            MarkedSections = previous.MarkedSections,
            LoadsEndpointPlugin = context.LoadsEndpointPlugin,
            Owners = newOwners,
            RuleIndices = newRules,
            RepeatOwners = [.. repeatOwners.Where(owner => owner >= 0)],
            Spliceable = true,
            Mode = $"incremental: {rerun.Count} sections, {rerunProfiles.Count} profiles (spliced: kept {alive.Count} of {before.Count} diagnostics, {fresh.Count} new)" + trace.End(),
        };

        void AddFound(List<NewFinding> into, Unit unit, long unitKey, int owner)
        {
            for (var i = 0; i < unit.Items.Length; i++)
            {
                var (r, diagnostic) = unit.Items[i];
                into.Add(new NewFinding(diagnostic, r, unitKey, i, owner));
            }
        }
    }

    private static void AddKept<T>(List<(T, Unit)> into, (T Key, Unit Unit, int Old) unit, int[] newIndexOf, int offset)
    {
        newIndexOf[unit.Old] = offset + into.Count;
        into.Add((unit.Key, unit.Unit));
    }

    /// <summary>Sections in file order: the config's, then the credentials'.</summary>
    private static long SectionKey(ConfigFileKind kind, int index) => ((long)kind << 32) | (uint)index;

    private static long SectionKeyOf(ProfileModel model, SectionEntry section)
    {
        var kind = section.File.Kind;
        return SectionKey(kind, model.GetFile(kind).IndexOf(section));
    }

    /// <summary>The order of the full merge: file, start, then the rule, the unit (section or profile order) and the finding within it.</summary>
    private static int Compare(SourceLocation a, int ruleA, long unitA, int itemA, SourceLocation b, int ruleB, long unitB, int itemB)
    {
        if (a.File != b.File) return a.File.CompareTo(b.File);
        if (a.Span.Start != b.Span.Start) return a.Span.Start.CompareTo(b.Span.Start);
        if (ruleA != ruleB) return ruleA.CompareTo(ruleB);
        return unitA != unitB ? unitA.CompareTo(unitB) : itemA.CompareTo(itemB);
    }

    private static bool SamePlaceAndRule(SourceLocation a, int ruleA, SourceLocation b, int ruleB) =>
        a.File == b.File && a.Span.Start == b.Span.Start && ruleA == ruleB;

    /// <summary>Whether every section the unit's findings point into is still in the files, and its places move with them.</summary>
    private static bool Keeps(HashSet<int> removedIds, Unit unit)
    {
        foreach (var id in unit.AnchorIds)
        {
            if (removedIds.Contains(id)) return false;
        }
        return unit.Mappable;
    }

    private static bool HasFindingOf(Unit unit, bool[] rules)
    {
        foreach (var (r, _) in unit.Items)
        {
            if (rules[r]) return true;
        }
        return false;
    }
}
