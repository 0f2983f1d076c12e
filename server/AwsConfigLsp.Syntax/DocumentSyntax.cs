namespace AwsConfigLsp.Syntax;

/// <summary>
/// An immutable parsed file: the preamble (section 0, possibly empty) and one <see cref="SectionSyntax"/> per header.
/// Offsets are UTF-16 code units from the start of the file.
/// </summary>
public sealed class DocumentSyntax
{
    private string? text;

    private DocumentSyntax(SectionList sections, string? text)
    {
        Sections = sections;
        this.text = text;
        Length = sections.TextLength;
        LineIndex = new LineIndex(this);
    }

    /// <summary>A document parsed from <paramref name="text"/> whole: its sections are slices of that string, which is also its <see cref="Text"/>.</summary>
    internal static DocumentSyntax Create(IReadOnlyList<SectionSyntax> sections, string text) => new(SectionList.Create(sections), text);

    /// <summary>The sections in order; a version made by <see cref="WithEdit"/> shares the untouched chunks of them with the version before.</summary>
    public SectionList Sections { get; }

    public int Length { get; }

    public LineIndex LineIndex { get; }

    /// <summary>
    /// The whole text, byte for byte what was parsed: the parsed string itself for a document parsed whole, else built on
    /// first use from the sections' slices.
    /// </summary>
    public string Text => text ??= string.Create(Length, Sections, static (destination, sections) =>
    {
        var offset = 0;
        foreach (var section in sections)
        {
            section.Text.CopyTo(destination[offset..]);
            offset += section.Length;
        }
    });

    public int GetSectionStart(int sectionIndex) => Sections.GetStart(sectionIndex);

    /// <summary>The line the section starts on.</summary>
    public int GetSectionFirstLine(int sectionIndex) => Sections.GetFirstLine(sectionIndex);

    /// <summary>The index of the section that holds <paramref name="offset"/> (the last one for the end of the file).</summary>
    public int FindSectionIndex(int offset) =>
        // Empty sections (only an empty preamble) share a start with the next one: the last section starting there.
        Sections.LastStartingAtOrBefore(offset);

    /// <summary>All syntax errors of the file with absolute spans.</summary>
    public IEnumerable<SyntaxError> Errors()
    {
        for (var i = 0; i < Sections.Length; i++)
        {
            foreach (var error in Sections[i].Errors)
            {
                yield return error with { Span = error.Span.Shift(GetSectionStart(i)) };
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
        if (first > 0 && GetSectionStart(first) == 0 && Sections[first].Text.StartsWith('\uFEFF')) first = 0;
        var last = FindSectionIndex(end);

        var chunkStart = GetSectionStart(first);
        var chunkEnd = GetSectionStart(last) + Sections[last].Length;
        var chunk = string.Concat(SliceOfSections(first, last, chunkStart, start), newText, SliceOfSections(first, last, end, chunkEnd));
        var atDocumentStart = first == 0;

        while (true)
        {
            var parsed = SyntaxParser.ParseSections(chunk, atDocumentStart);
            if (last + 1 < Sections.Length && NextHeaderIsAbsorbed(chunk, parsed[^1], Sections[last + 1]))
            {
                last++;
                chunk = string.Concat(chunk, Sections[last].Text);
                continue;
            }
            // Only the chunks of sections the edit touches are rebuilt; the others are shared with this version.
            return new DocumentSyntax(Sections.Replace(first, last, parsed), null);
        }
    }

    /// <summary>The text of [<paramref name="from"/>, <paramref name="to"/>) taken from sections first..last only, without building the whole text.</summary>
    private string SliceOfSections(int first, int last, int from, int to)
    {
        var builder = new System.Text.StringBuilder(to - from);
        for (var i = first; i <= last; i++)
        {
            var sectionStart = GetSectionStart(i);
            var sectionEnd = sectionStart + Sections[i].Length;
            var sliceStart = Math.Max(from, sectionStart);
            var sliceEnd = Math.Min(to, sectionEnd);
            if (sliceStart < sliceEnd) builder.Append(Sections[i].Text.Slice(sliceStart - sectionStart, sliceEnd - sliceStart));
        }
        return builder.ToString();
    }

    private bool HeaderIsSafelyBefore(int sectionIndex, int offset)
    {
        if (Sections[sectionIndex].Header is not { } header) return true;
        var headerEnd = GetSectionStart(sectionIndex) + header.FullSpan.End;
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
