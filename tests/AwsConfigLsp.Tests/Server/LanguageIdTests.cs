using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>Which documents the server treats as a config or a credentials file, by language id and file name.</summary>
public sealed class LanguageIdTests : IAsyncLifetime
{
    // A section of static keys with the secret missing: an error in a credentials file, where [half] is a profile,
    // and nothing in a config file, where a section without "profile " is not one.
    private const string HalfKeys = "[half]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await client.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    [Theory]
    [InlineData("untitled:Untitled-1", "awsconfig", "config")]
    [InlineData("untitled:Untitled-2", "awscredentials", "credentials")]
    [InlineData("file:a/aws-settings.txt", "awsconfig", "config")]
    [InlineData("file:b/anything", "awscredentials", "credentials")]
    [InlineData("file:c/credentials", "awsconfig", "credentials")]
    [InlineData("file:d/config", "ini", "config")]
    [InlineData("file:e/config", "dosini", "config")]
    [InlineData("file:f/config", "confini", "config")]
    [InlineData("file:g/config", "plaintext", "config")]
    [InlineData("file:h/credentials", "ini", "credentials")]
    [InlineData("file:i/credentials", "dosini", "credentials")]
    [InlineData("file:j/credentials", "confini", "credentials")]
    [InlineData("file:k/config", "INI", "config")]
    public async Task DidOpen_DocumentOfOurs_IsAnalysedAsItsKind(string document, string languageId, string expectedKind)
    {
        var uri = UriOf(document);

        await client.OpenAsync(uri, HalfKeys, languageId);

        var diagnostics = await client.NextDiagnosticsAsync(uri, version: 1);
        // In a credentials file [half] is a profile with a partial key pair; in a config file it is a section the CLI ignores.
        var expected = expectedKind == "credentials" ? """[{ "code": "partial-static-credentials" }]""" : """[{ "code": "missing-profile-prefix" }]""";
        JsonAssert.Subset(expected, diagnostics);
    }

    [Theory]
    [InlineData("file:x/setup.cfg", "ini")]
    [InlineData("file:y/config.ini", "ini")]
    [InlineData("file:z/credentials.txt", "dosini")]
    [InlineData("file:w/config", "python")]
    public async Task DidOpen_OtherIniFile_GetsNoDiagnosticsAndIsNotTracked(string document, string languageId)
    {
        var uri = UriOf(document);
        // Enough to make an error in either kind of file: an unparsable line.
        await client.OpenAsync(uri, "[metadata]\nname = demo\nnot a key value line\n" + HalfKeys, languageId);

        // A document of ours opened afterwards is a barrier: its publish comes after anything the first open caused.
        var sentinel = folder.Uri("sentinel/config");
        await client.OpenAsync(sentinel, "[profile s]\nregion = us-east-1\n", "awsconfig");
        await client.NextDiagnosticsAsync(sentinel, version: 1);

        Assert.Equal(0, client.UnreadDiagnosticsCount(uri));
        JsonAssert.Exact("[]", await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }));
        JsonAssert.Exact("[]", await client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } }));
    }

    private string UriOf(string document) =>
        document.StartsWith("file:", StringComparison.Ordinal) ? folder.Uri(document["file:".Length..]) : document;
}
