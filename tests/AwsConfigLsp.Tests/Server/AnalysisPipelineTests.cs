using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The diagnostics pipeline on a config large enough that its analysis takes a while: analyses are cancelled by newer
/// publishes, never redone from scratch because a keystroke overlapped them, and code actions wait for them without
/// holding the message loop.
/// </summary>
public sealed class AnalysisPipelineTests : IAsyncLifetime
{
    private const int Profiles = 4000;
    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string configUri = null!;
    private string credentialsUri = null!;

    public async Task InitializeAsync()
    {
        // No debounce: every keystroke publishes at once, so analyses overlap the next keystrokes as much as they can.
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli"), TimeSpan.Zero));
        await client.InitializeAsync();
        configUri = folder.Uri("home/.aws/config");
        credentialsUri = folder.Uri("home/.aws/credentials");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>Groups of ten: a root with credential_source and nine roles sourcing it; every tenth profile has <c>output = jsn</c>.</summary>
    private static string LargeConfig(int profiles = Profiles)
    {
        var text = new StringBuilder();
        for (var i = 0; i < profiles; i++)
        {
            text.Append("[profile p").Append(i).Append("]\nregion = us-east-1\n");
            if (i % 10 == 0)
            {
                text.Append("credential_source = Environment\noutput = jsn\n");
            }
            else
            {
                text.Append("role_arn = arn:aws:iam::111111111111:role/R").Append(i).Append("\nsource_profile = p").Append(i - i % 10).Append("\noutput = json\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string LargeCredentials()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Profiles; i += 100) text.Append("[c").Append(i).Append("]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        return text.ToString();
    }

    private static string Frame(string uri, string languageId, string text)
    {
        var body = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            method = "textDocument/didOpen",
            @params = new { textDocument = new { uri, languageId, version = 1, text } },
        });
        return $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    private string[] Log => [.. client.Server!.AnalysisLog];

    [Fact]
    public async Task Opening_the_config_then_its_credentials_runs_one_full_analysis_not_two()
    {
        // Both didOpens in one write, as an editor restoring two tabs sends them: the second arrives while the
        // analysis of the config alone runs.
        await client.WriteRawAsync(Frame(configUri, "awsconfig", LargeConfig()) + Frame(credentialsUri, "awscredentials", LargeCredentials()));

        await client.NextDiagnosticsAsync(credentialsUri, version: 1);
        var diagnostics = await client.NextDiagnosticsAsync(configUri, version: 1);

        // The analysis of the config alone (started when its didOpen was handled) was cancelled by the second didOpen.
        var completed = Log.Where(mode => mode != "cancelled").ToList();
        Assert.True(completed.Count == 1, string.Join("\n", Log));
        Assert.StartsWith("full", completed[0]);
        Assert.Equal(Profiles / 10, diagnostics.EnumerateArray().Count(d => d.GetProperty("code").GetString() == "invalid-output"));
    }

    [Fact]
    public async Task Keystrokes_with_hovers_between_them_never_make_an_analysis_start_from_scratch()
    {
        // Large enough that an incremental analysis (a walk over every section) overlaps the next keystrokes.
        var text = LargeConfig(20_000);
        await client.OpenAsync(configUri, text);
        await client.NextDiagnosticsAsync(configUri, version: 1);
        var fullBefore = Log.Count(mode => mode.StartsWith("full", StringComparison.Ordinal));
        Assert.Equal(1, fullBefore);

        // Keystrokes within a few hundred lines: the client may send two of them before a hover (it does not wait for
        // the hover's answer), and edits far apart would then make the model rebuild the file from scratch (its rule
        // for large changes), which is not what this test is about.
        // Each keystroke is followed by a hover, which builds the new model while the analysis of the last one runs:
        // such an analysis is kept when it finishes (it reads its own version, which no build changes) or cancelled by
        // the next keystroke's publish, and the next one goes on from the last completed result.
        var lines = text.Split('\n');
        var version = 1;
        var hovers = new List<Task<JsonElement>>();
        for (var i = 0; i < 30; i++)
        {
            var line = Array.IndexOf(lines, "region = us-east-1", 50_000 + i * 7);
            version++;
            await client.ChangeAsync(configUri, version, (line, 9, line, 9, "x"));
            hovers.Add(client.RequestAsync("textDocument/hover", new { textDocument = new { uri = configUri }, position = new { line, character = 2 } }));
            // Every third keystroke, the client waits for the hover's answer (a pause in typing).
            if (i % 3 == 2) await hovers[^1];
        }
        await Task.WhenAll(hovers);
        JsonElement last;
        do last = await client.NextDiagnosticsAsync(configUri);
        while (last.GetProperty("version").GetInt32() != version);

        // Thirty regions were made invalid ("xus-east-1", "xxus-east-1", ...): each is reported once, where it is.
        var invalidRegions = last.GetProperty("diagnostics").EnumerateArray().Count(d => d.GetProperty("code").GetString() == "invalid-region");
        Assert.Equal(DistinctEditedLines(lines), invalidRegions);
        // The only analysis without a base is the first one. (The model itself may rebuild the file from scratch now and
        // then, and the analysis of that version is then full for that reason: not what this test is about.)
        var modes = Log;
        Assert.True(modes.Count(mode => mode.StartsWith("full (no previous result)", StringComparison.Ordinal)) == 1, string.Join("\n", modes));
        Assert.DoesNotContain(modes, mode => mode.StartsWith("full (previous result already used)", StringComparison.Ordinal));
        // (Whether any analysis got to finish incrementally depends on timing: on a fast machine every one but the last
        // is cancelled by the next keystroke, and the last may be full because the model rebuilt the file; the count
        // above is what this test is about.)
    }

    private static int DistinctEditedLines(string[] lines) =>
        Enumerable.Range(0, 30).Select(i => Array.IndexOf(lines, "region = us-east-1", 50_000 + i * 7)).Distinct().Count();

    [Fact]
    public async Task A_code_action_waits_for_the_analysis_without_holding_hover_back()
    {
        // Large enough that the full analysis takes far longer than answering a hover.
        var text = LargeConfig(20_000);
        await client.OpenAsync(configUri, text);
        // Asked before any diagnostics were published: the code action needs the analysis that has just started.
        var line = Array.IndexOf(text.Split('\n'), "output = jsn");
        var codeAction = client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = configUri },
            range = new { start = new { line, character = 10 }, end = new { line, character = 10 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        var hover = client.RequestAsync("textDocument/hover", new { textDocument = new { uri = configUri }, position = new { line, character = 2 } });

        Assert.Same(hover, await Task.WhenAny(codeAction, hover));
        Assert.Contains("output", (await hover).GetProperty("contents").GetProperty("value").GetString());
        var actions = await codeAction;
        var fix = actions.EnumerateArray().First(action => action.GetProperty("kind").GetString() == "quickfix");
        var edit = fix.GetProperty("edit").GetProperty("changes").GetProperty(configUri)[0];
        Assert.Equal("json", edit.GetProperty("newText").GetString());
        Assert.Equal(line, edit.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task A_code_action_right_after_an_edit_offers_the_fixes_of_the_edited_text()
    {
        var text = LargeConfig();
        await client.OpenAsync(configUri, text);
        await client.NextDiagnosticsAsync(configUri, version: 1);
        var lines = text.Split('\n');
        var line = Array.IndexOf(lines, "output = json", lines.Length / 2);

        // "json" -> "jsonn", then the code action at once: the published diagnostics are of the old text.
        await client.ChangeAsync(configUri, 2, (line, 13, line, 13, "n"));
        var actions = await client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = configUri },
            range = new { start = new { line, character = 10 }, end = new { line, character = 10 } },
            context = new { diagnostics = Array.Empty<object>() },
        });

        var fix = actions.EnumerateArray().First(action => action.GetProperty("kind").GetString() == "quickfix");
        var edit = fix.GetProperty("edit").GetProperty("changes").GetProperty(configUri)[0];
        Assert.Equal("json", edit.GetProperty("newText").GetString());
        Assert.Equal(line, edit.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        Assert.Equal(9, edit.GetProperty("range").GetProperty("start").GetProperty("character").GetInt32());
        Assert.Equal(14, edit.GetProperty("range").GetProperty("end").GetProperty("character").GetInt32());
    }
}
