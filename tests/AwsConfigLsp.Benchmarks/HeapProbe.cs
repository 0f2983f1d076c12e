using System.Globalization;
using System.Runtime.InteropServices;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Microsoft.Diagnostics.Runtime;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>heap [N] [--stage syntax|model|analysis|valueindex] [--top T]</c>, or <c>heap --pid PID</c> for a running (JIT) server: what the live heap holds once a generated pair of N profiles
/// is parsed, modelled and analysed (the stage kept; the texts are dropped only from the probe's locals, as the server
/// keeps them), by type: bytes and objects, after a full compacting collection, read from a snapshot of this process
/// with ClrMD. The strings are split by what they are (a document's text, a section's raw name, an ARN, a profile name,
/// a short value): the figures the memory target's arithmetic needs, instead of estimates from dropping fields.
/// With <c>--pid</c> and the environment variable <c>HEAP_PATHS=TYPE</c> (a full type name), it also prints how the
/// instances of that type are reached: the chain of types from a root to each (breadth first: a shortest one), grouped.
/// </summary>
public static class HeapProbe
{
    public static int Run(string[] args)
    {
        var count = 50_000;
        var stage = "analysis";
        var top = 25;
        int? pid = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stage" when i + 1 < args.Length: stage = args[++i]; break;
                case "--pid" when i + 1 < args.Length: pid = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--top" when i + 1 < args.Length: top = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: count = int.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }
        if (stage is not ("syntax" or "model" or "analysis" or "valueindex"))
        {
            Console.Error.WriteLine($"unknown stage '{stage}': syntax, model, analysis or valueindex");
            return 2;
        }
        if (pid is { } other) return Report(other, top, reachableOnly: true, kept: null);
        var kept = Build(count, stage);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Console.WriteLine($"{count} profiles, {stage} kept: GC.GetTotalMemory {GC.GetTotalMemory(true) / 1048576.0:0.0} MiB");

        return Report(Environment.ProcessId, top, reachableOnly: false, kept);
    }

    // The objects of a process's heap by type and strings by kind; for another process (a JIT-run server: ClrMD does not
    // read NativeAOT), which collects when it likes, only those reachable from its roots.
    private static int Report(int processId, int top, bool reachableOnly, object? kept)
    {
        var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), OperatingSystem.IsWindows() ? "mscordaccore.dll" : "libmscordaccore.so");
        using var target = DataTarget.CreateSnapshotAndAttach(processId);
        // The snapshot does not say which runtime build it is; the DAC beside this runtime is the one.
        using var runtime = target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true);
        var byType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        var strings = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        long total = 0;
        var largest = new PriorityQueue<(string Type, long Size), long>();
        var holderOf = new Dictionary<ulong, string>();
        var parentOf = new Dictionary<ulong, ulong>();
        var typeAt = new Dictionary<ulong, string>();
        var pathsOf = Environment.GetEnvironmentVariable("HEAP_PATHS");
        var walked = reachableOnly ? Reachable(runtime.Heap, holderOf, pathsOf is null ? null : parentOf) : runtime.Heap.EnumerateObjects();
        var targets = new List<ulong>();
        foreach (var item in walked)
        {
            if (pathsOf is not null)
            {
                typeAt[item.Address] = item.Type?.Name ?? "?";
                if (item.Type?.Name == pathsOf) targets.Add(item.Address);
            }
            if (!item.IsValid || item.IsFree) continue;
            var name = item.Type?.Name ?? "?";
            var size = (long)item.Size;
            Add(byType, name, size);
            if (name == "System.String") Add(strings, KindOf(item), size);
            total += size;
            largest.Enqueue((holderOf.TryGetValue(item.Address, out var holder) ? $"{name} (held by {holder})" : name, size), size);
            if (largest.Count > 8) largest.Dequeue();
        }
        Console.WriteLine($"live objects: {total / 1048576.0:0.00} MiB");
        Console.WriteLine("| MiB | objects | type |");
        Console.WriteLine("|---:|---:|---|");
        foreach (var (name, (objects, bytes)) in byType.OrderByDescending(pair => pair.Value.Bytes).Take(top))
        {
            Console.WriteLine($"| {bytes / 1048576.0:0.00} | {objects} | {name} |");
        }
        Console.WriteLine("largest objects: " + string.Join(", ", largest.UnorderedItems.OrderByDescending(item => item.Priority)
            .Select(item => $"{item.Element.Type} {item.Priority / 1048576.0:0.00} MiB")));
        Console.WriteLine("| MiB | strings | kind |");
        Console.WriteLine("|---:|---:|---|");
        foreach (var (kind, (objects, bytes)) in strings.OrderByDescending(pair => pair.Value.Bytes))
        {
            Console.WriteLine($"| {bytes / 1048576.0:0.00} | {objects} | {kind} |");
        }
        if (pathsOf is not null)
        {
            // How the instances of one type are reached: the chain of types from a root (breadth first: a shortest one), grouped.
            var chains = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var wanted in targets)
            {
                var chain = new List<string>();
                for (var at = wanted; parentOf.TryGetValue(at, out var parent) && chain.Count < 40; at = parent) chain.Add(typeAt.GetValueOrDefault(parent, "?"));
                chain.Reverse();
                var key = string.Join(" -> ", chain.Select(name => name.Replace("AwsConfigLsp.", "", StringComparison.Ordinal)));
                chains[key] = chains.GetValueOrDefault(key) + 1;
            }
            Console.WriteLine($"paths to {targets.Count} {pathsOf}:");
            foreach (var (chain, count) in chains.OrderByDescending(pair => pair.Value).Take(12)) Console.WriteLine($"{count} x {chain}");
        }
        GC.KeepAlive(kept);
        return 0;
    }

    private static object Build(int count, string stage)
    {
        var generated = ConfigGenerator.Generate(count);
        var configSyntax = SyntaxParser.Parse(generated.Config);
        var credentialsSyntax = SyntaxParser.Parse(generated.Credentials);
        if (stage == "syntax") return new object[] { configSyntax, credentialsSyntax };
        var model = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax), ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax));
        if (stage == "model") return model;
        var analysis = DiagnosticEngine.Analyze(model, null, null);
        if (stage == "analysis") return analysis;
        // The analysis and the value index the server builds after the first publish.
        var index = new Features.ValueIndex();
        using (model.Read()) index.Update(model);
        return new object[] { analysis, index };
    }

    // The objects reachable from the roots; for those of 1 MiB or more, the type of the object that holds them (into holderOf).
    private static IEnumerable<ClrObject> Reachable(ClrHeap heap, Dictionary<ulong, string> holderOf, Dictionary<ulong, ulong>? parentOf)
    {
        var seen = new HashSet<ulong>();
        // Breadth first when paths are asked for (each object's parent is then on a shortest path from a root).
        var pending = new Queue<ClrObject>();
        foreach (var root in heap.EnumerateRoots())
        {
            if (root.Object.IsValid && seen.Add(root.Object.Address)) pending.Enqueue(root.Object);
        }
        while (pending.Count > 0)
        {
            var item = pending.Dequeue();
            yield return item;
            foreach (var reference in item.EnumerateReferences(carefully: false, considerDependantHandles: true))
            {
                if (!reference.IsValid || !seen.Add(reference.Address)) continue;
                pending.Enqueue(reference);
                if (parentOf is not null) parentOf[reference.Address] = item.Address;
                if (reference.Size >= 1 << 20) holderOf[reference.Address] = item.Type?.Name ?? "?";
            }
        }
    }

    private static void Add(Dictionary<string, (long Count, long Bytes)> table, string key, long size)
    {
        table.TryGetValue(key, out var found);
        table[key] = (found.Count + 1, found.Bytes + size);
    }

    private static string KindOf(ClrObject item)
    {
        if (item.Size > 100_000) return "a document's text";
        var text = item.AsString(64) ?? "";
        if (text.StartsWith("profile ", StringComparison.Ordinal) || text.StartsWith("sso-session ", StringComparison.Ordinal)) return "a section's raw name ([profile x], [sso-session x])";
        if (text.StartsWith("arn:", StringComparison.Ordinal)) return "an ARN (role_arn, mfa_serial)";
        if (text.Length <= 12) return "up to 12 characters (keys, short values)";
        if (text.Contains('`', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal)) return "a message or text with spaces";
        return "longer than 12, no space (names, values)";
    }
}
