using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// With <c>AWSCONFIG_LSP_TIMING=FILE</c> in the environment, one line per message into FILE: when each client message
/// was read off the input (<c>in TIMESTAMP METHOD ID</c>, after its whole frame arrived) and when each answer was written
/// to the output (<c>out TIMESTAMP - ID</c>), so a benchmark can tell the server's time from the time spent in pipes and
/// in the client. Timestamps are <see cref="Stopwatch.GetTimestamp"/> (the monotonic clock every process on the machine
/// shares). A fifth field, <c>gc=PAUSE_TICKS/GEN0/GEN1/GEN2</c>, is the process's total garbage-collection pause so far
/// (<see cref="GC.GetTotalPauseDuration"/>, in ticks) and its collection counts, so a slow answer can be told apart from
/// one the collector held. A sixth, <c>mem=HEAP/COMMITTED/FRAGMENTED</c>, is the collector's heap, committed memory and
/// fragmentation after its last collection, in KiB: where a peak of resident memory comes from (live data, or room the
/// collector keeps). Nothing of a message but its method and id is written. Off (no cost but one check) without the
/// variable.
/// </summary>
internal static class MessageTiming
{
    private static readonly StreamWriter? Writer = Open(Environment.GetEnvironmentVariable("AWSCONFIG_LSP_TIMING"));
    private static readonly Lock Gate = new();

    public static bool Enabled => Writer is not null;

    private static StreamWriter? Open(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            var writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 64 * 1024);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
            return writer;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"awsconfig-lsp: AWSCONFIG_LSP_TIMING: cannot write {path} ({exception.GetType().Name}); timing is off.");
            return null;
        }
    }

    /// <summary>A frame from the client was read whole: its top-level method and id (read by the frame's check) with the time.</summary>
    public static void Received(string? method, string? id)
    {
        if (Writer is null) return;
        Write($"in {Stopwatch.GetTimestamp()} {Token(method)} {Token(id)} {Collector()}");
    }

    /// <summary>A message of the server's was written to the output: answers by id, the server's own messages by method.</summary>
    public static void Sent(JsonRpcMessage message)
    {
        if (Writer is null) return;
        var now = Stopwatch.GetTimestamp();
        switch (message)
        {
            case JsonRpcRequest request:
                Write($"out {now} {Token(request.Method)} {Token(Id(request.RequestId))} {Collector()}");
                break;
            case IJsonRpcMessageWithId answer:
                Write($"out {now} - {Token(Id(answer.RequestId))} {Collector()}");
                break;
        }
    }

    public static void Flush()
    {
        if (Writer is null) return;
        lock (Gate)
        {
            try
            {
                Writer.Flush();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static string Collector()
    {
        var memory = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture,
            $"gc={GC.GetTotalPauseDuration().Ticks}/{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} "
            + $"mem={memory.HeapSizeBytes >> 10}/{memory.TotalCommittedBytes >> 10}/{memory.FragmentedBytes >> 10}");
    }

    private static string? Id(RequestId id) =>
        id.IsEmpty || id.IsNull ? null : id.Number is { } number ? number.ToString(CultureInfo.InvariantCulture) : id.String;

    // Methods and ids never hold spaces in practice; one that does is written with them replaced, so a line stays 4 fields.
    private static string Token(string? value) => string.IsNullOrEmpty(value) ? "-" : value.Replace(' ', '_');

    private static void Write(string line)
    {
        lock (Gate)
        {
            try
            {
                Writer!.WriteLine(line);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
            }
        }
    }
}
