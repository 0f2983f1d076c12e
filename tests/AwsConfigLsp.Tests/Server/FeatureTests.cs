using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Server;

/// <summary>textDocument/documentSymbol and textDocument/foldingRange through the server.</summary>
public sealed class FeatureTests : InMemoryServerTest
{
    [Fact]
    public async Task DocumentSymbol_ConfigOutline_HasProfilesSessionsServicesAndTheirKeys()
    {
        var uri = Folder.Uri("outline/config");
        await Client.OpenAsync(uri, """
            [default]
            region = us-east-1

            [profile dev]
            role_arn = arn:aws:iam::123456789012:role/dev
            source_profile = default
            aws_session_token = FQoGZXIvYXdzEBYaDHhBTEXAMPLE
            s3 =
                addressing_style = path
                signature_version = s3v4

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1

            [services local]
            s3 =
              endpoint_url = http://localhost:4566

            [plugins]
            cli_legacy_plugin_path = /opt/plugins
            """);

        var outline = await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });

        JsonAssert.Exact("""
            [
              {
                "name": "default", "kind": 5, "detail": "profile",
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 18 } },
                "selectionRange": { "start": { "line": 0, "character": 1 }, "end": { "line": 0, "character": 8 } },
                "children": [
                  { "name": "region", "kind": 7, "detail": "us-east-1",
                    "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 18 } },
                    "selectionRange": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 6 } } }
                ]
              },
              {
                "name": "dev", "kind": 5, "detail": "profile",
                "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 9, "character": 28 } },
                "selectionRange": "<any>",
                "children": [
                  { "name": "role_arn", "kind": 7, "detail": "arn:aws:iam::123456789012:role/dev", "range": "<any>", "selectionRange": "<any>" },
                  { "name": "source_profile", "kind": 7, "detail": "default", "range": "<any>", "selectionRange": "<any>" },
                  { "name": "aws_session_token", "kind": 7, "detail": "****", "range": "<any>", "selectionRange": "<any>" },
                  { "name": "s3", "kind": 7, "detail": "{...}",
                    "range": { "start": { "line": 7, "character": 0 }, "end": { "line": 9, "character": 28 } },
                    "selectionRange": { "start": { "line": 7, "character": 0 }, "end": { "line": 7, "character": 2 } } }
                ]
              },
              {
                "name": "corp", "kind": 11, "detail": "sso-session", "range": "<any>", "selectionRange": "<any>",
                "children": [
                  { "name": "sso_start_url", "kind": 7, "detail": "https://corp.awsapps.com/start", "range": "<any>", "selectionRange": "<any>" },
                  { "name": "sso_region", "kind": 7, "detail": "us-east-1", "range": "<any>", "selectionRange": "<any>" }
                ]
              },
              {
                "name": "local", "kind": 3, "detail": "services", "range": "<any>", "selectionRange": "<any>",
                "children": [ { "name": "s3", "kind": 7, "detail": "{...}", "range": "<any>", "selectionRange": "<any>" } ]
              },
              {
                "name": "[plugins]", "kind": 2, "detail": "ignored by the CLI", "range": "<any>", "selectionRange": "<any>",
                "children": [ { "name": "cli_legacy_plugin_path", "kind": 7, "detail": "/opt/plugins", "range": "<any>", "selectionRange": "<any>" } ]
              }
            ]
            """, outline);
        AssertRangesNest(outline);
    }

    [Fact]
    public async Task DocumentSymbol_Credentials_MasksSecretValues()
    {
        var uri = Folder.Uri("outline/credentials");
        await Client.OpenAsync(uri, """
            [default]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            aws_session_token = IQoJb3JpZ2luX2VjEXAMPLETOKEN
            aws_security_token = IQoJb3JpZ2luX2VjEXAMPLETOKEN
            """, "awscredentials");

        var outline = await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });

        JsonAssert.Subset("""
            [{ "name": "default", "kind": 5, "children": [
              { "name": "aws_access_key_id", "detail": "AKIA****MPLE" },
              { "name": "aws_secret_access_key", "detail": "****" },
              { "name": "aws_session_token", "detail": "****" },
              { "name": "aws_security_token", "detail": "****" }
            ] }]
            """, outline);
        var raw = outline.GetRawText();
        Assert.DoesNotContain("wJalrXUtnFEMI", raw);
        Assert.DoesNotContain("IQoJb3JpZ2luX2Vj", raw);
        AssertRangesNest(outline);
    }

    [Fact]
    public async Task DocumentSymbol_DocumentThatIsNotOpen_ReturnsAnEmptyList()
    {
        var outline = await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = Folder.Uri("nowhere/config") } });

        JsonAssert.Exact("[]", outline);
    }

    [Fact]
    public async Task FoldingRange_FoldsSectionsNestedBlocksAndCommentRuns()
    {
        var uri = Folder.Uri("folding/config");
        await Client.OpenAsync(uri, """
            # Managed by hand.
            # Keep sorted.
            [default]
            region = us-east-1

            [profile dev]
            s3 =
                addressing_style = path
                signature_version = s3v4
            # first
            # second
            region = eu-west-1

            """);

        var ranges = await Client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } });

        var sorted = ranges.EnumerateArray()
            .Select(range => (Start: range.GetProperty("startLine").GetInt32(), End: range.GetProperty("endLine").GetInt32(), Kind: range.GetProperty("kind").GetString()))
            .OrderBy(range => range.Start).ThenBy(range => range.End)
            .ToList();
        Assert.Equal(
            [(0, 1, "comment"), (2, 3, "region"), (5, 11, "region"), (6, 8, "region"), (9, 10, "comment")],
            sorted);
    }

    /// <summary>Every selectionRange lies in its range, and every child's range in its parent's (clients rely on both).</summary>
    private static void AssertRangesNest(JsonElement symbols, JsonElement? parent = null)
    {
        foreach (var symbol in symbols.EnumerateArray())
        {
            var range = symbol.GetProperty("range");
            var name = symbol.GetProperty("name").GetString();
            if (!Contains(range, symbol.GetProperty("selectionRange"))) throw new XunitException($"The selectionRange of {name} is outside its range.");
            if (parent is { } outer && !Contains(outer, range)) throw new XunitException($"The range of {name} is outside its parent's: {range} in {outer}.");
            if (symbol.TryGetProperty("children", out var children)) AssertRangesNest(children, range);
        }
    }

    private static bool Contains(JsonElement outer, JsonElement inner) =>
        Compare(outer.GetProperty("start"), inner.GetProperty("start")) <= 0 && Compare(inner.GetProperty("end"), outer.GetProperty("end")) <= 0;

    private static int Compare(JsonElement a, JsonElement b)
    {
        var line = a.GetProperty("line").GetInt32().CompareTo(b.GetProperty("line").GetInt32());
        return line != 0 ? line : a.GetProperty("character").GetInt32().CompareTo(b.GetProperty("character").GetInt32());
    }
}
