using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The server's message loop (<see cref="LanguageServerHost.CreateMessageLoop"/>): the code after an <c>await</c> in a
/// handler runs on the loop too, one piece at a time with the other handlers. The workspace relies on it: a publish
/// takes its snapshot (and builds the model) after its first <c>await</c>, and a code action asks for the model again
/// after awaiting the analysis.
/// </summary>
public sealed class MessageLoopTests
{
    [Fact]
    public async Task The_code_after_an_await_in_a_handler_runs_on_the_loop()
    {
        var loop = LanguageServerHost.CreateMessageLoop();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var contexts = new TaskCompletionSource<(SynchronizationContext? Before, SynchronizationContext? After)>(TaskCreationOptions.RunContinuationsAsynchronously);

        loop.Post(_ => _ = HandlerAsync(), null);
        async Task HandlerAsync()
        {
            var before = SynchronizationContext.Current;
            await gate.Task;
            contexts.SetResult((before, SynchronizationContext.Current));
        }
        // Released from a thread that is not the loop's, as an analysis finishing on the thread pool does.
        await Task.Run(gate.SetResult);

        var (before, after) = await contexts.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(loop, before);
        Assert.Same(loop, after);
    }

    [Fact]
    public async Task A_handler_that_yields_goes_on_after_the_handlers_already_queued()
    {
        var loop = LanguageServerHost.CreateMessageLoop();
        var order = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Both queued before either runs: the first one's continuation queues behind the second, as a publish's
        // snapshot (after its Task.Yield) comes after a didChange or hover that arrived meanwhile.
        loop.Post(_ => _ = FirstAsync(), null);
        loop.Post(_ => { lock (order) order.Add("second"); }, null);
        async Task FirstAsync()
        {
            lock (order) order.Add("first, before its await");
            await Task.Yield();
            lock (order) order.Add("first, after its await");
            done.SetResult();
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["first, before its await", "second", "first, after its await"], order);
    }
}
