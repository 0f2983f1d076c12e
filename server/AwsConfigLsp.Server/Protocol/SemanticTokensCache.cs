using System.Globalization;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// The semantic tokens of one open document, kept per section in LSP's relative encoding, so that after an edit only
/// the sections the edit touched are tokenized again, and <c>semanticTokens/full/delta</c> answers with one small edit
/// instead of the whole file (at 50k profiles ~600k tokens: 3M integers, ~6 MiB of JSON per request).
/// A section's tokens depend only on its syntax and its file's kind (<see cref="SemanticTokens.GetSection"/>), and the
/// parser reuses the syntax of untouched sections, so sections are matched by reference. Used on the message loop only.
/// </summary>
internal sealed class SemanticTokensCache
{
    // The result the client holds (the base of the next delta), the newest complete update, and a partial one.
    private Snapshot? last;
    private Snapshot? current;
    private Snapshot? pending;
    private int nextResultId;

    /// <summary>The tokens of one section: five integers per token, the first token's line relative to the section's first line.</summary>
    internal sealed class SectionTokens(uint[] data, int lastLine)
    {
        public uint[] Data { get; } = data;
        public int Count => Data.Length / 5;
        /// <summary>The line of the section's last token, relative to the section's first line.</summary>
        public int LastLine { get; } = lastLine;
    }

    /// <summary>What a result id stands for: the sections' syntax and tokens when it was sent.</summary>
    private sealed record Snapshot(string ResultId, SectionSyntax[] Keys, SectionTokens[] Tokens, int[] LineCounts);

    /// <summary>
    /// Brings the cache up to date with <paramref name="file"/>, tokenizing at most <paramref name="budget"/> sections the
    /// cache does not have; false when the budget ran out first (call again: the work done is kept).
    /// </summary>
    public bool TryUpdate(ConfigFile file, int budget, out string resultId)
    {
        resultId = "";
        var sections = file.Sections;
        var count = sections.Count;
        var previous = pending ?? current ?? last;
        var keys = new SectionSyntax[count];
        var tokens = new SectionTokens[count];
        var lineCounts = new int[count];
        var prefix = 0;
        var suffix = 0;
        if (previous is not null)
        {
            var oldCount = previous.Keys.Length;
            while (prefix < count && prefix < oldCount && ReferenceEquals(sections[prefix].Syntax, previous.Keys[prefix])) prefix++;
            while (suffix < count - prefix && suffix < oldCount - prefix
                   && ReferenceEquals(sections[count - 1 - suffix].Syntax, previous.Keys[oldCount - 1 - suffix]))
            {
                suffix++;
            }
            Array.Copy(previous.Keys, keys, prefix);
            Array.Copy(previous.Tokens, tokens, prefix);
            Array.Copy(previous.LineCounts, lineCounts, prefix);
            Array.Copy(previous.Keys, oldCount - suffix, keys, count - suffix, suffix);
            Array.Copy(previous.Tokens, oldCount - suffix, tokens, count - suffix, suffix);
            Array.Copy(previous.LineCounts, oldCount - suffix, lineCounts, count - suffix, suffix);
        }
        var complete = true;
        for (var i = prefix; i < count - suffix; i++)
        {
            var syntax = sections[i].Syntax;
            keys[i] = syntax;
            lineCounts[i] = syntax.LineCount;
            if (budget-- <= 0)
            {
                complete = false;
                continue;
            }
            tokens[i] = Encode(sections[i]);
        }
        if (!complete)
        {
            // Keep what is done: the sections not yet tokenized have no tokens, and the next call matches the rest.
            pending = Trim(keys, tokens, lineCounts);
            return false;
        }
        pending = null;
        resultId = (++nextResultId).ToString(CultureInfo.InvariantCulture);
        current = new Snapshot(resultId, keys, tokens, lineCounts);
        return true;
    }

    private static Snapshot Trim(SectionSyntax[] keys, SectionTokens[] tokens, int[] lineCounts)
    {
        // Sections without tokens yet must not match the next call's sections: forget their keys.
        var trimmedKeys = (SectionSyntax[])keys.Clone();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] is null) trimmedKeys[i] = null!;
        }
        return new Snapshot("", trimmedKeys, tokens, lineCounts);
    }

    /// <summary>The whole file's tokens as of the last successful <see cref="TryUpdate"/>, which becomes the base of the next delta.</summary>
    public uint[] Full()
    {
        var snapshot = current ?? throw new InvalidOperationException("TryUpdate first.");
        last = snapshot;
        var total = 0;
        foreach (var section in snapshot.Tokens) total += section.Count;
        var data = new uint[total * 5];
        var writer = new Writer(data);
        writer.Sections(snapshot, 0, snapshot.Tokens.Length, firstLine: 0, previousLine: 0);
        return data;
    }

    /// <summary>
    /// The edits from the result <paramref name="previousResultId"/> to the last <see cref="TryUpdate"/>: one edit of
    /// the changed sections (and the first token after them, whose line delta may change), or none. Null when the
    /// previous result is not the one this cache kept (the client then gets the full tokens).
    /// </summary>
    public (int Start, int DeleteCount, uint[] Data)[]? Delta(string? previousResultId)
    {
        var snapshot = current ?? throw new InvalidOperationException("TryUpdate first.");
        var before = last;
        if (before is null || previousResultId != before.ResultId) return null;
        last = snapshot;
        var oldCount = before.Keys.Length;
        var count = snapshot.Keys.Length;
        var prefix = 0;
        while (prefix < count && prefix < oldCount && ReferenceEquals(snapshot.Keys[prefix], before.Keys[prefix])) prefix++;
        var suffix = 0;
        while (suffix < count - prefix && suffix < oldCount - prefix
               && ReferenceEquals(snapshot.Keys[count - 1 - suffix], before.Keys[oldCount - 1 - suffix]))
        {
            suffix++;
        }
        if (prefix == count && prefix == oldCount) return [];

        // Where the change starts: the token index and the line of the last token before it (same in both).
        var tokenIndex = 0;
        var line = 0;
        var previousLine = 0;
        for (var i = 0; i < prefix; i++)
        {
            if (snapshot.Tokens[i].Count > 0)
            {
                tokenIndex += snapshot.Tokens[i].Count;
                previousLine = line + snapshot.Tokens[i].LastLine;
            }
            line += snapshot.LineCounts[i];
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
        var end = writer.Sections(snapshot, prefix, count - suffix, line, previousLine);
        if (hasNext)
        {
            var lineOfNext = end.Line;
            for (var i = count - suffix; i < next; i++) lineOfNext += snapshot.LineCounts[i];
            writer.Token(snapshot.Tokens[next].Data, 0, lineOfNext, end.PreviousLine);
        }
        return [(tokenIndex * 5, (deleted + (hasNext ? 1 : 0)) * 5, data)];
    }

    /// <summary>The tokens of one section, encoded relative to the section's first line.</summary>
    internal static SectionTokens Encode(SectionEntry section)
    {
        var tokens = SemanticTokens.GetSection(section);
        if (tokens.Count == 0) return Empty;
        var text = section.Syntax.Text;
        var data = new List<uint>(tokens.Count * 5);
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
        return new SectionTokens([.. data], previousLine);

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

    private static readonly SectionTokens Empty = new([], 0);

    private static int ContentEnd(string text, int lineStart)
    {
        var end = text.AsSpan(lineStart).IndexOfAny('\n', '\r');
        return end < 0 ? text.Length : lineStart + end;
    }

    /// <summary>The start of the line after the one whose content ends at <paramref name="contentEnd"/>, or null at the end.</summary>
    private static int? NextLine(string text, int contentEnd)
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
        public (int Line, int PreviousLine) Sections(Snapshot snapshot, int from, int to, int firstLine, int previousLine)
        {
            var line = firstLine;
            for (var i = from; i < to; i++)
            {
                var section = snapshot.Tokens[i];
                if (section.Count > 0)
                {
                    Token(section.Data, 0, line, previousLine);
                    var rest = section.Data.AsSpan(5);
                    rest.CopyTo(output[position..]);
                    position += rest.Length;
                    previousLine = line + section.LastLine;
                }
                line += snapshot.LineCounts[i];
            }
            return (line, previousLine);
        }

        /// <summary>The token at <paramref name="index"/> of a section starting on <paramref name="sectionLine"/>, after a token on <paramref name="previousLine"/>.</summary>
        public void Token(uint[] section, int index, int sectionLine, int previousLine)
        {
            var offset = index * 5;
            output[position] = (uint)(sectionLine + (int)section[offset] - previousLine);
            section.AsSpan(offset + 1, 4).CopyTo(output[(position + 1)..]);
            position += 5;
        }
    }
}
