namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Young-generation collections in the user's pauses instead of in their keystrokes (the idea of V8's idle-time
/// garbage collection): once an edit's analysis is done and no newer edit came, the young garbage of the burst of typing
/// is collected (gen0 and gen1), so that the next burst starts with whole budgets and its keystrokes rarely wait for a
/// collection; likewise after a full analysis (an open), before its publish, whose first keystrokes would otherwise pay
/// for promoting what the open built. At 50k profiles a young collection pauses every thread for 2-16 ms, the whole
/// keystroke budget (5 ms); in a pause it costs nobody anything. Only when enough was allocated to make it worth it.
/// </summary>
internal sealed class IdleCollection
{
    /// <summary>Less than this allocated since the last idle collection: the next burst will not fill gen0.</summary>
    public const long Threshold = 2 << 20;

    private readonly Lock gate = new();
    private long allocatedAtLast = GC.GetTotalAllocatedBytes();

    /// <summary>
    /// The heap grown by this much since the last gen2 collection starts a background one in the pause: what the edits
    /// promoted into the old generation and left there dead (replaced sections, superseded results). At 50k profiles
    /// the old generation's own budget is tens of MiB, so without it a session of edits only grows the heap. 1 MiB rather
    /// than 2: the end peak of the 50k benchmark at most 141.1 MiB over five runs against 143.2 (session 16); none at all:
    /// 145-153 MiB.
    /// </summary>
    public const long OldGrowth = 1 << 20;

    private int gen2Seen = -1;
    private long heapAtGen2;

    /// <summary>How many collections this made (for tests and traces).</summary>
    public int Collections { get; private set; }

    /// <summary>How many background gen2 collections this started (for tests).</summary>
    public int OldCollections { get; private set; }

    /// <summary>How many compactions after an open this made (for tests).</summary>
    public int Compactions { get; private set; }

    /// <summary>
    /// After a file's open (its first publish sent, before its value index is built): one blocking, compacting
    /// collection of every generation. The open promotes what the parse, the model and the analysis made and dropped
    /// into the old generation, whose background collections sweep it into free lists but never return it; the
    /// collector then takes new regions for what later edits promote, and the process's peak grew with every edit. At 50k
    /// profiles it costs ~90 ms, which the first keystroke after the open (waiting for the value index anyway) waits
    /// for; the peak after 200 edits went 144.2-145.4 -> 140.7-140.8 MiB (docs/performance.md, session 17).
    /// </summary>
    public void CompactAfterOpen()
    {
        lock (gate)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            allocatedAtLast = GC.GetTotalAllocatedBytes();
            (gen2Seen, heapAtGen2) = (GC.CollectionCount(2), GC.GetTotalMemory(forceFullCollection: false));
            Compactions++;
        }
    }

    /// <summary>
    /// Collects gen0 and gen1 (blocking, on the calling thread) when enough was allocated since the last time; then
    /// starts a background gen2 collection when the heap has grown by <see cref="OldGrowth"/> since the last gen2 one
    /// (it marks while the threads run; the old generation's garbage becomes room that later promotions reuse).
    /// </summary>
    public bool CollectIfDue()
    {
        lock (gate)
        {
            if (GC.GetTotalAllocatedBytes() - allocatedAtLast < Threshold) return false;
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            allocatedAtLast = GC.GetTotalAllocatedBytes();
            Collections++;
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            var gen2 = GC.CollectionCount(2);
            if (gen2 != gen2Seen) (gen2Seen, heapAtGen2) = (gen2, heap);
            else if (heap - heapAtGen2 > OldGrowth)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                (gen2Seen, heapAtGen2) = (GC.CollectionCount(2), heap);
                OldCollections++;
            }
            return true;
        }
    }
}
