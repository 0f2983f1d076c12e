using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// CPU time of the whole process (all threads, so the GC's too), in nanoseconds. On a machine shared with other work
/// the wall clock also counts the time other processes hold the cores; the CPU time does not.
/// </summary>
internal static class CpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    private static readonly bool UseClockGetTime = OperatingSystem.IsLinux() && Probe();

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockProcessCpuTimeId, out _) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    public static double NowMs()
    {
        if (UseClockGetTime && ClockGetTime(ClockProcessCpuTimeId, out var time) == 0)
        {
            return time.Seconds * 1000.0 + time.Nanoseconds / 1_000_000.0;
        }
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }
}
