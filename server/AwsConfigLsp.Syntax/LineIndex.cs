namespace AwsConfigLsp.Syntax;

/// <summary>A zero-based line and UTF-16 column, as LSP counts them.</summary>
public readonly record struct LinePosition(int Line, int Character);

/// <summary>
/// Converts offsets to lines and UTF-16 columns and back. Line breaks are <c>\n</c>, <c>\r\n</c> and <c>\r</c>, which is
/// what both LSP and Python's universal newlines use. Built from the sections' own line tables, so it costs nothing
/// per edit beyond the document's two prefix arrays.
/// </summary>
public sealed class LineIndex
{
    private readonly DocumentSyntax document;

    internal LineIndex(DocumentSyntax document)
    {
        this.document = document;
    }

    /// <summary>Number of lines; a file ending with a line break has an empty last line.</summary>
    public int LineCount
    {
        get
        {
            var lines = document.Sections.LineCount;
            return EndsWithLineBreak() || document.Length == 0 ? lines + 1 : lines;
        }
    }

    private bool EndsWithLineBreak()
    {
        var last = document.Sections[^1].Text;
        if (last.Length > 0) return last[^1] is '\n' or '\r';
        for (var i = document.Sections.Length - 1; i >= 0; i--)
        {
            var text = document.Sections[i].Text;
            if (text.Length > 0) return text[^1] is '\n' or '\r';
        }
        return false;
    }

    /// <summary>The offset where <paramref name="line"/> starts; lines past the end map to the end of the file.</summary>
    public int GetLineStart(int line)
    {
        if (line < 0) return 0;
        // Several sections can start on the same line only when some are empty: take the last, which has the line.
        var sectionIndex = document.Sections.LastWithFirstLineAtOrBefore(line);
        var section = document.Sections[sectionIndex];
        var lineInSection = line - document.GetSectionFirstLine(sectionIndex);
        if (lineInSection < section.LineCount) return document.GetSectionStart(sectionIndex) + section.LineStart(lineInSection);
        return document.Length;
    }

    /// <summary>The offset of a position; a column past the end of its line is clamped to the line end.</summary>
    public int GetOffset(LinePosition position)
    {
        var lineStart = GetLineStart(position.Line);
        if (position.Line < 0) return 0;
        var lineEnd = GetLineContentEnd(lineStart);
        // Clamp the column before adding it: LSP lets a column run past the line end (it means the end), and a huge one
        // such as int.MaxValue would overflow lineStart + column into a negative offset.
        return lineStart + Math.Clamp(position.Character, 0, lineEnd - lineStart);
    }

    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, document.Length);
        var sectionIndex = document.FindSectionIndex(offset);
        var section = document.Sections[sectionIndex];
        var relative = offset - document.GetSectionStart(sectionIndex);
        var firstLine = document.GetSectionFirstLine(sectionIndex);
        if (section.LineCount == 0)
        {
            return new LinePosition(firstLine, 0);
        }
        var lineInSection = section.LineAt(relative);
        var lineStart = section.LineStart(lineInSection);
        // The end of a file that ends with a line break is on the extra empty line.
        if (offset == document.Length && offset > 0 && relative > lineStart && section.Text[relative - 1] is '\n' or '\r')
        {
            return new LinePosition(firstLine + section.LineCount, 0);
        }
        return new LinePosition(firstLine + lineInSection, relative - lineStart);
    }

    /// <summary>
    /// The positions of both ends of <paramref name="span"/>: those <see cref="GetPosition"/> gives, found with one look-up
    /// of the section when both ends lie in it (a publish converts ~50k ranges at 50k profiles, and each look-up walks
    /// the section list's chunks and a section's lines).
    /// </summary>
    public (LinePosition Start, LinePosition End) GetRange(TextSpan span)
    {
        var (start, end) = (span.Start, span.End);
        if (start >= 0 && start <= end && end < document.Length)
        {
            var sectionIndex = document.FindSectionIndex(start);
            var sectionStart = document.GetSectionStart(sectionIndex);
            var section = document.Sections[sectionIndex];
            if (end < sectionStart + section.Length && section.LineCount > 0)
            {
                var firstLine = document.GetSectionFirstLine(sectionIndex);
                var relativeStart = start - sectionStart;
                var relativeEnd = end - sectionStart;
                var startLine = section.LineAt(relativeStart);
                var endLine = startLine + 1 < section.LineCount && relativeEnd >= section.LineStart(startLine + 1) ? section.LineAt(relativeEnd) : startLine;
                return (new LinePosition(firstLine + startLine, relativeStart - section.LineStart(startLine)),
                    new LinePosition(firstLine + endLine, relativeEnd - section.LineStart(endLine)));
            }
        }
        return (GetPosition(start), GetPosition(end));
    }

    /// <summary>The offset just before the line break of the line that starts at <paramref name="lineStart"/>.</summary>
    public int GetLineContentEnd(int lineStart)
    {
        if (lineStart >= document.Length) return document.Length;
        var sectionIndex = document.FindSectionIndex(lineStart);
        var section = document.Sections[sectionIndex];
        var sectionStart = document.GetSectionStart(sectionIndex);
        var relative = lineStart - sectionStart;
        var end = relative;
        while (end < section.Text.Length && section.Text[end] != '\n' && section.Text[end] != '\r') end++;
        return sectionStart + end;
    }
}
