using AwsConfigLsp.Model;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>The two-word header split (the profile name in <c>[profile name]</c>) agrees with the full shlex split.</summary>
public sealed class ShlexSpanTests
{
    [Theory]
    [InlineData("profile dev", true, 0, 7, 8, 11)]
    [InlineData("  profile \t dev  ", true, 2, 9, 12, 15)]
    [InlineData("profile", false, 0, 0, 0, 0)]
    [InlineData("profile a b", false, 0, 0, 0, 0)]
    [InlineData("profile 'my dev'", true, 0, 7, 8, 16)]
    [InlineData("profile \"unclosed", false, 0, 0, 0, 0)]
    [InlineData("sso-session my\\ sso", true, 0, 11, 12, 19)]
    public void Two_words_and_where_they_are_written(string header, bool two, int firstStart, int firstEnd, int secondStart, int secondEnd)
    {
        Assert.Equal(two, PythonCompat.TryTwoWordSpans(header, out var first, out var second));
        if (two)
        {
            Assert.Equal((firstStart, firstEnd), first);
            Assert.Equal((secondStart, secondEnd), second);
        }
    }

    [Fact]
    public void Random_headers_split_as_the_full_shlex_split_does()
    {
        foreach (var text in RandomText.Strings("ab- \t'\"\\x.", maxLength: 11, count: 20_000, seed: 7))
        {
            var words = PythonCompat.ShlexSplitWithSpans(text);
            var two = PythonCompat.TryTwoWordSpans(text, out var first, out var second);
            Assert.Equal(words is { Count: 2 }, two);
            if (two)
            {
                Assert.Equal((words![0].Start, words[0].End), first);
                Assert.Equal((words[1].Start, words[1].End), second);
            }
        }
    }
}
