using System.Text.Json;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// LSP positions in a test's own text, computed independently of the server: lines end at <c>\r\n</c>, <c>\n</c> or
/// <c>\r</c>, and characters count UTF-16 code units (a C# string's indices). Also applies the <c>TextEdit</c>s a server
/// returns, as an editor would.
/// </summary>
public static class LspText
{
    /// <summary>The position of <paramref name="delta"/> units after the start of the <paramref name="occurrence"/>-th <paramref name="needle"/>.</summary>
    public static (int Line, int Character) PositionOf(string text, string needle, int delta = 0, int occurrence = 0)
    {
        var index = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            index = text.IndexOf(needle, index + 1, StringComparison.Ordinal);
            if (index < 0) throw new XunitException($"'{needle}' (occurrence {occurrence}) is not in the text.");
        }
        return Position(text, index + delta);
    }

    /// <summary>The position as JSON-ready object, for request parameters.</summary>
    public static object At(string text, string needle, int delta = 0, int occurrence = 0)
    {
        var (line, character) = PositionOf(text, needle, delta, occurrence);
        return new { line, character };
    }

    /// <summary>The range of the <paramref name="occurrence"/>-th <paramref name="needle"/>, as LSP JSON.</summary>
    public static string RangeOf(string text, string needle, int occurrence = 0) => RangeIn(text, needle, needle, occurrence);

    /// <summary>The range of <paramref name="part"/> inside the <paramref name="occurrence"/>-th <paramref name="context"/>, as LSP JSON.</summary>
    public static string RangeIn(string text, string context, string part, int occurrence = 0)
    {
        var delta = context.IndexOf(part, StringComparison.Ordinal);
        if (delta < 0) throw new XunitException($"'{part}' is not in '{context}'.");
        var (startLine, startCharacter) = PositionOf(text, context, delta, occurrence);
        var (endLine, endCharacter) = PositionOf(text, context, delta + part.Length, occurrence);
        return $$"""{ "start": { "line": {{startLine}}, "character": {{startCharacter}} }, "end": { "line": {{endLine}}, "character": {{endCharacter}} } }""";
    }

    /// <summary>The position inside <paramref name="part"/> of the <paramref name="occurrence"/>-th <paramref name="context"/>, <paramref name="delta"/> units from its start.</summary>
    public static object AtIn(string text, string context, string part, int delta = 0, int occurrence = 0)
    {
        var start = context.IndexOf(part, StringComparison.Ordinal);
        if (start < 0) throw new XunitException($"'{part}' is not in '{context}'.");
        return At(text, context, start + delta, occurrence);
    }

    public static (int Line, int Character) Position(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n' || text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart);
    }

    public static int Offset(string text, int line, int character)
    {
        var offset = 0;
        for (var current = 0; current < line; current++)
        {
            var next = text.IndexOfAny(['\r', '\n'], offset);
            if (next < 0) throw new XunitException($"Line {line} is past the end of the text.");
            offset = next + (text[next] == '\r' && next + 1 < text.Length && text[next + 1] == '\n' ? 2 : 1);
        }
        var lineEnd = text.IndexOfAny(['\r', '\n'], offset);
        if (lineEnd < 0) lineEnd = text.Length;
        if (offset + character > lineEnd) throw new XunitException($"Character {character} is past the end of line {line}.");
        return offset + character;
    }

    /// <summary>Applies a <c>TextEdit[]</c> (non-overlapping ranges, all against <paramref name="text"/>), as LSP says clients do.</summary>
    public static string Apply(string text, JsonElement edits)
    {
        var resolved = edits.EnumerateArray()
            .Select(edit =>
            {
                var range = edit.GetProperty("range");
                var start = Offset(text, range.GetProperty("start").GetProperty("line").GetInt32(), range.GetProperty("start").GetProperty("character").GetInt32());
                var end = Offset(text, range.GetProperty("end").GetProperty("line").GetInt32(), range.GetProperty("end").GetProperty("character").GetInt32());
                return (Start: start, End: end, Text: edit.GetProperty("newText").GetString()!);
            })
            .Select((edit, index) => (edit.Start, edit.End, edit.Text, Index: index))
            .OrderBy(edit => edit.Start).ThenBy(edit => edit.Index)
            .ToList();
        for (var i = 1; i < resolved.Count; i++)
        {
            if (resolved[i].Start < resolved[i - 1].End) throw new XunitException($"Edits overlap: {JsonAssert.Pretty(edits)}");
        }
        var builder = new System.Text.StringBuilder();
        var position = 0;
        foreach (var (start, end, newText, _) in resolved)
        {
            if (end < start) throw new XunitException($"An edit ends before it starts: {JsonAssert.Pretty(edits)}");
            builder.Append(text, position, start - position).Append(newText);
            position = end;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }
}
