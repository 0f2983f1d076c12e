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
