using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

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
}
