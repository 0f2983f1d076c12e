namespace AwsConfigLsp.Model;

/// <summary>
/// Runs two independent halves of a build: on two threads (the second on the thread pool, the first on the caller's,
/// which then waits for the second and rethrows its exception as it was), or one after the other.
/// </summary>
public static class TwoThreads
{
    public static void Run(bool parallel, Action first, Action second)
    {
        if (!parallel)
        {
            first();
            second();
            return;
        }
        var other = Task.Run(second);
        first();
        other.GetAwaiter().GetResult();
    }
}
