using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// Splits text into sections and lines exactly as CPython's <c>configparser.RawConfigParser</c> (strict mode, as
/// botocore uses it) reads them, keeping every character. It never throws: lines the CLI rejects become
/// <see cref="ErrorLineSyntax"/> with a <see cref="SyntaxError"/>.
/// </summary>
public static class SyntaxParser
{
    /// <summary>Parses a whole file.</summary>
    public static DocumentSyntax Parse(string text) => DocumentSyntax.Create(ParseSections(text, atDocumentStart: true), text);

    /// <summary>
    /// Parses <paramref name="text"/> into sections. At the document start the first section is the preamble (possibly
    /// empty); otherwise the text must begin with a header line, which the caller guarantees.
    /// </summary>
    internal static List<SectionSyntax> ParseSections(string text, bool atDocumentStart)
    {
        var sections = new List<SectionSyntax>();
        // One builder for every section of the text: its lists are reused, so a section costs only what it keeps.
        var builder = new SectionBuilder(text);
        builder.Reset(0, header: null, inSection: !atDocumentStart);
        var position = 0;
        var first = true;
        while (position < text.Length)
        {
            var lineStart = position;
            var newline = text.AsSpan(lineStart).IndexOfAny('\n', '\r');
            var contentEnd = newline < 0 ? text.Length : lineStart + newline;
            var lineEnd = contentEnd;
            if (lineEnd < text.Length)
            {
                lineEnd += text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? 2 : 1;
            }
            position = lineEnd;

            var classifyStart = lineStart;
            if (first && atDocumentStart && text.Length > 0 && text[0] == '\uFEFF')
            {
                classifyStart = 1;
                builder.AddError(new TextSpan(0, 1), SyntaxErrorKind.ByteOrderMark,
                    "The file starts with a byte-order mark (BOM); the AWS CLI cannot read such a file. Save it as UTF-8 without BOM.");
            }
            first = false;

            if (builder.ClassifyAndAdd(classifyStart, lineStart, contentEnd, lineEnd))
            {
                // A header line starts a new section: close the current one (unless it is the empty preamble of a
                // chunk that starts with a header, which is not a section).
                if (lineStart > builder.Start || atDocumentStart && sections.Count == 0)
                {
                    sections.Add(builder.Build(lineStart));
                }
                builder.Reset(lineStart, (classifyStart, lineStart, contentEnd, lineEnd), inSection: true);
            }
        }
        if (builder.Start < text.Length || sections.Count == 0 || builder.HasHeader)
        {
            sections.Add(builder.Build(text.Length));
        }
        return sections;
    }

    private static readonly System.Buffers.SearchValues<char> Delimiters = System.Buffers.SearchValues.Create("=:");

    /// <summary>Collects the lines of one section with spans relative to its start; reset for each section.</summary>
    private sealed class SectionBuilder(string text)
    {
        private readonly List<LineSyntax> items = [];
        private readonly List<SyntaxError> errors = [];
        private readonly List<int> lineStarts = [];
        private readonly List<LineSyntax> pending = [];
        private readonly List<LineSyntax> propertyLines = [];
        private SectionHeaderSyntax? headerSyntax;
        private bool inSection;
        private int indentLevel;

        // The property being read (its continuation lines collect in propertyLines).
        private bool hasProperty;
        private bool propertyContinuesValue;
        private TextSpan propertySpan;
        private int propertyNewlineLength;
        private TextSpan propertyKeySpan;
        private int propertyDelimiter;
        private TextSpan propertyValueSpan;
        private int propertyIndent;

        public int Start { get; private set; }

        public bool HasHeader => headerSyntax is not null;

        /// <summary>Starts a section at <paramref name="start"/>, with its header line if it has one.</summary>
        public void Reset(int start, (int ClassifyStart, int LineStart, int ContentEnd, int LineEnd)? header, bool inSection)
        {
            Start = start;
            this.inSection = inSection;
            indentLevel = 0;
            items.Clear();
            errors.Clear();
            lineStarts.Clear();
            pending.Clear();
            propertyLines.Clear();
            hasProperty = false;
            headerSyntax = null;
            if (header is { } line)
            {
                lineStarts.Add(0);
                headerSyntax = MakeHeader(line.ClassifyStart, line.LineStart, line.ContentEnd, line.LineEnd);
                this.inSection = true;
            }
        }

        private int Rel(int absolute) => absolute - Start;

        public void AddError(TextSpan absoluteSpan, SyntaxErrorKind kind, string message) =>
            errors.Add(new SyntaxError(absoluteSpan.Shift(-Start), kind, message));

        /// <summary>
        /// Classifies one line as configparser's <c>_read</c> loop does. Returns true when it is a section header
        /// (the caller starts a new section with it); otherwise adds it to this section.
        /// </summary>
        public bool ClassifyAndAdd(int classifyStart, int lineStart, int contentEnd, int lineEnd)
        {
            var stripped = PythonText.Strip(text, classifyStart, contentEnd);
            var span = TextSpan.FromBounds(Rel(lineStart), Rel(contentEnd));
            var newlineLength = lineEnd - contentEnd;
            var indent = stripped.Start - lineStart;

            if (stripped.Length > 0 && (text[stripped.Start] == '#' || text[stripped.Start] == ';'))
            {
                // A full-line comment is skipped without touching the state: it neither ends a value nor a section.
                lineStarts.Add(Rel(lineStart));
                AddTrivia(new CommentLineSyntax(span, newlineLength) { Indent = indent });
                return false;
            }
            if (stripped.Length == 0)
            {
                // With empty_lines_in_values (the default) a blank line keeps the indent level: a value may go on after it.
                lineStarts.Add(Rel(lineStart));
                AddTrivia(new BlankLineSyntax(span, newlineLength) { Indent = indent });
                return false;
            }
            // configparser continues a value only while `optname` is truthy: after `= value` the option name is '',
            // so a deeper line is read as a header or an option of its own, not as part of that value.
            if (hasProperty && propertyContinuesValue && indent > indentLevel)
            {
                lineStarts.Add(Rel(lineStart));
                propertyLines.AddRange(pending);
                propertyLines.Add(new ContinuationLineSyntax(span, newlineLength, stripped.Shift(-Start)) { Indent = indent });
                pending.Clear();
                return false;
            }

            indentLevel = indent;
            if (IsHeader(stripped))
            {
                return true;
            }

            lineStarts.Add(Rel(lineStart));
            var found = text.AsSpan(stripped.Start, stripped.Length).IndexOfAny(Delimiters);
            if (found < 0)
            {
                var kind = inSection ? SyntaxErrorKind.NoDelimiter : SyntaxErrorKind.MissingSectionHeader;
                AddError(TextSpan.FromBounds(stripped.Start, stripped.End), kind, inSection
                    ? IsBracketed(stripped)
                        ? $"'{text[stripped.Start..stripped.End]}' is not a valid section header; the AWS CLI cannot parse this file."
                        : "This line is neither a section header, a comment, nor 'key = value'; the AWS CLI cannot parse this file."
                    : "Text before the first section header; the AWS CLI cannot parse this file.");
                // configparser records the error and keeps its state; the line is trivia inside a value, if any.
                AddTrivia(new ErrorLineSyntax(span, newlineLength, kind) { Indent = indent });
                return false;
            }
            var delimiter = stripped.Start + found;

            FlushProperty();
            var keyEnd = PythonText.TrimEnd(text, stripped.Start, delimiter);
            var keySpan = TextSpan.FromBounds(stripped.Start, keyEnd);
            var valueStart = PythonText.SkipWhiteSpace(text, delimiter + 1, stripped.End);
            var valueSpan = TextSpan.FromBounds(valueStart, stripped.End);
            if (!inSection)
            {
                AddError(TextSpan.FromBounds(stripped.Start, stripped.End), SyntaxErrorKind.MissingSectionHeader,
                    "A key before the first section header; the AWS CLI cannot parse this file.");
            }
            else if (keySpan.Length == 0)
            {
                AddError(TextSpan.FromBounds(stripped.Start, stripped.End), SyntaxErrorKind.EmptyKey,
                    "A value without a key; the AWS CLI cannot parse this file.");
            }
            hasProperty = true;
            propertyContinuesValue = keySpan.Length > 0;
            propertySpan = span;
            propertyNewlineLength = newlineLength;
            propertyKeySpan = keySpan.Shift(-Start);
            propertyDelimiter = Rel(delimiter);
            propertyValueSpan = valueSpan.Shift(-Start);
            propertyIndent = indent;
            return false;
        }

        private bool IsHeader(TextSpan stripped)
        {
            if (stripped.Length < 3 || text[stripped.Start] != '[') return false;
            var close = text.LastIndexOf(']', stripped.End - 1, stripped.Length - 1);
            return close >= stripped.Start + 2;
        }

        private bool IsBracketed(TextSpan stripped) => stripped.Length > 0 && text[stripped.Start] == '[';

        private SectionHeaderSyntax MakeHeader(int classifyStart, int lineStart, int contentEnd, int lineEnd)
        {
            var stripped = PythonText.Strip(text, classifyStart, contentEnd);
            var close = text.LastIndexOf(']', stripped.End - 1, stripped.Length - 1);
            var nameSpan = TextSpan.FromBounds(stripped.Start + 1, close);
            return new SectionHeaderSyntax(
                TextSpan.FromBounds(Rel(lineStart), Rel(contentEnd)),
                lineEnd - contentEnd,
                nameSpan.Shift(-Start),
                text.Substring(nameSpan.Start, nameSpan.Length),
                TextSpan.FromBounds(Rel(close + 1), Rel(stripped.End)))
            { Indent = stripped.Start - lineStart };
        }

        private void AddTrivia(LineSyntax line)
        {
            if (hasProperty) pending.Add(line);
            else items.Add(line);
        }

        private void FlushProperty()
        {
            if (hasProperty)
            {
                items.Add(BuildProperty());
                hasProperty = false;
            }
            items.AddRange(pending);
            pending.Clear();
        }

        public SectionSyntax Build(int end)
        {
            var state = new ParserState(inSection, hasProperty && propertyContinuesValue, indentLevel);
            FlushProperty();
            var section = new SectionSyntax(
                text,
                Start,
                end - Start,
                headerSyntax,
                ImmutableCollectionsMarshal.AsImmutableArray(items.ToArray()),
                errors.Count == 0 ? [] : ImmutableCollectionsMarshal.AsImmutableArray(errors.ToArray()),
                lineStarts.ToArray(),
                state);
            items.Clear();
            errors.Clear();
            lineStarts.Clear();
            return section;
        }

        private PropertySyntax BuildProperty()
        {
            if (propertyLines.Count == 0)
            {
                return new PropertySyntax(propertySpan, propertyNewlineLength, propertyKeySpan, propertyDelimiter, propertyValueSpan, [])
                {
                    Indent = propertyIndent,
                };
            }
            var lines = propertyLines;
            var sectionStart = Start;
            if (propertyValueSpan.Length == 0)
            {
                // botocore's _parse_nested: each non-blank line splits on the first '=' only; no '=' fails the file.
                for (var i = 0; i < lines.Count; i++)
                {
                    if (lines[i] is not ContinuationLineSyntax continuation) continue;
                    var value = continuation.ValueSpan.Shift(sectionStart);
                    // _parse_nested splits the value with str.splitlines(), which also breaks at \v, \f, U+001C..U+001E,
                    // U+0085, U+2028 and U+2029: a line holding one of those is several sub-lines, each needing an '='.
                    // The first one gives the sub-key and sub-value spans.
                    TextSpan? first = null;
                    var missingEquals = false;
                    for (var pieceStart = value.Start; pieceStart <= value.End;)
                    {
                        var pieceEnd = pieceStart;
                        while (pieceEnd < value.End && !PythonText.IsLineBoundary(text[pieceEnd])) pieceEnd++;
                        var piece = PythonText.Strip(text, pieceStart, pieceEnd);
                        if (piece.Length > 0)
                        {
                            if (text.IndexOf('=', piece.Start, piece.Length) < 0) missingEquals = true;
                            first ??= piece;
                        }
                        pieceStart = pieceEnd + 1;
                    }
                    if (missingEquals || first is not { } firstPiece)
                    {
                        errors.Add(new SyntaxError(continuation.ValueSpan, SyntaxErrorKind.BadSubProperty,
                            "A line in a nested block needs 'key = value'; the AWS CLI cannot parse this file."));
                        continue;
                    }
                    var equals = text.IndexOf('=', firstPiece.Start, firstPiece.Length);
                    var subKey = PythonText.Strip(text, firstPiece.Start, equals);
                    var subValue = PythonText.Strip(text, equals + 1, firstPiece.End);
                    lines[i] = new ContinuationLineSyntax(continuation.Span, continuation.NewlineLength, continuation.ValueSpan)
                    {
                        Indent = continuation.Indent,
                        SubKeySpan = subKey.Shift(-sectionStart),
                        SubValueSpan = subValue.Shift(-sectionStart),
                    };
                }
            }
            var property = new PropertySyntax(propertySpan, propertyNewlineLength, propertyKeySpan, propertyDelimiter, propertyValueSpan,
                ImmutableCollectionsMarshal.AsImmutableArray(lines.ToArray()))
            {
                Indent = propertyIndent,
            };
            lines.Clear();
            return property;
        }
    }
}
