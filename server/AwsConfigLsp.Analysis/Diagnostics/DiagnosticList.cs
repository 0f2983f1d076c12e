using System.Collections;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// How far the sections a unit's findings point into moved since the findings were made: each anchor (a section and
/// its start then) with its distance to the analysed version. A place inside an anchor moves with it.
/// </summary>
public sealed class PlaceShift
{
    // Each anchor as it was when the findings were made, flat (file, start, end: three ints an anchor, see Unit.Flat):
    // Apply runs for every place of every moved finding on each publish, and reading a SectionEntry's File costs a
    // version lookup.
    private readonly int[] anchors;
    private readonly int[] deltas;

    internal PlaceShift(int[] anchors, int[] deltas)
    {
        this.anchors = anchors;
        this.deltas = deltas;
    }

    /// <summary>The place in the analysed version (the unit was built only when every place lies in an anchor).</summary>
    public SourceLocation Apply(SourceLocation location)
    {
        var span = location.Span;
        var file = (int)location.File;
        for (var i = 0; i < deltas.Length; i++)
        {
            if (anchors[3 * i] != file || span.Start < anchors[3 * i + 1] || span.End > anchors[3 * i + 2]) continue;
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
        if (Moves is not { } moves) return Found;
        return Found.Moved(location => moves.Apply(location))!;
    }
}

/// <summary>
/// The diagnostics of an analysis, sorted; each is built with its current places on first read (and kept), so an
/// analysis after a keystroke allocates nothing for the thousands of findings that only moved. Readers that only
/// need places (the publish JSON) use <see cref="GetShifted"/> and build nothing. A list spliced from the one before
/// (an analysis after an edit that kept most findings) works out how far a kept finding moved only when it is read,
/// and says where each of its items was in the list it came from (<see cref="OriginIn"/>), so that the publish can
/// copy what it wrote for them. Thread-safe for readers.
/// </summary>
public sealed class DiagnosticList : IReadOnlyList<Diagnostic>
{
    public static readonly DiagnosticList Empty = new(Array.Empty<ShiftedDiagnostic>());

    // How many lists back a list remembers where its items came from (a publish copies from the last one it wrote,
    // which is usually the base; analyses between two publishes add a level each).
    private const int MaxBaseDepth = 4;

    private readonly ShiftedDiagnostic[] items;
    private Diagnostic?[]? built;

    // A spliced list: for each item kept from the list before, the unit it was kept with (null: its shift is final),
    // placed in this model on first read.
    private readonly Unit?[]? pending;
    private readonly ProfileModel? model;
    private readonly PlaceShift?[]? shifts;
    private readonly int[]? shifted;
    private DiagnosticList? baseList;
    private readonly int[]? origins;

    public DiagnosticList(ShiftedDiagnostic[] items) => this.items = items;

    public DiagnosticList(IEnumerable<Diagnostic> diagnostics) => items = [.. diagnostics.Select(d => new ShiftedDiagnostic(d, null))];

    /// <summary>
    /// A list spliced from <paramref name="baseList"/>: the items with <paramref name="pending"/> set were kept with that
    /// unit (found on an earlier version, every anchor still in <paramref name="model"/>) and are placed on first read;
    /// <paramref name="origins"/> gives each item's index in <paramref name="baseList"/> (-1: new).
    /// </summary>
    internal DiagnosticList(ShiftedDiagnostic[] items, Unit?[] pending, ProfileModel model, DiagnosticList baseList, int[] origins)
    {
        this.items = items;
        this.pending = pending;
        this.model = model;
        shifts = new PlaceShift?[items.Length];
        shifted = new int[items.Length];
        this.origins = origins;
        this.baseList = baseList;
        // Only a few levels are remembered: cut the chain below them (an older list is released with its items).
        var ancestor = baseList;
        for (var depth = 1; ancestor is not null && depth < MaxBaseDepth; depth++) ancestor = Volatile.Read(ref ancestor.baseList);
        if (ancestor is not null) Volatile.Write(ref ancestor.baseList, null);
    }

    public int Count => items.Length;

    /// <summary>
    /// Where item <paramref name="index"/> of this list was in <paramref name="earlier"/> (a list this one was spliced
    /// from, directly or through a few lists between), or -1: a new item, or <paramref name="earlier"/> is not known.
    /// </summary>
    public int OriginIn(DiagnosticList earlier, int index)
    {
        var list = this;
        while (!ReferenceEquals(list, earlier))
        {
            if (list.origins is null || Volatile.Read(ref list.baseList) is not { } from) return -1;
            index = list.origins[index];
            if (index < 0) return -1;
            list = from;
        }
        return index;
    }

    /// <summary>Whether <paramref name="earlier"/> is this list or one it was spliced from (see <see cref="OriginIn"/>).</summary>
    public bool DescendsFrom(DiagnosticList earlier)
    {
        for (var list = this; list is not null; list = list.origins is null ? null : Volatile.Read(ref list.baseList))
        {
            if (ReferenceEquals(list, earlier)) return true;
        }
        return false;
    }

    public ShiftedDiagnostic GetShifted(int index)
    {
        var item = items[index];
        if (pending?[index] is not { } unit) return item;
        if (Volatile.Read(ref shifted![index]) == 1) return new ShiftedDiagnostic(item.Found, shifts![index]);
        // Every anchor of the unit is in the model (the splice checked): how far they moved since the finding.
        PlaceShift? shift;
        // Read as the analysed version, whichever thread reads (an anchor's file is the version the thread reads).
        using (model!.Read()) shift = AnalysisPlan.Move(model, unit, out var moves) ? moves : null;
        shifts![index] = shift;
        Volatile.Write(ref shifted[index], 1);
        return new ShiftedDiagnostic(item.Found, shift);
    }

    /// <summary>The found diagnostic of item <paramref name="index"/> (its places as found, not moved).</summary>
    public Diagnostic FoundAt(int index) => items[index].Found;

    public Diagnostic this[int index]
    {
        get
        {
            var item = GetShifted(index);
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
