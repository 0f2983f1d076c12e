using Xunit;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Tests.Features;

public class FormattingTests
{
    private static string Format(string text, ConfigFileKind kind = ConfigFileKind.Config)
    {
        var file = ConfigFile.Create(kind, "/tmp/config", SyntaxParser.Parse(text));
        return Formatting.Apply(text, Formatting.Format(file));
    }

    /// <summary>The profile map botocore would build, as text, to prove formatting changes nothing the CLI reads.</summary>
    private static string Meaning(string text)
    {
        var file = ConfigFile.Create(ConfigFileKind.Config, "/tmp/config", SyntaxParser.Parse(text));
        return string.Join("\n", file.Sections.Select(s => $"[{s.RawName}] " + string.Join(";", s.Properties.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))))
            + $"\nunreadable={file.IsUnreadable}";
    }

    [Fact]
    public void NormalisesSpacingBlankLinesAndTrailingWhitespace()
    {
        const string input = "\n\n[default]\n  region=us-east-1   \noutput :json\n[profile a]   \n# about b\n\n\n\n[profile b]\nrole_arn =   arn:aws:iam::111111111111:role/B\n\n\n";
        const string expected = "[default]\nregion = us-east-1\noutput: json\n\n[profile a]\n# about b\n\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\n";
        Assert.Equal(expected, Format(input));
        Assert.Equal(Meaning(input), Meaning(expected));
    }

    [Fact]
    public void AnIndentedLineAfterAPropertyStaysAContinuationOfItsValue()
    {
        // configparser reads "  output :json" as the second line of region's value; moving it would change the value.
        const string input = "[default]\nregion=us-east-1\n  output :json\n";
        Assert.Equal("[default]\nregion = us-east-1\n  output :json\n", Format(input));
    }

    [Fact]
    public void KeepsValuesNestedBlocksAndCommentsAsWritten()
    {
        const string input = "[profile a]\ns3 =\n    addressing_style = path\n\n    signature_version=s3v4\n; a comment   with   spaces\nregion = us-east-1 # not a comment\n";
        var formatted = Format(input);
        Assert.Contains("    addressing_style = path\n\n    signature_version=s3v4\n", formatted);
        Assert.Contains("; a comment   with   spaces\n", formatted);
        Assert.Contains("region = us-east-1 # not a comment\n", formatted);
        Assert.Equal(Meaning(input), Meaning(formatted));
    }

    [Fact]
    public void IsIdempotentAndLeavesAFormattedFileUntouched()
    {
        const string input = "[default]\r\nregion=eu-west-1\r\n[profile x]\r\noutput = json";
        var once = Format(input);
        Assert.Equal("[default]\r\nregion = eu-west-1\r\n\r\n[profile x]\r\noutput = json\r\n", once);
        var file = ConfigFile.Create(ConfigFileKind.Config, "/tmp/config", SyntaxParser.Parse(once));
        Assert.Empty(Formatting.Format(file));
    }

    [Fact]
    public void RangeFormattingTouchesOnlyTheLinesInTheRange()
    {
        const string input = "[default]\nregion=us-east-1\n[profile a]\noutput=json\n";
        var file = ConfigFile.Create(ConfigFileKind.Config, "/tmp/config", SyntaxParser.Parse(input));
        var second = input.IndexOf("output", StringComparison.Ordinal);
        var changes = Formatting.Format(file, new TextSpan(second, 3));
        Assert.Equal("[default]\nregion=us-east-1\n[profile a]\noutput = json\n", Formatting.Apply(input, changes));
    }
}
