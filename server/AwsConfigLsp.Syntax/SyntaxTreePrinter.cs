using System.Globalization;
using System.Text;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// Dumps a <see cref="DocumentSyntax"/> as readable, stable text: one line per node with its kind, absolute span and
/// escaped text, continuation lines indented under their property, and the syntax errors at the end. The parser's
/// snapshot tests compare these dumps, and it is handy in a debugger.
/// </summary>
/// <example>
/// <code>
/// Section [0..0) preamble lines=0
/// Section [0..26) name="profile dev" lines=2
///   SectionHeader [0..13) "[profile dev]" LF name=[1..12) "profile dev"
///   Property [14..25) "region = eu" LF key=[14..20) "region" delimiter=21 value=[23..25) "eu"
/// Errors
///   (none)
/// </code>
/// </example>
public static class SyntaxTreePrinter
{
    public static string Print(DocumentSyntax document)
    {
        var output = new StringBuilder();
        for (var i = 0; i < document.Sections.Length; i++)
        {
            var section = document.Sections[i];
            var start = document.GetSectionStart(i);
            output.Append("Section ").Append(new TextSpan(start, section.Length));
            output.Append(section.Header is not { } sectionHeader ? " preamble" : $" name={Escape(sectionHeader.Name)}");
            output.Append(" lines=").Append(section.LineCount).Append('\n');
            if (section.Header is { } header) AppendLine(output, section, start, header, depth: 1);
            foreach (var item in section.Items)
            {
                AppendLine(output, section, start, item, depth: 1);
                if (item.AsProperty is { } property)
                {
                    foreach (var line in property.Lines) AppendLine(output, section, start, line, depth: 2);
                }
            }
        }
        output.Append("Errors\n");
        var any = false;
        foreach (var error in document.Errors())
        {
            any = true;
            output.Append("  ").Append(error.Kind).Append(' ').Append(error.Span).Append(' ')
                .Append(Escape(SafeSubstring(document.Text, error.Span))).Append(": ").Append(error.Message).Append('\n');
        }
        if (!any) output.Append("  (none)\n");
        return output.ToString();
    }

    private static void AppendLine(StringBuilder output, SectionSyntax section, int sectionStart, LineSyntax line, int depth)
    {
        output.Append(' ', depth * 2).Append(line.Kind).Append(' ').Append(line.Span.Shift(sectionStart)).Append(' ')
            .Append(Escape(section.GetText(line.Span))).Append(' ').Append(NewlineName(section, line));
        if (line.Indent > 0) output.Append(" indent=").Append(line.Indent);
        if (line.AsHeader is { } header)
        {
            AppendSpan(output, "name", section, sectionStart, header.NameSpan);
            if (header.TrailingSpan.Length > 0) AppendSpan(output, "trailing", section, sectionStart, header.TrailingSpan);
        }
        else if (line.AsProperty is { } property)
        {
            AppendSpan(output, "key", section, sectionStart, property.KeySpan);
            output.Append(" delimiter=").Append(property.DelimiterOffset + sectionStart);
            AppendSpan(output, "value", section, sectionStart, property.ValueSpan);
            if (property.IsNestedBlock) output.Append(" nested");
        }
        else if (line.AsContinuation is { } continuation)
        {
            AppendSpan(output, "value", section, sectionStart, continuation.ValueSpan);
            if (continuation.SubKeySpan is { } subKey) AppendSpan(output, "subkey", section, sectionStart, subKey);
            if (continuation.SubValueSpan is { } subValue) AppendSpan(output, "subvalue", section, sectionStart, subValue);
        }
        else if (line.AsError is { } error)
        {
            output.Append(' ').Append(error.ErrorKind);
        }
        output.Append('\n');
    }

    private static void AppendSpan(StringBuilder output, string label, SectionSyntax section, int sectionStart, TextSpan span) =>
        output.Append(' ').Append(label).Append('=').Append(span.Shift(sectionStart)).Append(' ').Append(Escape(section.GetText(span)));

    private static string NewlineName(SectionSyntax section, LineSyntax line) => line.NewlineLength switch
    {
        0 => "EOF",
        2 => "CRLF",
        _ => section.Text[line.Span.End] == '\r' ? "CR" : "LF",
    };

    // An error span always lies inside the text; the guard only keeps a broken tree printable, which is when a dump
    // is needed most.
    private static string SafeSubstring(string text, TextSpan span) =>
        span.Start >= 0 && span.End <= text.Length && span.Length >= 0 ? text.Substring(span.Start, span.Length) : "<out of range>";

    /// <summary>
    /// Quotes <paramref name="text"/>, escaping what would be invisible or ambiguous in a dump: quotes, backslashes,
    /// control and format characters (a BOM), whitespace other than a plain space, and unpaired surrogates.
    /// Printable non-ASCII text (<c>日本語</c>, emoji) stays as it is.
    /// </summary>
    public static string Escape(string text)
    {
        var output = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                output.Append(c).Append(text[++i]);
                continue;
            }
            switch (c)
            {
                case '"': output.Append("\\\""); continue;
                case '\\': output.Append("\\\\"); continue;
                case '\n': output.Append("\\n"); continue;
                case '\r': output.Append("\\r"); continue;
                case '\t': output.Append("\\t"); continue;
            }
            var category = char.GetUnicodeCategory(c);
            var invisible = char.IsSurrogate(c) || char.IsControl(c) || category is UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || category == UnicodeCategory.SpaceSeparator && c != ' ';
            if (invisible) output.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else output.Append(c);
        }
        return output.Append('"').ToString();
    }
}
