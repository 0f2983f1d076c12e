using AwsConfigLsp.Model;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// The model's own string hash spreads values that differ in a single character, wherever it is (the four-character
/// steps and the tail of one to three characters), and the value deduper built on it gives one string per value.
/// </summary>
public sealed class FastHashTests
{
    [Fact]
    public void Of_ValuesThatDifferInOneCharacter_HashApart()
    {
        // Every length from 0 to 40 and every position of the changed character: ~1,700 values, one family per length.
        var values = new List<string>();
        for (var length = 0; length <= 40; length++)
        {
            var baseline = new string('a', length);
            values.Add(baseline);
            for (var position = 0; position < length; position++) values.Add(baseline[..position] + 'b' + baseline[(position + 1)..]);
        }
        values.Add("a\0");
        var hashes = values.Select(value => FastHash.Of(value)).ToList();
        // Random 32-bit hashes of ~1,700 values collide ~3e-4 times on average: allow one.
        Assert.True(hashes.Distinct().Count() >= values.Count - 1, $"{values.Count - hashes.Distinct().Count()} collisions among {values.Count} values");
        Assert.Equal(FastHash.Of("us-east-1"), FastHash.Of("xus-east-1".AsSpan(1)));
    }

    [Fact]
    public void ValueDeduper_OneStringPerValue_AndTheValueItWasGiven()
    {
        var deduper = new ValueDeduper(ValueDeduper.EditSlots);
        var first = deduper.Get("region-us-east-1".AsSpan(7));
        var again = deduper.Get("us-east-1 ".AsSpan(0, 9));
        Assert.Equal("us-east-1", first);
        Assert.Same(first, again);
        // Values that share a slot or not: each answer is its own value.
        var answers = Enumerable.Range(0, 10_000).Select(i => (Expected: $"value-{i}", Got: deduper.Get($"value-{i}"))).ToList();
        Assert.All(answers, answer => Assert.Equal(answer.Expected, answer.Got));
        Assert.Equal("", deduper.Get(""));
        var longValue = new string('x', 41);
        Assert.Equal(longValue, deduper.Get(longValue));
    }
}
