using System.Diagnostics;
using System.Globalization;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>quick</c>: a fast sanity check with a Stopwatch (warm-up, then the median of several samples) of every
/// scenario, printed as a table, plus a breakdown of where the time of an open goes. Not a substitute for the
/// BenchmarkDotNet run; a tool to see in seconds whether something regressed badly.
/// </summary>
public static class QuickRunner
{
    public const string Usage = """
        quick [--sizes 1000,10000,50000] [--runs N] [--dir DIR] [--tsv] [--no-breakdown]
          --sizes   profile counts to generate (default 1000,10000,50000)
          --runs    samples per scenario after one warm-up; the median is printed (default 7)
          --dir     read DIR/<size>/config and DIR/<size>/credentials (written by --write) instead of generating,
                    and also time an open from disk (read + UTF-8 decode + open)
          --tsv     machine-readable output: size, scenario, median wall ms, median cpu ms (for compare-botocore.sh)
          --no-breakdown  skip the per-phase breakdown of the largest size
        """;

    private sealed record Row(int Size, string Scenario, Timing Median, string Note);

    public static int Run(string[] args)
    {
        var sizes = new List<int> { 1_000, 10_000, 50_000 };
        var runs = 7;
        string? dir = null;
        var tsv = false;
        var breakdown = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes" when i + 1 < args.Length:
                    sizes = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--runs" when i + 1 < args.Length:
                    runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--dir" when i + 1 < args.Length:
                    dir = args[++i];
                    break;
                case "--tsv":
                    tsv = true;
                    break;
                case "--no-breakdown":
                    breakdown = false;
                    break;
                default:
                    Console.Error.WriteLine($"error: unknown quick option '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var rows = new List<Row>();
        foreach (var size in sizes)
        {
            var workload = Load(size, dir);
            if (!tsv)
            {
                Console.Error.WriteLine($"measuring {size} profiles: config {Mib(workload.ConfigText.Length)}, credentials {Mib(workload.CredentialsText.Length)}...");
            }
            var diagnostics = workload.Open().Count;
            if (dir is not null)
            {
                var configPath = Path.Combine(dir, size.ToString(CultureInfo.InvariantCulture), "config");
                var credentialsPath = Path.Combine(dir, size.ToString(CultureInfo.InvariantCulture), "credentials");
                rows.Add(new Row(size, "open from disk (read+decode+open)", Measure(runs, () =>
                {
                    var config = FileLoader.ReadText(configPath)!.Value.Text;
                    var credentials = FileLoader.ReadText(credentialsPath)!.Value.Text;
                    return Workload.Open(config, credentials);
                }), ""));
            }
            rows.Add(new Row(size, "open (parse+model+analyze)", Measure(runs, workload.Open), $"{diagnostics} diagnostics"));
            rows.Add(new Row(size, "open without credentials (error path)", Measure(runs, workload.OpenWithoutCredentials),
                $"{workload.OpenWithoutCredentials().Count} diagnostics"));
            rows.Add(new Row(size, "parse only (both files)", Measure(runs, workload.ParseOnly), ""));
            rows.Add(new Row(size, "edit: replace region value (WithEdit)", Measure(runs, workload.EditRegion), ""));
            rows.Add(new Row(size, "edit: insert a line (WithEdit)", Measure(runs, workload.InsertLine), ""));
            rows.Add(new Row(size, "edit + rebuild model + analyze", Measure(runs, () => workload.Reanalyze(workload.EditRegion())), ""));
            _ = workload.Model;
            rows.Add(new Row(size, "completion: keys (mid-file)", Measure(runs, workload.CompleteKey), ""));
            rows.Add(new Row(size, "completion: source_profile value", Measure(runs, workload.CompleteSourceProfile), ""));
            rows.Add(new Row(size, "hover: profile chain (mid-file)", Measure(runs, workload.HoverProfile), ""));
            rows.Add(new Row(size, "code lenses (whole config)", Measure(runs, workload.CodeLenses), $"{workload.CodeLenses()} lenses"));
            rows.Add(new Row(size, "references of a profile", Measure(runs, workload.References), ""));
            rows.Add(new Row(size, "LineIndex offset->position (x1000)", Measure(runs, workload.OffsetToPosition), ""));
            rows.Add(new Row(size, "LineIndex position->offset (x1000)", Measure(runs, workload.PositionToOffset), ""));
            rows.Add(new Row(size, "floor: count newlines (byte loop)", Measure(runs, workload.CountNewlinesLoop), ""));
        }

        if (tsv)
        {
            foreach (var row in rows)
            {
                Console.WriteLine(string.Join('\t', row.Size.ToString(CultureInfo.InvariantCulture), row.Scenario,
                    row.Median.WallMs.ToString("0.######", CultureInfo.InvariantCulture),
                    row.Median.CpuMs.ToString("0.######", CultureInfo.InvariantCulture)));
            }
        }
        else
        {
            PrintTable(rows, runs);
            if (breakdown && sizes.Count > 0) PrintBreakdown(Load(sizes.Max(), dir), runs);
        }
        return 0;
    }

    private static Workload Load(int size, string? dir)
    {
        if (dir is null) return new Workload(size);
        var folder = Path.Combine(dir, size.ToString(CultureInfo.InvariantCulture));
        var config = FileLoader.ReadText(Path.Combine(folder, "config"))?.Text
            ?? throw new FileNotFoundException($"{folder}/config does not exist; write it with --write {dir} {size}.");
        var credentials = FileLoader.ReadText(Path.Combine(folder, "credentials"))?.Text ?? "";
        return new Workload(config, credentials, size);
    }

    /// <summary>
    /// Median wall-clock and process CPU time of one call, in milliseconds, the fastest wall-clock sample (on a busy
    /// machine the closest to what the code costs alone), mean bytes allocated and mean time the GC paused the
    /// program per call.
    /// </summary>
    public readonly record struct Timing(double WallMs, double CpuMs, double MinWallMs, double AllocatedBytes, double GcPauseMs);

    /// <summary>
    /// The median time of one call. Fast operations repeat inside a sample until the sample takes at least ~20 ms, so
    /// the clock resolution does not matter. Wall and CPU medians are taken independently.
    /// </summary>
    public static Timing Measure<T>(int runs, Func<T> action)
    {
        GC.KeepAlive(action()); // warm-up (and JIT)
        var stopwatch = Stopwatch.StartNew();
        GC.KeepAlive(action());
        var single = stopwatch.Elapsed.TotalMilliseconds;
        var repeat = single >= 20 ? 1 : (int)Math.Min(1_000_000, Math.Ceiling(20 / Math.Max(single, 0.0001)));
        var wall = new double[runs];
        var cpu = new double[runs];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var pauseBefore = GC.GetTotalPauseDuration();
        for (var run = 0; run < runs; run++)
        {
            var cpuStart = CpuClock.NowMs();
            stopwatch.Restart();
            for (var i = 0; i < repeat; i++) GC.KeepAlive(action());
            wall[run] = stopwatch.Elapsed.TotalMilliseconds / repeat;
            cpu[run] = (CpuClock.NowMs() - cpuStart) / repeat;
        }
        var calls = (double)runs * repeat;
        var allocated = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / calls;
        var pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / calls;
        Array.Sort(wall);
        Array.Sort(cpu);
        return new Timing(wall[runs / 2], cpu[runs / 2], wall[0], allocated, pause);
    }

    private static void PrintTable(List<Row> rows, int runs)
    {
        Console.WriteLine($"median of {runs} runs after a warm-up ({Environment.ProcessorCount} cores, .NET {Environment.Version}, "
            + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {LoadAverage()})");
        Console.WriteLine("wall = elapsed; cpu = CPU time of the whole process (GC threads included); wall min = fastest sample; "
            + "allocated and GC pause = mean per call");
        Console.WriteLine();
        Console.WriteLine($"| {"profiles",8} | {"scenario",-38} | {"wall",10} | {"cpu",10} | {"wall min",10} | {"allocated",10} | {"GC pause",10} | note");
        Console.WriteLine($"|{new string('-', 10)}|{new string('-', 40)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|------");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {row.Size,8} | {row.Scenario,-38} | {FormatMs(row.Median.WallMs),10} | {FormatMs(row.Median.CpuMs),10} | "
                + $"{FormatMs(row.Median.MinWallMs),10} | {FormatBytes(row.Median.AllocatedBytes),10} | {FormatMs(row.Median.GcPauseMs),10} | {row.Note}");
        }
    }

    /// <summary>Where an open goes: each phase timed on its own (median), and inside the analysis each rule.</summary>
    private static void PrintBreakdown(Workload workload, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"breakdown of an open at {workload.ProfileCount} profiles (each phase measured alone, median of {runs}):");
        var configSyntax = SyntaxParser.Parse(workload.ConfigText);
        var credentialsSyntax = SyntaxParser.Parse(workload.CredentialsText);
        var config = ConfigFile.Create(ConfigFileKind.Config, null, configSyntax);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, null, credentialsSyntax);
        var model = new ProfileModel(config, credentials);
        var context = new AnalysisContext(model);

        var phases = new List<(string, Timing)>
        {
            ("SyntaxParser.Parse(config)", Measure(runs, () => SyntaxParser.Parse(workload.ConfigText))),
            ("SyntaxParser.Parse(credentials)", Measure(runs, () => SyntaxParser.Parse(workload.CredentialsText))),
            ("ConfigFile.Create(config)", Measure(runs, () => ConfigFile.Create(ConfigFileKind.Config, null, configSyntax))),
            ("ConfigFile.Create(credentials)", Measure(runs, () => ConfigFile.Create(ConfigFileKind.Credentials, null, credentialsSyntax))),
            ("new ProfileModel", Measure(runs, () => new ProfileModel(config, credentials))),
            ("DiagnosticEngine.Analyze (total)", Measure(runs, () => DiagnosticEngine.Analyze(model))),
            ("  AnalysisContext: resolve every profile", Measure(runs, () => new AnalysisContext(model))),
        };
        foreach (var rule in DiagnosticEngine.Rules)
        {
            phases.Add(($"  rule {rule.Code} ({rule.GetType().Name})", Measure(runs, () => rule.Analyze(context).Count())));
        }
        Console.WriteLine($"  {"phase",-70} {"wall",10} {"cpu",10} {"wall min",10} {"allocated",10} {"GC pause",10}");
        foreach (var (name, timing) in phases)
        {
            Console.WriteLine($"  {name,-70} {FormatMs(timing.WallMs),10} {FormatMs(timing.CpuMs),10} {FormatMs(timing.MinWallMs),10} "
                + $"{FormatBytes(timing.AllocatedBytes),10} {FormatMs(timing.GcPauseMs),10}");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string FormatMs(double ms) => ms >= 1
        ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
        : (ms * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    private static string FormatBytes(double bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    private static string Mib(int chars) => (chars / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MiB";
}
