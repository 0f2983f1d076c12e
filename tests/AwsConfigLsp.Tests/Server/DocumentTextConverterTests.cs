using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A document's text is read from the message by our own decoder (no pooled array): it must give exactly the string
/// System.Text.Json gives, whatever the client escaped, and refuse what System.Text.Json refuses.
/// </summary>
public sealed class DocumentTextConverterTests
{
    // Letters, the characters JSON must or may escape, line breaks, non-ASCII (two and three UTF-8 bytes) and an emoji
    // (a surrogate pair).
    private const string Alphabet = "ab=[] \"\\/\n\r\t\b\f\u0001\u001féü€中😀";

    private static readonly JavaScriptEncoder[] Encoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping];

    [Fact]
    public void Decoding_gives_the_string_System_Text_Json_gives_for_every_escaping()
    {
        var checkedStrings = 0;
        foreach (var text in RandomText.Strings(Alphabet, 40, 5000, seed: 11))
        {
            foreach (var encoder in Encoders)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(text, new JsonSerializerOptions { Encoder = encoder });
                Assert.Equal(JsonSerializer.Deserialize<string>(json), DocumentTextConverter.Decode(json.AsSpan(1, json.Length - 2)));
                checkedStrings++;
            }
        }
        // Long runs between escapes (a config's lines), ASCII and not: the runs are widened 16 bytes at a time.
        foreach (var line in new[] { "role_arn = arn:aws:iam::123456789012:role/deploy-0000-abcdefghijklmnop", "# commentaire: rôle de déploiement (équipe données)" })
        {
            var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"[profile p{i}]\r\n{line}{i}\n\t\"{line}\"\n"));
            var json = JsonSerializer.SerializeToUtf8Bytes(text);
            Assert.Equal(text, DocumentTextConverter.Decode(json.AsSpan(1, json.Length - 2)));
        }
        // Escapes as a client may write them and System.Text.Json does not: \/ and lower-case hex.
        Assert.Equal("a/b\u00e9\ud83d\ude00", DocumentTextConverter.Decode("a\\/b\\u00e9\\ud83d\\ude00"u8));
        Assert.Equal(10000, checkedStrings);
    }

    [Fact]
    public void A_large_text_read_in_two_halves_is_the_text_read_in_one()
    {
        // Large texts are scanned and written in two halves on two threads, split at a \n escape near the middle found
        // without reading the bytes before it: runs of backslashes, escaped quotes, \u escapes and surrogate pairs around
        // the middle must come out the same, and a content whose string ends before the middle must end there.
        var split = 0;
        var checkedStrings = 0;
        foreach (var text in RandomText.Strings(Alphabet + "\\\\\n\nn", 400, 3000, seed: 23))
        {
            foreach (var encoder in Encoders)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(text, new JsonSerializerOptions { Encoder = encoder });
                // The string's content, its closing quote and what follows it in a message.
                byte[] content = [.. json.AsSpan(1), .. ",\"version\":1}"u8];
                Assert.True(DocumentTextConverter.TryScan(content, out var wholeEnd, out var wholeLength, out var none, parallelFrom: int.MaxValue));
                Assert.False(none.IsSplit);
                Assert.True(DocumentTextConverter.TryScan(content, out var end, out var length, out var halves, parallelFrom: 16));
                Assert.Equal((wholeEnd, wholeLength), (end, length));
                Assert.Equal(json.Length - 2, end);
                if (halves.IsSplit) split++;
                Assert.Equal(JsonSerializer.Deserialize<string>(json), DocumentTextConverter.Write(content.AsSpan(0, end), length, halves));
                checkedStrings++;
            }
        }
        Assert.Equal(6000, checkedStrings);
        Assert.True(split > 1000, $"only {split} of the texts were split");
        // A string that ends in the first half: the second half (after the closing quote) is read but not used.
        var shortText = JsonSerializer.SerializeToUtf8Bytes("a\nb");
        byte[] message = [.. shortText.AsSpan(1), .. Encoding.UTF8.GetBytes(",\"other\":\"" + string.Concat(Enumerable.Repeat("x\\n", 100)) + "\"}")];
        Assert.True(DocumentTextConverter.TryScan(message, out var shortEnd, out var shortLength, out var shortSplit, parallelFrom: 16));
        Assert.False(shortSplit.IsSplit);
        Assert.Equal("a\nb", DocumentTextConverter.Write(message.AsSpan(0, shortEnd), shortLength, shortSplit));
    }

    [Theory]
    [InlineData("abc\\nxyz", 3)]
    [InlineData("abc\\\\nx\\ny", 7)]
    [InlineData("\\\\\\nx", 2)]
    [InlineData("ab\\u000a\\n", 8)]
    [InlineData("ab\\\\n", null)]
    public void The_split_is_at_a_line_break_escape_that_is_not_itself_escaped(string escaped, int? expected) =>
        Assert.Equal(expected, DocumentTextConverter.EscapeStartAfter(Encoding.UTF8.GetBytes(escaped), 0));

    [Fact]
    public void A_didOpen_through_the_source_generated_context_reads_the_text_with_it()
    {
        var text = "[profile a] ; \"quoted\" \\ é 😀\r\nregion = us-east-1\n";
        var json = """{"textDocument":{"uri":"file:///c","languageId":"awsconfig","version":1,"text":""" + JsonSerializer.Serialize(text) + "}}";

        var parameters = JsonSerializer.Deserialize(json, LspJsonContext.Default.DidOpenTextDocumentParams)!;

        Assert.Equal(text, parameters.TextDocument.Text);
    }

    [Theory]
    [InlineData("\\ud83d")]
    [InlineData("x\\ude00y")]
    [InlineData("\\ud83dx")]
    public void A_lone_surrogate_is_refused_as_System_Text_Json_refuses_it(string escaped)
    {
        var json = Encoding.UTF8.GetBytes($"\"{escaped}\"");
        var item = Encoding.UTF8.GetBytes($"{{\"uri\":\"file:///c\",\"languageId\":\"awsconfig\",\"version\":1,\"text\":\"{escaped}\"}}");

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<string>(json));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(item, LspJsonContext.Default.TextDocumentItem));
    }

    [Fact]
    public void Invalid_UTF8_is_refused_with_a_clear_message()
    {
        // "a" then a byte that starts no UTF-8 character.
        byte[] json = [.. """{"uri":"file:///c","languageId":"awsconfig","version":1,"text":"a"""u8, 0xFF, .. "\"}"u8];

        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, LspJsonContext.Default.TextDocumentItem));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }
}
