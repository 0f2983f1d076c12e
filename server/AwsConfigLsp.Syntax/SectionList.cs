using System.Collections;

namespace AwsConfigLsp.Syntax;

/// <summary>
/// The sections of one version of a document, in chunks of up to 256 with each section's start and first line relative
/// to its chunk. An edit (<see cref="Replace"/>) rebuilds only the chunks it touches and shares every other chunk with
/// the version before: it copies one slot per chunk (a few hundred for a 50k-profile file), not one per section.
/// </summary>
public sealed class SectionList : IReadOnlyList<SectionSyntax>
{
    private const int ChunkSize = 256;

    /// <summary>Up to <see cref="ChunkSize"/> sections with their offsets and lines relative to the chunk; immutable.</summary>
    private sealed class Chunk
    {
        public readonly SectionSyntax[] Sections;
        public readonly int[] Starts;
        public readonly int[] FirstLines;
        public readonly int Length;
        public readonly int LineCount;

        public Chunk(SectionSyntax[] sections)
        {
            Sections = sections;
            Starts = new int[sections.Length];
            FirstLines = new int[sections.Length];
            var offset = 0;
            var line = 0;
            for (var i = 0; i < sections.Length; i++)
            {
                Starts[i] = offset;
                FirstLines[i] = line;
                offset += sections[i].Length;
                line += sections[i].LineCount;
            }
            Length = offset;
            LineCount = line;
        }
    }

    private readonly Chunk[] chunks;
    /// <summary>Per chunk: the index one past its last section, its absolute start and first line.</summary>
    private readonly int[] ends;
    private readonly int[] starts;
    private readonly int[] firstLines;

    private SectionList(Chunk[] chunks)
    {
        this.chunks = chunks;
        ends = new int[chunks.Length];
        starts = new int[chunks.Length];
        firstLines = new int[chunks.Length];
        var count = 0;
        var offset = 0;
        var line = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            starts[i] = offset;
            firstLines[i] = line;
            count += chunks[i].Sections.Length;
            offset += chunks[i].Length;
            line += chunks[i].LineCount;
            ends[i] = count;
        }
        Count = count;
        TextLength = offset;
        LineCount = line;
    }

    internal static SectionList Create(IReadOnlyList<SectionSyntax> sections)
    {
        var pieces = new List<Chunk>(sections.Count / ChunkSize + 1);
        Cut(sections, pieces);
        return new SectionList([.. pieces]);
    }

    public int Count { get; }

    /// <summary>The number of sections (the same as <see cref="Count"/>).</summary>
    public int Length => Count;

    public bool IsEmpty => Count == 0;

    /// <summary>The length of the document's text.</summary>
    internal int TextLength { get; }

    /// <summary>The number of line starts in all sections.</summary>
    internal int LineCount { get; }

    public SectionSyntax this[int index]
    {
        get
        {
            var chunk = ChunkOf(index);
            return chunks[chunk].Sections[index - Base(chunk)];
        }
    }

    private int Base(int chunk) => chunk == 0 ? 0 : ends[chunk - 1];

    private int ChunkOf(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return ChunkSearch.Of(ends, ChunkSize, index);
    }

    internal int GetStart(int index)
    {
        var chunk = ChunkOf(index);
        return starts[chunk] + chunks[chunk].Starts[index - Base(chunk)];
    }

    internal int GetFirstLine(int index)
    {
        var chunk = ChunkOf(index);
        return firstLines[chunk] + chunks[chunk].FirstLines[index - Base(chunk)];
    }

    /// <summary>The last section that starts at or before <paramref name="offset"/> (0 when none does).</summary>
    internal int LastStartingAtOrBefore(int offset) => LastAtOrBefore(starts, static chunk => chunk.Starts, offset);

    /// <summary>The last section whose first line is at or before <paramref name="line"/> (0 when none is).</summary>
    internal int LastWithFirstLineAtOrBefore(int line) => LastAtOrBefore(firstLines, static chunk => chunk.FirstLines, line);

    private int LastAtOrBefore(int[] chunkValues, Func<Chunk, int[]> values, int value)
    {
        if (Count == 0) return 0;
        var chunk = UpperBound(chunkValues, chunkValues.Length, value) - 1;
        if (chunk < 0) return 0;
        var relative = values(chunks[chunk]);
        var inChunk = UpperBound(relative, relative.Length, value - chunkValues[chunk]) - 1;
        return Base(chunk) + Math.Max(inChunk, 0);
    }

    /// <summary>The first index in [0, <paramref name="length"/>) whose value is greater than <paramref name="value"/>.</summary>
    private static int UpperBound(int[] sorted, int length, int value)
    {
        var low = 0;
        var high = length;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (sorted[middle] <= value) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>How many sections at the start are the same objects in both lists (compared a whole chunk at a time where the chunk is shared).</summary>
    public int CommonPrefix(SectionList other)
    {
        var max = Math.Min(Count, other.Count);
        var prefix = 0;
        var chunk = 0;
        while (chunk < chunks.Length && chunk < other.chunks.Length && ReferenceEquals(chunks[chunk], other.chunks[chunk]))
        {
            prefix = ends[chunk];
            chunk++;
        }
        while (prefix < max && ReferenceEquals(this[prefix], other[prefix])) prefix++;
        return prefix;
    }

    /// <summary>How many sections at the end are the same objects in both lists, at most <paramref name="max"/>.</summary>
    public int CommonSuffix(SectionList other, int max)
    {
        var suffix = 0;
        var mine = chunks.Length - 1;
        var theirs = other.chunks.Length - 1;
        while (mine >= 0 && theirs >= 0 && ReferenceEquals(chunks[mine], other.chunks[theirs]) && suffix + chunks[mine].Sections.Length <= max)
        {
            suffix += chunks[mine].Sections.Length;
            mine--;
            theirs--;
        }
        while (suffix < max && ReferenceEquals(this[Count - suffix - 1], other[other.Count - suffix - 1])) suffix++;
        return suffix;
    }

    /// <summary>A new list with sections <paramref name="first"/>..<paramref name="last"/> replaced by <paramref name="replacement"/>.</summary>
    internal SectionList Replace(int first, int last, IReadOnlyList<SectionSyntax> replacement)
    {
        var firstChunk = ChunkOf(first);
        var lastChunk = ChunkOf(last);
        var size = ends[lastChunk] - Base(firstChunk) - (last - first + 1) + replacement.Count;
        // A small remainder takes its next chunk along, so that deletions do not leave tiny chunks behind.
        if (size < ChunkSize / 4 && lastChunk + 1 < chunks.Length) lastChunk++;
        var merged = new List<SectionSyntax>(ends[lastChunk] - Base(firstChunk) + replacement.Count);
        for (var i = Base(firstChunk); i < first; i++) merged.Add(this[i]);
        merged.AddRange(replacement);
        for (var i = last + 1; i < ends[lastChunk]; i++) merged.Add(this[i]);
        var pieces = new List<Chunk>(chunks.Length + 2);
        for (var i = 0; i < firstChunk; i++) pieces.Add(chunks[i]);
        Cut(merged, pieces);
        for (var i = lastChunk + 1; i < chunks.Length; i++) pieces.Add(chunks[i]);
        return new SectionList([.. pieces]);
    }

    private static void Cut(IReadOnlyList<SectionSyntax> sections, List<Chunk> into)
    {
        var remaining = sections.Count;
        var count = (remaining + ChunkSize - 1) / ChunkSize;
        var at = 0;
        for (var c = 0; c < count; c++)
        {
            var size = remaining / (count - c);
            var piece = new SectionSyntax[size];
            for (var i = 0; i < size; i++) piece[i] = sections[at + i];
            into.Add(new Chunk(piece));
            at += size;
            remaining -= size;
        }
    }

    public IEnumerator<SectionSyntax> GetEnumerator()
    {
        foreach (var chunk in chunks)
        {
            foreach (var section in chunk.Sections) yield return section;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
