using System.Runtime.InteropServices;

namespace AwsConfigLsp.Server.Cli;

/// <summary>
/// Whether the collector's committed memory is populated in one call per commit (<c>Native/commit_populate.c</c>,
/// linked into the Linux NativeAOT server) and how much so far. The JIT build and other platforms have no such code:
/// their memory is faulted in page by page, as any process's.
/// </summary>
internal static partial class CommittedMemory
{
    /// <summary>(populated: the code is linked in and on; commits and bytes populated so far), or null without it.</summary>
    public static (bool Populated, long Commits, long Bytes)? Stats()
    {
        if (!MayBeLinked) return null;
        try
        {
            var state = NativeStats(out var commits, out var bytes);
            return (state >= 0, commits, bytes); // 0: no commit large enough yet
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One line for <c>--version</c> and the open's trace.</summary>
    public static string Describe() => Describe(Stats());

    public static string Describe((bool Populated, long Commits, long Bytes)? stats) => stats switch
    {
        null => "committed memory: faulted in page by page (no populate code in this build)",
        { Populated: true } s => $"committed memory: populated in one call per commit ({s.Commits} commits, {s.Bytes / (1024.0 * 1024):0.0} MiB so far)",
        { Commits: > 0 } s => $"committed memory: populate off since ({s.Commits} commits populated before)",
        _ => "committed memory: populate off (AWSCONFIG_LSP_POPULATE=0, or the kernel refused MADV_POPULATE_WRITE)",
    };

    /// <summary>
    /// Stops populating commits (<paramref name="paused"/>) once an open is over, or starts again when a large document
    /// arrives; nothing without the native code.
    /// </summary>
    public static void Pause(bool paused)
    {
        if (!MayBeLinked) return;
        try
        {
            NativePause(paused ? 1 : 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>Only the Linux NativeAOT build links the native code; elsewhere it is not even looked for.</summary>
    private static bool MayBeLinked => OperatingSystem.IsLinux() && !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;

    [LibraryImport("awsconfig_native", EntryPoint = "awsconfig_populate_pause")]
    private static partial void NativePause(int paused);

    [LibraryImport("awsconfig_native", EntryPoint = "awsconfig_populate_stats")]
    private static partial int NativeStats(out long calls, out long bytes);
}
