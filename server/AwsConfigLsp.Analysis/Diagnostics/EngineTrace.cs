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
    private long[]? parts;

    public readonly long Now() => text is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <paramref name="start"/> to part <paramref name="part"/> of the current phase.</summary>
    public void Add(int part, long start)
    {
        if (text is null) return;
        parts ??= new long[4];
        parts[part] += Stopwatch.GetTimestamp() - start;
    }

    public static EngineTrace Start() => Enabled
        ? new EngineTrace { last = Stopwatch.GetTimestamp(), allocated = GC.GetAllocatedBytesForCurrentThread(), text = new StringBuilder(" [") }
        : default;

    public void Mark(string phase, params string[] partNames)
    {
        if (text is null) return;
        var now = Stopwatch.GetTimestamp();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        text.Append($"{phase} {Stopwatch.GetElapsedTime(last, now).TotalMilliseconds:0.0} ms {(bytes - allocated) / 1048576.0:0.0} MiB");
        for (var i = 0; i < partNames.Length && parts is not null; i++)
        {
            text.Append($" ({partNames[i]} {Stopwatch.GetElapsedTime(0, parts[i]).TotalMilliseconds:0.0} ms)");
            parts[i] = 0;
        }
        text.Append("; ");
        last = now;
        allocated = bytes;
    }

    public readonly string End()
    {
        if (text is null) return "";
        return text.ToString().TrimEnd(' ', ';') + "]";
    }
}
