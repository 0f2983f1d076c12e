using System.Collections.Immutable;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// A section: its header line (none for the preamble before the first header) and the lines up to the next header.
/// All spans inside a section are relative to its start, so an edit elsewhere in the file reuses it unchanged: only the
/// document's table of section starts moves. A section's text is a slice of the string it was parsed from (the whole
/// file at open, the reparsed piece after an edit), never a copy of its own.
/// </summary>
public sealed class SectionSyntax
{
    private readonly string source;
    private readonly int sourceStart;

    internal SectionSyntax(
        string source,
        int sourceStart,
        int length,
        SectionHeaderSyntax? header,
        ImmutableArray<LineSyntax> items,
        ImmutableArray<SyntaxError> errors,
        int[] lineStarts,
        ParserState endState)
    {
        this.source = source;
        this.sourceStart = sourceStart;
        Length = length;
        Header = header;
        Items = items;
        Errors = errors;
        LineStarts = lineStarts;
        EndState = endState;
    }

    /// <summary>The exact text of the section, header line and line breaks included.</summary>
    public ReadOnlySpan<char> Text => source.AsSpan(sourceStart, Length);

    /// <summary>The string the section was parsed from, and where the section starts in it (for APIs that take a string and an offset).</summary>
    public (string Source, int Start) TextSource => (source, sourceStart);

    /// <summary>The text as a string of its own (allocates unless the section is its whole source).</summary>
    public override string ToString() => sourceStart == 0 && Length == source.Length ? source : source.Substring(sourceStart, Length);

    public SectionHeaderSyntax? Header { get; }

    /// <summary>Properties, comments, blank lines and error lines after the header, in order.</summary>
    public ImmutableArray<LineSyntax> Items { get; }

    public ImmutableArray<SyntaxError> Errors { get; }

    /// <summary>Start offset (relative) of every line that begins inside this section.</summary>
    internal int[] LineStarts { get; }

    public int LineCount => LineStarts.Length;

    internal ParserState EndState { get; }

    public int Length { get; }

    /// <summary>The raw section name as configparser reads it, or null for the preamble.</summary>
    public string? Name => Header?.Name;

    public IEnumerable<PropertySyntax> Properties => Items.OfType<PropertySyntax>();

    public string GetText(TextSpan span) => source.Substring(sourceStart + span.Start, span.Length);

    public ReadOnlySpan<char> GetSpan(TextSpan span) => source.AsSpan(sourceStart + span.Start, span.Length);

    /// <summary>Every line of the section in order, the header first and continuation lines inside their property.</summary>
    public IEnumerable<LineSyntax> AllLines()
    {
        if (Header is not null) yield return Header;
        foreach (var item in Items)
        {
            yield return item;
            if (item is PropertySyntax property)
            {
                foreach (var line in property.Lines) yield return line;
            }
        }
    }
}

/// <summary>configparser's state at the end of a section: whether an indented line would continue a value.</summary>
internal readonly record struct ParserState(bool InSection, bool InOption, int IndentLevel);
