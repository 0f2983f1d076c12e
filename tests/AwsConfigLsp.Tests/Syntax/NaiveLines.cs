using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// A reference model of <see cref="LineIndex"/> that scans the whole text: line breaks are <c>\r\n</c>, <c>\r</c> and
/// <c>\n</c>, a trailing line break opens an empty last line, and columns are UTF-16 code units.
/// </summary>
internal static class NaiveLines
{
    public static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            if (text[i] is '\r' or '\n') starts.Add(i + 1);
        }
        return starts;
    }

    public static int ContentEnd(string text, int lineStart)
    {
        var end = lineStart;
        while (end < text.Length && text[end] is not ('\r' or '\n')) end++;
        return end;
    }

    /// <summary>Asserts that the document's <see cref="LineIndex"/> answers every line and every offset as the scan does.</summary>
    public static void AssertLineIndexMatches(DocumentSyntax document)
    {
        var text = document.Text;
        var lineIndex = document.LineIndex;
        var starts = LineStarts(text);

        Assert.Equal(starts.Count, lineIndex.LineCount);
        for (var line = 0; line < starts.Count; line++)
        {
            var contentEnd = ContentEnd(text, starts[line]);
            Assert.Equal(starts[line], lineIndex.GetLineStart(line));
            Assert.Equal(contentEnd, lineIndex.GetLineContentEnd(starts[line]));
            Assert.Equal(starts[line], lineIndex.GetOffset(new LinePosition(line, 0)));
            Assert.Equal(contentEnd, lineIndex.GetOffset(new LinePosition(line, int.MaxValue)));
        }
        Assert.Equal(text.Length, lineIndex.GetLineStart(starts.Count));

        var currentLine = 0;
        for (var offset = 0; offset <= text.Length; offset++)
        {
            while (currentLine + 1 < starts.Count && starts[currentLine + 1] <= offset) currentLine++;
            var expected = new LinePosition(currentLine, offset - starts[currentLine]);
            Assert.Equal(expected, lineIndex.GetPosition(offset));
            // Offsets inside a line break have no column of their own to come back from.
            if (offset <= ContentEnd(text, starts[currentLine])) Assert.Equal(offset, lineIndex.GetOffset(expected));
        }

        // Both ends of a span at once: the positions of each end (spans within a line, across lines and sections, to the end).
        var step = Math.Max(1, text.Length / 200);
        for (var start = 0; start <= text.Length; start += step)
        {
            foreach (var length in new[] { 0, 1, 3, 17, 80, text.Length - start })
            {
                if (start + length > text.Length) continue;
                var span = new TextSpan(start, length);
                Assert.Equal((lineIndex.GetPosition(span.Start), lineIndex.GetPosition(span.End)), lineIndex.GetRange(span));
            }
        }
    }
}
