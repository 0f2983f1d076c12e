using System.Diagnostics;
using System.Text;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// With <c>AWSCONFIG_LSP_TRACE=1</c> in the environment, one line on stderr per diagnostics publish: how long the
/// analysis and the JSON took, how the analysis ran, the bytes the process allocated meanwhile (all threads: the
/// phases run on several), and the collections since the last publish (for the benchmarks).
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
        return new PublishTrace { start = now, last = now, allocated = GC.GetTotalAllocatedBytes(), text = new StringBuilder("awsconfig-lsp trace: publish") };
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

    public readonly void Report(string mode, int diagnostics, int encoded, long bytes, int inPlace, int files)
    {
        if (text is null) return;
        text.Append($", total {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.0} ms, {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:0.0} MiB allocated; "
            + $"{mode}; {diagnostics} diagnostics, {encoded} messages encoded, {bytes / 1048576.0:0.0} MiB of JSON, "
            + $"{inPlace} of {files} written in the last publish's array");
        Console.Error.WriteLine(text.ToString());
        Console.Error.WriteLine(Collections());
    }

    private static long lastCollection;

    /// <summary>The collections since the last call: how many of each generation, and the last one's pause, promoted bytes and heap.</summary>
    private static string Collections()
    {
        var counts = $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}";
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        if (info.Index == lastCollection) return $"awsconfig-lsp trace: gc none since the last publish (gen0/1/2 {counts})";
        lastCollection = info.Index;
        var pause = info.PauseDurations.Length > 0 ? info.PauseDurations[0].TotalMilliseconds : 0;
        return $"awsconfig-lsp trace: gc gen0/1/2 {counts}; last #{info.Index} gen{info.Generation} pause {pause:0.0} ms, promoted {info.PromotedBytes / 1048576.0:0.0} MiB, "
            + $"heap {info.HeapSizeBytes / 1048576.0:0} MiB, fragmented {info.FragmentedBytes / 1048576.0:0} MiB, committed {info.TotalCommittedBytes / 1048576.0:0} MiB, compacted {info.Compacted}; "
            + Cli.CommittedMemory.Describe();
    }
}
