using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using AwsConfigLsp.Server.Protocol;
using StreamJsonRpc.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A didOpen's text is decoded by the frame filter and handed on as a marker that the formatter swaps back when it binds
/// the params: the handler must get exactly the text the client sent, and the frame in between must stay a valid message.
/// </summary>
public sealed class DecodedTextTests
{
    // Escapes of every kind, raw UTF-8 (two, three and four bytes), an escaped surrogate pair, CRLF, a quote, a backslash.
    private const string EscapedText = @"[profile caf\u00e9]\r\nregion = eu-west-1\n# \""quoted\"" \\ back\/slash \ud83d\ude00 é € 😀\tend\n";

    [Fact]
    public async Task A_didOpen_text_reaches_its_params_exactly_as_sent_and_is_then_forgotten()
    {
        var body = DidOpen(EscapedText);
        var texts = new DecodedTexts();

        var handedOn = await PumpAsync(body, texts);

        // The frame handed on is a whole message without the text, its Content-Length true to its body.
        Assert.DoesNotContain("region = eu-west-1", Encoding.UTF8.GetString(handedOn));
        Assert.Equal(1, texts.Count);
        var parameters = Bind(handedOn, texts);
        Assert.Equal(System.Text.Json.JsonSerializer.Deserialize<string>("\"" + EscapedText + "\""), parameters.TextDocument.Text);
        Assert.Equal("file:///c/config", parameters.TextDocument.Uri);
        Assert.Equal(3, parameters.TextDocument.Version);
        Assert.Equal(0, texts.Count);
    }

    [Fact]
    public async Task A_text_that_cannot_be_decoded_goes_on_as_it_came()
    {
        // A lone surrogate: binding refuses it, as it did before the filter decoded texts.
        var body = DidOpen(@"[profile a]\ud800");
        var texts = new DecodedTexts();

        var handedOn = await PumpAsync(body, texts);

        Assert.Equal(body, handedOn);
        Assert.Equal(0, texts.Count);
    }

    [Fact]
    public async Task Reading_the_frame_takes_the_text_so_a_didOpen_that_is_never_bound_holds_nothing()
    {
        // A didOpen the lifecycle refuses (before initialize) or whose params do not bind is read but never bound.
        var texts = new DecodedTexts();
        var handedOn = await PumpAsync(DidOpen("[profile a]\\n"), texts);
        Assert.Equal(1, texts.Count);

        var message = Assert.IsAssignableFrom<JsonRpcRequest>(LspMessageFormatter.Create(texts).Deserialize(new ReadOnlySequence<byte>(handedOn)));

        Assert.Equal(0, texts.Count);
        Assert.True(message.TryGetArgumentByNameOrIndex(null, -1, typeof(DidOpenTextDocumentParams), out var value));
        Assert.Equal("[profile a]\n", Assert.IsType<DidOpenTextDocumentParams>(value).TextDocument.Text);
    }

    [Fact]
    public void A_marker_is_taken_once_and_other_texts_are_not_markers()
    {
        var texts = new DecodedTexts();
        var marker = System.Text.Json.JsonSerializer.Deserialize<string>(texts.Add("[profile a]\n"))!;

        Assert.True(texts.TryTake(marker, out var text));
        Assert.Equal("[profile a]\n", text);
        Assert.False(texts.TryTake(marker, out _));
        // Another server's marker, or a file that starts with a NUL, is a text like any other.
        Assert.False(texts.TryTake("\0awsconfig-lsp decoded text 0 1", out _));
        Assert.False(new DecodedTexts().TryTake(System.Text.Json.JsonSerializer.Deserialize<string>(texts.Add("x"))!, out _));
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(997)]
    public async Task A_large_didOpen_is_decoded_and_the_next_frame_follows(int chunk)
    {
        // A body of several of the reader's segments, whether the stream gives it in large reads or in small ones; the
        // next frame is read as usual.
        var escaped = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"[profile p{i}]\\nregion = eu-west-1\\n# caf\\u00e9 \\\\ {i}\\n"));
        var body = DidOpen(escaped);
        Assert.True(body.Length > 1024 * 1024);
        var next = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
        var stream = new TrickleStream([.. Frame(body), .. Frame(next)], chunk);
        var texts = new DecodedTexts();
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0));

        await LspFrameFilter.PumpAsync(stream, output.Writer, _ => throw new Xunit.Sdk.XunitException("no problem expected"), TextWriter.Null, texts);

        var frames = Frames((await output.Reader.ReadAsync()).Buffer.ToArray());
        Assert.Equal(2, frames.Count);
        Assert.Equal(System.Text.Json.JsonSerializer.Deserialize<string>("\"" + escaped + "\""), Bind(frames[0], texts).TextDocument.Text);
        Assert.Equal(next, frames[1]);
    }

    [Fact]
    public async Task A_large_frame_cut_short_ends_the_connection_without_handing_anything_on()
    {
        var body = DidOpen(new string('x', 1024 * 1024));
        var stream = new TrickleStream([.. Frame(body)[..^10]], 4096);
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0));

        await LspFrameFilter.PumpAsync(stream, output.Writer, _ => throw new Xunit.Sdk.XunitException("no problem expected"), TextWriter.Null, new DecodedTexts());

        var read = await output.Reader.ReadAsync();
        Assert.True(read.IsCompleted);
        Assert.Equal(0, read.Buffer.Length);
    }

    private static byte[] Frame(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    /// <summary>The bodies of the frames in <paramref name="bytes"/>, each checked against its Content-Length.</summary>
    private static List<byte[]> Frames(byte[] bytes)
    {
        var frames = new List<byte[]>();
        var at = 0;
        while (at < bytes.Length)
        {
            var separator = Encoding.ASCII.GetString(bytes, at, Math.Min(64, bytes.Length - at)).IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var header = Encoding.ASCII.GetString(bytes, at, separator);
            var length = int.Parse(header["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            frames.Add(bytes[(at + separator + 4)..(at + separator + 4 + length)]);
            at += separator + 4 + length;
        }
        return frames;
    }

    /// <summary>A stream that gives at most <paramref name="chunk"/> bytes per read, as a pipe from the client does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - position);
            data.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] DidOpen(string escapedText) => Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///c/config\",\"languageId\":\"ini\",\"text\":\""
        + escapedText + "\",\"version\":3}}}");

    /// <summary>The body of the one frame the filter hands on for <paramref name="body"/>, checked against its Content-Length.</summary>
    private static async Task<byte[]> PumpAsync(byte[] body, DecodedTexts texts)
    {
        var input = new MemoryStream([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
        var output = new Pipe();
        await LspFrameFilter.PumpAsync(input, output.Writer, _ => throw new Xunit.Sdk.XunitException("no problem expected"), TextWriter.Null, texts);
        var result = await output.Reader.ReadAsync();
        var frame = result.Buffer.ToArray();
        var separator = Encoding.ASCII.GetString(frame).IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var header = Encoding.ASCII.GetString(frame, 0, separator);
        var handedOn = frame[(separator + 4)..];
        Assert.Equal($"Content-Length: {handedOn.Length}", header);
        return handedOn;
    }

    private static DidOpenTextDocumentParams Bind(byte[] body, DecodedTexts texts)
    {
        var message = Assert.IsAssignableFrom<JsonRpcRequest>(LspMessageFormatter.Create(texts).Deserialize(new ReadOnlySequence<byte>(body)));
        Assert.Equal("textDocument/didOpen", message.Method);
        Assert.True(message.TryGetArgumentByNameOrIndex(null, -1, typeof(DidOpenTextDocumentParams), out var value));
        return Assert.IsType<DidOpenTextDocumentParams>(value);
    }
}
