using System.Text;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// Data-driven parser tests: every <c>Fixtures/Syntax/NAME.ini</c> is parsed and its <see cref="SyntaxTreePrinter"/>
/// dump compared with the checked-in <c>NAME.tree</c>. <c>UPDATE_BASELINES=1 dotnet test</c> rewrites the dumps.
/// </summary>
public sealed class ParserSnapshotTests
{
    public static TheoryData<string> Fixtures() => SyntaxFixtures.All();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_ProducesTheCheckedInTree(string fixture)
    {
        var document = SyntaxParser.Parse(SyntaxFixtures.ReadText(fixture));
        var treeName = Path.ChangeExtension(fixture, ".tree");

        Baseline.AssertMatches(Path.Combine(SyntaxFixtures.Directory, treeName), SyntaxTreePrinter.Print(document));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_KeepsEveryByte_InSectionTextsAndInLineFullSpans(string fixture)
    {
        var bytes = SyntaxFixtures.ReadBytes(fixture);
        var document = SyntaxParser.Parse(SyntaxFixtures.Strict.GetString(bytes));

        var fromSections = string.Concat(document.Sections.Select(section => section.ToString()));
        var fromLines = new StringBuilder();
        for (var i = 0; i < document.Sections.Length; i++)
        {
            var section = document.Sections[i];
            var expectedStart = 0;
            foreach (var line in section.AllLines())
            {
                // Lines are in order and gap-free inside their section, so their full spans tile it.
                Assert.Equal(expectedStart, line.FullSpan.Start);
                fromLines.Append(section.GetText(line.FullSpan));
                expectedStart = line.FullSpan.End;
            }
            Assert.Equal(section.Length, expectedStart);
        }

        Assert.Equal(bytes, SyntaxFixtures.Strict.GetBytes(fromSections));
        Assert.Equal(bytes, SyntaxFixtures.Strict.GetBytes(fromLines.ToString()));
        Assert.Equal(bytes, SyntaxFixtures.Strict.GetBytes(document.Text));
    }

    [Fact]
    public void EveryTreeBaseline_HasItsIniFixture()
    {
        var fixtures = SyntaxFixtures.Names.ToHashSet();
        var orphans = Directory.EnumerateFiles(SyntaxFixtures.Directory, "*.tree")
            .Select(path => Path.ChangeExtension(Path.GetFileName(path), ".ini"))
            .Where(name => !fixtures.Contains(name))
            .ToList();

        Assert.Empty(orphans);
    }
}
