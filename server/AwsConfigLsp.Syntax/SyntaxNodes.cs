using System.Collections.Immutable;

namespace AwsConfigLsp.Syntax;

/// <summary>The kind of a line or node; every character of a file belongs to exactly one line.</summary>
public enum SyntaxKind
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
public enum SyntaxErrorKind
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

/// <summary>One physical line: its content span and its full span with the line break. Spans are relative to the section.</summary>
public abstract class LineSyntax
{
    protected LineSyntax(TextSpan span, int newlineLength)
    {
        Span = span;
        NewlineLength = newlineLength;
    }

    public abstract SyntaxKind Kind { get; }

    /// <summary>The line without its line break.</summary>
    public TextSpan Span { get; }

    public int NewlineLength { get; }

    public TextSpan FullSpan => new(Span.Start, Span.Length + NewlineLength);

    /// <summary>Column of the first non-whitespace character, as configparser counts indentation.</summary>
    public int Indent { get; init; }
}

/// <summary><c>[profile NAME]</c>: <see cref="NameSpan"/> is what configparser takes as the section name (greedy up to the last <c>]</c>).</summary>
public sealed class SectionHeaderSyntax(TextSpan span, int newlineLength, TextSpan nameSpan, string name, TextSpan trailingSpan)
    : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.SectionHeader;
    public TextSpan NameSpan { get; } = nameSpan;
    public string Name { get; } = name;
    /// <summary>Text after the closing bracket, ignored by the CLI (e.g. <c># comment</c>).</summary>
    public TextSpan TrailingSpan { get; } = trailingSpan;
}

public sealed class CommentLineSyntax(TextSpan span, int newlineLength) : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.Comment;
}

public sealed class BlankLineSyntax(TextSpan span, int newlineLength) : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.Blank;
}

public sealed class ErrorLineSyntax(TextSpan span, int newlineLength, SyntaxErrorKind errorKind) : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.Error;
    public SyntaxErrorKind ErrorKind { get; } = errorKind;
}

/// <summary>
/// An indented line continuing a property. Inside a nested block (<c>s3 =</c>) it is a sub-property:
/// <see cref="SubKeySpan"/> and <see cref="SubValueSpan"/> are set when it has an <c>=</c>.
/// </summary>
public sealed class ContinuationLineSyntax(TextSpan span, int newlineLength, TextSpan valueSpan) : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.Continuation;
    /// <summary>The stripped text of the line.</summary>
    public TextSpan ValueSpan { get; } = valueSpan;
    public TextSpan? SubKeySpan { get; init; }
    public TextSpan? SubValueSpan { get; init; }
}

/// <summary>
/// <c>key = value</c> plus the lines that continue it. <see cref="Lines"/> holds continuation lines and the comment or
/// blank lines between them (configparser skips those without ending the value).
/// </summary>
public sealed class PropertySyntax(
    TextSpan span, int newlineLength, TextSpan keySpan, int delimiterOffset, TextSpan valueSpan, ImmutableArray<LineSyntax> lines)
    : LineSyntax(span, newlineLength)
{
    public override SyntaxKind Kind => SyntaxKind.Property;
    /// <summary>The key as written (before lower-casing), without surrounding whitespace.</summary>
    public TextSpan KeySpan { get; } = keySpan;
    public int DelimiterOffset { get; } = delimiterOffset;
    /// <summary>The value on the key's own line, stripped.</summary>
    public TextSpan ValueSpan { get; } = valueSpan;
    public ImmutableArray<LineSyntax> Lines { get; } = lines;

    /// <summary>The key line and all its continuation lines.</summary>
    public TextSpan PropertyFullSpan => Lines.IsEmpty ? FullSpan : TextSpan.FromBounds(Span.Start, Lines[^1].FullSpan.End);

    /// <summary>True for a nested block: the value on the key line is empty and continuation lines follow.</summary>
    public bool IsNestedBlock => ValueSpan.Length == 0 && Lines.Any(l => l is ContinuationLineSyntax);
}
