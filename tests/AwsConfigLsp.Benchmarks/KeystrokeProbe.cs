using System.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>keystrokes N [EDITS]</c>: in-process, the keystrokes of <c>lsp</c> (same generated file, same random places and
/// letters) through the layers the server runs for them: the edit, the model, completion and hover at the cursor. Prints
/// the slowest keystrokes with each step's time, the garbage collections in them and the text edited, so a p99 of the
/// server can be told apart: which step, which kind of place.
/// </summary>
public static class KeystrokeProbe
{
    public static int Run(string[] args)
    {
        var size = args.Length > 0 ? int.Parse(args[0]) : 50000;
        var edits = args.Length > 1 ? int.Parse(args[1]) : 200;
        var generated = ConfigGenerator.Generate(size);
        var syntax = SyntaxParser.Parse(generated.Config);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/c", SyntaxParser.Parse(generated.Credentials));
        var file = ConfigFile.Create(ConfigFileKind.Config, "/a", syntax);
        var model = new ProfileModel(file, credentials, null);
        var index = new ValueIndex();
        var lines = new List<string>(generated.Config.Split('\n'));
        var random = new Random(size);
        var rows = new List<(double Total, string Text)>();
        for (var i = 0; i < edits; i++)
        {
            var line = random.Next(lines.Count);
            var column = random.Next(lines[line].Length + 1);
            var ch = (char)('a' + random.Next(26));
            var before = lines[line];
            lines[line] = lines[line].Insert(column, ch.ToString());
            var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var t0 = Stopwatch.GetTimestamp();
            var offset = syntax.LineIndex.GetOffset(new LinePosition(line, column));
            syntax = syntax.WithEdit(offset, offset, ch.ToString());
            var t1 = Stopwatch.GetTimestamp();
            file = ConfigFile.Create(ConfigFileKind.Config, "/a", syntax, previous: file);
            model = new ProfileModel(file, credentials, model);
            var t2 = Stopwatch.GetTimestamp();
            index.Follow(model);
            var cpu = CpuClock.NowMs();
            var served = index.SortedOf("role_arn") is not null;
            var cpuIndex = CpuClock.NowMs() - cpu;
            var completion = Completion.Get(model, ConfigFileKind.Config, offset + 1, new CompletionLookups(_ => []) { Index = index }, lazyDetails: true);
            var t3 = Stopwatch.GetTimestamp();
            cpu = CpuClock.NowMs() - cpu;
            var again = double.MaxValue;
            if (Environment.GetEnvironmentVariable("PROBE_REPEAT") is { } repeat)
            {
                for (var r = 0; r < int.Parse(repeat); r++)
                {
                    var a = Stopwatch.GetTimestamp();
                    Completion.Get(model, ConfigFileKind.Config, offset + 1, new CompletionLookups(_ => []) { Index = index }, lazyDetails: true);
                    again = Math.Min(again, Stopwatch.GetElapsedTime(a).TotalMilliseconds);
                }
            }
            if (Environment.GetEnvironmentVariable("PROBE_DETAIL") == i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                foreach (var name in model.Config.Sections[model.Config.Syntax.FindSectionIndex(offset)].EntityName is { } n ? new[] { n } : [])
                {
                    for (var r = 0; r < 5; r++)
                    {
                        var a = Stopwatch.GetTimestamp();
                        var resolution = CredentialResolver.Resolve(model, name);
                        var b = Stopwatch.GetTimestamp();
                        var markdownTime = Stopwatch.GetTimestamp();
                        Hover.ProfileMarkdown(model, name);
                        Console.WriteLine($"detail #{i} {name}: resolve {Stopwatch.GetElapsedTime(a, b).TotalMilliseconds:0.000} ms ({resolution.Chain.Length} hops, error {resolution.Error?.Kind}), markdown {Stopwatch.GetElapsedTime(markdownTime).TotalMilliseconds:0.000} ms");
                    }
                }
            }
            var hover = Hover.Get(model, ConfigFileKind.Config, offset + 1, index);
            var t4 = Stopwatch.GetTimestamp();
            var hoverAgain = double.MaxValue;
            if (again < double.MaxValue)
            {
                for (var r = 0; r < int.Parse(Environment.GetEnvironmentVariable("PROBE_REPEAT")!); r++)
                {
                    var a = Stopwatch.GetTimestamp();
                    Hover.Get(model, ConfigFileKind.Config, offset + 1, index);
                    hoverAgain = Math.Min(hoverAgain, Stopwatch.GetElapsedTime(a).TotalMilliseconds);
                }
            }
            var gc = $"gc +{GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0.#} ms";
            double Ms(long a, long b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds;
            // Repeated (PROBE_REPEAT): ranked by the warm time (what the NativeAOT server, compiled ahead, pays), else by the first.
            var rank = again < double.MaxValue ? Ms(t0, t2) + again + hoverAgain : Ms(t0, t4);
            rows.Add((rank, $"#{i} edit {Ms(t0, t1):0.00} model {Ms(t1, t2):0.00} ({(file.Change is null ? "full" : "incremental")}) completion {Ms(t2, t3):0.00} (cpu {cpu:0.00}{(again < double.MaxValue ? $", again {again:0.00}" : "")}, index {cpuIndex:0.00}{(served ? "" : " unused")}; {completion.Items.Count} items) hover {Ms(t3, t4):0.00}{(hoverAgain < double.MaxValue ? $", again {hoverAgain:0.00}" : "")} ({(hover is null ? "none" : "shown")}); {gc}; line {line}: \"{Shorten(before)}\" +'{ch}' at {column}"));
        }
        var sorted = rows.Select(r => r.Total).Order().ToArray();
        Console.WriteLine($"{edits} keystrokes on {size} profiles: p50 {sorted[sorted.Length / 2]:0.00} ms, p99 {sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.99 * sorted.Length) - 1)]:0.00} ms, max {sorted[^1]:0.00} ms");
        foreach (var (total, text) in rows.OrderByDescending(r => r.Total).Take(Environment.GetEnvironmentVariable("AWSCONFIG_BENCH_ALL") is null ? 12 : rows.Count)) Console.WriteLine($"{total,8:0.00} ms  {text}");
        return 0;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
