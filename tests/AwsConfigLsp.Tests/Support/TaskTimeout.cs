using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Support;

/// <summary>Awaits with a deadline, so a server that never answers fails the test with what it was waiting for instead of hanging it.</summary>
internal static class TaskTimeoutExtensions
{
    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, string what)
    {
        var completed = await Task.WhenAny(task, Task.Delay(timeout));
        if (completed != task) throw new XunitException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
        return await task;
    }

    public static async Task WithTimeout(this Task task, TimeSpan timeout, string what)
    {
        var completed = await Task.WhenAny(task, Task.Delay(timeout));
        if (completed != task) throw new XunitException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
        await task;
    }
}
