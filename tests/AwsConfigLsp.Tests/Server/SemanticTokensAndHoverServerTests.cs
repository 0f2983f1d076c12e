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
              "full": true
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
