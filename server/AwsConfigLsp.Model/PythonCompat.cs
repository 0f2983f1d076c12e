using System.Text;

namespace AwsConfigLsp.Model;

/// <summary>The few Python behaviours botocore's answers depend on: <c>shlex.split</c>, <c>int()</c> and <c>repr()</c> of strings and lists.</summary>
public static class PythonCompat
{
    /// <summary>
    /// POSIX <c>shlex.split(s)</c> (no comments): whitespace is space, tab, CR, LF; single quotes keep everything;
    /// double quotes let a backslash escape only <c>"</c> and <c>\</c>; outside quotes a backslash escapes any character.
    /// Returns null where Python raises <c>ValueError</c> (no closing quotation, no escaped character).
    /// </summary>
    public static List<string>? ShlexSplit(string text) => ShlexSplitWithSpans(text)?.Select(t => t.Value).ToList();

    /// <summary><see cref="ShlexSplit"/> that also gives where each word is written (quotes included), for renames and highlights.</summary>
    public static List<(string Value, int Start, int End)>? ShlexSplitWithSpans(string text)
    {
        var tokens = new List<(string Value, int Start, int End)>();
        var tokenStart = 0;
        var current = new StringBuilder();
        var inToken = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (inToken)
                {
                    tokens.Add((current.ToString(), tokenStart, i));
                    current.Clear();
                    inToken = false;
                }
                i++;
            }
            else if (c == '\\')
            {
                if (i + 1 >= text.Length) return null;
                current.Append(text[i + 1]);
                if (!inToken) tokenStart = i;
                inToken = true;
                i += 2;
            }
            else if (c is '\'' or '"')
            {
                if (!inToken) tokenStart = i;
                inToken = true;
                var quote = c;
                i++;
                while (true)
                {
                    if (i >= text.Length) return null;
                    var q = text[i];
                    if (q == quote)
                    {
                        i++;
                        break;
                    }
                    if (quote == '"' && q == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        current.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }
                    current.Append(q);
                    i++;
                }
            }
            else
            {
                current.Append(c);
                if (!inToken) tokenStart = i;
                inToken = true;
                i++;
            }
        }
        if (inToken) tokens.Add((current.ToString(), tokenStart, text.Length));
        return tokens;
    }

    /// <summary>Python's <c>int(str)</c> for base 10: surrounding whitespace, a sign, digits with single underscores between them.</summary>
    public static int? ParseInt(string text)
    {
        var s = text.Trim();
        if (s.Length == 0) return null;
        var sign = 1;
        var i = 0;
        if (s[0] is '+' or '-')
        {
            sign = s[0] == '-' ? -1 : 1;
            i = 1;
        }
        if (i >= s.Length) return null;
        long value = 0;
        var lastWasDigit = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '_')
            {
                if (!lastWasDigit || i + 1 >= s.Length) return null;
                lastWasDigit = false;
                continue;
            }
            var digit = char.IsDigit(c) ? (int)char.GetNumericValue(c) : -1;
            if (digit < 0) return null;
            value = value * 10 + digit;
            if (value > int.MaxValue) return null;
            lastWasDigit = true;
        }
        return lastWasDigit ? (int)(sign * value) : null;
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote.</summary>
    public static string Repr(string text)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c == quote) builder.Append('\\').Append(c);
                    else if (c < ' ' || c == '\x7f') builder.Append($"\\x{(int)c:x2}");
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr(list_of_str)</c>: <c>['a', 'b']</c>.</summary>
    public static string Repr(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Repr)) + "]";
}
