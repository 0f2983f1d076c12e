using System.Buffers;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// The frame reader's buffers: the small ones (every ordinary message) from the shared array pool, the large ones
/// (a didOpen of a big file: 9 MB of JSON at 50k profiles) fresh arrays the collector takes back once the frame is read.
/// With the shared pool the pipe reader rented megabyte arrays for such a frame and gave them back to the pool, which
/// kept them for the process's life: 8 MiB resident after opening a 50k-profile config, for a buffer needed once.
/// </summary>
internal sealed class FrameMemoryPool : MemoryPool<byte>
{
    /// <summary>The largest buffer taken from (and given back to) the shared pool.</summary>
    public const int PooledLimit = 256 * 1024;

    public static readonly FrameMemoryPool Instance = new();

    private FrameMemoryPool() { }

    public override int MaxBufferSize => int.MaxValue;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        var size = minBufferSize <= 0 ? 4096 : minBufferSize;
        return size <= PooledLimit ? new Pooled(ArrayPool<byte>.Shared.Rent(size)) : new Fresh(GC.AllocateUninitializedArray<byte>(size));
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Pooled(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? array = array;

        public Memory<byte> Memory => array ?? throw new ObjectDisposedException(nameof(Pooled));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref array, null) is { } returned) ArrayPool<byte>.Shared.Return(returned);
        }
    }

    private sealed class Fresh(byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose()
        {
        }
    }
}
