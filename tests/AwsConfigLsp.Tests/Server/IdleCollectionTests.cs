using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// Run alone: what they check (collections made, heap growth since the last gen2) is the process's, and the other tests'
/// collections and allocations, running in parallel, moved the baseline often enough to fail five attempts in CI.
/// </summary>
[CollectionDefinition(nameof(IdleCollectionTests), DisableParallelization = true)]
[Collection(nameof(IdleCollectionTests))]
public sealed class IdleCollectionTests
{
    [Fact]
    public void Once_enough_was_allocated_a_young_collection_is_made()
    {
        var idle = new IdleCollection();
        var garbage = new List<byte[]>();
        for (var allocated = 0L; allocated <= IdleCollection.Threshold; allocated += 64 * 1024) garbage.Add(new byte[64 * 1024]);
        var gen1Before = GC.CollectionCount(1);

        Assert.True(idle.CollectIfDue());

        Assert.True(GC.CollectionCount(1) > gen1Before);
        Assert.Equal(1, idle.Collections);
        GC.KeepAlive(garbage);
    }

    [Fact]
    public void Once_the_heap_grew_by_the_old_growth_since_the_last_gen2_a_background_gen2_is_started()
    {
        var idle = new IdleCollection();
        var kept = new List<byte[]>();
        // The first due collection notes the heap after the last gen2; growth past OldGrowth without a gen2 in between
        // starts one. (Tests run in parallel: another test's gen2 only moves the baseline, so it is tried a few times.)
        for (var attempt = 0; attempt < 10 && idle.OldCollections == 0; attempt++)
        {
            Garbage();
            idle.CollectIfDue();
            for (var grown = 0L; grown <= IdleCollection.OldGrowth + (8 << 20); grown += 64 * 1024) kept.Add(new byte[64 * 1024]);
            Garbage();
            idle.CollectIfDue();
        }

        Assert.Equal(1, idle.OldCollections);
        GC.KeepAlive(kept);

        static void Garbage()
        {
            for (var allocated = 0L; allocated <= IdleCollection.Threshold; allocated += 64 * 1024) GC.KeepAlive(new byte[64 * 1024]);
        }
    }

    [Fact]
    public void After_an_open_every_generation_is_collected_and_compacted()
    {
        var idle = new IdleCollection();
        var gen2Before = GC.CollectionCount(2);

        idle.CompactAfterOpen();

        Assert.True(GC.CollectionCount(2) > gen2Before);
        var last = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.Equal(2, last.Generation);
        Assert.True(last.Compacted);
        Assert.Equal(1, idle.Compactions);
    }
}
