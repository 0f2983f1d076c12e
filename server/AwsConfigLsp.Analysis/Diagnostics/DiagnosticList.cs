using System.Collections;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// How far the sections a unit's findings point into moved since the findings were made: each anchor (a section and
/// its start then) with its distance to the analysed version. A place inside an anchor moves with it.
/// </summary>
public sealed class PlaceShift
{
    // Each anchor as it was when the findings were made, flat (file, start, end): Apply runs for every place of every
    // moved finding on each publish, and reading a SectionEntry's File costs a version lookup.
    private readonly ConfigFileKind[] kinds;
    private readonly int[] starts;
    private readonly int[] ends;
    private readonly int[] deltas;

    internal PlaceShift(ConfigFileKind[] kinds, int[] starts, int[] ends, int[] deltas)
    {
        this.kinds = kinds;
        this.starts = starts;
        this.ends = ends;
        this.deltas = deltas;
    }

    /// <summary>The place in the analysed version (the unit was built only when every place lies in an anchor).</summary>
    public SourceLocation Apply(SourceLocation location)
    {
        var span = location.Span;
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != location.File || span.Start < starts[i] || span.End > ends[i]) continue;
            return deltas[i] == 0 ? location : location with { Span = span.Shift(deltas[i]) };
        }
        return location;
    }
}

/// <summary>
/// A diagnostic as a rule found it on an earlier version of the files, and how far its places moved since (an edit
/// before a section moves its findings without changing them; null: not moved): an incremental analysis keeps the
/// findings of untouched sections and profiles as they are and records the shift, instead of copying each one (its
/// related places and fixes included) with new positions.
/// </summary>
public readonly record struct ShiftedDiagnostic(Diagnostic Found, PlaceShift? Moves)
{
    public bool Moved => Moves is not null;

    /// <summary>The diagnostic's place in the analysed version.</summary>
    public SourceLocation Location => Shift(Found.Location);

    /// <summary>A place of the found diagnostic (its own, a related one, an edit's) in the analysed version.</summary>
    public SourceLocation Shift(SourceLocation location) => Moves is null ? location : Moves.Apply(location);

    /// <summary>The diagnostic with every place in the analysed version (the found one when nothing moved).</summary>
    public Diagnostic Materialize()
    {
        if (!Moved) return Found;
        var related = Found.Related;
        if (!related.IsEmpty)
        {
            var builder = new RelatedLocation[related.Length];
            for (var j = 0; j < related.Length; j++) builder[j] = related[j] with { Location = Shift(related[j].Location) };
            related = [.. builder];
        }
        var fixes = Found.Fixes;
        if (!fixes.IsEmpty)
        {
            var builder = new CodeFix[fixes.Length];
            for (var j = 0; j < fixes.Length; j++)
            {
                var edits = new FileEdit[fixes[j].Edits.Length];
                for (var k = 0; k < edits.Length; k++) edits[k] = fixes[j].Edits[k] with { Location = Shift(fixes[j].Edits[k].Location) };
                builder[j] = fixes[j] with { Edits = [.. edits] };
            }
            fixes = [.. builder];
        }
        return Found with { Location = Location, Related = related, Fixes = fixes };
    }
}

/// <summary>
/// The diagnostics of an analysis, sorted; each is built with its current places on first read (and kept), so an
/// analysis after a keystroke allocates nothing for the thousands of findings that only moved. Readers that only
/// need places (the publish JSON) use <see cref="GetShifted"/> and build nothing. Thread-safe for readers.
/// </summary>
public sealed class DiagnosticList : IReadOnlyList<Diagnostic>
{
    public static readonly DiagnosticList Empty = new(Array.Empty<ShiftedDiagnostic>());

    private readonly ShiftedDiagnostic[] items;
    private Diagnostic?[]? built;

    public DiagnosticList(ShiftedDiagnostic[] items) => this.items = items;

    public DiagnosticList(IEnumerable<Diagnostic> diagnostics) => items = [.. diagnostics.Select(d => new ShiftedDiagnostic(d, null))];

    public int Count => items.Length;

    public ShiftedDiagnostic GetShifted(int index) => items[index];

    public Diagnostic this[int index]
    {
        get
        {
            var item = items[index];
            if (!item.Moved) return item.Found;
            var cache = built ?? Interlocked.CompareExchange(ref built, new Diagnostic?[items.Length], null) ?? built!;
            // Two readers may both build it: equal values, either one is kept.
            return Volatile.Read(ref cache[index]) ?? (cache[index] = item.Materialize());
        }
    }

    public IEnumerator<Diagnostic> GetEnumerator()
    {
        for (var i = 0; i < items.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
