using System.Diagnostics;
using System.Globalization;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>syntaxmodel [N] [--runs R] [--edits E]</c>: in-process, the Syntax and Model layers alone on a generated pair of
/// files: time and allocation of parsing, building <see cref="ConfigFile"/> and <see cref="ProfileModel"/>, resolving
/// every profile, the memory the syntax and the model keep (full compacting collections before / after), and the cost of one keystroke
/// (WithEdit + incremental ConfigFile + ProfileModel) over random edits.
/// </summary>
public static class SyntaxModelProbe
{
    public static int Run(string[] args)
    {
        var count = 50_000;
        var runs = 9;
        var edits = 300;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--edits" when i + 1 < args.Length: edits = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: count = int.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }
        var generated = ConfigGenerator.Generate(count);
        var configText = generated.Config;
        var credentialsText = generated.Credentials;
        Console.WriteLine($"{count} profiles: config {configText.Length} chars, credentials {credentialsText.Length} chars; "
            + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {LoadAverage()}");

        var configSyntax = SyntaxParser.Parse(configText);
        var credentialsSyntax = SyntaxParser.Parse(credentialsText);
        var config = ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax);
        var model = new ProfileModel(config, credentials);
        var names = model.Profiles.Keys.ToArray();
        Console.WriteLine($"{model.Profiles.Count} profiles in the model; config problems: "
            + string.Join(", ", config.Problems.GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count()}")));

        // AWSCONFIG_LSP_ALLOCATIONS=1: the types parsing and building the model allocate (sampled), once, before the table.
        if (Environment.GetEnvironmentVariable("AWSCONFIG_LSP_ALLOCATIONS") == "1")
        {
            using var sampler = new AllocationSampler();
            sampler.Recording = true;
            var parsed = SyntaxParser.Parse(configText);
            sampler.Recording = false;
            Console.WriteLine("parse config, allocated by type (sampled):");
            sampler.Print(12);
            sampler.Recording = true;
            GC.KeepAlive(ConfigFile.Create(ConfigFileKind.Config, "/c", parsed));
            sampler.Recording = false;
            Console.WriteLine("ConfigFile.Create config, allocated by type (sampled):");
            sampler.Print(12);
        }

        var phases = new List<(string, QuickRunner.Timing)>
        {
            ("parse config", QuickRunner.Measure(runs, () => SyntaxParser.Parse(configText))),
            ("parse credentials", QuickRunner.Measure(runs, () => SyntaxParser.Parse(credentialsText))),
            ("parse both", QuickRunner.Measure(runs, () => (SyntaxParser.Parse(configText), SyntaxParser.Parse(credentialsText)))),
            ("ConfigFile.Create config", QuickRunner.Measure(runs, () => ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax))),
            ("ConfigFile.Create credentials", QuickRunner.Measure(runs, () => ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax))),
            ("new ProfileModel", QuickRunner.Measure(runs, () => new ProfileModel(config, credentials))),
            ("model (both ConfigFiles + ProfileModel)", QuickRunner.Measure(runs, () => new ProfileModel(
                ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax), ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax)))),
            ("parse + model, both files", QuickRunner.Measure(runs, () => new ProfileModel(
                ConfigFile.Create(ConfigFileKind.Config, "/c", SyntaxParser.Parse(configText)),
                ConfigFile.Create(ConfigFileKind.Credentials, "/k", SyntaxParser.Parse(credentialsText))))),
            ("resolve every profile (fresh model)", QuickRunner.Measure(Math.Min(runs, 5), () =>
            {
                var fresh = new ProfileModel(config, credentials);
                foreach (var name in names) fresh.Resolve(name);
                return fresh;
            })),
        };
        Console.WriteLine();
        Console.WriteLine($"| {"phase",-42} | {"wall",10} | {"cpu",10} | {"wall min",10} | {"allocated",10} | {"GC pause",10} |");
        Console.WriteLine($"|{new string('-', 44)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|");
        foreach (var (name, timing) in phases)
        {
            Console.WriteLine($"| {name,-42} | {Ms(timing.WallMs),10} | {Ms(timing.CpuMs),10} | {Ms(timing.MinWallMs),10} | {Mib(timing.AllocatedBytes),10} | {Ms(timing.GcPauseMs),10} |");
        }

        // Retained memory: what each layer keeps alive, measured with full collections in between.
        configSyntax = credentialsSyntax = null!;
        config = credentials = null!;
        model = null!;
        var baseline = Retained();
        var keptSyntax = (SyntaxParser.Parse(configText), SyntaxParser.Parse(credentialsText));
        var afterSyntax = Retained();
        var keptModel = new ProfileModel(
            ConfigFile.Create(ConfigFileKind.Config, "/c", keptSyntax.Item1),
            ConfigFile.Create(ConfigFileKind.Credentials, "/k", keptSyntax.Item2));
        var afterModel = Retained();
        Console.WriteLine();
        Console.WriteLine($"retained: text {Mib((configText.Length + credentialsText.Length) * 2.0)} (the two strings, not counted below), "
            + $"syntax {Mib(afterSyntax - baseline)}, model {Mib(afterModel - afterSyntax)} (syntax + model {Mib(afterModel - baseline)})");

        // Keystrokes: one letter inserted at a random place (a line break or a space could make a duplicate key, after
        // which every build is a full one: that cost is the "model" rows above), then the incremental ConfigFile and ProfileModel.
        var random = new Random(1);
        var syntax = keptSyntax.Item1;
        var file = keptModel.Config;
        var current = keptModel;
        keptModel = null!;
        var editTimes = new List<double>();
        var modelTimes = new List<double>();
        var allocations = new List<long>();
        var fullBuilds = 0;
        var fellBack = new List<bool>();
        // One timed keystroke: WithEdit, then the incremental ConfigFile and ProfileModel; false when the build fell back to a full one.
        bool Keystroke(int offset, string text)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            syntax = syntax.WithEdit(offset, offset, text);
            var t1 = Stopwatch.GetTimestamp();
            file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: file);
            current = new ProfileModel(file, current.Credentials, current);
            var t2 = Stopwatch.GetTimestamp();
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - allocated);
            editTimes.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            modelTimes.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            if (file.Change is not null) return true;
            fullBuilds++;
            return false;
        }
        for (var i = 0; i < edits; i++)
        {
            var offset = random.Next(syntax.Length + 1);
            fellBack.Add(!Keystroke(offset, "x"));
        }
        Report($"{edits} keystrokes at random places ({fullBuilds} fell back to a full model build):", editTimes, modelTimes, allocations);
        var incrementalOnly = modelTimes.Where((_, i) => !fellBack[i]).ToList();
        Console.WriteLine($"  incremental builds only: p50 {Ms(Percentile(incrementalOnly, 50))}  p99 {Ms(Percentile(incrementalOnly, 99))}");

        // Keystrokes in profile names: type a letter at the end of a header's name (the tables of names change). From a
        // fresh model: the random edits above may have left a repeated key, after which every build is a full one.
        syntax = SyntaxParser.Parse(configText);
        file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax);
        current = new ProfileModel(file, current.Credentials, null);
        editTimes.Clear();
        modelTimes.Clear();
        allocations.Clear();
        fullBuilds = 0;
        var (gen1Before, gen2Before) = (GC.CollectionCount(1), GC.CollectionCount(2));
        for (var i = 0; i < edits; i++)
        {
            var section = file.Sections[1 + random.Next(file.Sections.Count - 1)];
            if (section.Syntax.Header is not { } header) continue;
            var offset = section.Start + header.NameSpan.End;
            Keystroke(offset, "q");
        }
        Report($"{editTimes.Count} keystrokes in profile names ({fullBuilds} fell back to a full model build; "
            + $"{GC.CollectionCount(1) - gen1Before} gen1 and {GC.CollectionCount(2) - gen2Before} gen2 collections):", editTimes, modelTimes, allocations);
        GC.KeepAlive(current);
        return 0;
    }

    private static void Report(string title, List<double> editTimes, List<double> modelTimes, List<long> allocations)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"  WithEdit           p50 {Ms(Percentile(editTimes, 50))}  p99 {Ms(Percentile(editTimes, 99))}  max {Ms(editTimes.Max())}");
        Console.WriteLine($"  incremental model  p50 {Ms(Percentile(modelTimes, 50))}  p99 {Ms(Percentile(modelTimes, 99))}  max {Ms(modelTimes.Max())}");
        Console.WriteLine($"  allocated per keystroke p50 {Kib(Percentile(allocations.Select(a => (double)a).ToList(), 50))}  "
            + $"p99 {Kib(Percentile(allocations.Select(a => (double)a).ToList(), 99))}");
    }

    private static long Retained()
    {
        for (var i = 0; i < 3; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Ms(double ms) => ms >= 1
        ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
        : (ms * 1000).ToString("0", CultureInfo.InvariantCulture) + " µs";

    private static string Mib(double bytes) => (bytes / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Kib(double bytes) => (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";
}
