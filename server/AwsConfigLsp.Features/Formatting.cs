using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>A replacement of [Start, End) with text, in one file.</summary>
public sealed record TextChange(TextSpan Span, string NewText);

/// <summary>
/// Formats a file without changing what the CLI reads: <c>key = value</c> spacing on property lines, no indentation on
/// headers and property lines, no trailing whitespace, one blank line between sections, at most one blank line in a
/// row, a final line break. Values, continuation lines and comment text are never changed; blank lines inside values
/// stay (they are part of the value). The result is idempotent and a formatted file gets no edits.
/// </summary>
public static class Formatting
{
    public static IReadOnlyList<TextChange> Format(ConfigFile file, TextSpan? range = null)
    {
        var changes = new List<TextChange>();
        var syntax = file.Syntax;
        var lines = new List<(LineSyntax Line, int SectionStart, bool InValue)>();
        for (var i = 0; i < syntax.Sections.Length; i++)
        {
            var start = syntax.GetSectionStart(i);
            var section = syntax.Sections[i];
            if (section.Header is { } header) lines.Add((header, start, false));
            foreach (var item in section.Items)
            {
                lines.Add((item, start, false));
                if (item.AsProperty is { } property)
                {
                    foreach (var line in property.Lines) lines.Add((line, start, true));
                }
            }
        }

        string TextOf(LineSyntax line, int sectionStart) => syntax.Sections[syntax.FindSectionIndex(sectionStart)].GetText(line.Span);
        bool InRange(TextSpan span) => range is not { } r || span.Overlaps(r) || span.Length == 0 && r.ContainsOrTouches(span.Start);

        var firstContent = lines.FindIndex(l => l.Line.Kind != SyntaxKind.Blank);
        for (var index = 0; index < lines.Count; index++)
        {
            var (line, sectionStart, inValue) = lines[index];
            var span = line.Span.Shift(sectionStart);
            var fullSpan = line.FullSpan.Shift(sectionStart);
            if (!InRange(fullSpan)) continue;
            var text = TextOf(line, sectionStart);

            if (line.Kind == SyntaxKind.Blank && !inValue)
            {
                var previousIsBlank = index > 0 && lines[index - 1].Line.Kind == SyntaxKind.Blank && !lines[index - 1].InValue;
                var atStart = index < firstContent || firstContent < 0;
                var atEnd = lines.Skip(index + 1).All(l => l.Line.Kind == SyntaxKind.Blank);
                if (previousIsBlank || atStart || atEnd)
                {
                    changes.Add(new TextChange(fullSpan, ""));
                    continue;
                }
                if (text.Length > 0) changes.Add(new TextChange(span, ""));
                continue;
            }

            var formatted = line.Kind switch
            {
                SyntaxKind.SectionHeader => text.Trim(),
                SyntaxKind.Property when !inValue => FormatProperty(syntax.Sections[syntax.FindSectionIndex(sectionStart)], line.AsProperty!.Value),
                _ => text.TrimEnd(),
            };
            if (formatted != text) changes.Add(new TextChange(span, formatted));

            // A header (with the comments right above it) follows exactly one blank line, except at the top of the file.
            if (line.Kind == SyntaxKind.SectionHeader || line.Kind == SyntaxKind.Comment && !inValue && StartsHeaderBlock(lines, index))
            {
                if (line.Kind == SyntaxKind.SectionHeader && index > 0 && lines[index - 1].Line.Kind == SyntaxKind.Comment && !lines[index - 1].InValue) continue;
                var hasContentBefore = lines.Take(index).Any(l => l.Line.Kind != SyntaxKind.Blank);
                var blankBefore = index > 0 && lines[index - 1].Line.Kind == SyntaxKind.Blank;
                if (hasContentBefore && !blankBefore)
                {
                    var newline = NewlineBefore(syntax, fullSpan.Start);
                    changes.Add(new TextChange(new TextSpan(fullSpan.Start, 0), newline));
                }
            }
        }

        // A final line break.
        if (syntax.Length > 0 && range is null)
        {
            var text = syntax.Sections[^1].Text;
            if (text.Length > 0 && text[^1] is not ('\n' or '\r'))
            {
                changes.Add(new TextChange(new TextSpan(syntax.Length, 0), NewlineBefore(syntax, syntax.Length)));
            }
        }
        return Normalize(changes);
    }

    /// <summary>True for the first comment line of a run of comments that ends right at a section header.</summary>
    private static bool StartsHeaderBlock(List<(LineSyntax Line, int SectionStart, bool InValue)> lines, int index)
    {
        if (index > 0 && lines[index - 1].Line.Kind == SyntaxKind.Comment && !lines[index - 1].InValue) return false;
        for (var i = index; i < lines.Count; i++)
        {
            if (lines[i].Line.Kind == SyntaxKind.Comment && !lines[i].InValue) continue;
            return lines[i].Line.Kind == SyntaxKind.SectionHeader;
        }
        return false;
    }

    private static string FormatProperty(SectionSyntax section, PropertySyntax property)
    {
        var key = section.GetText(property.KeySpan);
        var delimiter = section.Text[property.DelimiterOffset];
        var value = section.GetText(property.ValueSpan);
        var separator = delimiter == '=' ? " = " : ": ";
        if (value.Length == 0) return key + (delimiter == '=' ? " =" : ":");
        return key + separator + value;
    }

    /// <summary>The line break the file uses near <paramref name="offset"/>.</summary>
    private static string NewlineBefore(DocumentSyntax syntax, int offset)
    {
        var text = syntax.Text;
        var lineBreak = text.LastIndexOfAny(['\n', '\r'], Math.Max(0, Math.Min(offset, text.Length) - 1));
        if (lineBreak < 0) lineBreak = text.IndexOfAny(['\n', '\r']);
        if (lineBreak < 0) return "\n";
        if (text[lineBreak] == '\n') return lineBreak > 0 && text[lineBreak - 1] == '\r' ? "\r\n" : "\n";
        return lineBreak + 1 < text.Length && text[lineBreak + 1] == '\n' ? "\r\n" : "\r";
    }

    /// <summary>Sorted, and with nothing that touches an earlier deletion twice.</summary>
    private static IReadOnlyList<TextChange> Normalize(List<TextChange> changes)
    {
        changes.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : a.Span.Length.CompareTo(b.Span.Length));
        return changes;
    }

    /// <summary>Applies changes (sorted, non-overlapping) to a text: for tests and for the CLI.</summary>
    public static string Apply(string text, IReadOnlyList<TextChange> changes)
    {
        var builder = new System.Text.StringBuilder();
        var position = 0;
        foreach (var change in changes.OrderBy(c => c.Span.Start).ThenBy(c => c.Span.Length))
        {
            builder.Append(text, position, change.Span.Start - position);
            builder.Append(change.NewText);
            position = change.Span.End;
        }
        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
