using AwsConfigLsp.Syntax;
using System.Collections;
using System.Runtime.CompilerServices;

namespace AwsConfigLsp.Model;

/// <summary>
/// An immutable list stored as chunks of up to <see cref="ChunkSize"/> items. <see cref="Splice"/> returns a new list
/// that shares every untouched chunk with this one: it copies the chunk table (one slot per chunk) and the chunks the
/// change touches, so replacing a section of a 50k-section file costs a few hundred slots, not 50k, and every earlier
/// version stays exactly as it was for the readers that still hold it.
/// </summary>
public sealed class ChunkedList<T> : IReadOnlyList<T>
{
    internal const int ChunkSize = 256;

    private readonly T[][] chunks;
    /// <summary>The index one past the last item of each chunk.</summary>
    private readonly int[] ends;

    public static ChunkedList<T> Empty { get; } = new([], []);

    private ChunkedList(T[][] chunks, int[] ends)
    {
        this.chunks = chunks;
        this.ends = ends;
        Count = ends.Length == 0 ? 0 : ends[^1];
    }

    public static ChunkedList<T> Create(IReadOnlyList<T> items)
    {
        if (items.Count == 0) return Empty;
        var pieces = new List<T[]>((items.Count + ChunkSize - 1) / ChunkSize);
        Cut(items, 0, items.Count, pieces);
        return FromPieces(pieces);
    }

    public int Count { get; }

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            var chunk = ChunkOf(index);
            return chunks[chunk][chunk == 0 ? index : index - ends[chunk - 1]];
        }
    }

    /// <summary>The chunk that holds <paramref name="index"/> (which must be in range).</summary>
    private int ChunkOf(int index)
    {
        return ChunkSearch.Of(ends, ChunkSize, index);
    }

    /// <summary>
    /// The sum of <paramref name="measure"/> over the items before <paramref name="index"/>: each whole chunk's sum is
    /// kept in <paramref name="sums"/> by the chunk itself, and untouched chunks are shared between versions, so after a
    /// <see cref="Splice"/> only the new chunks are measured again: O(chunks), not O(items).
    /// </summary>
    public long SumBefore(int index, Func<T, int> measure, ConditionalWeakTable<T[], StrongBox<long>> sums)
    {
        if ((uint)index > (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        long total = 0;
        var chunk = 0;
        for (; chunk < chunks.Length && ends[chunk] <= index; chunk++)
        {
            if (!sums.TryGetValue(chunks[chunk], out var sum))
            {
                long measured = 0;
                foreach (var item in chunks[chunk]) measured += measure(item);
                sum = new StrongBox<long>(measured);
                sums.AddOrUpdate(chunks[chunk], sum);
            }
            total += sum.Value;
        }
        if (chunk < chunks.Length)
        {
            var start = chunk == 0 ? 0 : ends[chunk - 1];
            for (var i = start; i < index; i++) total += measure(chunks[chunk][i - start]);
        }
        return total;
    }

    /// <summary>The items of [<paramref name="index"/>, <paramref name="index"/> + <paramref name="count"/>) as a new list.</summary>
    public List<T> GetRange(int index, int count)
    {
        var range = new List<T>(count);
        for (var i = index; i < index + count; i++) range.Add(this[i]);
        return range;
    }

    /// <summary>
    /// A new list with <paramref name="removeCount"/> items at <paramref name="index"/> replaced by
    /// <paramref name="insert"/>; this list is not changed.
    /// </summary>
    public ChunkedList<T> Splice(int index, int removeCount, IReadOnlyList<T> insert)
    {
        if (index < 0 || removeCount < 0 || index + removeCount > Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (removeCount == 0 && insert.Count == 0) return this;
        if (chunks.Length == 0) return Create(insert);
        // The chunks that hold the removed items (or the insertion point): first..last.
        var first = index == Count ? chunks.Length - 1 : ChunkOf(index);
        var last = removeCount == 0 ? first : ChunkOf(index + removeCount - 1);
        var firstStart = first == 0 ? 0 : ends[first - 1];
        var lastEnd = ends[last];
        // A small remainder takes its next chunk along, so that deletions do not leave tiny chunks behind.
        if (lastEnd - firstStart - removeCount + insert.Count < ChunkSize / 4 && last + 1 < chunks.Length) last++;
        lastEnd = ends[last];
        var merged = new List<T>(lastEnd - firstStart - removeCount + insert.Count);
        var position = firstStart;
        for (var i = first; i <= last; i++)
        {
            foreach (var item in chunks[i])
            {
                if (position < index) merged.Add(item);
                else if (position == index) break;
                position++;
            }
            if (position == index) break;
        }
        merged.AddRange(insert);
        position = firstStart;
        for (var i = first; i <= last; i++)
        {
            foreach (var item in chunks[i])
            {
                if (position >= index + removeCount) merged.Add(item);
                position++;
            }
        }
        var pieces = new List<T[]>(chunks.Length + 2);
        for (var i = 0; i < first; i++) pieces.Add(chunks[i]);
        Cut(merged, 0, merged.Count, pieces);
        for (var i = last + 1; i < chunks.Length; i++) pieces.Add(chunks[i]);
        return FromPieces(pieces);
    }

    /// <summary>Splits items into chunks: full ones, the rest spread so that no chunk is tiny or over-full.</summary>
    private static void Cut(IReadOnlyList<T> items, int from, int to, List<T[]> into)
    {
        var remaining = to - from;
        if (remaining == 0) return;
        var count = (remaining + ChunkSize - 1) / ChunkSize;
        var at = from;
        for (var c = 0; c < count; c++)
        {
            var size = remaining / (count - c);
            var piece = new T[size];
            // A list or array is copied in bulk (the sections and profile names of a 50k-profile file: ~5 ms one by one
            // through the interface, on the one thread that builds the file's tables).
            if (items is List<T> list) System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list).Slice(at, size).CopyTo(piece);
            else if (items is T[] array && array.GetType() == typeof(T[])) array.AsSpan(at, size).CopyTo(piece);
            else for (var i = 0; i < size; i++) piece[i] = items[at + i];
            into.Add(piece);
            at += size;
            remaining -= size;
        }
    }

    private static ChunkedList<T> FromPieces(List<T[]> pieces)
    {
        var ends = new int[pieces.Count];
        var total = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            total += pieces[i].Length;
            ends[i] = total;
        }
        return new ChunkedList<T>([.. pieces], ends);
    }

    public IEnumerator<T> GetEnumerator()
    {
        foreach (var chunk in chunks)
        {
            foreach (var item in chunk) yield return item;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
