using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The value index (hover's "also used by", completion of role ARNs, accounts, MFA devices and source profiles on huge
/// files) is built off the message loop after a pair's first publish, so the first hover or completion after opening a
/// huge file does not wait for it; it then follows the edits made since.
/// </summary>
public sealed class ValueIndexPrebuildTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string configUri = null!;

    public async Task InitializeAsync()
    {
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli"), TimeSpan.Zero));
        await client.InitializeAsync();
        configUri = folder.Uri("home/.aws/config");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task The_index_is_ready_before_the_first_request_and_follows_later_edits()
    {
        await OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!client.Server!.ValueIndexLog.Contains("prebuilt") && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(["prebuilt"], client.Server!.ValueIndexLog);
        // The open's garbage was compacted away once, before the build.
        Assert.Equal(1, client.Server!.CompactionsAfterOpen);

        // An edit after the build: a new role ARN in p0 ("R0" -> "R0x").
        await client.ChangeAsync(configUri, 2, (1, 44, 1, 44, "x"));
        var completion = await CompleteNewRoleArnAsync();

        var labels = completion.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("label").GetString()).ToList();
        Assert.True(completion.GetProperty("isIncomplete").GetBoolean());
        Assert.Contains("arn:aws:iam::100000000000:role/R0x", labels);
        Assert.DoesNotContain("arn:aws:iam::100000000000:role/R0", labels);
        // The request used the index built after the publish, not one of its own.
        Assert.Equal(["prebuilt"], client.Server!.ValueIndexLog);
    }

    [Fact]
    public async Task A_completion_asked_while_the_index_is_built_waits_for_that_build()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Server!.ValueIndexBuildGate = gate.Task;
        await OpenAsync();

        // The build is held: the completion comes while it has not finished, and is answered once it has.
        var asked = CompleteNewRoleArnAsync();
        await Task.Delay(200);
        Assert.False(asked.IsCompleted);
        gate.SetResult();
        var completion = await asked;

        var labels = completion.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("label").GetString()).ToList();
        Assert.Contains("arn:aws:iam::100000000000:role/R0", labels);
        Assert.Equal(["waited for the prebuild"], client.Server!.ValueIndexLog);
    }

    [Fact]
    public async Task A_completion_does_not_wait_without_end_for_a_prebuild_that_does_not_finish()
    {
        // The prebuild is held and never let go while the request waits: after the limit the request builds its own.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Server!.ValueIndexBuildGate = gate.Task;
        client.Server.ValueIndexWaitLimit = TimeSpan.FromMilliseconds(300);
        await OpenAsync();

        JsonElement completion;
        try
        {
            completion = await CompleteNewRoleArnAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            // Let the server go on whatever happened (a server that waits without end fails the test, and must not hang the run).
            gate.TrySetResult();
        }

        var labels = completion.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("label").GetString()).ToList();
        Assert.Contains("arn:aws:iam::100000000000:role/R0", labels);
        Assert.Equal(["on request (the prebuild was still running)"], client.Server.ValueIndexLog);

        // The held prebuild ends (let go above) and does not replace the index the request built; the next request uses that one.
        await Task.Delay(300);
        await CompleteNewRoleArnAsync();
        Assert.Equal(["on request (the prebuild was still running)"], client.Server.ValueIndexLog);
    }

    // 300 roles with distinct ARNs, then a profile whose role_arn value is empty: completion there lists the ARNs.
    private static readonly string Config = string.Concat(Enumerable.Range(0, 300).Select(i =>
        $"[profile p{i}]\nrole_arn = arn:aws:iam::{100000000000 + i}:role/R{i}\ncredential_source = Environment\n\n")) + "[profile new]\nrole_arn = \n";

    private async Task OpenAsync()
    {
        await client.OpenAsync(configUri, Config);
        await client.NextDiagnosticsAsync(configUri, version: 1);
    }

    /// <summary>Completion at the empty role_arn value of the last profile.</summary>
    private Task<JsonElement> CompleteNewRoleArnAsync() => client.RequestAsync("textDocument/completion", new
    {
        textDocument = new { uri = configUri },
        position = new { line = Config.Split('\n').Length - 2, character = 11 },
    });
}
