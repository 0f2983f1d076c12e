using System.Text;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// <see cref="DocumentSyntax.WithEdit"/> must give exactly what a full <see cref="SyntaxParser.Parse"/> of the edited
/// text gives, while reusing the sections the edit does not touch.
/// </summary>
public sealed class IncrementalParsingTests
{
    // ---- Generators -------------------------------------------------------------------------------------------

    private static readonly Gen<string> HeaderLine = Gen.OneOf(
        "[default]", "[profile a]", "[profile b] # trailing", "[profile b]]", "[]", "[ ]", "[]]", "  [profile c]",
        "\t[sso-session s]", "[profile 日本語]", "[profile 🚀]", "[unclosed", "[default];x");

    private static readonly Gen<string> PropertyLine = Gen.OneOf(
        "region = us-east-1", "output: json", "a:b = c", "key=value", "= no key", "s3 =", "empty =", "  indented = 1",
        "k = 🚀", "x\t=\ty");

    private static readonly Gen<string> ContinuationLine = Gen.OneOf(
        "  max_concurrent_requests = 20", "\tsignature_version=s3v4", "    bad sub line", "  continued", "  [profile d]",
        "   = v", "\t\tdeeper");

    private static readonly Gen<string> TriviaLine = Gen.OneOf("# comment", "; comment", "  # indented", "\t;", "", "  ", "\t");

    private static readonly Gen<string> JunkLine = Gen.OneOf("junk", "just some words", "]", "[", "\u00a0x", "🚀");

    private static readonly Gen<string> AnyLine = Gen.Frequency(
        (3, HeaderLine), (5, PropertyLine), (4, ContinuationLine), (3, TriviaLine), (1, JunkLine));

    private static readonly Gen<string> LineBreak = Gen.Frequency((6, Gen.Const("\n")), (2, Gen.Const("\r\n")), (1, Gen.Const("\r")));

    /// <summary>Config-like text: lines with mixed line breaks, sometimes a BOM, sometimes no final line break.</summary>
    private static readonly Gen<string> ConfigText =
        Gen.Select(Gen.Select(AnyLine, LineBreak).Array[0, 30], Gen.Int[0, 9], Gen.Bool, (lines, bom, finalBreak) =>
        {
            var text = new StringBuilder(bom == 0 ? "\uFEFF" : "");
            for (var i = 0; i < lines.Length; i++)
            {
                text.Append(lines[i].Item1);
                if (i < lines.Length - 1 || finalBreak) text.Append(lines[i].Item2);
            }
            return text.ToString();
        });

    private static readonly Gen<string> InsertedText = Gen.Frequency(
        (8, Gen.OneOf("", "x", " ", "\t", "\n", "\r", "\r\n", "[", "]", "=", ":", "#", ";", "🚀", "\uFEFF", "[profile z]",
            "\n[profile z]\n", "a = b\n", "  k = v\n", "\n  ", "]\n", "s3 =\n  a = b")),
        (2, Gen.Char["[] =:#;\tab\r\n"].Array[1, 6].Select(chars => new string(chars))));

    private enum EditKind { Anywhere, DeleteLineBreak, SplitCrLf, IndentLine, UnindentLine, AtStart, AtEnd, AtLineStart }

    /// <summary>An edit chosen without knowing the text; <see cref="Resolve"/> turns it into offsets for a given text.</summary>
    private sealed record EditSpec(EditKind Kind, int A, int B, string Text);

    private static readonly Gen<EditSpec> Edit = Gen.Select(
        Gen.Frequency(
            (6, Gen.Const(EditKind.Anywhere)), (2, Gen.Const(EditKind.DeleteLineBreak)), (1, Gen.Const(EditKind.SplitCrLf)),
            (1, Gen.Const(EditKind.IndentLine)), (1, Gen.Const(EditKind.UnindentLine)), (1, Gen.Const(EditKind.AtStart)),
            (1, Gen.Const(EditKind.AtEnd)), (1, Gen.Const(EditKind.AtLineStart))),
        Gen.Int[0, 10_000], Gen.Int[0, 10_000], InsertedText,
        (kind, a, b, text) => new EditSpec(kind, a, b, text));

    private static (int Start, int End, string NewText) Resolve(string text, EditSpec edit)
    {
        var length = text.Length;
        List<int> Where(Func<int, bool> predicate) => Enumerable.Range(0, length).Where(predicate).ToList();
        List<int> LineStarts() => NaiveLines.LineStarts(text);
        (int, int, string) Anywhere()
        {
            var start = edit.A % (length + 1);
            return (start, start + edit.B % (Math.Min(length - start, 8) + 1), edit.Text);
        }

        switch (edit.Kind)
        {
            case EditKind.DeleteLineBreak:
                {
                    // Joins two lines; deleting one half of a CRLF keeps a line break, deleting both joins.
                    var breaks = Where(i => text[i] is '\r' or '\n');
                    if (breaks.Count == 0) return Anywhere();
                    var at = breaks[edit.A % breaks.Count];
                    var both = edit.B % 2 == 0 && text[at] == '\r' && at + 1 < length && text[at + 1] == '\n';
                    return (at, at + (both ? 2 : 1), "");
                }
            case EditKind.SplitCrLf:
                {
                    var pairs = Where(i => text[i] == '\r' && i + 1 < length && text[i + 1] == '\n');
                    if (pairs.Count == 0) return Anywhere();
                    var at = pairs[edit.A % pairs.Count] + 1;
                    return (at, at, edit.Text);
                }
            case EditKind.IndentLine:
                {
                    // Prefer header lines: an indented header after a value becomes a continuation line.
                    var starts = LineStarts();
                    var headers = starts.Where(s => PythonText.SkipWhiteSpace(text, s, length) is var c && c < length && text[c] == '[').ToList();
                    var candidates = headers.Count > 0 && edit.B % 4 != 0 ? headers : starts;
                    var at = candidates[edit.A % candidates.Count];
                    return (at, at, edit.B % 2 == 0 ? " " : "\t");
                }
            case EditKind.UnindentLine:
                {
                    var indented = LineStarts().Where(s => s < length && text[s] is ' ' or '\t').ToList();
                    if (indented.Count == 0) return Anywhere();
                    var at = indented[edit.A % indented.Count];
                    return (at, at + 1, "");
                }
            case EditKind.AtStart:
                return (0, Math.Min(edit.B % 3, length), edit.Text);
            case EditKind.AtEnd:
                return (Math.Max(0, length - edit.B % 3), length, edit.Text);
            case EditKind.AtLineStart:
                {
                    var starts = LineStarts();
                    var at = starts[edit.A % starts.Count];
                    return (at, Math.Min(at + edit.B % 2, length), edit.Text);
                }
            default:
                return Anywhere();
        }
    }

    private static string ReplaceRange(string text, int start, int end, string newText) => string.Concat(text.AsSpan(0, start), newText, text.AsSpan(end));

    /// <summary>Replays a sample as C# a reader can paste into a test.</summary>
    private static string Describe(string initial, IEnumerable<EditSpec> edits)
    {
        var output = new StringBuilder($"var document = SyntaxParser.Parse({SyntaxTreePrinter.Escape(initial)});\n");
        var text = initial;
        foreach (var edit in edits)
        {
            var (start, end, newText) = Resolve(text, edit);
            output.Append($"document = document.WithEdit({start}, {end}, {SyntaxTreePrinter.Escape(newText)}); // {edit.Kind}\n");
            text = ReplaceRange(text, start, end, newText);
        }
        return output.ToString();
    }

    // ---- Equivalence with a full parse ------------------------------------------------------------------------

    private static void AssertSameAsFullParse(DocumentSyntax incremental, string expectedText)
    {
        var full = SyntaxParser.Parse(expectedText);

        Assert.Equal(expectedText, incremental.Text);
        Assert.Equal(expectedText.Length, incremental.Length);
        Assert.Equal(SyntaxTreePrinter.Print(full), SyntaxTreePrinter.Print(incremental));
        Assert.Equal(full.Errors(), incremental.Errors());
        Assert.Equal(full.Sections.Length, incremental.Sections.Length);
        for (var i = 0; i < full.Sections.Length; i++)
        {
            Assert.Equal(full.GetSectionStart(i), incremental.GetSectionStart(i));
        }

        var fullIndex = full.LineIndex;
        var incrementalIndex = incremental.LineIndex;
        Assert.Equal(fullIndex.LineCount, incrementalIndex.LineCount);
        for (var line = 0; line <= fullIndex.LineCount; line++)
        {
            var lineStart = fullIndex.GetLineStart(line);
            Assert.Equal(lineStart, incrementalIndex.GetLineStart(line));
            Assert.Equal(fullIndex.GetLineContentEnd(lineStart), incrementalIndex.GetLineContentEnd(lineStart));
            Assert.Equal(fullIndex.GetOffset(new LinePosition(line, 3)), incrementalIndex.GetOffset(new LinePosition(line, 3)));
        }
        for (var offset = 0; offset <= expectedText.Length; offset++)
        {
            Assert.Equal(fullIndex.GetPosition(offset), incrementalIndex.GetPosition(offset));
        }
    }

    private const string Sample = "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n[profile a]\r\nx = 1\r\n[profile b]\ny = 2\n";

    public static TheoryData<string, string, int, int, string> NamedEdits => new()
    {
        { "create a header by splitting a line", Sample, Sample.IndexOf("x = 1", StringComparison.Ordinal), Sample.IndexOf("x = 1", StringComparison.Ordinal), "[profile new]\n" },
        { "destroy a header by deleting its '['", Sample, Sample.IndexOf("[profile b]", StringComparison.Ordinal), Sample.IndexOf("[profile b]", StringComparison.Ordinal) + 1, "" },
        { "join a header onto the line before", Sample, Sample.IndexOf("[profile b]", StringComparison.Ordinal) - 1, Sample.IndexOf("[profile b]", StringComparison.Ordinal), "" },
        { "split a CRLF before a header", Sample, Sample.IndexOf("\n[profile b]", StringComparison.Ordinal), Sample.IndexOf("\n[profile b]", StringComparison.Ordinal), "z" },
        { "indent a header after a value", Sample, Sample.IndexOf("[profile a]", StringComparison.Ordinal), Sample.IndexOf("[profile a]", StringComparison.Ordinal), "    " },
        { "unindent a continuation into a header", "[a]\nk = v\n  [b]\nx = 1\n", 10, 12, "" },
        { "insert at offset 0", Sample, 0, 0, "region = x\n" },
        { "replace at the end", Sample, Sample.Length - 2, Sample.Length, "\r" },
        { "insert a BOM at offset 0", Sample, 0, 0, "\uFEFF" },
        { "edit after a leading BOM and header", "\uFEFF[default]\na = b\n", 13, 13, "x" },
        { "delete a leading BOM", "\uFEFF[default]\na = b\n", 0, 1, "" },
        { "empty the file", Sample, 0, Sample.Length, "" },
        { "type into an empty file", "", 0, 0, "[" },
    };

#pragma warning disable xUnit1026 // The first parameter only names the case in the runner's output.
    [Theory]
    [MemberData(nameof(NamedEdits))]
    public void WithEdit_EqualsAFullParse(string what, string text, int start, int end, string newText)
    {
        var document = SyntaxParser.Parse(text).WithEdit(start, end, newText);

        AssertSameAsFullParse(document, ReplaceRange(text, start, end, newText));
    }
#pragma warning restore xUnit1026

    [Fact]
    public void WithEdit_AfterRandomEditSequences_EqualsAFullParseOfTheNewText()
    {
        Gen.Select(ConfigText, Edit.Array[1, 12]).Sample(
            sample =>
            {
                var (initial, edits) = sample;
                var text = initial;
                var document = SyntaxParser.Parse(text);
                foreach (var edit in edits)
                {
                    var (start, end, newText) = Resolve(text, edit);
                    text = ReplaceRange(text, start, end, newText);
                    document = document.WithEdit(start, end, newText);
                    AssertSameAsFullParse(document, text);
                }
            },
            iter: 4_000,
            print: sample => Describe(sample.Item1, sample.Item2));
    }

    [Fact]
    public void A_text_parsed_in_two_halves_is_the_text_parsed_in_one_pass()
    {
        // Large texts are parsed in two halves at once, split before a line that starts with '['; every split point of
        // random config text (headers, continuation lines that look like headers, unclosed brackets, all line breaks, BOM).
        ConfigText.Sample(
            text =>
            {
                var whole = SyntaxParser.Parse(text, split: null);
                for (var split = 0; split <= text.Length; split++)
                {
                    var halves = SyntaxParser.Parse(text, split);
                    AssertSameAsFullParse(halves, text);
                    for (var i = 0; i < whole.Sections.Length; i++) Assert.Equal(whole.Sections[i].EndState, halves.Sections[i].EndState);
                }
            },
            iter: 500,
            print: SyntaxTreePrinter.Escape);
    }

    [Fact]
    public void LineIndex_OfRandomConfigText_AgreesWithANaiveScan()
    {
        ConfigText.Sample(text => NaiveLines.AssertLineIndexMatches(SyntaxParser.Parse(text)), iter: 2_000, print: SyntaxTreePrinter.Escape);
    }

    // ---- Reuse of untouched sections --------------------------------------------------------------------------

    private static string ManySections(int count)
    {
        var text = new StringBuilder("# generated\n");
        for (var i = 0; i < count; i++)
        {
            text.Append($"[profile p{i}]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = {i}\n# note {i}\n\n");
        }
        return text.ToString();
    }

    /// <summary>Asserts that every section of <paramref name="before"/> except those in [firstTouched, lastTouched] is reused as the same object.</summary>
    private static void AssertReusedExcept(DocumentSyntax before, DocumentSyntax after, int firstTouched, int lastTouched)
    {
        for (var i = 0; i < firstTouched; i++)
        {
            Assert.Same(before.Sections[i], after.Sections[i]);
        }
        var shift = after.Sections.Length - before.Sections.Length;
        for (var i = lastTouched + 1; i < before.Sections.Length; i++)
        {
            Assert.Same(before.Sections[i], after.Sections[i + shift]);
        }
    }

    public static TheoryData<string, string, int> OneCharacterEdits => new()
    {
        // (what, where: a unique marker in section p100, offset within the marker)
        { "insert into a value", "max_concurrent_requests = 100", 27 },
        { "delete from a key", "region = us-east-1\ns3 =\n  max_concurrent_requests = 100", 2 },
        { "insert into a comment", "# note 100", 3 },
        { "insert at the start of a sub-property line", "  max_concurrent_requests = 100", 0 },
    };

    [Theory]
    [MemberData(nameof(OneCharacterEdits))]
    public void OneCharacterEdit_InsideASection_ReparsesOnlyThatSection(string what, string marker, int offsetInMarker)
    {
        var text = ManySections(200);
        var before = SyntaxParser.Parse(text);
        var offset = text.IndexOf(marker, StringComparison.Ordinal) + offsetInMarker;
        var sectionIndex = before.FindSectionIndex(offset);
        var isDelete = what.StartsWith("delete", StringComparison.Ordinal);

        var after = isDelete ? before.WithEdit(offset, offset + 1, "") : before.WithEdit(offset, offset, "7");

        Assert.Equal(101, sectionIndex);
        AssertSameAsFullParse(after, isDelete ? ReplaceRange(text, offset, offset + 1, "") : ReplaceRange(text, offset, offset, "7"));
        Assert.NotSame(before.Sections[sectionIndex], after.Sections[sectionIndex]);
        AssertReusedExcept(before, after, sectionIndex, sectionIndex);
    }

    [Fact]
    public void EditOnAHeaderLine_ReparsesThatSectionAndTheOneBefore_AndReusesTheRest()
    {
        var text = ManySections(200);
        var before = SyntaxParser.Parse(text);
        var offset = text.IndexOf("[profile p100]", StringComparison.Ordinal) + "[profile ".Length;

        var after = before.WithEdit(offset, offset, "x");

        AssertSameAsFullParse(after, ReplaceRange(text, offset, offset, "x"));
        Assert.Equal("profile xp100", after.Sections[101].Name);
        // The section before is reparsed by design: the edited header line could have stopped being a header.
        AssertReusedExcept(before, after, 100, 101);
    }

    /// <summary>
    /// Many sections with headers at column 0. The bodies are random config lines but no indented header, which would
    /// let one edit cascade by design: a header indented deeper than the value before it is that value's continuation.
    /// </summary>
    private static readonly Gen<string> ManySectionsText =
        Gen.Select(
            Gen.Int[0, 3],
            Gen.Frequency((4, PropertyLine), (3, ContinuationLine.Where(line => !line.Contains('['))), (2, TriviaLine), (1, JunkLine)).Array[0, 4],
            LineBreak)
        .Array[6, 30]
        .Select(sections =>
        {
            var text = new StringBuilder();
            var names = new[] { "[default]", "[profile a]", "[profile b] # x", "[profile 日本語]" };
            foreach (var (name, lines, lineBreak) in sections)
            {
                text.Append(names[name]).Append(lineBreak);
                foreach (var line in lines) text.Append(line).Append(lineBreak);
            }
            return text.ToString();
        });

    /// <summary>
    /// Files of hundreds of sections keep their sections in several shared chunks: edits across chunk boundaries,
    /// edits that grow or empty a chunk, and long sequences of them still give exactly a full parse.
    /// </summary>
    [Fact]
    public void WithEdit_OnFilesOfManyChunksOfSections_EqualsAFullParseOfTheNewText()
    {
        Gen.Select(ManySectionsText.Array[60, 80].Select(parts => string.Concat(parts)), Edit.Array[1, 15]).Sample(
            sample =>
            {
                var (initial, edits) = sample;
                var text = initial;
                var document = SyntaxParser.Parse(text);
                Assert.True(document.Sections.Length > 300, $"only {document.Sections.Length} sections");
                foreach (var edit in edits)
                {
                    var (start, end, newText) = Resolve(text, edit);
                    text = ReplaceRange(text, start, end, newText);
                    document = document.WithEdit(start, end, newText);
                }
                AssertSameAsFullParse(document, text);
            },
            iter: 60,
            print: sample => Describe(sample.Item1, sample.Item2));
    }

    [Fact]
    public void OneCharacterEdit_AnywhereInAFileOfManySections_ReusesEverySectionBeyondItsNeighbours()
    {
        Gen.Select(ManySectionsText, Gen.Int[0, 100_000], Gen.Int[0, 2], InsertedText.Where(s => s.Length == 1)).Sample(
            sample =>
            {
                var (text, position, operation, character) = sample;
                var before = SyntaxParser.Parse(text);
                var start = position % (text.Length + 1);
                var end = operation == 0 || start == text.Length ? start : start + 1;
                var newText = operation == 2 ? "" : character;

                var after = before.WithEdit(start, end, newText);

                AssertSameAsFullParse(after, ReplaceRange(text, start, end, newText));
                var sectionIndex = before.FindSectionIndex(start);
                // By design WithEdit also reparses the section before the edited one (its header may be the edited
                // line's predecessor), and one more when that section is only a header ending in a lone '\r' right at
                // the edit, since an inserted '\n' would turn its line break into "\r\n".
                var previous = sectionIndex - 1;
                var firstTouched = previous >= 1 && before.Sections[previous].Items.IsEmpty
                    && before.GetSectionStart(previous) + before.Sections[previous].Length == start
                    && before.Sections[previous].Text[^1] == '\r' ? previous - 1 : previous;
                AssertReusedExcept(before, after, firstTouched, sectionIndex + 1);
            },
            iter: 2_000,
            print: sample => $"text {SyntaxTreePrinter.Escape(sample.Item1)}, position {sample.Item2}, operation {sample.Item3}, text {SyntaxTreePrinter.Escape(sample.Item4)}");
    }
}
