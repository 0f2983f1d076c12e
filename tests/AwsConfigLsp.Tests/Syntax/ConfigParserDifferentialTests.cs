using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// Differential check against CPython: the sections, options and values that <c>configparser.RawConfigParser</c>
/// (strict, as botocore uses it) reads from a fixture must be what the syntax tree yields, and the lines it reports
/// as parsing errors must be the parser's error lines. The expected data was produced once with Python 3.11 by
/// reading each fixture with <c>cp.read(path, encoding="utf-8")</c> (universal newlines), taking <c>cp._sections</c>
/// after a non-fatal <c>ParsingError</c>, and running botocore's <c>_parse_nested</c> on values that start with a
/// line break; it is checked in so the tests need no Python.
/// </summary>
public sealed class ConfigParserDifferentialTests
{
    /// <summary>(section, option, value, nested) rows; a row with a null option just names a section.</summary>
    public sealed record ConfigParserView(
        (string Section, string? Option, string? Value, string? Nested)[] Rows, int[] ErrorLines);

    private static readonly Dictionary<string, ConfigParserView> Expected = new()
    {
        ["properties.ini"] = new(
            [
                ("default", null, null, null),
                ("default", "region", "eu-west-1", null),
                ("default", "output", "json", null),
                ("default", "a", "b = c", null),
                ("default", "key", "value=more", null),
                ("default", "empty_value", "", null),
                ("default", "spaced", "value with  inner  spaces", null),
                ("default", "key # not a comment", "v # not a comment either", null),
                ("default", "upper_case", "Mixed", null),
            ],
            []),
        ["comments.ini"] = new(
            [
                ("profile c", null, null, null),
                ("profile c", "region", "us-west-2 ; inline text stays in the value", null),
                ("profile c", "ca_bundle", "\nfirst\nsecond", "ValueError"),
            ],
            []),
        ["continuations.ini"] = new(
            [
                ("profile multi", null, null, null),
                ("profile multi", "description", "line one\nline two\n\nline three after a blank line\n\nline four after a whitespace-only line", null),
                ("profile multi", "next", "value", null),
                ("profile multi", "after_blanks", "x\ncontinues after_blanks\ndeeper = still a continuation", null),
            ],
            [12]),
        ["nested.ini"] = new(
            [
                ("profile nested", null, null, null),
                ("profile nested", "s3", "\nmax_concurrent_requests = 20\nsignature_version=s3v4\n\naddressing_style = path = odd\nbad sub line without equals", "ValueError"),
                ("profile nested", "region", "us-east-1", null),
                ("profile nested", "s3api", "\nendpoint_url = https://example.com", "endpoint_url=https://example.com"),
                ("profile nested", "not_nested", "value\nwith: colon only", null),
            ],
            []),
        ["indented_header_after_property.ini"] = new(
            [
                ("profile a", null, null, null),
                ("profile a", "region", "us-east-1\n[profile b]", null),
                ("profile a", "output", "json", null),
                ("profile c", null, null, null),
                ("profile c", "x", "1", null),
                ("profile d", null, null, null),
            ],
            []),
        ["empty_key_then_indented.ini"] = new(
            [
                ("profile e", null, null, null),
                ("profile e", "", "v", null),
                ("profile after-empty-key", null, null, null),
                ("profile after-empty-key", "x", "1", null),
            ],
            [2, 4]),
        ["headers.ini"] = new(
            [
                ("profile x", null, null, null),
                ("profile x", "region", "us-east-1", null),
                ("profile b]", null, null, null),
                ("profile b]", "output", "json", null),
                ("]", null, null, null),
                (" spaced name ", null, null, null),
                ("profile indented", null, null, null),
                ("default", null, null, null),
                ("profile [nested] brackets", null, null, null),
                ("sso-session corp", null, null, null),
            ],
            [5]),
        ["junk.ini"] = new(
            [
                ("profile j", null, null, null),
                ("profile j", "", "value without key", null),
                ("profile j", "ok", "yes", null),
            ],
            [2, 3, 4, 5]),
        ["unicode_whitespace.ini"] = new(
            [
                ("profile ws", null, null, null),
                ("profile ws", "nbsp_value", "value\nideographic = indented by an ideographic space", null),
                ("profile ws", "form\ffeed", "x", null),
                ("profile ws", "trailing_vt", "y", null),
            ],
            []),
        ["lone_cr.ini"] = new(
            [
                ("default", null, null, null),
                ("default", "region", "us-east-1", null),
                ("default", "value", "\ncontinued", "ValueError"),
                ("profile cr", null, null, null),
                ("profile cr", "output", "text", null),
            ],
            []),
        ["mixed_line_breaks.ini"] = new(
            [
                ("default", null, null, null),
                ("default", "a", "1", null),
                ("default", "b", "2", null),
                ("profile mixed", null, null, null),
                ("profile mixed", "c", "3", null),
            ],
            []),
        ["non_ascii.ini"] = new(
            [
                ("profile \u65e5\u672c\u8a9e", null, null, null),
                ("profile \u65e5\u672c\u8a9e", "region", "ap-northeast-1", null),
                ("profile \u65e5\u672c\u8a9e", "description", "\u6771\u4eac \ud83d\uddfc", null),
                ("profile \ud83d\ude80rocket", null, null, null),
                ("profile \ud83d\ude80rocket", "r\u00e9gion", "eu-west-3", null),
                ("profile na\u00efve", null, null, null),
                ("profile na\u00efve", "output", "json", null),
            ],
            []),
    };

    public static TheoryData<string> Fixtures() => new(Expected.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_YieldsTheSectionsOptionsAndValuesConfigParserReads(string fixture)
    {
        var document = SyntaxParser.Parse(SyntaxFixtures.ReadText(fixture));

        Assert.Equal(Expected[fixture].Rows, ConfigParserRows(document));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_ReportsErrorsOnTheLinesConfigParserRejects(string fixture)
    {
        var document = SyntaxParser.Parse(SyntaxFixtures.ReadText(fixture));

        // Only these two kinds are configparser's own ParsingError lines; BadSubProperty is botocore's later check.
        var errorLines = document.Errors()
            .Where(error => error.Kind is SyntaxErrorKind.NoDelimiter or SyntaxErrorKind.EmptyKey)
            .Select(error => document.LineIndex.GetPosition(error.Span.Start).Line + 1)
            .ToArray();

        Assert.Equal(Expected[fixture].ErrorLines, errorLines);
    }

    /// <summary>
    /// What configparser stores, rebuilt from the tree: each option's value is its first-line value plus one entry per
    /// continuation line and per blank line in between (comments and error lines add nothing), joined with line
    /// breaks and right-stripped, as <c>_join_multiline_values</c> does.
    /// </summary>
    private static List<(string Section, string? Option, string? Value, string? Nested)> ConfigParserRows(DocumentSyntax document)
    {
        var rows = new List<(string, string?, string?, string?)>();
        for (var i = 0; i < document.Sections.Length; i++)
        {
            var section = document.Sections[i];
            if (section.Name is not { } name) continue;
            rows.Add((name, null, null, null));
            foreach (var property in section.Properties)
            {
                var parts = new List<string> { section.GetText(property.ValueSpan) };
                foreach (var line in property.Lines)
                {
                    if (line.AsContinuation is { } continuation) parts.Add(section.GetText(continuation.ValueSpan));
                    else if (line.Kind == SyntaxKind.Blank) parts.Add("");
                }
                var joined = string.Join("\n", parts);
                var value = joined[..PythonText.TrimEnd(joined, 0, joined.Length)];
                rows.Add((name, section.GetText(property.KeySpan).ToLowerInvariant(), value, Nested(section, property)));
            }
        }
        return rows;
    }

    /// <summary>botocore's <c>_parse_nested</c> result as <c>k=v;k=v</c>, or <c>ValueError</c> when a line has no '='.</summary>
    private static string? Nested(SectionSyntax section, PropertySyntax property)
    {
        if (!property.IsNestedBlock) return null;
        var pairs = new List<string>();
        foreach (var line in property.Lines)
        {
            if (line.AsContinuation is not { } continuation) continue;
            if (continuation.SubKeySpan is not { } key || continuation.SubValueSpan is not { } value) return "ValueError";
            pairs.Add($"{section.GetText(key)}={section.GetText(value)}");
        }
        return string.Join(";", pairs);
    }
}
