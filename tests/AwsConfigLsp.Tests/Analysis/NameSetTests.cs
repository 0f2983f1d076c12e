using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>The reference index's compact set of names against a hash set, over random adds and removes.</summary>
public sealed class NameSetTests
{
    [Fact]
    public void Adds_and_removes_leave_the_names_a_hash_set_has()
    {
        var random = new Random(5);
        for (var run = 0; run < 2000; run++)
        {
            var set = new NameSet();
            var expected = new HashSet<string>(StringComparer.Ordinal);
            for (var step = 0; step < random.Next(1, 12); step++)
            {
                var name = "p" + random.Next(4);
                if (random.Next(3) == 0)
                {
                    set.Remove(name);
                    expected.Remove(name);
                }
                else
                {
                    set.Add(name);
                    expected.Add(name);
                }
                Assert.Equal(expected.Count, set.Count);
                Assert.Equal(expected.Order(), set.Order());
                var walked = new List<string>();
                foreach (var each in set) walked.Add(each);
                Assert.Equal(expected.Order(), walked.Order());
            }
        }
    }
}
