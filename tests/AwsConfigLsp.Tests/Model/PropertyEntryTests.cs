using System.Text;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// A property entry is a value held in its section's array, not an object: what rules and features compare and key
/// dictionaries by (the same line of the same section), and the section's own lines as a list, must read as they did
/// when each line had an object of its own.
/// </summary>
public sealed class PropertyEntryTests
{
    private static ConfigFile Parse(string text) => ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(text));

    [Fact]
    public void Two_lookups_of_one_line_are_equal_and_lines_alike_in_other_sections_are_not()
    {
        var file = Parse("[profile a]\nregion = us-east-1\noutput = json\n\n[profile b]\nregion = us-east-1\n");
        var a = file.Profiles["a"];
        var b = file.Profiles["b"];

        var first = a.Get("region")!.Value;
        var again = a.OwnProperties[0];
        Assert.Equal(first, again);
        Assert.True(first == again);
        Assert.Equal(first.GetHashCode(), again.GetHashCode());

        // Same key and value, another section: another line.
        var other = b.Get("region")!.Value;
        Assert.Equal(first.Key, other.Key);
        Assert.Equal(first.Value, other.Value);
        Assert.NotEqual(first, other);
        Assert.True(first != other);
        // Another line of the same section.
        Assert.NotEqual(first, a.Get("output")!.Value);

        // As a dictionary key (what invalid-duration-seconds keeps per duration line).
        var byLine = new Dictionary<PropertyEntry, string> { [first] = "a", [other] = "b" };
        Assert.Equal("a", byLine[again]);
        Assert.Equal(2, byLine.Count);
    }

    [Fact]
    public void An_inherited_key_is_the_defaults_line_itself()
    {
        var file = Parse("[DEFAULT]\nregion = eu-west-1\n\n[profile a]\noutput = json\n");
        var defaults = file.DefaultsSections.Single();
        var inherited = file.Profiles["a"].Get("region")!.Value;

        Assert.Same(defaults, inherited.Section);
        Assert.Equal(defaults.OwnProperties[0], inherited);
        Assert.Equal(new[] { "output", "region" }, file.Profiles["a"].ReadableProperties.Select(p => p.Key));
        Assert.Equal(new[] { "output" }, file.Profiles["a"].OwnProperties.Select(p => p.Key));
    }

    [Fact]
    public void Own_lines_keep_a_repeated_key_and_the_table_reads_its_first_line_past_the_hash_index()
    {
        // 30 keys (past the 24 that a linear search serves), then a repeat of the first: configparser refuses the file,
        // and the table keeps reading the first line while the own lines hold both.
        var text = new StringBuilder("[profile a]\n");
        for (var i = 0; i < 30; i++) text.Append("key_").Append(i).Append(" = v").Append(i).Append('\n');
        text.Append("key_0 = again\n");
        var file = Parse(text.ToString());
        var section = file.Profiles["a"];

        Assert.Equal(31, section.OwnProperties.Count);
        Assert.Equal(30, section.ReadableProperties.Count);
        Assert.Equal("v0", section.Get("key_0")?.Value);
        Assert.Equal("v29", section.Get("key_29")?.Value);
        Assert.Equal("again", section.OwnProperties[^1].Value);
        Assert.Contains(file.Problems, p => p.Kind == FileProblemKind.DuplicateKey);

        // The list enumerates the same lines whether walked directly or as an interface.
        var walked = new List<string>();
        foreach (var property in section.OwnProperties) walked.Add(property.Value);
        Assert.Equal(walked, ((IEnumerable<PropertyEntry>)section.OwnProperties).Select(p => p.Value));
        Assert.Equal(31, walked.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => section.OwnProperties[31]);
        Assert.Null(section.Get("key_30"));
    }
}
