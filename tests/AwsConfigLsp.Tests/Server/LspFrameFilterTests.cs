using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The frame check reads a body once: whether it is a JSON-RPC message, and its top-level method and id (what the
/// timing log writes for each message), never members of params of the same names.
/// </summary>
public sealed class LspFrameFilterTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"method":"x","id":99}}""", "textDocument/hover", "7")]
    [InlineData("""{"params":{"textDocument":{"text":"[profile a]\n"}},"method":"textDocument/didOpen","jsonrpc":"2.0"}""", "textDocument/didOpen", null)]
    [InlineData("""{"jsonrpc":"2.0","id":"abc","result":{"id":1}}""", null, "abc")]
    [InlineData("""{"jsonrpc":"2.0","\u006detho\u0064":"initialized","\u0069d":null}""", "initialized", null)]
    public void A_message_is_accepted_with_its_top_level_method_and_id(string body, string? method, string? id)
    {
        var problem = LspFrameFilter.Check(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), out var foundMethod, out var foundId);

        Assert.Null(problem);
        Assert.Equal(method, foundMethod);
        Assert.Equal(id, foundId);
    }

    [Fact]
    public void A_body_in_many_segments_is_read_as_one()
    {
        // As the pipe hands a large didOpen over: in 64 KB segments, here cut every 7 bytes through names and escapes.
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"[profile p{i}]\\nregion = eu-west-1\\n"));
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///c","text":""" + "\"" + text + "\"}}}");
        var body = Segments(bytes, 7);

        Assert.Null(LspFrameFilter.Check(body, out var method, out var id));
        Assert.Equal("textDocument/didOpen", method);
        Assert.Null(id);
        Assert.Equal("Invalid request: \"params\" must be an object or an array.",
            LspFrameFilter.Check(Segments(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"m","params":12345678901234}"""), 3), out _, out _)?.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void The_check_finds_where_a_didOpen_text_lies(int segmentSize)
    {
        var bytes = Encoding.UTF8.GetBytes("""{"params":{"other":{"text":"no"},"textDocument":{"uri":"file:///c","text":"[profile a]\n\u00e9","version":1}},"method":"textDocument/didOpen","jsonrpc":"2.0"}""");

        Assert.Null(LspFrameFilter.Check(Segments(bytes, segmentSize), out _, out _, out var text));

        Assert.NotNull(text);
        Assert.Equal("""
            "[profile a]\n\u00e9"
            """, Encoding.UTF8.GetString(bytes.AsSpan((int)text.Value.Start, (int)(text.Value.End - text.Value.Start))));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":{"text":"top"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":{"a":{"textDocument":{"text":"deeper"}}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":{"textDocument":{"text":5}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":{"textDocument":[{"text":"in an array"}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":{"textDocument":{"uri":"u"},"text":"after it","a":{"text":"in a sibling"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","textDocument":{"text":"outside params"}}""")]
    public void Only_params_textDocument_text_is_a_document_text(string body)
    {
        Assert.Null(LspFrameFilter.Check(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), out _, out _, out var text));
        Assert.Null(text);
    }

    [Fact]
    public void The_text_the_check_decodes_on_its_way_is_the_text_and_the_check_says_the_same_with_it_or_without()
    {
        // Escaped by both of System.Text.Json's encoders, then written into bodies a client may send (the separator spaced
        // out, the text twice, the text last) and ones it must not (a broken separator, a raw control character or a
        // broken escape in the text, invalid UTF-8, a lone surrogate, too deep after the text, cut short, trailing bytes).
        const string alphabet = "ab=[] \"\\/\n\r\t\u0001éü€中😀";
        var checkedBodies = 0;
        var scanned = 0;
        var texts = 0;
        // Texts a client can send: no half of the emoji's surrogate pair alone.
        foreach (var text in RandomText.Strings(alphabet, 30, 400, seed: 23).Where(t => !Enumerable.Range(0, t.Length).Any(i => char.IsSurrogate(t, i) && !char.IsSurrogatePair(t, i) && (i == 0 || !char.IsSurrogatePair(t, i - 1)))).Take(150))
        {
            texts++;
            foreach (var encoder in new[] { JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            {
                var escaped = JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = encoder });
                foreach (var (body, plain) in Bodies(escaped))
                {
                    foreach (var size in new[] { 1, 7, 4096 })
                    {
                        var segments = Segments(body, size);
                        var expected = LspFrameFilter.Check(segments, out var method, out var id, out var place);
                        var scan = new LspFrameFilter.TextScan();

                        var problem = LspFrameFilter.Check(segments, out var scanMethod, out var scanId, out var scanPlace, scan);

                        Assert.Equal(expected, problem);
                        Assert.Equal((method, id, place), (scanMethod, scanId, scanPlace));
                        if (plain) Assert.Equal(text, scan.Text);
                        if (problem is not null) Assert.Null(scan.Text);
                        else if (scan.Text is not null) Assert.Equal(DocumentTextConverter.Decode(body.AsSpan((int)place!.Value.Start + 1, (int)(place.Value.End - place.Value.Start) - 2)), scan.Text);
                        if (scan.Text is not null) scanned++;
                        checkedBodies++;
                    }
                }
            }
        }
        Assert.InRange(texts, 100, 150);
        Assert.Equal(texts * 2 * 14 * 3, checkedBodies);
        // Plain texts (the first two bodies of each) were all decoded on the way; the others went the reader's way.
        Assert.Equal(texts * 2 * 2 * 3, scanned);
    }

    private static IEnumerable<(byte[] Body, bool Plain)> Bodies(string escaped)
    {
        static byte[] Of(string textMember, string after = "") => Encoding.UTF8.GetBytes(
            """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///c",""" + textMember + ""","version":1}}""" + after + "}");
        var inner = escaped[1..^1];
        yield return (Of("\"text\":" + escaped), true);
        yield return (Of("\"text\" :\r\n\t " + escaped), true);
        yield return (Of("\"text\":" + escaped + ",\"text\":\"second\""), false);
        yield return (Of("\"text\"::" + escaped), false);
        yield return (Of("\"text\":\"\u0001" + inner + "\""), false);
        yield return (Of("\"text\":\"" + inner + "\\x\""), false);
        yield return (Of("\"text\":\"" + inner + "\\u12G4\""), false);
        yield return (Of("\"text\":\"" + inner + "\\ud800\""), false);
        yield return ([.. Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"text":" """.TrimEnd() + inner), 0xFF,
            .. "\",\"version\":1}}}"u8], false);
        yield return (Of("\"text\":" + escaped, ",\"deep\":" + new string('[', 70) + new string(']', 70)), false);
        yield return (Of("\"text\":" + escaped)[..^5], false);
        yield return ([.. Of("\"text\":" + escaped), .. "x"u8], false);
        yield return (Of("\"text\":" + escaped[..^1]), false);
        yield return (Of("\"text\":5,\"text2\":" + escaped), false);
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var segment = new Segment(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), at);
            if (last is null) first = segment;
            else last.Next = segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long start)
        {
            Memory = memory;
            RunningIndex = start;
        }

        public new Segment? Next
        {
            get => (Segment?)base.Next;
            set => base.Next = value;
        }
    }
}
