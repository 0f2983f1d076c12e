using System.Collections;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// The profile names that refer to one source, sso-session or services section (<see cref="ReferenceIndex"/>): nearly
/// always one or two, so they are kept in place, and in a hash set only from the third. At 50k profiles the index held
/// ~18k of these, and a hash set per one-name entry was ~200 bytes.
/// </summary>
public sealed class NameSet : IReadOnlyCollection<string>
{
    private string? first;
    private string? second;
    private HashSet<string>? more;

    public int Count => more?.Count ?? (first is null ? 0 : second is null ? 1 : 2);

    public void Add(string name)
    {
        if (more is not null)
        {
            more.Add(name);
            return;
        }
        if (first is null || first == name)
        {
            first = name;
            return;
        }
        if (second is null || second == name)
        {
            second = name;
            return;
        }
        more = new HashSet<string>(StringComparer.Ordinal) { first, second, name };
        (first, second) = (null, null);
    }

    public void Remove(string name)
    {
        if (more is not null)
        {
            more.Remove(name);
            return;
        }
        if (second == name) second = null;
        else if (first == name) (first, second) = (second, null);
    }

    /// <summary>The names, without allocating (the plan of every edit walks the sets of the names it changed).</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(NameSet set) : IEnumerator<string>
    {
        private HashSet<string>.Enumerator many = set.more?.GetEnumerator() ?? default;
        private int position = -1;

        public string Current { get; private set; } = "";

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (set.more is not null)
            {
                if (!many.MoveNext()) return false;
                Current = many.Current;
                return true;
            }
            while (++position < 2)
            {
                if ((position == 0 ? set.first : set.second) is { } name)
                {
                    Current = name;
                    return true;
                }
            }
            return false;
        }

        public readonly void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
