using System.Text;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A publish whose JSON is written but which a newer edit supersedes before it is sent gives its buffer back: the next
/// publish of the URI is written into the same array. Kept as "being sent", it made every writer of the pair take a new
/// array for the next publish (~15 MiB each at 50k profiles; the bench's end peak went from 136 to 161 MiB).
/// </summary>
public sealed class SupersededPublishTests : InMemoryServerTest
{
    [Fact]
    public async Task A_publish_superseded_after_its_JSON_was_written_gives_its_array_back()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++) text.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::{100000000000 + i}:role/R{i}\nsource_profile = missing{i}\n\n");
        await Client.OpenAsync(ConfigUri, text.ToString());
        var first = await Client.NextDiagnosticsAsync(ConfigUri, version: 1);
        Assert.Equal(200, first.GetArrayLength());
        var writer = Client.Server!.DiagnosticsWriterOf(ConfigUri)!;
        var array = writer.LastArray;
        Assert.NotNull(array);

        // The next publish is cancelled once its JSON is written, as a newer edit would cancel it.
        var superseded = 0;
        Client.Server!.AfterPublishWritten = cancellation =>
        {
            if (Interlocked.Increment(ref superseded) == 1) cancellation.Cancel();
        };
        await Client.ChangeAsync(ConfigUri, 2, (0, 10, 0, 10, "x"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref superseded) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, superseded);
        // It was written into the array of the publish before it, and never sent.
        Assert.True(writer.LastInPlace);
        Assert.Same(array, writer.LastArray);

        await Client.ChangeAsync(ConfigUri, 3, (0, 11, 0, 11, "y"));
        var third = await Client.NextDiagnosticsAsync(ConfigUri, version: 3);
        Assert.Equal(200, third.GetArrayLength());
        // The publish after the superseded one went into the same array: the superseded one had given it back.
        Assert.True(writer.LastInPlace, "the publish after a superseded one was written into a new array");
        Assert.Same(array, writer.LastArray);
    }
}
