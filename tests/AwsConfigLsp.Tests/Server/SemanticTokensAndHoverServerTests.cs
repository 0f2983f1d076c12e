using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>textDocument/semanticTokens/full, textDocument/semanticTokens/range and textDocument/hover through the server.</summary>
public sealed class SemanticTokensAndHoverServerTests : IAsyncLifetime
{
    // CRLF line ends and a non-ASCII name: columns count UTF-16 code units, and "😀" is two of them.
    private const string Config = "[profile café-😀]\r\nregion = eu-west-3\r\n\r\n[profile b]\r\nsource_profile = café-😀\r\n";
    private const string Credentials = "[b]\naws_access_key_id = AKIAZZZZTESTKEY1WXYZ\naws_secret_access_key = s3cr3t/ValueThatMustNeverShow\n";

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private JsonElement initializeResult;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        initializeResult = await client.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task A_whole_file_answer_of_megabytes_is_the_same_as_the_range_answer_of_the_whole_file()
    {
        // ~40k profiles: the whole-file answer (several MB, written into the output in pieces) is read whole, and the
        // session goes on (its frame length was right).
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 40_000; i++) text.Append("[profile p").Append(i).Append("]\nregion = eu-west-").Append(i % 3 + 1).Append("\noutput = json\n\n");
        var uri = folder.Uri("large/config");
        await client.OpenAsync(uri, text.ToString());

        var full = await client.RequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri } });
        var range = await client.RequestAsync("textDocument/semanticTokens/range", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 0, character = 0 }, end = new { line = 160_001, character = 0 } },
        });

        Assert.True(full.GetProperty("data").GetArrayLength() > 500_000);
        Assert.Equal(range.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()), full.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.False(string.IsNullOrEmpty(full.GetProperty("resultId").GetString()));
        var hover = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri }, position = new { line = 1, character = 2 } });
        Assert.Contains("region", hover.GetProperty("contents").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SemanticTokens_FullAndRange_AreEncodedWithTheAdvertisedLegend()
    {
        var uri = folder.Uri("tokens/config");
        await client.OpenAsync(uri, Config);

        JsonAssert.Exact("""
            {
              "legend": {
                "tokenTypes": ["keyword", "class", "namespace", "property", "variable", "enumMember", "string", "number", "comment"],
                "tokenModifiers": ["declaration", "defaultLibrary", "deprecated", "thirdParty", "secret"]
              },
              "range": true,
              "full": { "delta": true }
            }
            """, initializeResult.GetProperty("capabilities").GetProperty("semanticTokensProvider"));

        var full = await client.RequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri } });
        Assert.Equal(
        [
            "0:1:7 keyword", "0:9:7 class+declaration",
            "1:0:6 property", "1:9:9 enumMember",
            "3:1:7 keyword", "3:9:1 class+declaration",
            "4:0:14 property", "4:17:7 class",
        ], Decode(full));

        var range = await client.RequestAsync("textDocument/semanticTokens/range", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 4, character = 0 }, end = new { line = 5, character = 0 } },
        });
        Assert.Equal(["4:0:14 property", "4:17:7 class"], Decode(range));
    }

    [Fact]
    public async Task SemanticTokens_DeltaAfterAnEdit_IsOneSmallEditThatGivesTheNewTokens_AndAStaleIdGetsTheWholeFile()
    {
        var uri = folder.Uri("delta/config");
        await client.OpenAsync(uri, Config);
        var full = await client.RequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri } });
        var resultId = full.GetProperty("resultId").GetString();
        var data = full.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()).ToList();

        // A line added inside the first profile: its tokens arrive as one edit, and the tokens after it only move.
        await client.ChangeAsync(uri, 2, (2, 0, 2, 0, "output = json\r\n"));
        var delta = await client.RequestAsync("textDocument/semanticTokens/full/delta", new { textDocument = new { uri }, previousResultId = resultId });
        Assert.NotEqual(resultId, delta.GetProperty("resultId").GetString());
        Assert.False(delta.TryGetProperty("data", out _));
        var edit = Assert.Single(delta.GetProperty("edits").EnumerateArray().ToArray());
        var start = edit.GetProperty("start").GetInt32();
        // Only the edited profile's four tokens are replaced, plus the first token after them (its line moved); the
        // second profile's other tokens are not sent again.
        Assert.Equal((0, 5 * 5, 7 * 5), (start, edit.GetProperty("deleteCount").GetInt32(), edit.GetProperty("data").GetArrayLength()));
        data.RemoveRange(start, edit.GetProperty("deleteCount").GetInt32());
        data.InsertRange(start, edit.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()));
        string[] expected =
        [
            "0:1:7 keyword", "0:9:7 class+declaration",
            "1:0:6 property", "1:9:9 enumMember",
            "2:0:6 property", "2:9:4 enumMember",
            "4:1:7 keyword", "4:9:1 class+declaration",
            "5:0:14 property", "5:17:7 class",
        ];
        Assert.Equal(expected, Decode(JsonDocument.Parse($"{{\"data\": [{string.Join(",", data)}]}}").RootElement));

        // Nothing changed since: no edits.
        var same = await client.RequestAsync("textDocument/semanticTokens/full/delta", new { textDocument = new { uri }, previousResultId = delta.GetProperty("resultId").GetString() });
        Assert.Empty(same.GetProperty("edits").EnumerateArray());

        // An id the server does not hold (the client lost track, or the server restarted): the whole file.
        var stale = await client.RequestAsync("textDocument/semanticTokens/full/delta", new { textDocument = new { uri }, previousResultId = "not-an-id" });
        Assert.False(stale.TryGetProperty("edits", out _));
        Assert.Equal(expected, Decode(stale));
    }

    [Fact]
    public async Task SemanticTokens_OfAHugeFile_AreComputedInSlices_SoACancelOrAnEditSentRightAfterIsHeard()
    {
        var text = string.Concat(Enumerable.Range(0, 40_000).Select(i =>
            $"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{(i + 1) % 40_000}\nregion = eu-west-1\n\n"));
        // Each attempt opens a fresh document, so its first request tokenizes all 40k sections (tens of slices). A server
        // that computed them in one go never sees the cancel or the edit before answering; one that yields between slices
        // does, unless a loaded machine kept the message reader from running for the whole computation: hence up to
        // three attempts, of which one must show each behaviour.
        var cancelledOnce = false;
        var editSeenOnce = false;
        for (var attempt = 0; attempt < 3 && !(cancelledOnce && editSeenOnce); attempt++)
        {
            var uri = folder.Uri($"huge{attempt}/config");
            await client.OpenAsync(uri, text);
            var cancelled = await client.SendRawRequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri } });
            await client.NotifyAsync("$/cancelRequest", new { id = cancelled });
            var first = await client.ResponseAsync(cancelled, TimeSpan.FromSeconds(30));
            cancelledOnce |= first.Error?.Code == -32800;

            var other = folder.Uri($"huge{attempt}b/config");
            await client.OpenAsync(other, text);
            var tokens = await client.SendRawRequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri = other } });
            await client.ChangeAsync(other, 2, (0, 0, 0, 0, "# top\n"));
            // The whole file's tokens (2 million integers) after a 40k-section open: slow on a machine running the
            // rest of the suite beside it, and this test is about what the answer holds, not how fast it comes.
            var all = await client.ResponseAsync(tokens, TimeSpan.FromSeconds(30));
            Assert.Null(all.Error);
            // Per profile: header (2), role_arn (key + 3 ARN parts), source_profile (2), region (2); one more for "# top".
            var data = all.Result!.Value.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
            if (data.Length == (1 + 40_000 * 10) * 5)
            {
                Assert.Equal([0u, 0u, 5u, 8u, 0u], data[..5]);
                editSeenOnce = true;
            }
            else
            {
                Assert.Equal(40_000 * 10 * 5, data.Length);
            }
        }
        Assert.True(cancelledOnce, "the server never heard a cancel sent right after the request");
        Assert.True(editSeenOnce, "the server never took an edit sent right after the request into its answer");
    }

    [Fact]
    public async Task Hover_OnKeysAndValues_DocumentsThemAndNeverShowsSecrets()
    {
        var config = folder.Uri("hover/config");
        var credentials = folder.Uri("hover/credentials");
        await client.OpenAsync(config, Config);
        await client.OpenAsync(credentials, Credentials, languageId: "awscredentials");

        var key = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = config }, position = new { line = 1, character = 2 } });
        JsonAssert.Subset("""
            {
              "contents": { "kind": "markdown", "value": "<any>" },
              "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 6 } }
            }
            """, key);
        Assert.StartsWith("**`region`**:", key.GetProperty("contents").GetProperty("value").GetString());

        var region = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = config }, position = new { line = 1, character = 12 } });
        Assert.Equal("**eu-west-3**: Europe (Paris)\n", region.GetProperty("contents").GetProperty("value").GetString());

        var accessKey = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = credentials }, position = new { line = 1, character = 25 } });
        Assert.StartsWith("**Access key ID** `AKIA****WXYZ`", accessKey.GetProperty("contents").GetProperty("value").GetString());

        var secret = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = credentials }, position = new { line = 2, character = 30 } });
        Assert.Equal(JsonValueKind.Null, secret.ValueKind);

        // The profile's hover names its static keys' file, never the keys.
        var profile = await client.RequestAsync("textDocument/hover", new { textDocument = new { uri = config }, position = new { line = 3, character = 10 } });
        var markdown = profile.GetProperty("contents").GetProperty("value").GetString()!;
        Assert.Contains("static keys", markdown);
        Assert.DoesNotContain("AKIAZZZZTESTKEY1WXYZ", markdown);
        Assert.DoesNotContain("s3cr3t", markdown);
    }

    /// <summary>Decodes the relative array into "line:column:length type+modifier" strings, through the advertised legend.</summary>
    private string[] Decode(JsonElement semanticTokens)
    {
        var legend = initializeResult.GetProperty("capabilities").GetProperty("semanticTokensProvider").GetProperty("legend");
        var types = legend.GetProperty("tokenTypes").EnumerateArray().Select(t => t.GetString()).ToArray();
        var modifiers = legend.GetProperty("tokenModifiers").EnumerateArray().Select(t => t.GetString()).ToArray();
        var data = semanticTokens.GetProperty("data").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        var result = new List<string>();
        var line = 0;
        var character = 0;
        for (var i = 0; i < data.Length; i += 5)
        {
            line += (int)data[i];
            character = data[i] == 0 ? character + (int)data[i + 1] : (int)data[i + 1];
            var names = Enumerable.Range(0, modifiers.Length).Where(bit => (data[i + 4] & (1u << bit)) != 0).Select(bit => "+" + modifiers[bit]);
            result.Add($"{line}:{character}:{data[i + 2]} {types[data[i + 3]]}{string.Concat(names)}");
        }
        return [.. result];
    }
}
