using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// textDocument/codeAction over JSON-RPC: the quick fixes diagnostics carry, <c>source.fixAll.awsconfig</c>, and the
/// shape of the edit (<c>documentChanges</c> when the client says it supports them, else <c>changes</c>).
/// </summary>
public sealed class CodeActionTests : IAsyncLifetime
{
    // "Region" repeats "region" (keys are case-insensitive): configparser rejects the file. CRLF, and a header outside ASCII.
    private const string DuplicateKey =
        "[profile 開発-admin]\r\nregion = eu-west-1\r\nrole_arn = arn:aws:iam::123456789012:role/admin\r\nRegion = us-east-1\r\ncredential_source = Environment\r\n";

    private const string TwoDuplicates = DuplicateKey + "\r\n[profile 😀-ops]\r\noutput = json\r\nrole_arn = arn:aws:iam::123456789012:role/ops\r\noutput = text\r\ncredential_source = Environment\r\n";

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string uri = null!;

    public async Task InitializeAsync()
    {
        client = await StartAsync(documentChanges: false);
        uri = folder.Uri("home/.aws/config");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    private async Task<LspTestClient> StartAsync(bool documentChanges)
    {
        var started = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await started.InitializeAsync(documentChanges ? new { workspace = new { workspaceEdit = new { documentChanges = true } } } : null);
        return started;
    }

    private Task<JsonElement> CodeActionAsync(LspTestClient on, int startLine, int startCharacter, int endLine, int endCharacter, string[]? only = null, object[]? diagnostics = null) =>
        on.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = startLine, character = startCharacter }, end = new { line = endLine, character = endCharacter } },
            context = new { diagnostics = diagnostics ?? [], only },
        });

    [Fact]
    public async Task CodeAction_OnADuplicateKey_OffersThePreferredFixThatRemovesTheLaterLine()
    {
        await client.OpenAsync(uri, DuplicateKey);
        var published = await client.NextDiagnosticsAsync(uri, version: 1);
        var diagnostic = published.EnumerateArray().Single(d => d.GetProperty("code").GetString() == "duplicate-key");

        var actions = await CodeActionAsync(client, 3, 2, 3, 2);

        JsonAssert.Subset($$"""
            [
              {
                "title": "Remove this duplicate line",
                "kind": "quickfix",
                "isPreferred": true,
                "diagnostics": [{{diagnostic.GetRawText()}}],
                "edit": { "changes": { "{{uri}}": [
                  { "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 4, "character": 0 } }, "newText": "" }
                ] } }
              },
              { "title": "Fix all auto-fixable problems", "kind": "source.fixAll.awsconfig" }
            ]
            """, actions);
        Assert.False(actions[0].GetProperty("edit").TryGetProperty("documentChanges", out _));
        var fixedText = LspText.Apply(DuplicateKey, actions[0].GetProperty("edit").GetProperty("changes").GetProperty(uri));
        Assert.Equal("[profile 開発-admin]\r\nregion = eu-west-1\r\nrole_arn = arn:aws:iam::123456789012:role/admin\r\ncredential_source = Environment\r\n", fixedText);

        // The fixed text is clean, and offers nothing more.
        await client.ReplaceAsync(uri, 2, fixedText);
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(uri, version: 2));
        JsonAssert.Exact("[]", await CodeActionAsync(client, 0, 0, 4, 0));
    }

    [Fact]
    public async Task CodeAction_ClientWithDocumentChanges_GetsTextDocumentEdits()
    {
        await using var versioned = await StartAsync(documentChanges: true);
        await versioned.OpenAsync(uri, DuplicateKey, version: 5);
        await versioned.NextDiagnosticsAsync(uri, version: 5);

        var actions = await CodeActionAsync(versioned, 3, 0, 3, 18, only: ["quickfix"]);

        JsonAssert.Exact($$"""
            [{
              "title": "Remove this duplicate line",
              "kind": "quickfix",
              "isPreferred": true,
              "diagnostics": "<any>",
              "edit": { "documentChanges": [{
                "textDocument": { "uri": "{{uri}}", "version": null },
                "edits": [{ "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 4, "character": 0 } }, "newText": "" }]
              }] }
            }]
            """, actions);
    }

    [Theory]
    [InlineData("source.fixAll.awsconfig")]
    [InlineData("source.fixAll")]
    [InlineData("source")]
    public async Task CodeAction_FixAll_AppliesEveryPreferredFixOfTheFile(string kind)
    {
        await client.OpenAsync(uri, TwoDuplicates);
        await client.NextDiagnosticsAsync(uri, version: 1);

        // A fix-all request comes for the whole file, or for the cursor: the range does not limit it.
        var actions = await CodeActionAsync(client, 0, 0, 0, 0, only: [kind]);

        JsonAssert.Subset("""[{ "title": "Fix all auto-fixable problems", "kind": "source.fixAll.awsconfig" }]""", actions);
        Assert.False(actions[0].TryGetProperty("isPreferred", out _));
        var fixedText = LspText.Apply(TwoDuplicates, actions[0].GetProperty("edit").GetProperty("changes").GetProperty(uri));
        Assert.Equal(
            "[profile 開発-admin]\r\nregion = eu-west-1\r\nrole_arn = arn:aws:iam::123456789012:role/admin\r\ncredential_source = Environment\r\n"
            + "\r\n[profile 😀-ops]\r\noutput = json\r\nrole_arn = arn:aws:iam::123456789012:role/ops\r\ncredential_source = Environment\r\n",
            fixedText);
    }

    [Fact]
    public async Task CodeAction_FixAllWithDocumentChanges_GetsOneTextDocumentEdit()
    {
        await using var versioned = await StartAsync(documentChanges: true);
        await versioned.OpenAsync(uri, TwoDuplicates);

        var actions = await CodeActionAsync(versioned, 0, 0, 0, 0, only: ["source.fixAll.awsconfig"]);

        JsonAssert.Subset($$"""
            [{ "kind": "source.fixAll.awsconfig", "edit": { "documentChanges": [{ "textDocument": { "uri": "{{uri}}", "version": null }, "edits": [{}, {}] }] } }]
            """, actions);
    }

    [Fact]
    public async Task CodeAction_RangeWithoutDiagnostics_ReturnsNothing()
    {
        await client.OpenAsync(uri, DuplicateKey);
        await client.NextDiagnosticsAsync(uri, version: 1);

        JsonAssert.Exact("[]", await CodeActionAsync(client, 0, 0, 0, 5));
        JsonAssert.Exact("[]", await CodeActionAsync(client, 1, 0, 1, 3, only: ["quickfix"]));
        JsonAssert.Exact("[]", await CodeActionAsync(client, 3, 0, 3, 5, only: ["refactor"]));
    }

    [Fact]
    public async Task CodeAction_ADocumentWithNothingToFix_OffersNoFixAll()
    {
        await client.OpenAsync(uri, "[profile a]\r\nregion = eu-west-1\r\n");

        JsonAssert.Exact("[]", await CodeActionAsync(client, 0, 0, 1, 0, only: ["source.fixAll.awsconfig"]));
    }

    [Fact]
    public async Task CodeAction_ContextWithDiagnosticsOfOtherServers_IsAnsweredAsUsual()
    {
        // The client sends back every diagnostic under the range, whatever produced it; LSP allows integer codes and
        // leaves severity and source optional.
        await client.OpenAsync(uri, DuplicateKey);
        var foreign = new object[]
        {
            new { range = new { start = new { line = 3, character = 0 }, end = new { line = 3, character = 6 } }, message = "Unknown word (Regiom)", code = 42, source = "cSpell" },
            new { range = new { start = new { line = 3, character = 0 }, end = new { line = 3, character = 6 } }, message = "no severity, no code" },
        };

        var actions = await CodeActionAsync(client, 3, 0, 3, 6, only: ["quickfix"], diagnostics: foreign);

        JsonAssert.Subset("""[{ "title": "Remove this duplicate line", "kind": "quickfix" }]""", actions);
    }
}
