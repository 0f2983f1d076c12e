using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// The semantic tokens of one open document, counted per section, so that after an edit only the sections the edit
/// touched are tokenized again, and <c>semanticTokens/full/delta</c> answers with one small edit instead of the whole
/// file (at 50k profiles ~600k tokens: 3M integers, ~6 MiB of JSON per request).
/// A section's tokens depend only on its syntax and its file's kind (<see cref="SemanticTokens.GetSection"/>), and the
/// parser reuses the syntax of untouched sections, so sections are matched by reference. Only each section's number of
/// tokens and the line of its last one are kept: a delta needs the tokens of the sections the edit touched (tokenized
/// again from the current version) and where they start in the file's integers (the counts before them), and the whole
/// file is tokenized again as it is written into the answer. Keeping the tokens themselves (packed, one object and
/// array per section) held ~6 MiB at 50k profiles for the whole session, for whole-file answers ~2x faster. Used on the
/// message loop only, but for <see cref="FullJson"/>'s writer, which reads an immutable version.
/// </summary>
internal sealed class SemanticTokensCache
{
    // The result the client holds (the base of the next delta), the newest complete update, and a partial one.
    private Snapshot? last;
    private Snapshot? current;
    private Pending? pending;
    private int nextResultId;

    /// <summary>
    /// What the cache keeps of one section's tokens: how many there are, and the line of the last one relative to the
    /// section's first line (where the next section's first token counts its line from).
    /// </summary>
    internal readonly record struct SectionTokens(int Count, int LastLine);

    /// <summary>
    /// What a result id stands for: the syntax it was computed from and its sections' tokens, in a list that shares its
    /// untouched chunks with the versions before it (an edit copies the chunks it touches, not one slot per section).
    /// </summary>
    private sealed record Snapshot(string ResultId, DocumentSyntax Syntax, ChunkedList<SectionTokens> Tokens);

    // The file of the newest complete update (current): its sections are tokenized again when tokens are written. Not in
    // the snapshot, so that the result the client holds (last) does not keep an old version of the file.
    private ConfigFile? currentFile;

    /// <summary>An update cut short by its budget: the sections of <paramref name="Syntax"/> in <paramref name="Missing"/> (sorted, disjoint [from, to) ranges) have no tokens yet.</summary>
    private sealed record Pending(DocumentSyntax Syntax, ChunkedList<SectionTokens> Tokens, List<(int From, int To)> Missing);

    // Token counts of whole chunks of SectionTokens, kept by the chunk (shared between versions): see ChunkedList.SumBefore.
    private static readonly ConditionalWeakTable<SectionTokens[], StrongBox<long>> ChunkTokenCounts = new();
    private static readonly Func<SectionTokens, int> TokenCount = tokens => tokens.Count;

    /// <summary>
    /// Brings the cache up to date with <paramref name="file"/>, tokenizing at most <paramref name="budget"/> sections the
    /// cache does not have; false when the budget ran out first (call again: the work done is kept). Costs the edited
    /// sections and the chunks that hold them: the sections both versions share are found a chunk at a time.
    /// </summary>
    public bool TryUpdate(ConfigFile file, int budget, out string resultId)
    {
        resultId = "";
        var syntax = file.Syntax;
        ChunkedList<SectionTokens> tokens;
        var missing = new List<(int From, int To)>();
        // What this update starts from: a cut-short update, else the newest complete one.
        var (before, beforeTokens) = pending is { } partial ? (partial.Syntax, partial.Tokens)
            : (current ?? last) is { } complete ? (complete.Syntax, complete.Tokens) : default;
        if (before is not null)
        {
            var (prefix, suffix) = Shared(syntax, before);
            var removed = before.Sections.Count - prefix - suffix;
            var added = syntax.Sections.Count - prefix - suffix;
            tokens = beforeTokens!.Splice(prefix, removed, new SectionTokens[added]);
            // What a cut-short update had not reached yet, where it is now: before the edit as it was, after it shifted;
            // inside the edit, the edited sections themselves.
            foreach (var (from, to) in pending?.Missing ?? [])
            {
                if (from < prefix) missing.Add((from, Math.Min(to, prefix)));
                if (to > prefix + removed) missing.Add((Math.Max(from, prefix + removed) + added - removed, to + added - removed));
            }
            if (added > 0) missing.Add((prefix, prefix + added));
            missing.Sort();
        }
        else
        {
            tokens = ChunkedList<SectionTokens>.Create(new SectionTokens[syntax.Sections.Count]);
            if (tokens.Count > 0) missing.Add((0, tokens.Count));
        }
        while (missing.Count > 0 && budget > 0)
        {
            var (from, to) = missing[0];
            var stop = Math.Min(to, from + budget);
            var encoded = new SectionTokens[stop - from];
            for (var i = from; i < stop; i++) encoded[i - from] = Count(file.Sections[i]);
            tokens = tokens.Splice(from, encoded.Length, encoded);
            budget -= encoded.Length;
            if (stop < to) missing[0] = (stop, to);
            else missing.RemoveAt(0);
        }
        if (missing.Count > 0)
        {
            // Keep what is done: the next call goes on from here (and follows an edit made meanwhile).
            pending = new Pending(syntax, tokens, missing);
            return false;
        }
        pending = null;
        resultId = (++nextResultId).ToString(CultureInfo.InvariantCulture);
        current = new Snapshot(resultId, syntax, tokens);
        currentFile = file;
        return true;
    }

    /// <summary>How many sections at the start and at the end two versions of the document share (whole chunks at once).</summary>
    private static (int Prefix, int Suffix) Shared(DocumentSyntax now, DocumentSyntax before)
    {
        var prefix = now.Sections.CommonPrefix(before.Sections);
        var max = Math.Min(now.Sections.Count, before.Sections.Count) - prefix;
        return (prefix, now.Sections.CommonSuffix(before.Sections, max));
    }

    /// <summary>The whole file's tokens as of the last successful <see cref="TryUpdate"/>, which becomes the base of the next delta.</summary>
    public uint[] Full()
    {
        var snapshot = current ?? throw new InvalidOperationException("TryUpdate first.");
        last = snapshot;
        var total = snapshot.Tokens.SumBefore(snapshot.Tokens.Count, TokenCount, ChunkTokenCounts);
        var data = new uint[total * 5];
        var writer = new Writer(data);
        writer.Sections(currentFile!, snapshot, 0, snapshot.Tokens.Count, firstLine: 0, previousLine: 0);
        return data;
    }

    /// <summary>
    /// <see cref="Full"/> as JSON, written when the answer is sent: the array of integers, each section tokenized again
    /// as it is written, from the version of the last successful <see cref="TryUpdate"/> (immutable: later edits do not
    /// change it).
    /// </summary>
    public TokenStream FullJson()
    {
        var snapshot = current ?? throw new InvalidOperationException("TryUpdate first.");
        var file = currentFile!;
        last = snapshot;
        return new TokenStream(writer =>
        {
            writer.WriteStartArray();
            var line = 0;
            var previousLine = 0;
            var data = scratchData ??= [];
            for (var i = 0; i < file.Sections.Count; i++)
            {
                var section = file.Sections[i];
                var lastLine = Encode(section, data);
                if (data.Count > 0)
                {
                    // The first token's line is relative to the section: relative to the token before it in the file here.
                    writer.WriteNumberValue((uint)(line + (int)data[0] - previousLine));
                    for (var k = 1; k < data.Count; k++) writer.WriteNumberValue(data[k]);
                    previousLine = line + lastLine;
                }
                line += section.Syntax.LineCount;
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// The edits from the result <paramref name="previousResultId"/> to the last <see cref="TryUpdate"/>: one edit of
    /// the changed sections (and the first token after them, whose line delta may change), or none. Null when the
    /// previous result is not the one this cache kept (the client then gets the full tokens). Costs the changed
    /// sections and one pass over the chunk table, not a pass over every section.
    /// </summary>
    public (int Start, int DeleteCount, uint[] Data)[]? Delta(string? previousResultId)
    {
        var snapshot = current ?? throw new InvalidOperationException("TryUpdate first.");
        var before = last;
        if (before is null || previousResultId != before.ResultId) return null;
        last = snapshot;
        var oldCount = before.Tokens.Count;
        var count = snapshot.Tokens.Count;
        var (prefix, suffix) = Shared(snapshot.Syntax, before.Syntax);
        if (prefix == count && prefix == oldCount) return [];

        // Where the change starts: the token index, the line of the first changed section, and the line of the last
        // token before it (the same in both versions).
        var tokenIndex = (int)snapshot.Tokens.SumBefore(prefix, TokenCount, ChunkTokenCounts);
        var line = prefix < count
            ? snapshot.Syntax.GetSectionFirstLine(prefix)
            : snapshot.Syntax.GetSectionFirstLine(prefix - 1) + snapshot.Syntax.Sections[prefix - 1].LineCount;
        var previousLine = 0;
        for (var i = prefix - 1; i >= 0; i--)
        {
            var tokens = snapshot.Tokens[i];
            if (tokens.Count == 0) continue;
            previousLine = snapshot.Syntax.GetSectionFirstLine(i) + tokens.LastLine;
            break;
        }
        var deleted = 0;
        for (var i = prefix; i < oldCount - suffix; i++) deleted += before.Tokens[i].Count;
        var inserted = 0;
        for (var i = prefix; i < count - suffix; i++) inserted += snapshot.Tokens[i].Count;
        // The first token after the change: its line delta counts from the last changed token, so it is sent again.
        var next = count - suffix;
        while (next < count && snapshot.Tokens[next].Count == 0) next++;
        var hasNext = next < count;
        var data = new uint[(inserted + (hasNext ? 1 : 0)) * 5];
        var writer = new Writer(data);
        var end = writer.Sections(currentFile!, snapshot, prefix, count - suffix, line, previousLine);
        if (hasNext) writer.FirstToken(currentFile!.Sections[next], snapshot.Syntax.GetSectionFirstLine(next), end.PreviousLine);
        return [(tokenIndex * 5, (deleted + (hasNext ? 1 : 0)) * 5, data)];
    }

    /// <summary>What the cache keeps of one section's tokens (see <see cref="Encode"/>).</summary>
    internal static SectionTokens Count(SectionEntry section)
    {
        var data = scratchData ??= [];
        var lastLine = Encode(section, data);
        return new SectionTokens(data.Count / 5, lastLine);
    }

    /// <summary>
    /// The tokens of one section into <paramref name="data"/> (cleared first), five integers each in LSP's relative
    /// encoding, the first token's line relative to the section's first line; returns the last token's line, relative
    /// to the section's first line as well.
    /// </summary>
    internal static int Encode(SectionEntry section, List<uint> data)
    {
        // One token list for every section encoded on this thread: the first request on a 50k-profile file encodes every
        // section, and a list per section allocated ~50 MiB.
        var tokens = scratchTokens ??= [];
        data.Clear();
        SemanticTokens.GetSection(section, tokens);
        if (tokens.Count == 0) return 0;
        var text = section.Syntax.Text;
        var previousLine = 0;
        var previousCharacter = 0;
        // Tokens come in order: walk the lines forward once.
        var line = 0;
        var lineStart = 0;
        var lineEnd = ContentEnd(text, 0);
        foreach (var token in tokens)
        {
            while (token.Start > lineEnd && NextLine(text, lineEnd) is { } nextStart)
            {
                line++;
                lineStart = nextStart;
                lineEnd = ContentEnd(text, lineStart);
            }
            // A token that crosses line breaks is sent as one token per line, as LSP wants.
            var start = token.Start;
            while (true)
            {
                var segmentEnd = Math.Min(token.End, lineEnd);
                if (segmentEnd > start) Append(line, start - lineStart, segmentEnd - start, token);
                if (token.End <= lineEnd || NextLine(text, lineEnd) is not { } nextStart) break;
                line++;
                lineStart = nextStart;
                lineEnd = ContentEnd(text, lineStart);
                start = lineStart;
            }
        }
        return previousLine;

        void Append(int tokenLine, int character, int length, SemanticToken token)
        {
            data.Add((uint)(tokenLine - previousLine));
            data.Add((uint)(tokenLine == previousLine && data.Count > 1 ? character - previousCharacter : character));
            data.Add((uint)length);
            data.Add((uint)token.Type);
            data.Add((uint)token.Modifiers);
            previousLine = tokenLine;
            previousCharacter = character;
        }
    }

    [ThreadStatic] private static List<SemanticToken>? scratchTokens;
    [ThreadStatic] private static List<uint>? scratchData;

    private static int ContentEnd(ReadOnlySpan<char> text, int lineStart)
    {
        var end = text[lineStart..].IndexOfAny('\n', '\r');
        return end < 0 ? text.Length : lineStart + end;
    }

    /// <summary>The start of the line after the one whose content ends at <paramref name="contentEnd"/>, or null at the end.</summary>
    private static int? NextLine(ReadOnlySpan<char> text, int contentEnd)
    {
        if (contentEnd >= text.Length) return null;
        var next = text[contentEnd] == '\r' && contentEnd + 1 < text.Length && text[contentEnd + 1] == '\n' ? contentEnd + 2 : contentEnd + 1;
        return next;
    }

    /// <summary>Writes sections' tokens into one array, fixing the line delta of each section's first token.</summary>
    private ref struct Writer(uint[] data)
    {
        private readonly Span<uint> output = data;
        private int position;

        /// <summary>Sections [from, to) whose first starts on <paramref name="firstLine"/>; returns the line after them and the last token's line.</summary>
        public (int Line, int PreviousLine) Sections(ConfigFile file, Snapshot snapshot, int from, int to, int firstLine, int previousLine)
        {
            var line = firstLine;
            var sections = snapshot.Syntax.Sections;
            var scratch = scratchData ??= [];
            for (var i = from; i < to; i++)
            {
                if (snapshot.Tokens[i].Count > 0)
                {
                    var lastLine = Encode(file.Sections[i], scratch);
                    CollectionsMarshal.AsSpan(scratch).CopyTo(output[position..]);
                    output[position] = (uint)(line + (int)output[position] - previousLine);
                    position += scratch.Count;
                    previousLine = line + lastLine;
                }
                line += sections[i].LineCount;
            }
            return (line, previousLine);
        }

        /// <summary>The first token of a section starting on <paramref name="sectionLine"/>, after a token on <paramref name="previousLine"/>.</summary>
        public void FirstToken(SectionEntry section, int sectionLine, int previousLine)
        {
            var scratch = scratchData ??= [];
            Encode(section, scratch);
            output[position] = (uint)(sectionLine + (int)scratch[0] - previousLine);
            for (var k = 1; k < 5; k++) output[position + k] = scratch[k];
            position += 5;
        }
    }
}
