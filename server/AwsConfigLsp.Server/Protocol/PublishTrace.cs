using System.Diagnostics;
using System.Text;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// With <c>AWSCONFIG_LSP_TRACE=1</c> in the environment, one line on stderr per diagnostics publish: how long the
/// analysis and the JSON took, how the analysis ran, and the bytes allocated on the way (for the benchmarks).
/// </summary>
internal struct PublishTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_TRACE") == "1";
    private long start;
    private long last;
    private long allocated;
    private StringBuilder? text;

    public static PublishTrace Start()
    {
        if (!Enabled) return default;
        var now = Stopwatch.GetTimestamp();
        return new PublishTrace { start = now, last = now, allocated = GC.GetAllocatedBytesForCurrentThread(), text = new StringBuilder("awsconfig-lsp trace: publish") };
    }

    public static long Now() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>One publish was handed to the client's pipe (sent, or written to the pipe while the client reads it).</summary>
    public static void Sent(string uri, long since, int bytes)
    {
        if (Enabled) Console.Error.WriteLine($"awsconfig-lsp trace: sent {uri} ({bytes / 1048576.0:0.0} MiB) in {Stopwatch.GetElapsedTime(since).TotalMilliseconds:0.0} ms");
    }

    public static void Failed(Exception exception)
    {
        if (Enabled) Console.Error.WriteLine($"awsconfig-lsp trace: publish failed: {exception}");
    }

    public void Mark(string phase)
    {
        if (text is null) return;
        var now = Stopwatch.GetTimestamp();
        text.Append($" {phase} {Stopwatch.GetElapsedTime(last, now).TotalMilliseconds:0.0} ms");
        last = now;
    }

    public readonly void Report(string mode, int diagnostics, int encoded, long bytes)
    {
        if (text is null) return;
        text.Append($", total {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.0} ms, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0:0.0} MiB allocated; "
            + $"{mode}; {diagnostics} diagnostics, {encoded} messages encoded, {bytes / 1048576.0:0.0} MiB of JSON");
        Console.Error.WriteLine(text.ToString());
    }
}
