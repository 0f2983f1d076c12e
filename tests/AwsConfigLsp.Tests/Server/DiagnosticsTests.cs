using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>publishDiagnostics after didOpen and didChange: content, ranges, versions and debouncing.</summary>
public sealed class DiagnosticsTests : InMemoryServerTest
{
    private const string LoopConfig = """
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = b

        [profile b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = a

        """;

    [Fact]
    public async Task DidOpen_ConfigWithLoop_PublishesLoopOnBothSourceProfileLinesWithRelatedInformation()
    {
        var uri = Folder.Uri("work/config");

        await Client.OpenAsync(uri, LoopConfig, version: 7);
        var published = await Client.NextDiagnosticsAsync(uri);

        JsonAssert.Exact($$"""
            {
              "uri": "{{uri}}",
              "version": 7,
              "diagnostics": [
                {
                  "range": { "start": { "line": 2, "character": 17 }, "end": { "line": 2, "character": 18 } },
                  "severity": 1,
                  "code": "source-profile-loop",
                  "source": "awsconfig",
                  "message": "<any>",
                  "codeDescription": { "href": "https://github.com/awsconfig-lsp/awsconfig-lsp/blob/main/docs/rules.md#source-profile-loop" },
                  "relatedInformation": [
                    {
                      "location": { "uri": "{{uri}}", "range": { "start": { "line": 6, "character": 17 }, "end": { "line": 6, "character": 18 } } },
                      "message": "another source_profile of the loop"
                    }
                  ]
                },
                {
                  "range": { "start": { "line": 6, "character": 17 }, "end": { "line": 6, "character": 18 } },
                  "severity": 1,
                  "code": "source-profile-loop",
                  "source": "awsconfig",
                  "message": "<any>",
                  "codeDescription": { "href": "https://github.com/awsconfig-lsp/awsconfig-lsp/blob/main/docs/rules.md#source-profile-loop" },
                  "relatedInformation": [
                    {
                      "location": { "uri": "{{uri}}", "range": { "start": { "line": 2, "character": 17 }, "end": { "line": 2, "character": 18 } } },
                      "message": "another source_profile of the loop"
                    }
                  ]
                }
              ]
            }
            """, published);
        foreach (var diagnostic in published.GetProperty("diagnostics").EnumerateArray())
        {
            Assert.StartsWith("source_profile references form a loop; `aws --profile a` fails with: Infinite loop in credential configuration detected.",
                diagnostic.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task DidChange_IncrementalEditThatBreaksTheLoop_RepublishesEmptyDiagnosticsForTheNewVersion()
    {
        var uri = Folder.Uri("work/config");
        await Client.OpenAsync(uri, LoopConfig);
        Assert.Equal(2, (await Client.NextDiagnosticsAsync(uri, version: 1)).GetArrayLength());

        // "source_profile = a" in [profile b] becomes "credential_source = Environment".
        await Client.ChangeAsync(uri, 2, (6, 0, 6, 18, "credential_source = Environment"));

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(uri, version: 2));
    }

    [Fact]
    public async Task DidChange_EditThatCreatesAnError_PublishesItWithTheNewVersion()
    {
        var uri = Folder.Uri("work/config");
        await Client.OpenAsync(uri, "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\ncredential_source = Environment\n");
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(uri, version: 1));

        await Client.ChangeAsync(uri, 2, (2, 20, 2, 31, "environment"));

        JsonAssert.Subset("""
            [{ "range": { "start": { "line": 2, "character": 20 }, "end": { "line": 2, "character": 31 } }, "code": "invalid-credential-source" }]
            """, await Client.NextDiagnosticsAsync(uri, version: 2));
    }

    [Fact]
    public async Task DidChange_RapidEdits_PublishOnceForTheLastVersionAndContent()
    {
        // Its own server with a delay far above the time between the edits below, so that "once" is certain even on a
        // busy machine; the edits also go out in one write, so the server reads them back to back.
        await using var debounced = LspTestClient.StartInMemory(LspTestClient.Options(Folder.Combine("cli"), TimeSpan.FromMilliseconds(300)));
        await debounced.InitializeAsync();
        var uri = Folder.Uri("debounce/config");
        await debounced.OpenAsync(uri, "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = s0\n");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await debounced.NextDiagnosticsAsync(uri, version: 1));

        var batch = new StringBuilder();
        for (var version = 2; version <= 6; version++)
        {
            batch.Append(Frame(new
            {
                jsonrpc = "2.0",
                method = "textDocument/didChange",
                @params = new
                {
                    textDocument = new { uri, version },
                    contentChanges = new[]
                    {
                        new { range = new { start = new { line = 2, character = 17 }, end = new { line = 2, character = 19 } }, text = $"s{version - 1}" },
                    },
                },
            }));
        }
        await debounced.WriteRawAsync(batch.ToString());

        // The first publish after the edits is the last version's: no intermediate version was published before it.
        var diagnostics = await debounced.NextDiagnosticsAsync(uri, version: 6);
        JsonAssert.Exact("""
            [{
              "range": { "start": { "line": 2, "character": 17 }, "end": { "line": 2, "character": 19 } },
              "severity": 1, "code": "source-profile-not-found", "source": "awsconfig", "message": "<any>", "codeDescription": "<any>"
            }]
            """, diagnostics);
        Assert.Contains("s5", diagnostics[0].GetProperty("message").GetString());
        Assert.Equal(0, debounced.UnreadDiagnosticsCount(uri));
    }

    [Fact]
    public async Task DidChange_RangesCountUtf16UnitsAndCrlfLineBreaks()
    {
        var uri = Folder.Uri("crlf/config");
        // Line 6 holds a non-BMP character (two UTF-16 units) before the edited position; every line ends with CRLF.
        // The source's credentials come from a process, so the file has no static keys to advise about.
        var text = "[profile 😀b]\r\ncredential_process = /bin/true\r\nca_bundle = /etc/ssl/ca-12.pem\r\n\r\n"
            + "[profile ü]\r\nrole_arn = arn:aws:iam::123456789012:role/u\r\nsource_profile = 😀x\r\n";
        await Client.OpenAsync(uri, text);
        JsonAssert.Subset("""
            [{ "range": { "start": { "line": 6, "character": 17 }, "end": { "line": 6, "character": 20 } }, "code": "source-profile-not-found" }]
            """, await Client.NextDiagnosticsAsync(uri, version: 1));

        // Character 19 is after the surrogate pair: "x" becomes "b", so the source is "😀b", which exists.
        await Client.ChangeAsync(uri, 2, (6, 19, 6, 20, "b"));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(uri, version: 2));

        // Two edits in one notification apply in order: insert a CRLF line at the top of [profile ü], then edit the
        // source_profile value, which the first edit moved from line 6 to line 7.
        await Client.ChangeAsync(uri, 3,
            (5, 0, 5, 0, "region = eu-west-1\r\n"),
            (7, 17, 7, 20, "nope"));
        JsonAssert.Subset("""
            [{ "range": { "start": { "line": 7, "character": 17 }, "end": { "line": 7, "character": 21 } }, "code": "source-profile-not-found" }]
            """, await Client.NextDiagnosticsAsync(uri, version: 3));

        // Deleting across a CRLF joins two lines: [profile ü]'s role_arn line goes, and the profile loses its role.
        await Client.ChangeAsync(uri, 4, (6, 0, 7, 0, ""));
        var outline = await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        JsonAssert.Subset("""
            [
              { "name": "😀b", "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 2, "character": 30 } } },
              { "name": "ü", "children": [
                  { "name": "region", "range": { "start": { "line": 5, "character": 0 } } },
                  { "name": "source_profile", "detail": "nope", "range": { "start": { "line": 6, "character": 0 }, "end": { "line": 6, "character": 21 } } }
                ] }
            ]
            """, outline);
    }

    [Fact]
    public async Task DidChange_FullTextReplacement_Republishes()
    {
        var uri = Folder.Uri("work/config");
        await Client.OpenAsync(uri, LoopConfig);
        await Client.NextDiagnosticsAsync(uri, version: 1);

        await Client.ReplaceAsync(uri, 2, "[profile a]\ncredential_source = Environment\nrole_arn = arn:aws:iam::123456789012:role/a\n");

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(uri, version: 2));
    }

    [Fact]
    public async Task DidClose_ClearsTheDocumentsDiagnostics()
    {
        var uri = Folder.Uri("work/config");
        await Client.OpenAsync(uri, LoopConfig);
        await Client.NextDiagnosticsAsync(uri, version: 1);

        await Client.CloseAsync(uri);

        var cleared = await Client.NextDiagnosticsAsync(uri);
        JsonAssert.Exact($$"""{ "uri": "{{uri}}", "diagnostics": [] }""", cleared);
    }

    private static string Frame(object message)
    {
        var body = JsonSerializer.Serialize(message);
        return $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }
}
