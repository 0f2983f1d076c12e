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
    /// <summary>Texts of at least this many characters are parsed in two halves at once (see <see cref="Parse(string, int?)"/>).</summary>
    internal const int ParallelChars = 1 << 20;

    /// <summary>Parses a whole file.</summary>
    public static DocumentSyntax Parse(string text) =>
        Parse(text, text.Length >= ParallelChars && Environment.ProcessorCount > 1 ? text.Length / 2 : null);

    /// <summary>
    /// Parses a whole file; with <paramref name="split"/>, in two halves on two threads, the second starting at the first
    /// line after <paramref name="split"/> that starts with <c>[</c>. An unindented line is a section header in any
    /// parser state (configparser reads a line as a continuation only when it is indented more than its option), so
    /// each half is what one pass reads there; when that line is not a header after all (<c>[oops</c>) the whole text is
    /// parsed in one pass. At 9 MB the parse is ~30-40 ms on one thread.
    /// </summary>
    internal static DocumentSyntax Parse(string text, int? split)
    {
        var middle = split is { } at && at < text.Length ? text.IndexOf("\n[", at, StringComparison.Ordinal) : -1;
        if (middle >= 0)
        {
            middle++;
            var second = Task.Run(() => ParseSections(text, middle, text.Length, atDocumentStart: false));
            // The first half reads the line at the middle too: a header line closes the section before it with the
            // state its classification leaves (what an edit's reparse reads), and is then dropped (the second half has it).
            var newline = text.AsSpan(middle).IndexOfAny('\n', '\r');
            var sections = ParseSections(text, 0, newline < 0 ? text.Length : middle + newline, atDocumentStart: true);
            var rest = second.GetAwaiter().GetResult();
            if (sections.Count > 1 && sections[^1].TextSource.Start == middle && sections[^1].HasHeader && rest.Count > 0 && rest[0].HasHeader)
            {
                sections.RemoveAt(sections.Count - 1);
                sections.AddRange(rest);
                return DocumentSyntax.Create(sections, text);
            }
        }
        return DocumentSyntax.Create(ParseSections(text, atDocumentStart: true), text);
    }

    /// <summary>
    /// Parses <paramref name="text"/> into sections. At the document start the first section is the preamble (possibly
    /// empty); otherwise the text must begin with a header line, which the caller guarantees.
    /// </summary>
    internal static List<SectionSyntax> ParseSections(string text, bool atDocumentStart) => ParseSections(text, 0, text.Length, atDocumentStart);

    /// <summary>The sections of [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="text"/> (see the overload above).</summary>
    private static List<SectionSyntax> ParseSections(string text, int from, int to, bool atDocumentStart)
    {
        var sections = new List<SectionSyntax>();
        // One builder for every section of the text: its lists are reused, so a section costs only what it keeps.
        var builder = new SectionBuilder(text, new LineSlab(text.AsSpan(from, to - from).Count('\n') + 1));
        builder.Reset(from, header: null, inSection: !atDocumentStart);
        var position = from;
        var first = true;
        while (position < to)
        {
            var lineStart = position;
            var newline = text.AsSpan(lineStart, to - lineStart).IndexOfAny('\n', '\r');
            var contentEnd = newline < 0 ? to : lineStart + newline;
            var lineEnd = contentEnd;
            if (lineEnd < to)
            {
                lineEnd += text[lineEnd] == '\r' && lineEnd + 1 < to && text[lineEnd + 1] == '\n' ? 2 : 1;
            }
            position = lineEnd;

            var classifyStart = lineStart;
            if (first && atDocumentStart && from == 0 && text.Length > 0 && text[0] == '\uFEFF')
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
        if (builder.Start < to || sections.Count == 0 || builder.HasHeader)
        {
            sections.Add(builder.Build(to));
        }
        return sections;
    }

    /// <summary>
    /// The arrays the sections of a parse keep their lines in, sized to the text's lines (its line feeds, plus one) in
    /// chunks of up to 32k lines: a few arrays for a whole file instead of one per section. Lines the count missed (a
    /// file whose lines end in a lone carriage return) go to further arrays. One array for the whole file opened 50k
    /// profiles 30-60 ms faster but, in the large-object heap (never compacted), raised the peak by ~5-8 MiB.
    /// </summary>
    private sealed class LineSlab(int expectedLines)
    {
        // Arrays of at most ~640 KB: under the large-object threshold, so the collector compacts them with the rest.
        private const int MaxChunk = 1 << 15;

        private int expected = Math.Max(expectedLines, 1);
        private PackedLine[] current = [];
        private int used;

        /// <summary>
        /// Keeps <paramref name="lines"/>: packed in the slab (the array and the index of the first one there), or, when a
        /// number does not fit in 16 bits (a section of 64 KiB or more), as records in an array of the section's own.
        /// </summary>
        public (PackedLine[]? Packed, LineRecord[]? Records, int First) Place(List<LineRecord> lines)
        {
            var span = CollectionsMarshal.AsSpan(lines);
            foreach (ref readonly var line in span)
            {
                if (!line.FitsPacked) return (null, span.ToArray(), 0);
            }
            if (used + lines.Count > current.Length)
            {
                current = new PackedLine[Math.Max(lines.Count, Math.Min(expected, MaxChunk))];
                expected = Math.Max(expected - current.Length, current.Length / 4);
                used = 0;
            }
            var first = used;
            foreach (ref readonly var line in span) current[used++] = new PackedLine(line);
            return (current, null, first);
        }
    }

    private static readonly System.Buffers.SearchValues<char> Delimiters = System.Buffers.SearchValues.Create("=:");

    /// <summary>Collects the lines of one section with spans relative to its start; reset for each section.</summary>
    private sealed class SectionBuilder(string text, LineSlab slab)
    {
        // Every line of the section in text order: the header, items, and each property's continuation lines (and the
        // comment or blank lines between them) right after the property.
        private readonly List<LineRecord> lines = [];
        private readonly List<SyntaxError> errors = [];
        private bool hasHeaderLine;
        private bool inSection;
        private int indentLevel;

        // The property being read: its record's index, and the index one past its last continuation line so far.
        private int property = -1;
        private int propertyEnd;
        private bool propertyContinuesValue;

        public int Start { get; private set; }

        public bool HasHeader => hasHeaderLine;

        /// <summary>Starts a section at <paramref name="start"/>, with its header line if it has one.</summary>
        public void Reset(int start, (int ClassifyStart, int LineStart, int ContentEnd, int LineEnd)? header, bool inSection)
        {
            Start = start;
            this.inSection = inSection;
            indentLevel = 0;
            lines.Clear();
            errors.Clear();
            property = -1;
            hasHeaderLine = false;
            if (header is { } line)
            {
                AddHeader(line.ClassifyStart, line.LineStart, line.ContentEnd, line.LineEnd);
                this.inSection = true;
            }
        }

        private int Rel(int absolute) => absolute - Start;

        public void AddError(TextSpan absoluteSpan, SyntaxErrorKind kind, string message) =>
            errors.Add(new SyntaxError(absoluteSpan.Shift(-Start), kind, message));

        private void AddLine(SyntaxKind kind, int lineStart, int contentEnd, int lineEnd, int indent, SyntaxErrorKind errorKind = default) =>
            lines.Add(new LineRecord
            {
                Start = Rel(lineStart),
                Length = contentEnd - lineStart,
                Indent = indent,
                Kind = kind,
                NewlineLength = (byte)(lineEnd - contentEnd),
                ErrorKind = errorKind,
            });

        /// <summary>
        /// Classifies one line as configparser's <c>_read</c> loop does. Returns true when it is a section header
        /// (the caller starts a new section with it); otherwise adds it to this section.
        /// </summary>
        public bool ClassifyAndAdd(int classifyStart, int lineStart, int contentEnd, int lineEnd)
        {
            var stripped = PythonText.Strip(text, classifyStart, contentEnd);
            var indent = stripped.Start - lineStart;

            if (stripped.Length > 0 && (text[stripped.Start] == '#' || text[stripped.Start] == ';'))
            {
                // A full-line comment is skipped without touching the state: it neither ends a value nor a section.
                AddLine(SyntaxKind.Comment, lineStart, contentEnd, lineEnd, indent);
                return false;
            }
            if (stripped.Length == 0)
            {
                // With empty_lines_in_values (the default) a blank line keeps the indent level: a value may go on after it.
                AddLine(SyntaxKind.Blank, lineStart, contentEnd, lineEnd, indent);
                return false;
            }
            // configparser continues a value only while `optname` is truthy: after `= value` the option name is '',
            // so a deeper line is read as a header or an option of its own, not as part of that value.
            if (property >= 0 && propertyContinuesValue && indent > indentLevel)
            {
                // The comment and blank lines since the property's last line become its lines too.
                AddLine(SyntaxKind.Continuation, lineStart, contentEnd, lineEnd, indent);
                var added = lines[^1];
                added.A = stripped.Length;
                lines[^1] = added;
                propertyEnd = lines.Count;
                return false;
            }

            indentLevel = indent;
            if (IsHeader(stripped))
            {
                return true;
            }

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
                AddLine(SyntaxKind.Error, lineStart, contentEnd, lineEnd, indent, kind);
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
            AddLine(SyntaxKind.Property, lineStart, contentEnd, lineEnd, indent);
            var record = lines[^1];
            record.A = keySpan.Length;
            record.B = Rel(delimiter);
            record.C = Rel(valueSpan.Start);
            record.D = valueSpan.Length;
            lines[^1] = record;
            property = lines.Count - 1;
            propertyEnd = lines.Count;
            propertyContinuesValue = keySpan.Length > 0;
            return false;
        }

        private bool IsHeader(TextSpan stripped)
        {
            if (stripped.Length < 3 || text[stripped.Start] != '[') return false;
            var close = text.LastIndexOf(']', stripped.End - 1, stripped.Length - 1);
            return close >= stripped.Start + 2;
        }

        private bool IsBracketed(TextSpan stripped) => stripped.Length > 0 && text[stripped.Start] == '[';

        private void AddHeader(int classifyStart, int lineStart, int contentEnd, int lineEnd)
        {
            var stripped = PythonText.Strip(text, classifyStart, contentEnd);
            var close = text.LastIndexOf(']', stripped.End - 1, stripped.Length - 1);
            var nameSpan = TextSpan.FromBounds(stripped.Start + 1, close);
            hasHeaderLine = true;
            AddLine(SyntaxKind.SectionHeader, lineStart, contentEnd, lineEnd, stripped.Start - lineStart);
            var record = lines[^1];
            record.A = Rel(nameSpan.Start);
            record.B = nameSpan.Length;
            record.C = Rel(close + 1);
            record.D = stripped.End - (close + 1);
            lines[^1] = record;
        }

        /// <summary>Ends the property being read: its lines are those up to its last continuation line.</summary>
        private void FlushProperty()
        {
            if (property < 0) return;
            var span = CollectionsMarshal.AsSpan(lines);
            ref var record = ref span[property];
            record.E = propertyEnd - property - 1;
            if (record.E > 0 && record.D == 0) ParseNested(span.Slice(property + 1, record.E));
            property = -1;
        }

        /// <summary>botocore's _parse_nested: each non-blank line splits on the first '=' only; no '=' fails the file.</summary>
        private void ParseNested(Span<LineRecord> nested)
        {
            for (var i = 0; i < nested.Length; i++)
            {
                ref var continuation = ref nested[i];
                if (continuation.Kind != SyntaxKind.Continuation) continue;
                var value = new TextSpan(Start + continuation.Start + continuation.Indent, continuation.A);
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
                    errors.Add(new SyntaxError(value.Shift(-Start), SyntaxErrorKind.BadSubProperty,
                        "A line in a nested block needs 'key = value'; the AWS CLI cannot parse this file."));
                    continue;
                }
                var equals = text.IndexOf('=', firstPiece.Start, firstPiece.Length);
                var subKey = PythonText.Strip(text, firstPiece.Start, equals);
                var subValue = PythonText.Strip(text, equals + 1, firstPiece.End);
                continuation.HasSubProperty = true;
                continuation.B = Rel(subKey.Start);
                continuation.C = subKey.Length;
                continuation.D = Rel(subValue.Start);
                continuation.E = subValue.Length;
            }
        }

        public SectionSyntax Build(int end)
        {
            var state = new ParserState(inSection, property >= 0 && propertyContinuesValue, indentLevel);
            FlushProperty();
            var (packed, records, first) = slab.Place(lines);
            var section = new SectionSyntax(
                text,
                Start,
                end - Start,
                hasHeaderLine,
                packed,
                records,
                first,
                lines.Count,
                errors.Count == 0 ? [] : ImmutableCollectionsMarshal.AsImmutableArray(errors.ToArray()),
                state);
            lines.Clear();
            errors.Clear();
            return section;
        }
    }
}
