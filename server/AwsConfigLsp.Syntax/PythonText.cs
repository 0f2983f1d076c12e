namespace AwsConfigLsp.Syntax;

/// <summary>
/// Character classes as CPython's <c>str.strip()</c> and the regex class <c>\s</c> see them, because botocore reads
/// the files through <c>configparser</c> and what counts as whitespace decides what a key or a value is.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c>: .NET's whitespace plus the four information separators U+001C..U+001F.</summary>
    public static bool IsWhiteSpace(char c) => c == ' ' || c == '\t' || (c >= '\x1c' && c <= '\x1f') || char.IsWhiteSpace(c);

    /// <summary>
    /// Where Python's <c>str.splitlines()</c> breaks a line: <c>\n</c>, <c>\r</c> and also <c>\v</c>, <c>\f</c>,
    /// U+001C..U+001E, U+0085, U+2028 and U+2029. Reading a file only breaks at <c>\n</c> and <c>\r</c>, but botocore
    /// splits a nested block's value with <c>splitlines()</c> (<c>configloader._parse_nested</c>).
    /// </summary>
    public static bool IsLineBoundary(char c) =>
        c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary>The span of <paramref name="text"/>[start..end) without leading and trailing Python whitespace.</summary>
    public static TextSpan Strip(ReadOnlySpan<char> text, int start, int end)
    {
        while (start < end && IsWhiteSpace(text[start])) start++;
        while (end > start && IsWhiteSpace(text[end - 1])) end--;
        return TextSpan.FromBounds(start, end);
    }

    public static int SkipWhiteSpace(ReadOnlySpan<char> text, int start, int end)
    {
        while (start < end && IsWhiteSpace(text[start])) start++;
        return start;
    }

    public static int TrimEnd(ReadOnlySpan<char> text, int start, int end)
    {
        while (end > start && IsWhiteSpace(text[end - 1])) end--;
        return end;
    }
}
