using System.Collections;

namespace AwsConfigLsp.Syntax;

/// <summary>The kind of a line or node; every character of a file belongs to exactly one line.</summary>
public enum SyntaxKind : byte
{
    /// <summary><c>[profile dev] # trailing text is ignored by the CLI</c></summary>
    SectionHeader,
    /// <summary><c>region = eu-west-1</c> or <c>region: eu-west-1</c>, with its continuation lines.</summary>
    Property,
    /// <summary>An indented line that continues the value above it: <c>    signature_version = s3v4</c>.</summary>
    Continuation,
    /// <summary><c># comment</c> or <c>; comment</c>, also indented.</summary>
    Comment,
    /// <summary>A line of whitespace only.</summary>
    Blank,
    /// <summary>A line the CLI cannot read: <c>just some words</c>.</summary>
    Error,
}

/// <summary>Why a line is an error; each reason makes the AWS CLI reject the whole file.</summary>
public enum SyntaxErrorKind : byte
{
    /// <summary>Text before the first section header (configparser's MissingSectionHeaderError).</summary>
    MissingSectionHeader,
    /// <summary>A line that is neither a header, a comment, nor <c>key = value</c>.</summary>
    NoDelimiter,
    /// <summary><c>= value</c> with nothing before the delimiter.</summary>
    EmptyKey,
    /// <summary>A line in a nested block (<c>s3 =</c> + indented lines) without <c>=</c>.</summary>
    BadSubProperty,
    /// <summary>A byte-order mark at the start of the file (Python reads it as a character, not as whitespace).</summary>
    ByteOrderMark,
}

/// <summary>A parse error with its span relative to the start of the section that holds it.</summary>
public sealed record SyntaxError(TextSpan Span, SyntaxErrorKind Kind, string Message);

/// <summary>
/// One line as the section stores it: a plain struct in one array per section (no object per line). Offsets are
/// relative to the section; <see cref="A"/>..<see cref="E"/> mean what the kind needs:
/// header: name start, name length, trailing start, trailing length;
/// property: key length (the key starts at the indent), delimiter, value start, value length, number of lines that belong to it;
/// continuation: value length (the value starts at the indent), sub-key start, sub-key length, sub-value start, sub-value length
/// (sub-spans only with <see cref="HasSubProperty"/>).
/// </summary>
internal struct LineRecord
{
    public int Start;
    public int Length;
    public int Indent;
    public SyntaxKind Kind;
    public byte NewlineLength;
    public SyntaxErrorKind ErrorKind;
    public bool HasSubProperty;
    public int A;
    public int B;
    public int C;
    public int D;
    public int E;

    // The spans the views report, read from one record (a view that read the record once per field unpacked a packed
    // line once per field).
    public readonly TextSpan Span => new(Start, Length);
    public readonly TextSpan FullSpan => new(Start, Length + NewlineLength);
    /// <summary>From the indent on, <see cref="A"/> long: a property's key, a continuation's value.</summary>
    public readonly TextSpan IndentedSpan => new(Start + Indent, A);
    public readonly TextSpan HeaderNameSpan => new(A, B);
    public readonly TextSpan HeaderTrailingSpan => new(C, D);
    public readonly TextSpan PropertyValueSpan => new(C, D);
    public readonly TextSpan? SubKeySpan => HasSubProperty ? new TextSpan(B, C) : null;
    public readonly TextSpan? SubValueSpan => HasSubProperty ? new TextSpan(D, E) : null;

    /// <summary>Whether every number fits in 16 bits (<see cref="PackedLine"/>): all lines of a section under 64 KiB do.</summary>
    public readonly bool FitsPacked => (uint)(Start | Length | Indent | A | B | C | D | E) <= ushort.MaxValue;
}

/// <summary>
/// A <see cref="LineRecord"/> in 20 bytes instead of 36, for sections whose numbers all fit in 16 bits (every section
/// shorter than 64 KiB): how sections keep their lines. At 50k profiles a config has ~330k lines: 11.6 MiB as records,
/// 6.3 MiB packed; a section with a longer text keeps records.
/// </summary>
internal struct PackedLine
{
    public ushort Start;
    public ushort Length;
    public ushort Indent;
    public ushort A;
    public ushort B;
    public ushort C;
    public ushort D;
    public ushort E;
    public SyntaxKind Kind;
    public byte NewlineLength;
    public SyntaxErrorKind ErrorKind;
    public bool HasSubProperty;

    public PackedLine(in LineRecord line)
    {
        Start = (ushort)line.Start;
        Length = (ushort)line.Length;
        Indent = (ushort)line.Indent;
        A = (ushort)line.A;
        B = (ushort)line.B;
        C = (ushort)line.C;
        D = (ushort)line.D;
        E = (ushort)line.E;
        Kind = line.Kind;
        NewlineLength = line.NewlineLength;
        ErrorKind = line.ErrorKind;
        HasSubProperty = line.HasSubProperty;
    }

    public readonly LineRecord Unpacked
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => new()
        {
            Start = Start,
            Length = Length,
            Indent = Indent,
            A = A,
            B = B,
            C = C,
            D = D,
            E = E,
            Kind = Kind,
            NewlineLength = NewlineLength,
            ErrorKind = ErrorKind,
            HasSubProperty = HasSubProperty,
        };
    }
}

/// <summary>
/// One physical line of a section (a view: the section and the line's index in it). Spans are relative to the section.
/// The kind-specific views (<see cref="AsProperty"/>, <see cref="AsHeader"/>, <see cref="AsContinuation"/>,
/// <see cref="AsError"/>) are null for lines of another kind, so <c>line.AsProperty is { } property</c> reads as a type test.
/// </summary>
public readonly struct LineSyntax : IEquatable<LineSyntax>
{
    private readonly SectionSyntax section;

    internal LineSyntax(SectionSyntax section, int index)
    {
        this.section = section;
        Index = index;
    }

    internal LineRecord Record => section.Record(Index);

    /// <summary>The section that holds the line.</summary>
    public SectionSyntax Section => section;

    /// <summary>The line's position among the section's lines (0 is the header when there is one).</summary>
    public int Index { get; }

    public SyntaxKind Kind => Record.Kind;

    /// <summary>The line without its line break.</summary>
    public TextSpan Span => Record.Span;

    public int NewlineLength => Record.NewlineLength;

    public TextSpan FullSpan => Record.FullSpan;

    /// <summary>Column of the first non-whitespace character, as configparser counts indentation.</summary>
    public int Indent => Record.Indent;

    public PropertySyntax? AsProperty => Kind == SyntaxKind.Property ? new PropertySyntax(section, Index) : null;
    public SectionHeaderSyntax? AsHeader => Kind == SyntaxKind.SectionHeader ? new SectionHeaderSyntax(section, Index) : null;
    public ContinuationLineSyntax? AsContinuation => Kind == SyntaxKind.Continuation ? new ContinuationLineSyntax(section, Index) : null;
    public ErrorLineSyntax? AsError => Kind == SyntaxKind.Error ? new ErrorLineSyntax(section, Index) : null;

    public bool Equals(LineSyntax other) => ReferenceEquals(section, other.section) && Index == other.Index;
    public override bool Equals(object? obj) => obj is LineSyntax other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(section, Index);
    public static bool operator ==(LineSyntax left, LineSyntax right) => left.Equals(right);
    public static bool operator !=(LineSyntax left, LineSyntax right) => !left.Equals(right);
    public override string ToString() => $"{Kind} {Span}";
}

/// <summary><c>[profile NAME]</c>: <see cref="NameSpan"/> is what configparser takes as the section name (greedy up to the last <c>]</c>).</summary>
public readonly struct SectionHeaderSyntax
{
    private readonly SectionSyntax section;

    internal SectionHeaderSyntax(SectionSyntax section, int index)
    {
        this.section = section;
        Index = index;
    }

    private LineRecord Record => section.Record(Index);
    public int Index { get; }
    public SyntaxKind Kind => SyntaxKind.SectionHeader;
    public TextSpan Span => Record.Span;
    public int NewlineLength => Record.NewlineLength;
    public TextSpan FullSpan => Record.FullSpan;
    public int Indent => Record.Indent;
    public TextSpan NameSpan => Record.HeaderNameSpan;
    public string Name => section.Name!;
    /// <summary>The name in place (no string made).</summary>
    public ReadOnlySpan<char> NameText => section.NameText;
    /// <summary>Text after the closing bracket, ignored by the CLI (e.g. <c># comment</c>).</summary>
    public TextSpan TrailingSpan => Record.HeaderTrailingSpan;

    public static implicit operator LineSyntax(SectionHeaderSyntax header) => new(header.section, header.Index);
}

/// <summary>
/// An indented line continuing a property. Inside a nested block (<c>s3 =</c>) it is a sub-property:
/// <see cref="SubKeySpan"/> and <see cref="SubValueSpan"/> are set when it has an <c>=</c>.
/// </summary>
public readonly struct ContinuationLineSyntax
{
    private readonly SectionSyntax section;

    internal ContinuationLineSyntax(SectionSyntax section, int index)
    {
        this.section = section;
        Index = index;
    }

    private LineRecord Record => section.Record(Index);
    public int Index { get; }
    public SyntaxKind Kind => SyntaxKind.Continuation;
    public TextSpan Span => Record.Span;
    public int NewlineLength => Record.NewlineLength;
    public TextSpan FullSpan => Record.FullSpan;
    public int Indent => Record.Indent;
    /// <summary>The stripped text of the line.</summary>
    public TextSpan ValueSpan => Record.IndentedSpan;
    public TextSpan? SubKeySpan => Record.SubKeySpan;
    public TextSpan? SubValueSpan => Record.SubValueSpan;

    public static implicit operator LineSyntax(ContinuationLineSyntax line) => new(line.section, line.Index);
}

/// <summary>A line the CLI cannot read, and why.</summary>
public readonly struct ErrorLineSyntax
{
    private readonly SectionSyntax section;

    internal ErrorLineSyntax(SectionSyntax section, int index)
    {
        this.section = section;
        Index = index;
    }

    public int Index { get; }
    public SyntaxErrorKind ErrorKind => section.Record(Index).ErrorKind;

    public static implicit operator LineSyntax(ErrorLineSyntax line) => new(line.section, line.Index);
}

/// <summary>
/// <c>key = value</c> plus the lines that continue it. <see cref="Lines"/> holds continuation lines and the comment or
/// blank lines between them (configparser skips those without ending the value).
/// </summary>
public readonly struct PropertySyntax : IEquatable<PropertySyntax>
{
    private readonly SectionSyntax section;

    internal PropertySyntax(SectionSyntax section, int index)
    {
        this.section = section;
        Index = index;
    }

    private LineRecord Record => section.Record(Index);
    public SectionSyntax Section => section;
    public int Index { get; }
    public SyntaxKind Kind => SyntaxKind.Property;
    public TextSpan Span => Record.Span;
    public int NewlineLength => Record.NewlineLength;
    public TextSpan FullSpan => Record.FullSpan;
    public int Indent => Record.Indent;
    /// <summary>The key as written (before lower-casing), without surrounding whitespace.</summary>
    public TextSpan KeySpan => Record.IndentedSpan;
    public int DelimiterOffset => Record.B;
    /// <summary>The value on the key's own line, stripped.</summary>
    public TextSpan ValueSpan => Record.PropertyValueSpan;
    public LineRange Lines => new(section, Index + 1, Record.E);

    /// <summary>The key line and all its continuation lines.</summary>
    public TextSpan PropertyFullSpan
    {
        get
        {
            var lines = Lines;
            return lines.IsEmpty ? FullSpan : TextSpan.FromBounds(Span.Start, lines[^1].FullSpan.End);
        }
    }

    /// <summary>True for a nested block: the value on the key line is empty and continuation lines follow.</summary>
    public bool IsNestedBlock
    {
        get
        {
            if (ValueSpan.Length != 0) return false;
            foreach (var line in Lines)
            {
                if (line.Kind == SyntaxKind.Continuation) return true;
            }
            return false;
        }
    }

    public static implicit operator LineSyntax(PropertySyntax property) => new(property.section, property.Index);

    public bool Equals(PropertySyntax other) => ReferenceEquals(section, other.section) && Index == other.Index;
    public override bool Equals(object? obj) => obj is PropertySyntax other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(section, Index);
    public static bool operator ==(PropertySyntax left, PropertySyntax right) => left.Equals(right);
    public static bool operator !=(PropertySyntax left, PropertySyntax right) => !left.Equals(right);
}

/// <summary>A run of consecutive lines of a section (a property's continuation lines, or every line of the section).</summary>
public readonly struct LineRange : IReadOnlyList<LineSyntax>
{
    private readonly SectionSyntax section;
    private readonly int start;

    internal LineRange(SectionSyntax section, int start, int count)
    {
        this.section = section;
        this.start = start;
        Count = count;
    }

    public int Count { get; }

    public bool IsEmpty => Count == 0;

    public LineSyntax this[int index] => (uint)index < (uint)Count
        ? new LineSyntax(section, start + index)
        : throw new ArgumentOutOfRangeException(nameof(index));

    public Enumerator GetEnumerator() => new(section, start, start + Count);

    IEnumerator<LineSyntax> IEnumerable<LineSyntax>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(SectionSyntax section, int start, int end) : IEnumerator<LineSyntax>
    {
        private int index = start - 1;

        public readonly LineSyntax Current => new(section, index);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++index < end;

        public void Reset() => index = start - 1;

        public readonly void Dispose() { }
    }
}

/// <summary>The lines of a section after its header, a property standing for itself and its continuation lines.</summary>
public readonly struct ItemList : IEnumerable<LineSyntax>
{
    private readonly SectionSyntax section;

    internal ItemList(SectionSyntax section) => this.section = section;

    public bool IsEmpty => section.FirstItemIndex >= section.LineCount;

    public Enumerator GetEnumerator() => new(section);

    IEnumerator<LineSyntax> IEnumerable<LineSyntax>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(SectionSyntax section) : IEnumerator<LineSyntax>
    {
        private int index = -1;

        public readonly LineSyntax Current => new(section, index);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (index < 0) index = section.FirstItemIndex;
            else
            {
                var record = section.Record(index);
                index += record.Kind == SyntaxKind.Property ? 1 + record.E : 1;
            }
            return index < section.LineCount;
        }

        public void Reset() => index = -1;

        public readonly void Dispose() { }
    }
}
