using System.Diagnostics;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>profile N</c>: in-process, where the time of a full analysis goes (each rule alone, in the engine's order, with
/// the time and bytes it allocates), then the engine end to end, then converting and serializing every diagnostic as
/// the server publishes them.
/// </summary>
public static class AnalysisProfile
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 50000;
        var generated = ConfigGenerator.Generate(count);
        var config = ConfigFile.Create(ConfigFileKind.Config, "/a", SyntaxParser.Parse(generated.Config));
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/c", SyntaxParser.Parse(generated.Credentials));
        var model = new ProfileModel(config, credentials, null);
        // Warm up the code paths (JIT) on the same model.
        DiagnosticEngine.Analyze(model, null, null);

        // AWSCONFIG_LSP_ALLOCATIONS=1: the types each rule allocates (sampled), under its row.
        using var sampler = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
        var context = new AnalysisContext(model);
        // Each row runs one rule over the whole model: a rule that reads resolutions resolves every profile again in its
        // row (the context keeps only the last profile's; in the engine the rules take turns per profile and share it).
        Console.WriteLine($"{"rule",-34} {"ms",8} {"MiB",8} {"found",7}");
        foreach (var rule in DiagnosticEngine.Rules)
        {
            if (sampler is not null) sampler.Recording = true;
            var (ms, bytes, found) = Measure(() => rule.Analyze(context).Count());
            if (sampler is not null) sampler.Recording = false;
            Console.WriteLine($"{rule.Code,-34} {ms,8:0.0} {bytes / 1048576.0,8:0.0} {found,7}");
            if (bytes > 1048576) sampler?.Print(6);
            else sampler?.Print(0);
        }
        // All threads' allocations and CPU time: a full analysis runs its section and profile rules on several threads.
        var parallelism = DiagnosticEngine.MaxParallelism;
        foreach (var threads in new[] { 1, parallelism })
        {
            DiagnosticEngine.MaxParallelism = threads;
            for (var i = 0; i < 3; i++)
            {
                var bytes = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = CpuClock.NowMs();
                var start = Stopwatch.GetTimestamp();
                if (sampler is not null) sampler.Recording = i == 2;
                var found = DiagnosticEngine.Analyze(model, null, null).Diagnostics.Count;
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (sampler is not null) sampler.Recording = false;
                Console.WriteLine($"engine, full, {threads} thread(s): {ms:0.0} ms wall, {CpuClock.NowMs() - cpu:0.0} ms CPU, "
                    + $"{(GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1048576.0:0.0} MiB allocated, {found} diagnostics");
                if (i == 2) sampler?.Print(15);
            }
        }
        DiagnosticEngine.MaxParallelism = parallelism;
        var diagnostics = DiagnosticEngine.Analyze(model, null, null).Diagnostics;
        for (var i = 0; i < 3; i++)
        {
            LspDiagnostic[]? converted = null;
            var (ms, bytes, _) = Measure(() =>
            {
                converted = [.. diagnostics.Where(d => d.Location.File == ConfigFileKind.Config).Select(d => LspConvert.ToLsp(d, model, _ => "file:///a"))];
                return 0;
            });
            Console.WriteLine($"LspConvert.ToLsp all: {ms:0.0} ms, {bytes / 1048576.0:0.0} MiB");
            byte[]? json = null;
            (ms, bytes, _) = Measure(() =>
            {
                json = JsonSerializer.SerializeToUtf8Bytes(new PublishDiagnosticsParams("file:///a", converted!), LspJsonContext.Default.PublishDiagnosticsParams);
                return 0;
            });
            Console.WriteLine($"serialize (source-generated): {ms:0.0} ms, {bytes / 1048576.0:0.0} MiB, {json!.Length / 1048576.0:0.0} MiB of JSON");
            (ms, bytes, _) = Measure(() =>
            {
                json = new DiagnosticsJson().Write("file:///a", 1, ConfigFileKind.Config, diagnostics, model, "file:///a", "file:///c").Utf8.ToArray();
                return 0;
            });
            Console.WriteLine($"DiagnosticsJson.Write (first): {ms:0.0} ms, {bytes / 1048576.0:0.0} MiB, {json!.Length / 1048576.0:0.0} MiB of JSON");
        }
        return 0;
    }

    private static (double Ms, long Bytes, int Result) Measure(Func<int> action)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        var result = action();
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - bytes, result);
    }
}
