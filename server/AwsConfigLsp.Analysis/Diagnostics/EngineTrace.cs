using System.Diagnostics;
using System.Text;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// With <c>AWSCONFIG_LSP_TRACE=1</c> in the environment, <see cref="AnalysisResult.Mode"/> ends with the time and the
/// bytes allocated of each phase of the analysis (for the benchmarks; off otherwise, and then free).
/// </summary>
internal struct EngineTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_TRACE") == "1";
    private long last;
    private long allocated;
    private StringBuilder? text;

    public static EngineTrace Start() => Enabled
        ? new EngineTrace { last = Stopwatch.GetTimestamp(), allocated = GC.GetAllocatedBytesForCurrentThread(), text = new StringBuilder(" [") }
        : default;

    public void Mark(string phase)
    {
        if (text is null) return;
        var now = Stopwatch.GetTimestamp();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        text.Append($"{phase} {Stopwatch.GetElapsedTime(last, now).TotalMilliseconds:0.0} ms {(bytes - allocated) / 1048576.0:0.0} MiB; ");
        last = now;
        allocated = bytes;
    }

    public readonly string End()
    {
        if (text is null) return "";
        return text.ToString().TrimEnd(' ', ';') + "]";
    }
}
