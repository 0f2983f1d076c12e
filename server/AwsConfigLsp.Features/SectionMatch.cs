using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>
/// Lines a file's sections up with those a cache saw last time, by syntax identity: the parser reuses the syntax of the
/// sections an edit did not touch, so the sections before and after an edit are the same objects. A cache keeps its
/// per-section data for the matched prefix and suffix and recomputes the middle.
/// </summary>
public static class SectionMatch
{
    /// <summary>How many of <paramref name="sections"/> at the start and at the end are those of <paramref name="previous"/>.</summary>
    public static (int Prefix, int Suffix) Of(IReadOnlyList<SectionEntry> sections, SectionSyntax?[] previous) =>
        Of(sections.Count, i => sections[i].Syntax, previous);

    /// <summary>How many of <paramref name="current"/> at the start and at the end are those of <paramref name="previous"/>.</summary>
    public static (int Prefix, int Suffix) Of(SectionSyntax?[] current, SectionSyntax?[] previous) => Of(current.Length, i => current[i], previous);

    /// <summary>A new array of <paramref name="count"/> slots holding the first <paramref name="prefix"/> and last <paramref name="suffix"/> of <paramref name="from"/>.</summary>
    public static T[] Carry<T>(T[] from, int count, int prefix, int suffix)
    {
        var result = new T[count];
        Array.Copy(from, result, prefix);
        Array.Copy(from, from.Length - suffix, result, count - suffix, suffix);
        return result;
    }

    private static (int Prefix, int Suffix) Of(int count, Func<int, SectionSyntax?> current, SectionSyntax?[] previous)
    {
        var oldCount = previous.Length;
        var prefix = 0;
        while (prefix < count && prefix < oldCount && ReferenceEquals(current(prefix), previous[prefix])) prefix++;
        var suffix = 0;
        while (suffix < count - prefix && suffix < oldCount - prefix && ReferenceEquals(current(count - 1 - suffix), previous[oldCount - 1 - suffix])) suffix++;
        return (prefix, suffix);
    }
}
