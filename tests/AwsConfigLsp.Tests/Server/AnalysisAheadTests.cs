using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The debounce holds back the publish, not the analysis: shortly after the last keystroke the edit is analysed, so that
/// when the debounce ends the diagnostics are only written and sent. Keystrokes that come faster than that start nothing.
/// </summary>
public sealed class AnalysisAheadTests : IAsyncLifetime
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);
    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string configUri = null!;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli"), Debounce));
        await client.InitializeAsync();
        configUri = folder.Uri("home/.aws/config");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    private string[] Log => [.. client.Server!.AnalysisLog];

    private static string Config()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++) text.Append("[profile p").Append(i).Append("]\nregion = us-east-1\noutput = json\n\n");
        return text.ToString();
    }

    /// <summary>Waits until the analysis log has <paramref name="count"/> entries, at most until the debounce would end.</summary>
    private async Task<TimeSpan> AnalysedAsync(int count, Stopwatch since)
    {
        while (Log.Length < count)
        {
            if (since.Elapsed > Debounce) throw new Xunit.Sdk.XunitException($"No analysis before the debounce ended: {string.Join(", ", Log)}");
            await Task.Delay(10);
        }
        return since.Elapsed;
    }

    [Fact]
    public async Task An_edit_is_analysed_during_the_debounce_and_the_publish_sends_that_analysis()
    {
        var text = Config();
        await client.OpenAsync(configUri, text);
        Assert.Empty((await client.NextDiagnosticsAsync(configUri, version: 1)).EnumerateArray());
        Assert.Single(Log);

        // `output = jsn` in profile p7: a keystroke that deletes the "o".
        var line = Array.IndexOf(text.Split('\n'), "output = json", 7 * 4);
        var since = Stopwatch.StartNew();
        await client.ChangeAsync(configUri, 2, (line, 11, line, 12, ""));
        var analysed = await AnalysedAsync(2, since);

        Assert.True(analysed < Debounce / 2, $"analysed after {analysed.TotalMilliseconds:0} ms");
        Assert.StartsWith("incremental", Log[1]);
        Assert.Equal(0, client.UnreadDiagnosticsCount(configUri));
        var diagnostics = await client.NextDiagnosticsAsync(configUri, version: 2);
        // The server's timer counts whole milliseconds: on CI it fired a fraction of a millisecond before 3000 ms by the
        // stopwatch. A publish right after the analysis would come ~3 s early, so a few milliseconds of slack keep the point.
        Assert.True(since.Elapsed >= Debounce - TimerSlack, $"published after {since.Elapsed.TotalMilliseconds:0.0} ms, before the debounce ended");
        var diagnostic = Assert.Single(diagnostics.EnumerateArray());
        Assert.Equal("invalid-output", diagnostic.GetProperty("code").GetString());
        Assert.Equal(line, diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        // The publish used the analysis made ahead: none ran after it.
        Assert.Equal(2, Log.Length);
    }

    [Fact]
    public async Task A_burst_of_keystrokes_is_analysed_once_after_the_last_and_published_as_the_final_text()
    {
        var text = Config();
        await client.OpenAsync(configUri, text);
        await client.NextDiagnosticsAsync(configUri, version: 1);

        // Three keystrokes sent back to back (faster than the analysis starts): `output = json` -> `output = jxyz`.
        var line = Array.IndexOf(text.Split('\n'), "output = json", 3 * 4);
        var since = Stopwatch.StartNew();
        await client.ChangeAsync(configUri, 2, (line, 10, line, 11, "x"));
        await client.ChangeAsync(configUri, 3, (line, 11, line, 12, "y"));
        await client.ChangeAsync(configUri, 4, (line, 12, line, 13, "z"));
        await AnalysedAsync(2, since);

        var diagnostic = Assert.Single((await client.NextDiagnosticsAsync(configUri, version: 4)).EnumerateArray());
        Assert.Contains("jxyz", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Log.Length);
    }

    [Fact]
    public async Task The_young_garbage_of_an_open_and_of_an_edit_is_collected_before_the_publish_and_in_the_pause()
    {
        // Large enough that opening it and replacing it allocate more than the idle collection's threshold.
        var text = new StringBuilder();
        for (var i = 0; i < 6000; i++) text.Append("[profile p").Append(i).Append("]\nregion = us-east-1\noutput = jsn\n\n");
        // The value index is built after the publish and collects its own garbage (see the test below): held back here,
        // so that only the analysis' collections are counted.
        var holdIndex = new TaskCompletionSource();
        client.Server!.ValueIndexBuildGate = holdIndex.Task;
        var before = client.Server!.IdleCollections;
        await client.OpenAsync(configUri, text.ToString());
        Assert.Equal(6000, (await client.NextDiagnosticsAsync(configUri, version: 1)).GetArrayLength());
        Assert.Equal(before + 1, client.Server.IdleCollections);

        // The whole text again with one value mended (as an editor's "replace all" sends it), then a pause: the young
        // garbage is collected before the publish.
        var since = Stopwatch.StartNew();
        await client.ReplaceAsync(configUri, 2, text.ToString().Replace("[profile p9]\nregion = us-east-1\noutput = jsn", "[profile p9]\nregion = us-east-1\noutput = json", StringComparison.Ordinal));
        while (client.Server.IdleCollections == before + 1)
        {
            if (since.Elapsed > Debounce) throw new Xunit.Sdk.XunitException("No collection in the pause before the debounce ended.");
            await Task.Delay(10);
        }
        Assert.Equal(0, client.UnreadDiagnosticsCount(configUri));
        Assert.Equal(5999, (await client.NextDiagnosticsAsync(configUri, version: 2)).GetArrayLength());
        Assert.True(client.Server.IdleCollections >= before + 2);
        holdIndex.SetResult();
    }

    [Fact]
    public async Task The_value_index_built_after_an_open_collects_its_garbage_before_the_next_keystroke()
    {
        // At 50k profiles the build allocates ~20 MiB: collected in the pause it runs in (the first keystroke waits for
        // the index anyway), not in the keystroke after it.
        var text = new StringBuilder();
        for (var i = 0; i < 20000; i++) text.Append("[profile p").Append(i).Append("]\nrole_arn = arn:aws:iam::").Append(100000000000 + i).Append(":role/R\nsource_profile = base\n\n");
        text.Append("[profile base]\nregion = us-east-1\n");
        var holdIndex = new TaskCompletionSource();
        client.Server!.ValueIndexBuildGate = holdIndex.Task;
        await client.OpenAsync(configUri, text.ToString());
        await client.NextDiagnosticsAsync(configUri, version: 1);
        var afterPublish = client.Server.IdleCollections;

        holdIndex.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!client.Server.ValueIndexLog.Contains("prebuilt") && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(["prebuilt"], client.Server.ValueIndexLog);
        Assert.Equal(afterPublish + 1, client.Server.IdleCollections);
    }
}
