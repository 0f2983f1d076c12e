using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A part of a publish written into a shared array from an origin (a first publish's second half) stays inside its
/// room, and moves to an array of its own with what it wrote when it outgrows it; the bytes before its origin are not
/// touched.
/// </summary>
public sealed class PublishBufferTests
{
    [Fact]
    public void A_part_written_from_an_origin_stays_in_its_room_and_moves_whole_when_it_outgrows_it()
    {
        var shared = new byte[64];
        shared.AsSpan(0, 20).Fill((byte)'a');
        var part = new PublishBuffer(shared, origin: 20, cap: 30);

        Write(part, "0123456789");
        Assert.Same(shared, part.Where.Array);
        Assert.Equal(20, part.Where.Start);
        Assert.Equal("0123456789", Text(part));
        Assert.True(part.GetMemory(1).Length <= 20, "the part was offered room beyond its cap");

        // 25 more bytes do not fit in the 20 left: the part moves, with what it wrote, to an array of its own.
        Write(part, "abcdefghijklmnopqrstuvwxy");
        Assert.NotSame(shared, part.Where.Array);
        Assert.Equal(0, part.Where.Start);
        Assert.Equal("0123456789abcdefghijklmnopqrstuvwxy", Text(part));
        Assert.Equal(new string('a', 20), System.Text.Encoding.ASCII.GetString(shared, 0, 20));
    }

    [Fact]
    public void A_raised_cap_lets_the_publish_take_the_rest_of_its_array()
    {
        var buffer = new PublishBuffer(100) { Cap = 10 };
        var array = buffer.Where.Array;
        Write(buffer, "0123456789");
        buffer.Cap = array.Length;
        Write(buffer, "more than the first room");
        Assert.Same(array, buffer.Where.Array);
        Assert.Equal("0123456789more than the first room", Text(buffer));
    }

    private static void Write(PublishBuffer buffer, string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        var memory = buffer.GetMemory(bytes.Length);
        bytes.CopyTo(memory.Span);
        buffer.Advance(bytes.Length);
    }

    private static string Text(PublishBuffer buffer)
    {
        var (array, start) = buffer.Where;
        return System.Text.Encoding.ASCII.GetString(array, start, buffer.WrittenCount);
    }
}
