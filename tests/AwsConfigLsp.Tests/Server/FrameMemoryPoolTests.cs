using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The frame reader's buffers: an ordinary message's come from the shared array pool and go back to it; a large
/// frame's (a big file's didOpen) are never kept by any pool, so the process does not hold megabytes it needed once.
/// </summary>
public sealed class FrameMemoryPoolTests
{
    private static byte[] ArrayOf(IMemoryOwner<byte> owner) =>
        MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not an array");

    [Fact]
    public void A_small_buffer_goes_back_to_the_shared_pool()
    {
        var owner = FrameMemoryPool.Instance.Rent(64 * 1024);
        var array = ArrayOf(owner);
        owner.Dispose();

        // The shared pool hands the same array out again on this thread.
        var again = ArrayPool<byte>.Shared.Rent(64 * 1024);
        ArrayPool<byte>.Shared.Return(again);
        Assert.Same(array, again);
    }

    [Fact]
    public void A_large_buffer_is_kept_by_no_pool()
    {
        var size = FrameMemoryPool.PooledLimit * 8;
        var owner = FrameMemoryPool.Instance.Rent(size);
        var array = ArrayOf(owner);
        Assert.True(array.Length >= size);
        owner.Dispose();

        var fromShared = ArrayPool<byte>.Shared.Rent(size);
        ArrayPool<byte>.Shared.Return(fromShared);
        var fromFrames = FrameMemoryPool.Instance.Rent(size);
        Assert.NotSame(array, fromShared);
        Assert.NotSame(array, ArrayOf(fromFrames));
    }

    [Fact]
    public async Task A_frame_of_several_megabytes_is_passed_on_whole()
    {
        var text = string.Concat(Enumerable.Range(0, 60_000).Select(i => $"[profile p{i}]\\nregion = eu-west-1\\n"));
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///c","text":""" + "\"" + text + "\"}}}");
        Assert.True(body.Length > 2 * 1024 * 1024);
        var input = new MemoryStream([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0));

        await LspFrameFilter.PumpAsync(input, output.Writer, _ => Task.CompletedTask, TextWriter.Null);

        var read = await output.Reader.ReadAsync();
        var passed = read.Buffer.ToArray();
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        Assert.Equal([.. header, .. body], passed);
    }
}
