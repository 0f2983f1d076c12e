using System.Diagnostics;
using System.Globalization;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// With <c>AWSCONFIG_LSP_TRACE=1</c> in the environment, one line on stderr per step of opening a document, with the
/// time since the first step (a large frame's header) and since the step before: the frame read, checked and handed
/// on, the message parsed, the handler's params bound, the text parsed, the model built, the analysis started and the
/// publish sent. For the benchmarks' attribution of the open; off (one check) otherwise. Only frames of at least
/// <see cref="LargeFrameBytes"/> are traced by the reader, so keystrokes do not fill the log.
/// </summary>
internal static class OpenTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_TRACE") == "1";

    /// <summary>The smallest frame whose reading is traced (a didOpen of a big file).</summary>
    public const long LargeFrameBytes = 256 * 1024;

    private static long first;
    private static long last;
    private static readonly Lock Gate = new();

    /// <summary>The process's resident memory now and at its peak, and the collector's heap and committed bytes (MiB).</summary>
    private static string Memory()
    {
        var (rss, hwm) = (0L, 0L);
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiB(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = KiB(line);
            }
        }
        catch (IOException)
        {
            // Not Linux: the collector's figures only.
        }
        catch (UnauthorizedAccessException)
        {
        }
        var info = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture,
            $"rss {rss / 1024.0:0} hwm {hwm / 1024.0:0} heap {GC.GetTotalMemory(false) / 1048576.0:0} committed {info.TotalCommittedBytes / 1048576.0:0} MiB");
    }

    private static long KiB(string line) => long.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static void Mark(string step)
    {
        if (!Enabled) return;
        var now = Stopwatch.GetTimestamp();
        lock (Gate)
        {
            if (first == 0)
            {
                first = last = now;
                // The raw clock (Stopwatch, shared by the processes of a machine), for the benchmark to line up with its own.
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"awsconfig-lsp trace: open +0.0 ms is clock {now}"));
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"awsconfig-lsp trace: open +{Stopwatch.GetElapsedTime(first, now).TotalMilliseconds:0.0} ms (+{Stopwatch.GetElapsedTime(last, now).TotalMilliseconds:0.0}) {step} [thread {Environment.CurrentManagedThreadId}, gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms, {Memory()}]"));
            last = now;
        }
    }
}
