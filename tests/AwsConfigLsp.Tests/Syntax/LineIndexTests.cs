using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

public sealed class LineIndexTests
{
    private static LineIndex Index(string text) => SyntaxParser.Parse(text).LineIndex;

    public static TheoryData<string> LineBreakTexts => new()
    {
        "[default]\r\nregion = us-east-1\r\ns3 =\r\n  addressing_style = path\r\n",
        "[default]\rregion = us-east-1\rs3 =\r  addressing_style = path\r",
        "[default]\r\na = 1\nb = 2\r\r\n\n\r[profile x]\n\rc = 3",
        "\r\n\r\r\n\n",
        "key before = header\r[a]\r\n  [b]\n[c]",
        "\uFEFF[default]\r\nx = 1",
    };

    [Theory]
    [MemberData(nameof(LineBreakTexts))]
    public void OffsetsAndPositions_RoundTrip_WithCrLfCrAndMixedLineBreaks(string text) =>
        NaiveLines.AssertLineIndexMatches(SyntaxParser.Parse(text));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OffsetsAndPositions_RoundTrip_InEveryFixture(string fixture) =>
        NaiveLines.AssertLineIndexMatches(SyntaxParser.Parse(SyntaxFixtures.ReadText(fixture)));

    public static TheoryData<string> Fixtures() => SyntaxFixtures.All();

    [Fact]
    public void CarriageReturnLineFeed_IsOneLineBreak()
    {
        var index = Index("[a]\r\nb = c\r\n");

        Assert.Equal(3, index.LineCount);
        Assert.Equal(5, index.GetLineStart(1));
        Assert.Equal(new LinePosition(1, 0), index.GetPosition(5));
        Assert.Equal(new LinePosition(0, 3), index.GetPosition(3));
    }

    [Fact]
    public void LoneCarriageReturn_EndsALine()
    {
        var index = Index("[a]\rb = c\rd = e");

        Assert.Equal(3, index.LineCount);
        Assert.Equal(4, index.GetLineStart(1));
        Assert.Equal(10, index.GetLineStart(2));
        Assert.Equal(new LinePosition(2, 2), index.GetPosition(12));
    }

    [Fact]
    public void Columns_CountUtf16CodeUnits_SoACharacterOutsideTheBmpCountsTwo()
    {
        const string text = "[profile 日本語]\n[profile 🚀x]\n";
        var index = Index(text);
        var rocketLineStart = text.IndexOf("[profile 🚀", StringComparison.Ordinal);
        var x = text.IndexOf('x');

        // "[profile " is 9 code units; 日本語 are three BMP characters, one code unit each.
        Assert.Equal(new LinePosition(0, 12), index.GetPosition(text.IndexOf(']')));
        // The rocket is a surrogate pair, so 'x' after it is at column 9 + 2.
        Assert.Equal(new LinePosition(1, 11), index.GetPosition(x));
        Assert.Equal(x, index.GetOffset(new LinePosition(1, 11)));
        Assert.Equal(rocketLineStart + 9, index.GetOffset(new LinePosition(1, 9)));
    }

    [Fact]
    public void ColumnPastTheEndOfALine_ClampsToTheLineEnd_BeforeItsLineBreak()
    {
        var index = Index("[a]\r\nkey = value\r\n[b]");

        Assert.Equal(3, index.GetOffset(new LinePosition(0, 4)));
        Assert.Equal(3, index.GetOffset(new LinePosition(0, 100)));
        Assert.Equal(3, index.GetOffset(new LinePosition(0, int.MaxValue)));
        Assert.Equal(16, index.GetOffset(new LinePosition(1, int.MaxValue)));
        Assert.Equal(16, index.GetOffset(new LinePosition(1, 100)));
        Assert.Equal(21, index.GetOffset(new LinePosition(2, 100)));
    }

    [Fact]
    public void LinePastTheEndOfTheFile_MapsToTheEndOfTheFile()
    {
        const string text = "[a]\nb = c";
        var index = Index(text);

        Assert.Equal(text.Length, index.GetLineStart(2));
        Assert.Equal(text.Length, index.GetLineStart(1000));
        Assert.Equal(text.Length, index.GetOffset(new LinePosition(1000, 0)));
        Assert.Equal(text.Length, index.GetOffset(new LinePosition(5, 7)));
    }

    [Fact]
    public void NegativePositionsAndOffsets_ClampToTheStart()
    {
        var index = Index("[a]\nb = c\n");

        Assert.Equal(0, index.GetOffset(new LinePosition(-1, 5)));
        Assert.Equal(4, index.GetOffset(new LinePosition(1, -3)));
        Assert.Equal(new LinePosition(0, 0), index.GetPosition(-10));
    }

    [Fact]
    public void TrailingLineBreak_OpensAnEmptyLastLine()
    {
        const string text = "[a]\nb = c\n";
        var index = Index(text);

        Assert.Equal(3, index.LineCount);
        Assert.Equal(text.Length, index.GetLineStart(2));
        Assert.Equal(new LinePosition(2, 0), index.GetPosition(text.Length));
        Assert.Equal(text.Length, index.GetOffset(new LinePosition(2, 0)));
        Assert.Equal(text.Length, index.GetOffset(new LinePosition(2, 9)));
    }

    [Fact]
    public void TrailingCarriageReturn_OpensAnEmptyLastLineToo()
    {
        const string text = "[a]\rb = c\r";
        var index = Index(text);

        Assert.Equal(3, index.LineCount);
        Assert.Equal(new LinePosition(2, 0), index.GetPosition(text.Length));
    }

    [Fact]
    public void FileWithoutTrailingLineBreak_EndsOnItsLastLine()
    {
        const string text = "[a]\nb = c";
        var index = Index(text);

        Assert.Equal(2, index.LineCount);
        Assert.Equal(new LinePosition(1, 5), index.GetPosition(text.Length));
        Assert.Equal(new LinePosition(1, 5), index.GetPosition(text.Length + 10));
    }

    [Fact]
    public void EmptyFile_HasOneEmptyLine()
    {
        var index = Index("");

        Assert.Equal(1, index.LineCount);
        Assert.Equal(0, index.GetLineStart(0));
        Assert.Equal(0, index.GetLineStart(3));
        Assert.Equal(new LinePosition(0, 0), index.GetPosition(0));
        Assert.Equal(0, index.GetOffset(new LinePosition(0, 0)));
        Assert.Equal(0, index.GetOffset(new LinePosition(4, 4)));
    }

    [Fact]
    public void LineBreaksOnly_AreLinesOfTheirOwn()
    {
        var index = Index("\n\r\n\r");

        Assert.Equal(4, index.LineCount);
        Assert.Equal(new[] { 0, 1, 3, 4 }, Enumerable.Range(0, 4).Select(index.GetLineStart));
    }
}
