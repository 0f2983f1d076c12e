using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// configparser refuses a file in which two sections have the same raw name (DuplicateSectionError). The model finds
/// them without a table of every raw name: a profile, sso-session or services section can only repeat the raw name of
/// one of the same entity name, so all raw names are looked up only from the first such collision on.
/// </summary>
public sealed class DuplicateSectionTests
{
    private const string ConfigPath = "/home/u/.aws/config";

    private static List<(int Line, int FirstLine)> Duplicates(ConfigFile file) =>
        [.. file.Problems.Where(problem => problem.Kind == FileProblemKind.DuplicateSection)
            .Select(problem => (file.Syntax.LineIndex.GetPosition(problem.Span.Start).Line, file.Syntax.LineIndex.GetPosition(problem.FirstSpan!.Value.Start).Line))];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_repeated_raw_name_points_at_its_first_section_even_after_another_spelling_of_the_entity(bool inParallel)
    {
        // Line 0 and 4 share a raw name; line 2 is the same profile spelt otherwise (not a duplicate section); the
        // [plugins] sections have no entity name.
        const string text = "[profile a]\nx = 1\n[profile 'a']\ny = 2\n[profile a]\nz = 3\n[plugins]\n[sso-session s]\n[plugins]\n[sso-session s]\n[profile b]\n";
        var file = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(text), readInParallel: inParallel);

        Assert.Equal([(4, 0), (8, 6), (9, 7)], Duplicates(file));
    }

    [Fact]
    public void Sections_read_before_the_first_collision_are_found_too()
    {
        // The raw names are looked up from the collision of `b` on: `a`'s and `[plugins]`' first sections came before it.
        const string text = "[profile a]\n[plugins]\n[profile b]\n[profile \"b\"]\n[profile a]\n[plugins]\n";
        var file = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(text));

        Assert.Equal([(4, 0), (5, 1)], Duplicates(file));
    }

    [Theory]
    [InlineData("[profile b]", "[profile a]")]
    [InlineData("[plugins2]", "[plugins]")]
    [InlineData("[sso-session t]", "[sso-session s]")]
    public void An_edit_that_repeats_a_name_gives_what_a_build_from_scratch_gives(string before, string after)
    {
        var text = $"[profile a]\nregion = us-east-1\n[plugins]\n[sso-session s]\n{before}\nregion = eu-west-1\n";
        var previous = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(text));
        Assert.Empty(Duplicates(previous));
        var at = text.IndexOf(before, StringComparison.Ordinal);

        var edited = previous.Syntax.WithEdit(at, at + before.Length, after);
        var incremental = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, edited, previous: previous);
        var scratch = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(edited.Text));

        Assert.Single(Duplicates(scratch));
        Assert.Equal(Duplicates(scratch), Duplicates(incremental));
    }
}
