using System.Text.Json;
using System.Text.RegularExpressions;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// textDocument/formatting and rangeFormatting over JSON-RPC: the edits, applied as an editor applies them, give the
/// formatted text; formatting that text again returns no edits; CRLF files stay CRLF.
/// </summary>
public sealed class FormattingRequestTests : IAsyncLifetime
{
    private const string Messy = "\n\n[default]   \nregion=ap-northeast-1   \noutput :json\n[profile 開発-admin]\nrole_arn   =arn:aws:iam::123456789012:role/admin\n"
        + "source_profile=default\n\n\n\n# the ops role\n[profile 😀-ops]  \nrole_arn = arn:aws:iam::123456789012:role/ops\t\nsource_profile =開発-admin";

    private const string Formatted = "[default]\nregion = ap-northeast-1\noutput: json\n\n[profile 開発-admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n"
        + "source_profile = default\n\n# the ops role\n[profile 😀-ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = 開発-admin\n";

    private static readonly Regex LoneLineFeed = new("(?<!\r)\n");

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string uri = null!;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await client.InitializeAsync();
        uri = folder.Uri("home/.aws/config");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    private Task<JsonElement> FormatAsync() =>
        client.RequestAsync("textDocument/formatting", new { textDocument = new { uri }, options = new { tabSize = 4, insertSpaces = true } });

    private Task<JsonElement> FormatRangeAsync(int startLine, int startCharacter, int endLine, int endCharacter) =>
        client.RequestAsync("textDocument/rangeFormatting", new
        {
            textDocument = new { uri },
            range = new { start = new { line = startLine, character = startCharacter }, end = new { line = endLine, character = endCharacter } },
            options = new { tabSize = 4, insertSpaces = true },
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Formatting_EditsGiveTheFormattedText_AndASecondFormattingReturnsNothing(bool crlf)
    {
        var input = crlf ? Messy.ReplaceLineEndings("\r\n") : Messy;
        var expected = crlf ? Formatted.ReplaceLineEndings("\r\n") : Formatted;
        await client.OpenAsync(uri, input);

        var edits = await FormatAsync();
        var formatted = LspText.Apply(input, edits);

        Assert.Equal(expected, formatted);
        if (crlf) Assert.DoesNotMatch(LoneLineFeed, formatted);
        await client.ReplaceAsync(uri, 2, formatted);
        JsonAssert.Exact("[]", await FormatAsync());
    }

    [Fact]
    public async Task Formatting_CredentialsFile_KeepsSecretsAndValuesAsWritten()
    {
        var credentialsUri = folder.Uri("home/.aws/credentials");
        var input = "[default]\r\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key =  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY  \r\n[ci]\r\n"
            + "aws_access_key_id = AKIAI44QH8DHBEXAMPLE\r\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
        await client.OpenAsync(credentialsUri, input, "awscredentials");

        var edits = await client.RequestAsync("textDocument/formatting", new { textDocument = new { uri = credentialsUri }, options = new { tabSize = 2, insertSpaces = true } });

        Assert.Equal(
            "[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n[ci]\r\n"
            + "aws_access_key_id = AKIAI44QH8DHBEXAMPLE\r\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\r\n",
            LspText.Apply(input, edits));
    }

    [Fact]
    public async Task Formatting_AFormattedFile_ReturnsNoEdits()
    {
        await client.OpenAsync(uri, Formatted.ReplaceLineEndings("\r\n"));

        JsonAssert.Exact("[]", await FormatAsync());
    }

    [Fact]
    public async Task Formatting_ADocumentThatIsNotOpen_ReturnsNoEdits()
    {
        JsonAssert.Exact("[]", await FormatAsync());
    }

    [Fact]
    public async Task RangeFormatting_ChangesOnlyTheLinesInTheRange_AndKeepsCrlf()
    {
        const string input = "[default]\r\nregion=us-east-1\r\n[profile 😀-ops]\r\nsource_profile=default  \r\nrole_arn=arn:aws:iam::123456789012:role/ops\r\n";
        await client.OpenAsync(uri, input);

        // From the middle of the emoji's header line to the middle of the source_profile line.
        var edits = await FormatRangeAsync(2, 11, 3, 5);
        var formatted = LspText.Apply(input, edits);

        Assert.Equal("[default]\r\nregion=us-east-1\r\n\r\n[profile 😀-ops]\r\nsource_profile = default\r\nrole_arn=arn:aws:iam::123456789012:role/ops\r\n", formatted);
        await client.ReplaceAsync(uri, 2, formatted);
        JsonAssert.Exact("[]", await FormatRangeAsync(3, 0, 4, 5));
    }

    [Fact]
    public async Task RangeFormatting_OneLine_TouchesNothingElse()
    {
        const string input = "[default]\nregion=us-east-1\n[profile a]\noutput=json\n";
        await client.OpenAsync(uri, input);

        var edits = await FormatRangeAsync(3, 2, 3, 4);

        Assert.Equal("[default]\nregion=us-east-1\n[profile a]\noutput = json\n", LspText.Apply(input, edits));
        JsonAssert.Exact("""[{ "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 3, "character": 11 } }, "newText": "output = json" }]""", edits);
    }
}
