using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>Which documents the server treats as a config or a credentials file, by language id and file name.</summary>
public sealed class LanguageIdTests : InMemoryServerTest
{
    // A section of static keys with the secret missing: an error in a credentials file, where [half] is a profile,
    // and nothing in a config file, where a section without "profile " is not one.
    private const string HalfKeys = "[half]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";

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

        await Client.OpenAsync(uri, HalfKeys, languageId);

        var diagnostics = await Client.NextDiagnosticsAsync(uri, version: 1);
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
        await Client.OpenAsync(uri, "[metadata]\nname = demo\nnot a key value line\n" + HalfKeys, languageId);

        // A document of ours opened afterwards is a barrier: its publish comes after anything the first open caused.
        var sentinel = Folder.Uri("sentinel/config");
        await Client.OpenAsync(sentinel, "[profile s]\nregion = us-east-1\n", "awsconfig");
        await Client.NextDiagnosticsAsync(sentinel, version: 1);

        Assert.Equal(0, Client.UnreadDiagnosticsCount(uri));
        JsonAssert.Exact("[]", await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }));
        JsonAssert.Exact("[]", await Client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } }));
    }

    private string UriOf(string document) =>
        document.StartsWith("file:", StringComparison.Ordinal) ? Folder.Uri(document["file:".Length..]) : document;
}
