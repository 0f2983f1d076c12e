namespace AwsConfigLsp.Tests.Support;

/// <summary>Reproducible random strings over a small alphabet, for comparing a fast path with its reference.</summary>
public static class RandomText
{
    public static IEnumerable<string> Strings(string alphabet, int maxLength, int count, int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            yield return new string([.. Enumerable.Range(0, random.Next(0, maxLength + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        }
    }
}
