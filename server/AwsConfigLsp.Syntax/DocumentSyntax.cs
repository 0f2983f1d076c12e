using System.Collections.Immutable;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// An immutable parsed file: the preamble (section 0, possibly empty) and one <see cref="SectionSyntax"/> per header.
/// Offsets are UTF-16 code units from the start of the file.
/// </summary>
public sealed class DocumentSyntax
{
    private readonly int[] sectionStarts;
    private readonly int[] sectionFirstLines;
    private string? text;

    private DocumentSyntax(ImmutableArray<SectionSyntax> sections)
    {
        Sections = sections;
        sectionStarts = new int[sections.Length];
        sectionFirstLines = new int[sections.Length];
        var offset = 0;
        var line = 0;
        for (var i = 0; i < sections.Length; i++)
        {
            sectionStarts[i] = offset;
            sectionFirstLines[i] = line;
            offset += sections[i].Length;
            line += sections[i].LineCount;
        }
        Length = offset;
        LineIndex = new LineIndex(this, sectionStarts, sectionFirstLines);
    }

    /// <summary>A document whose prefix tables the caller has already computed (see <see cref="WithEdit"/>).</summary>
    private DocumentSyntax(ImmutableArray<SectionSyntax> sections, int[] sectionStarts, int[] sectionFirstLines, int length)
    {
        Sections = sections;
        this.sectionStarts = sectionStarts;
        this.sectionFirstLines = sectionFirstLines;
        Length = length;
        LineIndex = new LineIndex(this, sectionStarts, sectionFirstLines);
    }

    internal static DocumentSyntax Create(IEnumerable<SectionSyntax> sections) => new([.. sections]);

    public ImmutableArray<SectionSyntax> Sections { get; }

    public int Length { get; }

    public LineIndex LineIndex { get; }

    /// <summary>The whole text, byte for byte what was parsed (built on first use).</summary>
    public string Text => text ??= string.Concat(Sections.Select(s => s.Text));

    public int GetSectionStart(int sectionIndex) => sectionStarts[sectionIndex];

    /// <summary>The index of the section that holds <paramref name="offset"/> (the last one for the end of the file).</summary>
    public int FindSectionIndex(int offset)
    {
        var index = Array.BinarySearch(sectionStarts, offset);
        if (index < 0) index = ~index - 1;
        // Empty sections (only an empty preamble) share a start with the next one: take the last section starting there.
        while (index + 1 < sectionStarts.Length && sectionStarts[index + 1] == offset && Sections[index + 1].Length > 0) index++;
        return Math.Clamp(index, 0, Sections.Length - 1);
    }

    /// <summary>All syntax errors of the file with absolute spans.</summary>
    public IEnumerable<SyntaxError> Errors()
    {
        for (var i = 0; i < Sections.Length; i++)
        {
            foreach (var error in Sections[i].Errors)
            {
                yield return error with { Span = error.Span.Shift(sectionStarts[i]) };
            }
        }
    }

    /// <summary>
    /// Replaces [<paramref name="start"/>, <paramref name="end"/>) with <paramref name="newText"/>, reparsing only the
    /// sections the edit touches and reusing every other section object as it is (their start offsets move).
    /// </summary>
    public DocumentSyntax WithEdit(int start, int end, string newText)
    {
        start = Math.Clamp(start, 0, Length);
        end = Math.Clamp(end, start, Length);

        // Start at the last section whose header line (with its line break) lies wholly before the edit: that header
        // and everything before it are unchanged, and a header resets configparser's state.
        var first = FindSectionIndex(start);
        while (first > 0 && !HeaderIsSafelyBefore(first, start)) first--;
        // A section that starts the file with a BOM must be reparsed from the document start: only there is the BOM
        // skipped (its error is held by the empty preamble before it), so "\uFEFF[default]" would stop being a header.
        if (first > 0 && sectionStarts[first] == 0 && Sections[first].Text.StartsWith('\uFEFF')) first = 0;
        var last = FindSectionIndex(end);

        var chunkStart = sectionStarts[first];
        var chunkEnd = sectionStarts[last] + Sections[last].Length;
        var chunk = string.Concat(SliceOfSections(first, last, chunkStart, start), newText, SliceOfSections(first, last, end, chunkEnd));
        var atDocumentStart = first == 0;

        while (true)
        {
            var parsed = SyntaxParser.ParseSections(chunk, atDocumentStart);
            if (last + 1 < Sections.Length && NextHeaderIsAbsorbed(chunk, parsed[^1], Sections[last + 1]))
            {
                last++;
                chunk += Sections[last].Text;
                continue;
            }
            var count = Sections.Length - (last - first + 1) + parsed.Count;
            var builder = ImmutableArray.CreateBuilder<SectionSyntax>(count);
            builder.AddRange(Sections.AsSpan(0, first));
            builder.AddRange(parsed);
            builder.AddRange(Sections.AsSpan(last + 1, Sections.Length - last - 1));

            // The prefix tables: copied before the edit, computed for the new sections, shifted after it. Recomputing
            // them from every section's length would touch each section object, which costs milliseconds on big files.
            var starts = new int[count];
            var firstLines = new int[count];
            Array.Copy(sectionStarts, starts, first);
            Array.Copy(sectionFirstLines, firstLines, first);
            var offset = sectionStarts[first];
            var line = sectionFirstLines[first];
            var index = first;
            foreach (var section in parsed)
            {
                starts[index] = offset;
                firstLines[index] = line;
                offset += section.Length;
                line += section.LineCount;
                index++;
            }
            if (last + 1 < Sections.Length)
            {
                var offsetDelta = offset - sectionStarts[last + 1];
                var lineDelta = line - sectionFirstLines[last + 1];
                for (var i = last + 1; i < Sections.Length; i++, index++)
                {
                    starts[index] = sectionStarts[i] + offsetDelta;
                    firstLines[index] = sectionFirstLines[i] + lineDelta;
                }
                offset = Length + offsetDelta;
            }
            // The new document builds its full text lazily: most requests only read sections.
            return new DocumentSyntax(builder.MoveToImmutable(), starts, firstLines, offset);
        }
    }

    /// <summary>The text of [<paramref name="from"/>, <paramref name="to"/>) taken from sections first..last only, without building the whole text.</summary>
    private string SliceOfSections(int first, int last, int from, int to)
    {
        var builder = new System.Text.StringBuilder(to - from);
        for (var i = first; i <= last; i++)
        {
            var sectionStart = sectionStarts[i];
            var sectionEnd = sectionStart + Sections[i].Length;
            var sliceStart = Math.Max(from, sectionStart);
            var sliceEnd = Math.Min(to, sectionEnd);
            if (sliceStart < sliceEnd) builder.Append(Sections[i].Text, sliceStart - sectionStart, sliceEnd - sliceStart);
        }
        return builder.ToString();
    }

    private bool HeaderIsSafelyBefore(int sectionIndex, int offset)
    {
        var header = Sections[sectionIndex].Header;
        if (header is null) return true;
        var headerEnd = sectionStarts[sectionIndex] + header.FullSpan.End;
        // A header that ends in a lone '\r' could merge with an inserted '\n'.
        var endsInCarriageReturn = header.NewlineLength == 1 && Sections[sectionIndex].Text[header.FullSpan.End - 1] == '\r';
        return header.NewlineLength > 0 && (headerEnd < offset || headerEnd == offset && !endsInCarriageReturn);
    }

    /// <summary>
    /// True when the reparsed chunk changes how the next (untouched) section's header line reads: the chunk does not
    /// end a line, or it ends inside a value and the header line is indented deeper (a continuation line).
    /// </summary>
    private static bool NextHeaderIsAbsorbed(string chunk, SectionSyntax lastParsed, SectionSyntax next)
    {
        if (chunk.Length == 0) return false;
        var lastChar = chunk[^1];
        if (lastChar != '\n' && lastChar != '\r') return true;
        if (lastChar == '\r' && next.Text.Length > 0 && next.Text[0] == '\n') return true;
        var state = lastParsed.EndState;
        return state.InOption && next.Header is { } header && header.Indent > state.IndentLevel;
    }

    public override string ToString() => Text;
}
