using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A full session against the real server process with distinctive secrets in both files and in the environment, then
/// every byte the server wrote (each LSP message, <c>window/logMessage</c> and <c>$/logTrace</c> included, and stderr)
/// and everything <c>check</c> / <c>resolve</c> print is scanned for them. Every secret carries the marker
/// <see cref="Marker"/> in its middle, so a partial leak is caught as well as a whole one; masking keeps at most the
/// first and last four characters. The only place a secret may travel is the <c>newText</c> of an edit the user asked
/// for (moving keys from the config file to the credentials file), which the editor applies to its own buffer.
/// </summary>
public sealed class SecretScanTests : IDisposable
{
    public const string Marker = "SCANMARK";

    private const string Config = """
        [default]
        region = us-east-1

        [profile keys-in-config]
        aws_access_key_id = AKIAZZCFGSCANMARK002
        aws_secret_access_key = cfgSecretSCANMARKsecretValue000000000002
        aws_session_token = cfgTokenSCANMARKtokenValue0000000000000000000002

        [profile role]
        role_arn = arn:aws:iam::123456789012:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::123456789012:mfa/alice

        [profile partial]
        aws_secret_access_key = partialSecretSCANMARK00000000000000000003

        [profile broken]
        role_arn = arn:aws:iam::123456789012:role/Broken
        source_profile = nowhere
        """;

    private const string Credentials = """
        [default]
        aws_access_key_id = AKIAZZCREDSCANMARK01
        aws_secret_access_key = credSecretSCANMARKsecretValue00000000001
        aws_session_token = credTokenSCANMARKtokenValue000000000000000000001

        [partial-creds]
        aws_access_key_id = AKIAZZPARTSCANMARK04

        [keys-in-config]
        region = eu-west-1
        """;

    private static readonly Dictionary<string, string> SecretEnvironment = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIAZZENVSCANMARK005",
        ["AWS_SECRET_ACCESS_KEY"] = "envSecretSCANMARKsecretValue000000000005",
        ["AWS_SESSION_TOKEN"] = "envTokenSCANMARKtokenValue00000000000000000005",
    };

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task FullSession_NothingTheServerWrites_ContainsASecret()
    {
        folder.Write("home/.aws/config", Config);
        folder.Write("home/.aws/credentials", Credentials);
        var configUri = folder.Uri("home/.aws/config");
        var credentialsUri = folder.Uri("home/.aws/credentials");
        var session = StdioSession.Start(folder, SecretEnvironment);
        await using (session)
        {
            var client = session.Client;
            client.Settings = """{ "liveLookups": false }""";
            await client.InitializeAsync(new
            {
                workspace = new { configuration = true, executeCommand = new { }, workspaceEdit = new { documentChanges = true } },
                textDocument = new { codeLens = new { }, hover = new { contentFormat = new[] { "markdown" } } },
            });
            await client.NotifyAsync("$/setTrace", new { value = "verbose" });
            await client.OpenAsync(configUri, Config, "awsconfig");
            await client.OpenAsync(credentialsUri, Credentials, "awscredentials");
            await client.NextDiagnosticsAsync(configUri);
            await client.NextDiagnosticsAsync(credentialsUri);

            foreach (var (uri, text) in new[] { (configUri, Config), (credentialsUri, Credentials) })
            {
                await ExerciseEveryPositionAsync(client, uri, text);
                var whole = new { start = new { line = 0, character = 0 }, end = new { line = 99, character = 0 } };
                await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
                await client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } });
                await client.RequestAsync("textDocument/semanticTokens/full", new { textDocument = new { uri } });
                await client.RequestAsync("textDocument/formatting", new { textDocument = new { uri }, options = new { tabSize = 4, insertSpaces = true } });
                await client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri }, range = whole, context = new { diagnostics = Array.Empty<object>() } });
                await client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri }, range = whole, context = new { diagnostics = Array.Empty<object>(), only = new[] { "source.fixAll.awsconfig" } } });
                await client.SendRawRequestAsync("textDocument/codeLens", new { textDocument = new { uri } });
            }
            await client.RequestAsync("workspace/symbol", new { query = "" });
            await client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.fixCredentialsPermissions", arguments = new[] { folder.Combine("home/.aws/credentials") } });

            // Errors, and edits that make new diagnostics: secrets typed into the config, a file made unparsable.
            await client.RequestErrorAsync("textDocument/hover", """{ "textDocument": { "uri": 7 }, "position": {} }""");
            await client.RequestErrorAsync("workspace/executeCommand", new { command = "awsconfig.noSuchCommand", arguments = new[] { "x" } });
            await client.WriteRawAsync("Content-Length: 10\r\n\r\n{\"broken\":");
            await client.NextNullIdErrorAsync();
            await client.ChangeAsync(configUri, 2, (1, 0, 1, 0, "aws_secret_access_key = typedSecretSCANMARK0000000000000000006\n"));
            await client.NextDiagnosticsAsync(configUri);
            await client.ChangeAsync(credentialsUri, 2, (0, 0, 0, 0, "junk line before any section\naws_session_token = junkTokenSCANMARK000000000000000000000007\n"));
            await client.NextDiagnosticsAsync(credentialsUri);
            await ExerciseEveryPositionAsync(client, configUri, "\naws_secret_access_key = typedSecretSCANMARK0000000000000000006\n" + Config);
            await client.CloseAsync(credentialsUri);
            await client.NextDiagnosticsAsync(credentialsUri);
        }

        var messages = LspMessages(session.Stdout);
        AssertNoSecret("the server's stdout", messages);
        AssertNoSecret("the server's stderr", [session.Stderr]);
        // The scan saw what it had to: hovers on the key lines (with the masked id) and the fix that moves the keys.
        Assert.Contains(messages, text => text.Contains("AKIA****RK01", StringComparison.Ordinal));
        Assert.Contains(Marker, Encoding.UTF8.GetString(session.Stdout));
    }

    [Theory]
    [InlineData("check", "text")]
    [InlineData("check", "json")]
    [InlineData("check", "sarif")]
    [InlineData("resolve", "text")]
    [InlineData("resolve", "json")]
    public async Task CliOutput_ContainsNoSecret(string command, string format)
    {
        var config = folder.Write("home/.aws/config", Config);
        var credentials = folder.Write("home/.aws/credentials", Credentials);
        string[] arguments = command == "check"
            ? ["check", "--config", config, "--credentials", credentials, "--format", format]
            : ["resolve", "--all", "--config", config, "--credentials", credentials, "--format", format];

        using var process = ServerProcess.Start(folder.Combine("home"), folder.Path, SecretEnvironment, arguments);
        var stdout = await process.Process.StandardOutput.ReadToEndAsync();
        await process.Process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30), "the CLI process to end");

        Assert.Equal(1, process.Process.ExitCode);
        Assert.Contains(command == "check" ? "partial-static-credentials" : "keys-in-config", stdout);
        AssertNoSecret($"{command} --format {format}", [stdout, process.Stderr]);
    }

    /// <summary>Hover, completion, definition, references, highlights and prepareRename at every character of every line.</summary>
    private static async Task ExerciseEveryPositionAsync(LspTestClient client, string uri, string text)
    {
        var lines = text.Split('\n');
        for (var line = 0; line < lines.Length; line++)
        {
            for (var character = 0; character <= lines[line].Length; character++)
            {
                var position = new { textDocument = new { uri }, position = new { line, character } };
                await client.RequestAsync("textDocument/hover", position);
                if (character % 4 != 0) continue;
                await client.RequestAsync("textDocument/completion", position);
                await client.RequestAsync("textDocument/definition", position);
                await client.RequestAsync("textDocument/documentHighlight", position);
                await client.SendRawRequestAsync("textDocument/prepareRename", position);
            }
        }
    }

    /// <summary>Every message in an LSP byte stream, parsed (framing: <c>Content-Length</c> header, blank line, body).</summary>
    private static List<string> LspMessages(byte[] bytes)
    {
        var texts = new List<string>();
        var position = 0;
        var headerEnd = "\r\n\r\n"u8.ToArray();
        while (position < bytes.Length)
        {
            var end = bytes.AsSpan(position).IndexOf(headerEnd);
            if (end < 0) throw new XunitException($"The server wrote bytes that are not an LSP message at {position}: {Encoding.UTF8.GetString(bytes, position, Math.Min(200, bytes.Length - position))}");
            var header = Encoding.ASCII.GetString(bytes, position, end);
            var length = int.Parse(header.Split("\r\n").Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
            var body = bytes.AsSpan(position + end + 4, length);
            using var document = JsonDocument.Parse(body.ToArray());
            CollectStrings(document.RootElement, null, texts);
            position += end + 4 + length;
        }
        Assert.True(texts.Count > 1000, $"Only {texts.Count} strings in the server's output: the session did not run.");
        return texts;
    }

    /// <summary>Every string in a message, decoded (so escapes cannot hide a secret), but the new text of edits.</summary>
    private static void CollectStrings(JsonElement element, string? propertyName, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    CollectStrings(property.Value, property.Name, strings);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CollectStrings(item, propertyName, strings);
                break;
            case JsonValueKind.String when propertyName != "newText":
                strings.Add(element.GetString()!);
                break;
        }
    }

    private static void AssertNoSecret(string where, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var index = text.IndexOf(Marker, StringComparison.Ordinal);
            if (index >= 0)
            {
                throw new XunitException($"A secret leaked into {where}: ...{text[Math.Max(0, index - 80)..Math.Min(text.Length, index + 40)]}...");
            }
        }
    }
}
