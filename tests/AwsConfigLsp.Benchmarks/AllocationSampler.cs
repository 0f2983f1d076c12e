using System.Diagnostics.Tracing;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// Samples allocations in-process through the runtime's GCAllocationTick events (one per ~100 KB allocated, with the
/// type of the object that crossed the mark): which types the allocated bytes are, roughly.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> bytesByType = [];
    public bool Recording { get; set; }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!Recording || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.PayloadNames is null) return;
        var type = data.Payload![data.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = data.PayloadNames.IndexOf("AllocationAmount64") is var i and >= 0 ? Convert.ToInt64(data.Payload[i]) : 100_000;
        lock (bytesByType) bytesByType[type] = bytesByType.GetValueOrDefault(type) + amount;
    }

    public void Print(int top)
    {
        lock (bytesByType)
        {
            foreach (var (type, bytes) in bytesByType.OrderByDescending(p => p.Value).Take(top)) Console.WriteLine($"  {bytes / 1048576.0,8:0.0} MiB  {type}");
            bytesByType.Clear();
        }
    }
}
