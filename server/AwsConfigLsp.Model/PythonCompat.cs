using System.Text;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Model;

/// <summary>
/// The few Python behaviours botocore's answers depend on: <c>shlex.split</c>, <c>int()</c>, <c>str.lower()</c>,
/// <c>repr()</c> of strings and lists, and botocore's nested-block split.
/// </summary>
public static class PythonCompat
{
    /// <summary>
    /// POSIX <c>shlex.split(s)</c> (no comments): whitespace is space, tab, CR, LF; single quotes keep everything;
    /// double quotes let a backslash escape only <c>"</c> and <c>\</c>; outside quotes a backslash escapes any character.
    /// Returns null where Python raises <c>ValueError</c> (no closing quotation, no escaped character).
    /// </summary>
    public static List<string>? ShlexSplit(string text) => ShlexSplitWithSpans(text)?.Select(t => t.Value).ToList();

    /// <summary>
    /// Whether <paramref name="raw"/> is its first <paramref name="prefixLength"/> characters, one blank and a word that
    /// shlex leaves as it is: the common header (<c>profile NAME</c>), two words as written, without splitting it.
    /// </summary>
    public static bool IsPlainSecondWord(ReadOnlySpan<char> raw, int prefixLength) =>
        raw.Length > prefixLength + 1 && raw[prefixLength] == ' ' && raw[(prefixLength + 1)..].IndexOfAny(ShlexSpecial) < 0;

    /// <summary>The characters that make shlex.split do more than split at single spaces.</summary>
    private static readonly System.Buffers.SearchValues<char> ShlexSpecial = System.Buffers.SearchValues.Create(" \t\r\n\\'\"");

    /// <summary>
    /// Whether <see cref="ShlexSplit"/> gives exactly two words (a section header's kind and name), and where each is
    /// written (quotes included). Without quotes or backslashes the words are the runs of non-blank characters, found
    /// without building them (the common header: called for every section by the model and the semantic tokens).
    /// </summary>
    public static bool TryTwoWordSpans(string text, out (int Start, int End) first, out (int Start, int End) second) =>
        TryTwoWordSpans(text.AsSpan(), out first, out second);

    /// <inheritdoc cref="TryTwoWordSpans(string, out (int Start, int End), out (int Start, int End))"/>
    public static bool TryTwoWordSpans(ReadOnlySpan<char> text, out (int Start, int End) first, out (int Start, int End) second)
    {
        first = second = default;
        if (text.IndexOfAny('\\', '\'', '"') >= 0)
        {
            if (ShlexSplitWithSpans(new string(text)) is not { Count: 2 } words) return false;
            first = (words[0].Start, words[0].End);
            second = (words[1].Start, words[1].End);
            return true;
        }
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (IsShlexBlank(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && !IsShlexBlank(text[i])) i++;
            if (count == 0) first = (start, i);
            else if (count == 1) second = (start, i);
            count++;
        }
        return count == 2;
    }

    private static bool IsShlexBlank(char c) => c is ' ' or '\t' or '\r' or '\n';

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
            if (IsShlexBlank(c))
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

    /// <summary>
    /// Python's <c>int(str)</c> for base 10: surrounding whitespace, a sign, digits with single underscores between them.
    /// A digit is any Unicode decimal digit, also outside the BMP (<c>int('３６００')</c> and <c>int('𝟑𝟔𝟎𝟎')</c> are 3600).
    /// Python's integers are unbounded, so a value past <see cref="int.MaxValue"/> still counts (botocore passes
    /// <c>duration_seconds = 3000000000</c> to STS); only values past <see cref="long"/> are out of reach here.
    /// </summary>
    public static long? ParseInt(string text)
    {
        var span = PythonText.Strip(text, 0, text.Length);
        var s = text.Substring(span.Start, span.Length);
        if (s.Length == 0) return null;
        var negative = false;
        var i = 0;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }
        if (i >= s.Length) return null;
        System.Numerics.BigInteger value = 0;
        var lastWasDigit = false;
        while (i < s.Length)
        {
            if (s[i] == '_')
            {
                if (!lastWasDigit || i + 1 >= s.Length) return null;
                lastWasDigit = false;
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var length) != System.Buffers.OperationStatus.Done
                || Rune.GetUnicodeCategory(rune) != System.Globalization.UnicodeCategory.DecimalDigitNumber)
            {
                return null;
            }
            value = value * 10 + (int)Rune.GetNumericValue(rune);
            lastWasDigit = true;
            i += length;
        }
        if (!lastWasDigit) return null;
        if (negative) value = -value;
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : null;
    }

    /// <summary>
    /// Python's <c>str.lower()</c>, which configparser applies to keys: the full lower-case mapping, so 'İ' (U+0130)
    /// becomes "i̇" (two characters), and a capital sigma at the end of a word becomes the final 'ς' (Final_Sigma).
    /// Every other character maps as <see cref="Rune.ToLowerInvariant"/> does.
    /// </summary>
    public static string Lower(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? text : string.Create(text.Length, text, static (span, source) => System.Text.Ascii.ToLower(source, span, out _));
        }
        var builder = new StringBuilder(text.Length);
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x0130) builder.Append("i\u0307");
            else if (rune.Value == 0x03A3) builder.Append(IsFinalSigma(text, index) ? 'ς' : 'σ');
            else builder.Append(Rune.ToLowerInvariant(rune).ToString());
            index += rune.Utf16SequenceLength;
        }
        return builder.ToString();
    }

    /// <summary>CPython's <c>handle_capital_sigma</c>: a cased letter before it and none after it, skipping case-ignorable ones.</summary>
    private static bool IsFinalSigma(string text, int index)
    {
        var before = index;
        Rune previous = default;
        var found = false;
        while (before > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out previous, out var length) == System.Buffers.OperationStatus.Done)
        {
            before -= length;
            if (!IsCaseIgnorable(previous))
            {
                found = true;
                break;
            }
        }
        if (!found || !IsCased(previous)) return false;
        var after = index + 1;
        while (after < text.Length && Rune.DecodeFromUtf16(text.AsSpan(after), out var next, out var length) == System.Buffers.OperationStatus.Done)
        {
            if (!IsCaseIgnorable(next)) return !IsCased(next);
            after += length;
        }
        return true;
    }

    /// <summary>Unicode's Cased property: upper, lower and title case letters plus Other_Lowercase / Other_Uppercase ones.</summary>
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.UppercaseLetter
            or System.Globalization.UnicodeCategory.LowercaseLetter or System.Globalization.UnicodeCategory.TitlecaseLetter
        || rune.Value is 0x00AA or 0x00BA or (>= 0x2160 and <= 0x217F) or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    /// <summary>Unicode's Case_Ignorable property: marks, format characters, modifier letters and symbols, and the word-internal punctuation.</summary>
    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.ModifierLetter or System.Globalization.UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    /// <summary>
    /// botocore's <c>configloader._parse_nested</c> on a value that starts with a line break: <c>str.splitlines()</c>
    /// (which also breaks at \v, \f, U+001C..U+001E, U+0085, U+2028, U+2029), strip, skip empty lines, split at the
    /// first '=' and strip both sides; a later duplicate sub-key wins. A line without '=' (a ConfigParseError for
    /// botocore, reported by the parser) is left out.
    /// </summary>
    public static Dictionary<string, string> ParseNested(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = 0;
        while (start <= value.Length)
        {
            var end = start;
            while (end < value.Length && !PythonText.IsLineBoundary(value[end])) end++;
            var line = PythonText.Strip(value, start, end);
            var equals = line.Length == 0 ? -1 : value.IndexOf('=', line.Start, line.Length);
            if (equals >= 0)
            {
                var key = PythonText.Strip(value, line.Start, equals);
                var subValue = PythonText.Strip(value, equals + 1, line.End);
                result[value.Substring(key.Start, key.Length)] = value.Substring(subValue.Start, subValue.Length);
            }
            // "\r\n" is one line break for splitlines().
            start = end + (end + 1 < value.Length && value[end] == '\r' && value[end + 1] == '\n' ? 2 : 1);
        }
        return result;
    }

    /// <summary>
    /// Python's <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote; backslash, the
    /// quote, \t, \n and \r escaped; every character Python does not print (<c>str.isprintable()</c>: control,
    /// format, surrogate, private-use, unassigned characters and separators other than the space) as \xhh, \uhhhh
    /// or \Uhhhhhhhh. Other characters, also outside ASCII, are kept.
    /// </summary>
    public static string Repr(string text)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
            var value = status == System.Buffers.OperationStatus.Done ? rune.Value : text[i];
            if (status != System.Buffers.OperationStatus.Done) length = 1;
            switch (value)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (value == quote) builder.Append('\\').Append(quote);
                    else if (status != System.Buffers.OperationStatus.Done || !IsPrintable(rune))
                    {
                        builder.Append(value < 0x100 ? $"\\x{value:x2}" : value < 0x10000 ? $"\\u{value:x4}" : $"\\U{value:x8}");
                    }
                    else builder.Append(text, i, length);
                    break;
            }
            i += length;
        }
        return builder.Append(quote).ToString();
    }

    /// <summary>Python's <c>str.isprintable()</c> for one character.</summary>
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (
        System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.PrivateUse
        or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.LineSeparator
        or System.Globalization.UnicodeCategory.ParagraphSeparator or System.Globalization.UnicodeCategory.SpaceSeparator);

    /// <summary>Python's <c>repr(list_of_str)</c>: <c>['a', 'b']</c>.</summary>
    public static string Repr(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Repr)) + "]";
}
