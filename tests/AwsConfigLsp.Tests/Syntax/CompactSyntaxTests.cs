using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// The compact tree: sections are slices of the parsed string (no copy per section) and lines are records read through
/// views. What the views report is what the printer dumps and every rule reads.
/// </summary>
public sealed class CompactSyntaxTests
{
    private const string Text =
        "# preamble\n[profile a]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n\n  bad sub line\n# note\njunk\n[profile b] # x\r\noutput: json";

    [Fact]
    public void A_parsed_file_is_read_from_the_parsed_string_itself()
    {
        var document = SyntaxParser.Parse(Text);

        Assert.Same(Text, document.Text);
        foreach (var section in document.Sections) Assert.Same(Text, section.TextSource.Source);
    }

    [Fact]
    public void After_an_edit_only_the_reparsed_sections_read_a_new_string()
    {
        var document = SyntaxParser.Parse(Text);
        var at = Text.IndexOf("output", StringComparison.Ordinal);

        var edited = document.WithEdit(at, at, "x");

        Assert.Equal(Text.Insert(at, "x"), edited.Text);
        Assert.Same(document.Sections[1], edited.Sections[1]);
        Assert.Same(Text, edited.Sections[1].TextSource.Source);
        var (source, _) = edited.Sections[^1].TextSource;
        Assert.NotSame(Text, source);
        Assert.True(source.Length < Text.Length, "the reparsed section reads a string of its own, not a copy of the file");
    }

    [Fact]
    public void Lines_that_end_in_a_lone_carriage_return_are_read_as_line_feeds_are()
    {
        // The sections of a parse share one array sized by counting line feeds: a file of lone carriage returns has
        // none, and its lines go to further arrays.
        var lf = string.Concat(Enumerable.Range(0, 300).Select(i => $"[profile p{i}]\nregion = eu-west-{i % 3}\ns3 =\n  x = {i}\n# c\n\n"));
        var cr = lf.Replace('\n', '\r');

        var fromLf = SyntaxParser.Parse(lf);
        var fromCr = SyntaxParser.Parse(cr);

        Assert.Equal(SyntaxTreePrinter.Print(fromLf).Replace("LF", "CR"), SyntaxTreePrinter.Print(fromCr));
        Assert.Equal(301, fromCr.Sections.Length);
        Assert.Equal("p299", fromCr.Sections[^1].Header!.Value.Name[8..]);
        Assert.Equal(6, fromCr.Sections[^1].LineCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => fromCr.Sections[^1].LineStart(6));
    }

    [Fact]
    public void A_section_of_64_KiB_or_more_keeps_full_records_and_reads_as_a_small_one_does()
    {
        // Lines are packed in 16 bits: a section whose offsets or lengths do not fit (3000 keys, a 70k-character value)
        // keeps full records; the section after it is packed again.
        var longValue = new string('v', 70_000);
        var text = "[profile big] # trailing\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"key{i} = value{i}\n"))
            + "s3 =\n  addressing_style = path\n" + $"long = {longValue}\n[profile small]\nregion = eu-west-1\n";

        var document = SyntaxParser.Parse(text);

        var (big, small) = (document.Sections[^2], document.Sections[^1]);
        Assert.False(big.IsPacked);
        Assert.True(small.IsPacked);
        Assert.Equal("profile big", big.Header!.Value.Name);
        Assert.Equal(" # trailing", big.GetText(big.Header!.Value.TrailingSpan));
        var properties = big.Items.Select(item => item.AsProperty).OfType<PropertySyntax>().ToList();
        Assert.Equal(3002, properties.Count);
        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal($"key{i}", big.GetText(properties[i].KeySpan));
            Assert.Equal($"value{i}", big.GetText(properties[i].ValueSpan));
        }
        var s3 = properties[3000];
        Assert.Equal("addressing_style", big.GetText(Assert.Single(s3.Lines).AsContinuation!.Value.SubKeySpan!.Value));
        Assert.Equal(longValue, big.GetText(properties[3001].ValueSpan));
        Assert.Equal("eu-west-1", small.GetText(small.Items.Select(item => item.AsProperty).OfType<PropertySyntax>().Single().ValueSpan));
        // Positions in and around the big section (line starts found here by scanning for line feeds).
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++) if (text[i] == '\n') starts.Add(i + 1);
        for (var line = 0; line < starts.Count; line++) Assert.Equal(starts[line], document.LineIndex.GetLineStart(line));
        for (var offset = 0; offset < text.Length; offset += 97)
        {
            var line = starts.FindLastIndex(start => start <= offset);
            Assert.Equal(new LinePosition(line, offset - starts[line]), document.LineIndex.GetPosition(offset));
        }
    }

    [Fact]
    public void Line_views_report_kinds_spans_and_nested_lines()
    {
        var document = SyntaxParser.Parse(Text);
        var section = document.Sections[1];

        Assert.Equal("profile a", section.Header!.Value.Name);
        Assert.Equal("profile a", section.GetText(section.Header!.Value.NameSpan));
        Assert.Equal([SyntaxKind.Property, SyntaxKind.Property, SyntaxKind.Comment, SyntaxKind.Error], section.Items.Select(item => item.Kind));
        Assert.Equal(section.LineCount, section.AllLines().Count);

        var block = section.Items.Select(item => item.AsProperty).OfType<PropertySyntax>().Single(p => section.GetText(p.KeySpan) == "s3");
        Assert.True(block.IsNestedBlock);
        Assert.Equal([SyntaxKind.Continuation, SyntaxKind.Blank, SyntaxKind.Continuation], block.Lines.Select(line => line.Kind));
        Assert.Equal("addressing_style", section.GetText(block.Lines[0].AsContinuation!.Value.SubKeySpan!.Value));
        Assert.Null(block.Lines[^1].AsContinuation!.Value.SubKeySpan);
        Assert.Equal("bad sub line", section.GetText(block.Lines[^1].AsContinuation!.Value.ValueSpan));
        Assert.Equal(block, section.PropertyAt(block.Index));

        var comment = section.Items.Single(item => item.Kind == SyntaxKind.Comment);
        Assert.Null(comment.AsProperty);
        Assert.Throws<ArgumentException>(() => section.PropertyAt(comment.Index));
        Assert.Equal(SyntaxErrorKind.NoDelimiter, section.Items.Single(item => item.Kind == SyntaxKind.Error).AsError!.Value.ErrorKind);
    }

    [Fact]
    public void LineAt_finds_the_line_of_every_offset()
    {
        var document = SyntaxParser.Parse(Text);
        foreach (var section in document.Sections)
        {
            if (section.LineCount == 0) continue;
            var lines = section.AllLines();
            for (var offset = 0; offset < section.Length; offset++)
            {
                var line = section.LineAt(offset);
                Assert.True(lines[line].FullSpan.Contains(offset), $"offset {offset} is not on line {line}");
                Assert.Equal(lines[line].Span.Start, section.LineStart(line));
            }
        }
    }
}
