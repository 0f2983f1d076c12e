namespace AwsConfigLsp.Syntax;

/// <summary>Finding the chunk of a chunked list (<see cref="SectionList"/>, the model's ChunkedList) that holds an index.</summary>
public static class ChunkSearch
{
    /// <summary>
    /// The chunk holding <paramref name="index"/>, given each chunk's end (the number of items up to and including it).
    /// Chunks are full (<paramref name="chunkSize"/>) except near past edits, so the guess is usually right; otherwise a
    /// binary search.
    /// </summary>
    public static int Of(int[] ends, int chunkSize, int index)
    {
        var guess = Math.Min(index / chunkSize, ends.Length - 1);
        if (index < ends[guess] && (guess == 0 || index >= ends[guess - 1])) return guess;
        var low = 0;
        var high = ends.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (ends[middle] <= index) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
