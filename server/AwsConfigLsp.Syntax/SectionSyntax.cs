using System.Collections.Immutable;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// A section: its header line (none for the preamble before the first header) and the lines up to the next header.
/// All spans inside a section are relative to its start, so an edit elsewhere in the file reuses it unchanged: only the
/// document's table of section starts moves. A section's text is a slice of the string it was parsed from (the whole
/// file at open, the reparsed piece after an edit), never a copy of its own; its lines are plain records
/// (<see cref="PackedLine"/>, or <see cref="LineRecord"/> in a section of 64 KiB or more) in text order, a run of an
/// array that neighbouring sections of the same parse share, read
/// through views (<see cref="LineSyntax"/>, <see cref="PropertySyntax"/>, ...).
/// </summary>
public sealed class SectionSyntax
{
    private readonly string source;
    private readonly int sourceStart;
    // The section's lines are lines[firstLine .. firstLine + lineCount): a few arrays per parse, not one per section (at
    // 50k profiles 50k arrays, 10 MiB that each young collection of the open copied, then copied again to gen2).
    // Packed (PackedLine) for a section whose numbers fit in 16 bits, else full records (one of the two is null).
    private readonly PackedLine[]? packed;
    private readonly LineRecord[]? lines;
    private readonly int firstLine;
    private readonly int lineCount;

    internal SectionSyntax(
        string source,
        int sourceStart,
        int length,
        bool hasHeader,
        PackedLine[]? packed,
        LineRecord[]? lines,
        int firstLine,
        int lineCount,
        ImmutableArray<SyntaxError> errors,
        ParserState endState)
    {
        this.source = source;
        this.sourceStart = sourceStart;
        Length = length;
        HasHeader = hasHeader;
        this.packed = packed;
        this.lines = lines;
        this.firstLine = firstLine;
        this.lineCount = lineCount;
        Errors = errors;
        EndState = endState;
    }

    /// <summary>The exact text of the section, header line and line breaks included.</summary>
    public ReadOnlySpan<char> Text => source.AsSpan(sourceStart, Length);

    /// <summary>The string the section was parsed from, and where the section starts in it (for APIs that take a string and an offset).</summary>
    public (string Source, int Start) TextSource => (source, sourceStart);

    /// <summary>The text as a string of its own (allocates unless the section is its whole source).</summary>
    public override string ToString() => sourceStart == 0 && Length == source.Length ? source : source.Substring(sourceStart, Length);

    /// <summary>The header line, or null for the preamble.</summary>
    public SectionHeaderSyntax? Header => HasHeader ? new SectionHeaderSyntax(this, 0) : null;

    /// <summary>Properties, comments, blank lines and error lines after the header, in order (a property's continuation lines are in its <see cref="PropertySyntax.Lines"/>).</summary>
    public ItemList Items => new(this);

    public ImmutableArray<SyntaxError> Errors { get; }

    /// <summary>The number of lines that begin inside this section.</summary>
    public int LineCount => lineCount;

    /// <summary>Start offset (relative) of the section's line <paramref name="line"/>.</summary>
    public int LineStart(int line) => Record(line).Start;

    /// <summary>The section's line that holds <paramref name="relativeOffset"/> (the last line starting at or before it); the section must have lines.</summary>
    public int LineAt(int relativeOffset)
    {
        int low = 0, high = lineCount - 1;
        while (low < high)
        {
            var middle = (low + high + 1) >> 1;
            if ((packed is not null ? packed[firstLine + middle].Start : lines![firstLine + middle].Start) <= relativeOffset) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    internal ParserState EndState { get; }

    public int Length { get; }

    /// <summary>Whether the section starts with a header line (every section but the preamble).</summary>
    public bool HasHeader { get; }

    /// <summary>
    /// The raw section name as configparser reads it, or null for the preamble: made (and kept) on first use. The
    /// model reads names through <see cref="NameText"/>: at 50k profiles a string per header was 3.9 MiB that only a
    /// few sections' rules and messages need.
    /// </summary>
    public string? Name => HasHeader ? name ?? MakeName() : null;

    private string? name;

    private string MakeName()
    {
        var made = NameText.ToString();
        return Interlocked.CompareExchange(ref name, made, null) ?? made;
    }

    /// <summary>Whether <see cref="Name"/> has been made (for tests: what the model reads makes none for a plain header).</summary>
    internal bool NameMade => Volatile.Read(ref name) is not null;

    /// <summary>The raw section name in place (empty for the preamble).</summary>
    public ReadOnlySpan<char> NameText
    {
        get
        {
            if (!HasHeader) return default;
            var header = Record(0);
            return source.AsSpan(sourceStart + header.A, header.B);
        }
    }

    /// <summary>Whether the raw names of two sections are the same (both preambles, or both headers of the same name).</summary>
    public bool SameNameAs(SectionSyntax other) => HasHeader == other.HasHeader && NameText.SequenceEqual(other.NameText);

    internal int FirstItemIndex => HasHeader ? 1 : 0;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal LineRecord Record(int index)
    {
        // The shared array holds other sections' lines on either side: an index outside this section's is a bug.
        if ((uint)index >= (uint)lineCount) throw new ArgumentOutOfRangeException(nameof(index));
        return packed is not null ? packed[firstLine + index].Unpacked : lines![firstLine + index];
    }

    /// <summary>Whether the lines are kept packed (<see cref="PackedLine"/>), for tests.</summary>
    internal bool IsPacked => packed is not null;

    /// <summary>The property whose key line is the section's line <paramref name="index"/>.</summary>
    public PropertySyntax PropertyAt(int index) => Record(index).Kind == SyntaxKind.Property
        ? new PropertySyntax(this, index)
        : throw new ArgumentException($"Line {index} of the section is not a key line.", nameof(index));

    public IEnumerable<PropertySyntax> Properties
    {
        get
        {
            foreach (var item in Items)
            {
                if (item.AsProperty is { } property) yield return property;
            }
        }
    }

    public string GetText(TextSpan span) => source.Substring(sourceStart + span.Start, span.Length);

    public ReadOnlySpan<char> GetSpan(TextSpan span) => source.AsSpan(sourceStart + span.Start, span.Length);

    /// <summary>Every line of the section in order, the header first and continuation lines inside their property.</summary>
    public LineRange AllLines() => new(this, 0, lineCount);
}

/// <summary>configparser's state at the end of a section: whether an indented line would continue a value.</summary>
internal readonly record struct ParserState(bool InSection, bool InOption, int IndentLevel);
