using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The <c>awsconfig</c> settings: pulled with workspace/configuration from clients that support it, pushed with
/// workspace/didChangeConfiguration by others, and <c># awsconfig-disable-next-line</c> comments in the files.
/// </summary>
public sealed class ConfigurationTests : IAsyncLifetime
{
    private const string LoopConfig = """
        [profile 開発-a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = 😀-b

        [profile 😀-b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = 開発-a

        [profile orphan]
        role_arn = arn:aws:iam::123456789012:role/orphan
        source_profile = nowhere

        """;

    private static readonly object PullCapabilities = new { workspace = new { configuration = true } };

    private readonly TempFolder folder = new();
    private readonly List<LspTestClient> clients = [];
    private string uri = null!;

    public Task InitializeAsync()
    {
        uri = folder.Uri("home/.aws/config");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients) await client.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>A server and a client that answers workspace/configuration with <paramref name="settings"/> (when it advertises the capability).</summary>
    private async Task<LspTestClient> StartAsync(string? settings, bool pull = true)
    {
        var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        clients.Add(client);
        client.Settings = settings;
        await client.InitializeAsync(pull ? PullCapabilities : null);
        return client;
    }

    private static string[] Codes(JsonElement diagnostics) =>
        [.. diagnostics.EnumerateArray().Select(d => $"{d.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32()}:{d.GetProperty("code").GetString()}:{d.GetProperty("severity").GetInt32()}")];

    [Fact]
    public async Task PulledSettings_DisabledCode_IsNotPublished_FromTheFirstPublish()
    {
        var client = await StartAsync("""{ "diagnostics": { "disabled": ["source-profile-loop"] } }""");

        // The document opens right after initialized, as editors do, before the server has the client's answer.
        await client.OpenAsync(uri, LoopConfig);

        JsonAssert.Exact("""{ "items": [{ "section": "awsconfig" }] }""", await client.NextConfigurationRequestAsync());
        Assert.Equal(["10:source-profile-not-found:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }

    [Fact]
    public async Task PulledSettings_SeverityOverrides_ChangeThePublishedSeverity()
    {
        var client = await StartAsync("""{ "diagnostics": { "severity": { "source-profile-loop": "warning", "source-profile-not-found": "hint", "no-such-code": "error" } } }""");

        await client.OpenAsync(uri, LoopConfig);

        Assert.Equal(["2:source-profile-loop:2", "6:source-profile-loop:2", "10:source-profile-not-found:4"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }

    [Fact]
    public async Task NoSettings_PublishesEveryCodeAtItsDefaultSeverity()
    {
        var client = await StartAsync(settings: null);

        await client.OpenAsync(uri, LoopConfig);

        Assert.Equal(["2:source-profile-loop:1", "6:source-profile-loop:1", "10:source-profile-not-found:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }

    [Fact]
    public async Task DidChangeConfiguration_WithSettings_RepublishesWithThem()
    {
        // A client without workspace/configuration pushes its settings.
        var client = await StartAsync(settings: null, pull: false);
        await client.OpenAsync(uri, LoopConfig);
        Assert.Equal(3, (await client.NextDiagnosticsAsync(uri, version: 1)).GetArrayLength());

        await client.NotifyAsync("workspace/didChangeConfiguration", new
        {
            settings = new { awsconfig = new { diagnostics = new { disabled = new[] { "source-profile-not-found" } } } },
        });

        Assert.Equal(["2:source-profile-loop:1", "6:source-profile-loop:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
        // New settings replace the old ones whole: the code disabled before is back.
        await client.NotifyAsync("workspace/didChangeConfiguration", JsonAssert.Parse("""
            { "settings": { "awsconfig": { "diagnostics": { "severity": { "source-profile-loop": "information" } } } } }
            """));
        Assert.Equal(["2:source-profile-loop:3", "6:source-profile-loop:3", "10:source-profile-not-found:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }

    [Fact]
    public async Task DidChangeConfiguration_WithoutSettings_PullsThemAgainAndRepublishes()
    {
        var client = await StartAsync(settings: null);
        await client.OpenAsync(uri, LoopConfig);
        await client.NextConfigurationRequestAsync();
        Assert.Equal(3, (await client.NextDiagnosticsAsync(uri, version: 1)).GetArrayLength());

        client.Settings = """{ "diagnostics": { "disabled": ["source-profile-loop", "source-profile-not-found"] } }""";
        await client.NotifyAsync("workspace/didChangeConfiguration", JsonAssert.Parse("""{ "settings": null }"""));

        await client.NextConfigurationRequestAsync();
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(uri, version: 1));
    }

    [Theory]
    [InlineData(-32601)] // a client that does not implement the method after all
    [InlineData(-32603)]
    public async Task ClientThatFailsToAnswerConfiguration_IsLogged_AndDefaultsApply(int errorCode)
    {
        var client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        clients.Add(client);
        client.RefuseConfigurationWith = errorCode;
        await client.InitializeAsync(PullCapabilities);

        await client.OpenAsync(uri, LoopConfig);

        Assert.StartsWith("Could not read the awsconfig settings: ", (await client.NextLogMessageAsync()).GetProperty("message").GetString());
        Assert.Equal(3, (await client.NextDiagnosticsAsync(uri, version: 1)).GetArrayLength());
    }

    [Fact]
    public async Task DisableNextLineComment_SilencesThatLineOnly()
    {
        var client = await StartAsync(settings: null);
        var config = LoopConfig.Replace("role_arn = arn:aws:iam::123456789012:role/a\n", "role_arn = arn:aws:iam::123456789012:role/a\n# awsconfig-disable-next-line source-profile-loop\n");

        await client.OpenAsync(uri, config);

        // The loop is still reported on [profile 😀-b]'s line (now line 7), and the other code still on its line.
        Assert.Equal(["7:source-profile-loop:1", "11:source-profile-not-found:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }

    [Fact]
    public async Task DisableNextLineComment_ForAnotherCode_SilencesNothing()
    {
        var client = await StartAsync(settings: null);
        var config = LoopConfig.Replace("role_arn = arn:aws:iam::123456789012:role/a\n", "role_arn = arn:aws:iam::123456789012:role/a\n; awsconfig-disable-next-line duplicate-key\n");

        await client.OpenAsync(uri, config);

        Assert.Equal(["3:source-profile-loop:1", "7:source-profile-loop:1", "11:source-profile-not-found:1"], Codes(await client.NextDiagnosticsAsync(uri, version: 1)));
    }
}
