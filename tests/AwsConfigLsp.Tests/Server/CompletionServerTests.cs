using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>textDocument/completion through the server: capabilities, the JSON of items, UTF-16 positions, both files of a pair.</summary>
public sealed class CompletionServerTests : IAsyncLifetime
{
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

    private Task<JsonElement> CompleteAsync(string uri, int line, int character) =>
        client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line, character } });

    [Fact]
    public void Initialize_AdvertisesCompletionWithItsTriggerCharacters()
    {
        JsonAssert.Subset("""{ "capabilities": { "completionProvider": { "triggerCharacters": ["=", " ", "[", ":", "/"] } } }""", initializeResult);
    }

    [Fact]
    public async Task SourceProfile_OffersProfilesOfTheCredentialsFileAndReplacesTheTypedNameInUtf16Columns()
    {
        // The static profile lives in the credentials file on disk; the config buffer has CRLF line breaks and a name
        // outside the BMP, so "🚀r" before the cursor is three UTF-16 code units.
        folder.Write("pair/credentials", "[🚀rocket]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n");
        var uri = folder.Uri("pair/config");
        await client.OpenAsync(uri, "[profile new]\r\nrole_arn = arn:aws:iam::111111111111:role/New\r\nsource_profile = 🚀r\r\n");

        var list = await CompleteAsync(uri, 2, "source_profile = 🚀r".Length);

        JsonAssert.Exact("""
            {
              "isIncomplete": false,
              "items": [
                {
                  "label": "🚀rocket", "kind": 18, "detail": "static", "sortText": "0", "insertTextFormat": 1,
                  "documentation": { "kind": "markdown", "value": "<any>" },
                  "textEdit": {
                    "range": { "start": { "line": 2, "character": 17 }, "end": { "line": 2, "character": 20 } },
                    "newText": "🚀rocket"
                  }
                }
              ]
            }
            """, list);
    }

    [Fact]
    public async Task SourceProfile_ForAClientThatResolvesLazily_LeavesEachProfilesChainToCompletionItemResolve()
    {
        await using var lazy = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli-lazy")));
        var initialize = await lazy.InitializeAsync(new
        {
            textDocument = new { completion = new { completionItem = new { resolveSupport = new { properties = new[] { "documentation", "detail", "additionalTextEdits" } } } } },
        });
        JsonAssert.Subset("""{ "capabilities": { "completionProvider": { "resolveProvider": true } } }""", initialize);
        folder.Write("lazy/credentials", "[🚀rocket]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n");
        var uri = folder.Uri("lazy/config");
        await lazy.OpenAsync(uri, "[profile new]\nrole_arn = arn:aws:iam::111111111111:role/New\nsource_profile = \n\n"
            + "[profile hop]\nrole_arn = arn:aws:iam::111111111111:role/Hop\nsource_profile = 🚀rocket\n\n"
            + "[profile broken]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = missing\n");

        var list = await lazy.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 2, character = 17 } });
        var items = list.GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("label").GetString()!);
        Assert.Equal(["broken", "hop", "🚀rocket"], items.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var item in items.Values)
        {
            Assert.False(item.TryGetProperty("detail", out _));
            Assert.False(item.TryGetProperty("documentation", out _));
        }

        // The item the user looks at gets its chain when the client resolves it: the same words an eager client gets.
        var eagerText = "[profile new]\nrole_arn = arn:aws:iam::111111111111:role/New\nsource_profile = \n\n"
            + "[profile hop]\nrole_arn = arn:aws:iam::111111111111:role/Hop\nsource_profile = 🚀rocket\n\n"
            + "[profile broken]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = missing\n";
        await client.OpenAsync(uri, eagerText);
        var eager = (await CompleteAsync(uri, 2, 17)).GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("label").GetString()!);
        Assert.Equal(items.Keys.Order(StringComparer.Ordinal), eager.Keys.Order(StringComparer.Ordinal));
        Assert.All(eager.Values, item => Assert.True(item.TryGetProperty("detail", out _)));
        foreach (var (label, item) in items)
        {
            var resolved = await lazy.RequestAsync("completionItem/resolve", item);
            Assert.Equal(item.GetProperty("textEdit").GetRawText(), resolved.GetProperty("textEdit").GetRawText());
            Assert.NotEmpty(resolved.GetProperty("detail").GetString()!);
            Assert.Equal(eager[label].GetProperty("detail").GetString(), resolved.GetProperty("detail").GetString());
            Assert.Equal(eager[label].GetProperty("documentation").GetRawText(), resolved.GetProperty("documentation").GetRawText());
        }
        var broken = await lazy.RequestAsync("completionItem/resolve", items["broken"]);
        Assert.Equal("fails: source-profile-not-found", broken.GetProperty("detail").GetString());
        Assert.StartsWith("**The AWS CLI fails:**", broken.GetProperty("documentation").GetProperty("value").GetString());

        // An item of no known profile (the file changed meanwhile) comes back as it was sent.
        await lazy.ChangeAsync(uri, 2, (8, 0, 10, 0, ""));
        var gone = await lazy.RequestAsync("completionItem/resolve", items["broken"]);
        Assert.False(gone.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task HeaderAndKeyItems_CarrySnippetsTagsAndMarkdown()
    {
        var uri = folder.Uri("keys/config");
        await client.OpenAsync(uri, "[profile a]\nimds\n[");

        var headers = await CompleteAsync(uri, 2, 1);
        var mfaProfile = headers.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("label").GetString() == "profile … (new role profile with MFA)");
        JsonAssert.Subset("""
            {
              "kind": 15, "insertTextFormat": 2, "filterText": "profile role mfa",
              "textEdit": {
                "range": { "start": { "line": 2, "character": 1 }, "end": { "line": 2, "character": 1 } },
                "newText": "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\nmfa_serial = arn:aws:iam::${5:account}:mfa/${6:user}\n"
              }
            }
            """, mfaProfile);

        var keys = await CompleteAsync(uri, 1, 4);
        var deprecated = keys.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("label").GetString() == "imds_use_ipv6");
        JsonAssert.Subset("""
            {
              "kind": 10, "tags": [1], "insertTextFormat": 1, "detail": "Boolean",
              "documentation": { "kind": "markdown" },
              "textEdit": {
                "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 4 } },
                "newText": "imds_use_ipv6 = "
              }
            }
            """, deprecated);
        Assert.Contains("Read by:", deprecated.GetProperty("documentation").GetProperty("value").GetString());
    }
}
