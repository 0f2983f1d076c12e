using System.Diagnostics;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary><c>incremental N [KEYSTROKES]</c>: in-process, times each step of a keystroke on a generated config (edit, model, analysis, publish JSON).</summary>
public static class IncrementalProbe
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 50000;
        var keystrokes = args.Length > 1 ? int.Parse(args[1]) : 30;
        var generated = ConfigGenerator.Generate(count);
        var syntax = SyntaxParser.Parse(generated.Config);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/c", SyntaxParser.Parse(generated.Credentials));
        var watch = Stopwatch.StartNew();
        var file = ConfigFile.Create(ConfigFileKind.Config, "/a", syntax);
        var model = new ProfileModel(file, credentials, null);
        Console.WriteLine($"model {watch.ElapsedMilliseconds} ms");
        using var sampler = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
        AnalysisResult analysis = null!;
        for (var i = 0; i < 3; i++)
        {
            watch.Restart();
            if (sampler is not null) sampler.Recording = i == 2;
            analysis = DiagnosticEngine.Analyze(model, null, null);
            Console.WriteLine($"full analysis {watch.ElapsedMilliseconds} ms ({analysis.Mode}), {analysis.Diagnostics.Count} diagnostics");
        }
        if (sampler is not null)
        {
            sampler.Recording = false;
            Console.WriteLine("allocations sampled during the third full analysis, by type:");
            sampler.Print(25);
        }
        var writer = new AwsConfigLsp.Server.Protocol.DiagnosticsJson();
        writer.Write("file:///a", 0, ConfigFileKind.Config, analysis.Diagnostics, model, "file:///a", "file:///c").Release();
        var random = new Random(1);
        var lines = generated.Config.Split('\n');
        for (var i = 0; i < keystrokes; i++)
        {
            var line = random.Next(lines.Length);
            var offset = syntax.LineIndex.GetOffset(new LinePosition(line, 0));
            var column = random.Next(lines[line].Length + 1);
            var t0 = Stopwatch.GetTimestamp();
            syntax = syntax.WithEdit(offset + column, offset + column, "x");
            var t1 = Stopwatch.GetTimestamp();
            file = ConfigFile.Create(ConfigFileKind.Config, "/a", syntax, previous: file);
            model = new ProfileModel(file, credentials, model);
            var t2 = Stopwatch.GetTimestamp();
            var cpu = CpuClock.NowMs();
            var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            if (sampler is not null) sampler.Recording = true;
            analysis = DiagnosticEngine.Analyze(model, analysis, null);
            if (sampler is not null) sampler.Recording = false;
            cpu = CpuClock.NowMs() - cpu;
            Console.WriteLine($"  gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0.0} ms, heap {GC.GetTotalMemory(false) / 1048576} MiB");
            var t3 = Stopwatch.GetTimestamp();
            var jsonCpu = CpuClock.NowMs();
            // The publish JSON of the config (the server writes it after each analysis, one writer per URI).
            var json = writer.Write("file:///a", i, ConfigFileKind.Config, analysis.Diagnostics, model, "file:///a", "file:///c");
            var t4 = Stopwatch.GetTimestamp();
            jsonCpu = CpuClock.NowMs() - jsonCpu;
            var bytes = json.Utf8.Length;
            json.Release();
            lines[line] = lines[line].Insert(column, "x");
            Console.WriteLine($"edit {Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds:0.00} ms, model {Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds:0.00} ms ({(file.Change is null ? "full" : "incremental")}), "
                + $"analysis {Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds:0.0} ms wall {cpu:0.0} ms cpu ({analysis.Mode}), {analysis.Diagnostics.Count} diagnostics, "
                + $"json {Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds:0.0} ms wall {jsonCpu:0.0} ms cpu ({bytes / 1048576.0:0.0} MiB)");
        }
        if (sampler is not null)
        {
            Console.WriteLine("allocations sampled during the incremental analyses, by type:");
            sampler.Print(25);
        }
        return 0;
    }
}
