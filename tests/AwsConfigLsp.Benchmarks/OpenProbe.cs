using System.Diagnostics;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>open N [--runs R]</c>: in-process, what the server does to open a generated N-profile pair (parse, model, full
/// analysis on the server's threads, the first publish's JSON for both files), each phase with its wall and CPU time,
/// allocation and GC pause, then the process's peak memory (VmHWM) and what stays reachable. The first run is in a
/// fresh process, as an editor's server opens its first file; later runs (R > 1) show the JIT-warm times.
/// </summary>
public static class OpenProbe
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0]) : 50000;
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(1);
        // --retained: after each phase, a full collection and what it left reachable (what the phase's product holds);
        // the collections change the later phases' times, so read times from a run without it.
        var retained = args.Contains("--retained");
        var held = new List<(string Phase, double MiB)>();
        void Hold(string phase)
        {
            if (retained) held.Add((phase, GC.GetTotalMemory(forceFullCollection: true) / 1048576.0));
        }
        var generated = ConfigGenerator.Generate(count);
        // The texts as the server gets them (the didOpen strings), then nothing else alive.
        var configText = generated.Config;
        var credentialsText = generated.Credentials;
        generated = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Console.WriteLine($"{count} profiles; {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, "
            + $"concurrent {AppContext.GetData("System.GC.Concurrent") ?? "default"}, VmHWM before {VmHwmMiB():0.0} MiB, "
            + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        for (var run = 0; run < runs; run++)
        {
            held.Clear();
            Hold("texts");
            var total = Phase.Start();
            var phase = Phase.Start();
            var configSyntax = SyntaxParser.Parse(configText);
            var credentialsSyntax = SyntaxParser.Parse(credentialsText);
            var parse = phase.End();
            Hold("syntax");
            phase = Phase.Start();
            var model = new ProfileModel(
                ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax),
                ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax));
            var build = phase.End();
            Hold("model");
            phase = Phase.Start();
            var result = DiagnosticEngine.Analyze(model, null, null);
            var analysis = phase.End();
            Hold("analysis result");
            phase = Phase.Start();
            var configJson = new DiagnosticsJson().Write("file:///c", 1, ConfigFileKind.Config, result.Diagnostics, model, "file:///c", "file:///k");
            var credentialsJson = new DiagnosticsJson().Write("file:///k", 1, ConfigFileKind.Credentials, result.Diagnostics, model, "file:///c", "file:///k");
            var json = phase.End();
            Hold("publish JSON");
            var all = total.End();
            Features.ValueIndex? index = null;
            if (retained)
            {
                // AWSCONFIG_LSP_ALLOCATIONS=1: the types building the value index allocates (sampled).
                using var sampler = Environment.GetEnvironmentVariable("AWSCONFIG_LSP_ALLOCATIONS") == "1" ? new AllocationSampler { Recording = true } : null;
                var indexPhase = Phase.Start();
                index = new Features.ValueIndex();
                using (model.Read()) index.Update(model);
                var built = indexPhase.End();
                if (sampler is not null) sampler.Recording = false;
                Console.WriteLine($"  value index {built.WallMs:0.0} ms wall, {built.CpuMs:0.0} ms CPU, {built.AllocatedMiB:0.0} MiB allocated, GC {built.PauseMs:0.0} ms");
                sampler?.Print(12);
                Hold("value index");
                for (var i = 1; i < held.Count; i++) Console.WriteLine($"  retained by {held[i].Phase,-16} {held[i].MiB - held[i - 1].MiB,7:0.0} MiB (total {held[i].MiB:0.0} MiB)");
                Console.WriteLine($"  retained by the texts {held[0].MiB:0.0} MiB");
            }
            Console.WriteLine($"run {run + 1}: {result.Diagnostics.Count} diagnostics, {(configJson.Utf8.Length + credentialsJson.Utf8.Length) / 1048576.0:0.0} MiB of JSON");
            Console.WriteLine($"  {"phase",-10} {"wall",10} {"cpu",10} {"allocated",11} {"GC pause",10} {"gen0/1/2",10}");
            foreach (var (name, p) in new[] { ("parse", parse), ("model", build), ("analysis", analysis), ("json", json), ("open", all) })
            {
                Console.WriteLine($"  {name,-10} {p.WallMs,7:0.0} ms {p.CpuMs,7:0.0} ms {p.AllocatedMiB,7:0.0} MiB {p.PauseMs,7:0.0} ms {p.Gen0,4}/{p.Gen1}/{p.Gen2}");
            }
            Console.WriteLine($"  analysis phases: {result.Mode}");
            Console.WriteLine($"  VmHWM {VmHwmMiB():0.0} MiB; heap now {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.0} MiB; "
                + $"reachable (model, result, JSON) {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:0.0} MiB");
            GC.KeepAlive(result);
            GC.KeepAlive(index);
            GC.KeepAlive(configJson);
            GC.KeepAlive(credentialsJson);
        }
        return 0;
    }

    private static double VmHwmMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
        }
        return double.NaN;
    }

    private readonly record struct Phase(long Timestamp, double Cpu, long Allocated, TimeSpan Pause, int Gen0, int Gen1, int Gen2)
    {
        public static Phase Start() => new(Stopwatch.GetTimestamp(), CpuClock.NowMs(), GC.GetTotalAllocatedBytes(precise: true),
            GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

        public (double WallMs, double CpuMs, double AllocatedMiB, double PauseMs, int Gen0, int Gen1, int Gen2) End() =>
            (Stopwatch.GetElapsedTime(Timestamp).TotalMilliseconds, CpuClock.NowMs() - Cpu,
                (GC.GetTotalAllocatedBytes(precise: true) - Allocated) / 1048576.0, (GC.GetTotalPauseDuration() - Pause).TotalMilliseconds,
                GC.CollectionCount(0) - Gen0, GC.CollectionCount(1) - Gen1, GC.CollectionCount(2) - Gen2);
    }
}
