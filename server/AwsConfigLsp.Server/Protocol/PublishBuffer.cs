using System.Buffers;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Where <see cref="DiagnosticsJson"/> writes a publish: in the same array as the last publish, as a ring, or (when that
/// cannot be) in a new array. In the ring the new publish starts right after the last one and wraps around, reading
/// the last one's bytes ahead of where it writes: a kept diagnostic is copied from a place the writer has not reached,
/// and the writer never passes <see cref="Limit"/> (the first byte still to be read, plus the free room). So one array
/// holds the publishes of a URI (at 50k profiles ~16 MiB), where two were kept before, the second for the next publish to
/// be written into while the last was its source. Past the limit (a publish that grew by more than the free room) the
/// writer moves what it wrote into a new array and goes on there (<see cref="Spilled"/>).
/// </summary>
internal sealed class PublishBuffer : IBufferWriter<byte>
{
    private byte[] array;
    private readonly int start;
    private byte[]? scratch;

    /// <summary>A publish written into a new array of <paramref name="capacity"/> bytes.</summary>
    public PublishBuffer(int capacity)
    {
        // Not zeroed (~15 MiB for the first publish of a 50k-profile config): only the bytes written are ever read.
        array = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 256));
        Cap = array.Length;
        Spilled = true;
    }

    /// <summary>
    /// A publish (or a part of one) written into <paramref name="array"/> from <paramref name="origin"/>, taking at most
    /// <paramref name="cap"/> bytes there before it moves to an array of its own (a first publish's second half, written
    /// on another thread into the same array as the first).
    /// </summary>
    public PublishBuffer(byte[] array, int origin, int cap)
    {
        this.array = array;
        this.origin = origin;
        Cap = cap;
        Spilled = true;
    }

    // Outside the ring: where the publish starts in the array.
    private int origin;

    /// <summary>Outside the ring: how many bytes the publish may take in its array from its start before it moves to a larger one.</summary>
    public int Cap { get; set; }

    /// <summary>A publish written into <paramref name="ring"/> from <paramref name="start"/>, wrapping around its end.</summary>
    public PublishBuffer(byte[] ring, int start)
    {
        array = ring;
        this.start = start;
        Limit = ring.Length;
    }

    /// <summary>The bytes written so far.</summary>
    public int WrittenCount { get; private set; }

    /// <summary>In the ring: how many bytes this publish may hold before it would overwrite bytes still to be read.</summary>
    public int Limit { get; set; }

    /// <summary>Whether the publish is in an array of its own (from its first byte) rather than in the ring.</summary>
    public bool Spilled { get; private set; }

    /// <summary>The array the publish is in, and where it starts there.</summary>
    public (byte[] Array, int Start) Where => (array, Spilled ? origin : start);

    public void Advance(int count)
    {
        if (scratch is not null)
        {
            // Written aside: into the ring if it fits under the limit, else (the publish outgrew the free room) into an
            // array of its own, where what this publish wrote so far moves first.
            if (!Spilled && WrittenCount + count > Limit) Spill(count);
            if (Spilled) scratch.AsSpan(0, count).CopyTo(array.AsSpan(origin + WrittenCount));
            else CopyIntoRing(scratch.AsSpan(0, count), WrittenCount);
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = null;
        }
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var needed = Math.Max(sizeHint, 1);
        if (!Spilled)
        {
            var at = (start + WrittenCount) % array.Length;
            var room = Math.Min(array.Length - at, Limit - WrittenCount);
            if (room >= needed) return array.AsMemory(at, room);
            // The ring's end or the limit is in the way (the JSON writer asks for 4 KiB at a time, whatever it writes):
            // written aside, and placed by Advance, which knows how much was written.
            scratch = ArrayPool<byte>.Shared.Rent(needed);
            return scratch;
        }
        if (Cap - WrittenCount < needed)
        {
            var grown = GC.AllocateUninitializedArray<byte>(Math.Max(Cap * 2, WrittenCount + needed));
            array.AsSpan(origin, WrittenCount).CopyTo(grown);
            (array, origin, Cap) = (grown, 0, grown.Length);
        }
        return array.AsMemory(origin + WrittenCount, Cap - WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Appends bytes, in pieces if need be (for a run of kept items copied after the JSON writer has written its first byte).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var memory = GetMemory(1).Span;
            var length = Math.Min(memory.Length, bytes.Length);
            bytes[..length].CopyTo(memory);
            Advance(length);
            bytes = bytes[length..];
        }
    }

    /// <summary>
    /// The bytes [<paramref name="from"/>, <paramref name="from"/> + <paramref name="length"/>) of a publish that starts at
    /// <paramref name="at"/> in <paramref name="ring"/>: one piece, or two where they wrap around its end.
    /// </summary>
    public static (ReadOnlyMemory<byte> First, ReadOnlyMemory<byte> Second) Slice(byte[] ring, int at, int from, int length)
    {
        var begin = (at + from) % ring.Length;
        var first = Math.Min(length, ring.Length - begin);
        return (ring.AsMemory(begin, first), ring.AsMemory(0, length - first));
    }

    private void CopyIntoRing(ReadOnlySpan<byte> bytes, int logical)
    {
        var begin = (start + logical) % array.Length;
        var first = Math.Min(bytes.Length, array.Length - begin);
        bytes[..first].CopyTo(array.AsSpan(begin));
        bytes[first..].CopyTo(array);
    }

    /// <summary>Moves what this publish wrote into an array of its own (a new publish bigger than the ring's free room allows).</summary>
    private void Spill(int needed)
    {
        var moved = GC.AllocateUninitializedArray<byte>(Math.Max(array.Length + array.Length / 8, WrittenCount + needed + 4096));
        var (first, second) = Slice(array, start, 0, WrittenCount);
        first.Span.CopyTo(moved);
        second.Span.CopyTo(moved.AsSpan(first.Length));
        (array, origin, Cap) = (moved, 0, moved.Length);
        Spilled = true;
    }
}
