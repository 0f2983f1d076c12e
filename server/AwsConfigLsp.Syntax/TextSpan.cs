namespace AwsConfigLsp.Syntax;

/// <summary>A range of UTF-16 code units: <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public TextSpan Shift(int delta) => new(Start + delta, Length);

    /// <summary>True when <paramref name="offset"/> lies inside the span or right at its end (where a cursor after the last character sits).</summary>
    public bool ContainsOrTouches(int offset) => offset >= Start && offset <= End;

    public bool Contains(int offset) => offset >= Start && offset < End;

    public bool Overlaps(TextSpan other) => Start < other.End && other.Start < End;

    public override string ToString() => $"[{Start}..{End})";
}
