using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// A full analysis finds the sections that hold a suppression comment by searching the strings they were parsed from
/// (the whole file, and the pieces edits reparsed) once each; it must find exactly the sections a search per section finds.
/// </summary>
public sealed class SuppressionScanTests
{
    private static readonly string[] Lines =
    [
        "[profile a]", "[profile b]", "[default]", "region = eu-west-1", "# awsconfig-disable-next-line unknown-key",
        "; awsconfig-disable-next-line", "output = json # awsconfig-disable-next-line", "  continued", "",
        "# awsconfig-disable-next-lin", "awsconfig-disable-next-lineawsconfig-disable-next-line = x", "awsconfig-disable-next-line = y",
    ];

    [Fact]
    public void Searching_each_source_once_marks_the_sections_a_search_per_section_marks()
    {
        var line = Gen.Int[0, Lines.Length - 1].Select(i => Lines[i]);
        var edit = Gen.Select(Gen.Double[0, 1], Gen.Int[0, 40], line);
        Gen.Select(line.Array[0, 120], edit.Array[0, 8]).Sample((lines, edits) =>
        {
            var text = string.Join("\n", lines);
            var file = ConfigFile.Create(ConfigFileKind.Config, "/c", SyntaxParser.Parse(text));
            Check(file);
            // Edits leave sections parsed from several strings: the file's and each reparsed piece.
            foreach (var (where, length, insert) in edits)
            {
                var start = (int)(where * file.Syntax.Length);
                var end = Math.Min(file.Syntax.Length, start + length);
                file = ConfigFile.Create(ConfigFileKind.Config, "/c", file.Syntax.WithEdit(start, end, insert + "\n"), previous: file);
                Check(file);
            }
        }, iter: 300);
    }

    private static void Check(ConfigFile file)
    {
        var perSection = Suppressions.MarkedSections(file.Sections, bySource: false);
        var bySource = Suppressions.MarkedSections(file.Sections, bySource: true);
        Assert.Equal(perSection.Select(section => section.Id), bySource.Select(section => section.Id));
    }
}
