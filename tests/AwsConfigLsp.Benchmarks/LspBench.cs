using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// <c>lsp</c> mode: drives the real server process over stdio as an editor does and prints one table. Per size it
/// writes the generated config + credentials, starts the server, opens both files (open time = the first byte of the first didOpen written, both messages serialized beforehand, to the
/// first publishDiagnostics of the config), types 200 characters at random places, each followed by a completion and
/// a hover at the cursor (the keystroke time is didChange sent to completion answered), waits for the debounced
/// diagnostics after every tenth keystroke, then measures definition / references / rename / hover / completion on
/// profile names. Times are client-side round trips over the pipes (an upper bound of the server's time), and beside
/// them the server's own time, from the server's <c>AWSCONFIG_LSP_TIMING</c> log: from the moment it read the request
/// (for a keystroke: the didChange before the completion) to the moment it wrote the answer. The same
/// run times botocore's <c>load_config</c> on the same files, reads the server's peak RSS (VmHWM) and the cold start
/// (process start to the initialize answer) of each server given.
/// </summary>
public static class LspBench
{
    public const string Usage = """
          dotnet AwsConfigLsp.Benchmarks.dll lsp --server CMD [--jit CMD] [--sizes 1000,10000,50000] [--edits 200] [--dir DIR]
              [--botocore-runs 3] [--open-runs 3]
              CMD: a server executable, or a .dll run with dotnet. --server is measured fully (the shipped AOT binary);
              --jit only for cold start and the open. Prints one table (see docs/performance.md).
        """;

    public static int Run(string[] args)
    {
        string? server = null, jit = null, dir = null;
        var sizes = new List<int> { 1000, 10000, 50000 };
        var edits = 200;
        var botocoreRuns = 3;
        // The server's open is timed as often as botocore's load (each a fresh server): the median of both is compared.
        var openRuns = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--server": server = args[++i]; break;
                case "--jit": jit = args[++i]; break;
                case "--dir": dir = args[++i]; break;
                case "--edits": edits = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--botocore-runs": botocoreRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--open-runs": openRuns = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--sizes": sizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}\n{Usage}"); return 2;
            }
        }
        if (server is null) { Console.Error.WriteLine(Usage); return 2; }
        dir = Path.GetFullPath(dir ?? Path.Combine(Path.GetTempPath(), "awsconfig-lsp-bench"));
        Directory.CreateDirectory(dir);

        var rows = new List<(string Profiles, string Op, string P50, string P99, string ServerP50, string ServerP99, string Note)>();
        void Row(object profiles, string op, string p50, string p99 = "", string note = "", string serverP50 = "", string serverP99 = "") =>
            rows.Add((profiles.ToString()!, op, p50, p99, serverP50, serverP99, note));

        var cold = ColdStart(server, dir, 15);
        Row("-", "cold start, shipped server (process start -> initialize answer)", Ms(cold.P50), Ms(cold.P99), Describe(server));
        if (jit is not null)
        {
            var coldJit = ColdStart(jit, dir, 15);
            Row("-", "cold start, JIT build", Ms(coldJit.P50), Ms(coldJit.P99), Describe(jit));
        }

        foreach (var size in sizes)
        {
            var folder = Path.Combine(dir, size.ToString(CultureInfo.InvariantCulture), ".aws");
            Directory.CreateDirectory(folder);
            var generated = ConfigGenerator.Generate(size);
            var configPath = Path.Combine(folder, "config");
            var credentialsPath = Path.Combine(folder, "credentials");
            File.WriteAllText(configPath, generated.Config, new UTF8Encoding(false));
            File.WriteAllText(credentialsPath, generated.Credentials, new UTF8Encoding(false));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.Error.WriteLine($"[{size}] config {new FileInfo(configPath).Length / 1024.0 / 1024:0.00} MiB; botocore ...");

            var botocore = Botocore(configPath, credentialsPath, botocoreRuns);
            Console.Error.WriteLine($"[{size}] botocore load_config median {botocore:0} ms; server ...");

            var result = Drive(server, configPath, credentialsPath, generated.Config, size, edits, full: true);
            // The first open is the full run's; the others are fresh servers that open and stop.
            List<double> opens = [result.Open];
            for (var run = 1; run < openRuns; run++) opens.Add(Drive(server, configPath, credentialsPath, generated.Config, size, 0, full: false).Open);
            var open = Percentile([.. opens.Order()], 0.50);
            Row(size, "open: didOpen both files -> first publishDiagnostics", Ms(open), "",
                $"botocore load_config {botocore:0} ms -> {botocore / open:0.0}x faster; "
                + (opens.Count > 1 ? $"median of {opens.Count} fresh servers ({string.Join(" / ", opens.Select(Ms))}), as botocore's of {botocoreRuns} load{(botocoreRuns == 1 ? "" : "s")}; " : "")
                + $"{result.DiagnosticCount} diagnostics");
            if (jit is not null)
            {
                var jitResult = Drive(jit, configPath, credentialsPath, generated.Config, size, 0, full: false);
                Row(size, "open, JIT build", Ms(jitResult.Open), "", $"{botocore / jitResult.Open:0.0}x faster than botocore");
            }
            foreach (var (op, samples, serverSamples, slowest) in result.Samples)
            {
                var sorted = samples.Order().ToArray();
                var serverSorted = serverSamples?.Order().ToArray() ?? [];
                Row(size, op, Ms(Percentile(sorted, 0.50)), Ms(Percentile(sorted, 0.99)), string.IsNullOrEmpty(slowest) ? $"n={sorted.Length}" : $"n={sorted.Length}; slowest in the server: {slowest}",
                    serverSorted.Length == 0 ? "" : Ms(Percentile(serverSorted, 0.50)), serverSorted.Length == 0 ? "" : Ms(Percentile(serverSorted, 0.99)));
            }
            Row(size, "peak memory of the server (VmHWM) after the first publish", $"{result.OpenPeakKiB / 1024.0:0.0} MiB", "", "opening both files");
            Row(size, "peak memory of the server (VmHWM)", $"{result.PeakKiB / 1024.0:0.0} MiB", "", "both files open, after all requests");
        }

        Console.WriteLine();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuModel()}, {MemTotal()}; load average at end: {LoadAverage()}");
        Console.WriteLine("| profiles | operation | p50 | p99 | server p50 | server p99 | note |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---|");
        foreach (var (profiles, op, p50, p99, serverP50, serverP99, note) in rows)
        {
            Console.WriteLine($"| {profiles} | {op} | {p50} | {p99} | {serverP50} | {serverP99} | {note} |");
        }
        return 0;
    }

    private static string Describe(string command) => command.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet " + Path.GetFileName(command) : Path.GetFileName(command);

    private static string Ms(double ms) => ms >= 100 ? $"{ms:0} ms" : ms >= 10 ? $"{ms:0.0} ms" : $"{ms:0.00} ms";

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record DriveResult(double Open, int DiagnosticCount, long PeakKiB, long OpenPeakKiB, List<(string Op, List<double> Samples, List<double>? Server, string? Slowest)> Samples);

    private static (double P50, double P99) ColdStart(string server, string dir, int runs)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var watch = Stopwatch.StartNew();
            using var client = LspClient.Start(server, dir);
            var answered = client.Request("initialize", InitializeParams(dir));
            var elapsed = watch.Elapsed.TotalMilliseconds - Stopwatch.GetElapsedTime(answered).TotalMilliseconds;
            client.Shutdown();
            if (i > 0) samples.Add(elapsed); // the first run warms the disk cache
        }
        var sorted = samples.Order().ToArray();
        return (Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    private static JsonObject InitializeParams(string dir) => new()
    {
        ["processId"] = Environment.ProcessId,
        ["rootUri"] = new Uri(dir).AbsoluteUri,
        // What VS Code declares for completion: it resolves an item's detail and documentation when the item is shown.
        ["capabilities"] = new JsonObject
        {
            ["textDocument"] = new JsonObject
            {
                ["completion"] = new JsonObject
                {
                    ["completionItem"] = new JsonObject
                    {
                        ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("documentation", "detail", "additionalTextEdits") },
                    },
                },
            },
        },
    };

    private static DriveResult Drive(string server, string configPath, string credentialsPath, string configText, int size, int edits, bool full)
    {
        var home = Path.GetDirectoryName(Path.GetDirectoryName(configPath))!;
        var timingFile = Path.Combine(Path.GetTempPath(), $"awsconfig-lsp-timing-{Environment.ProcessId}-{size}.log");
        using var client = LspClient.Start(server, home, timingFile);
        client.Request("initialize", InitializeParams(home));
        client.Notify("initialized", new JsonObject());
        var configUri = new Uri(configPath).AbsoluteUri;
        var credentialsUri = new Uri(credentialsPath).AbsoluteUri;
        var credentialsText = File.ReadAllText(credentialsPath);

        // Both messages are serialized before the clock starts: the open is the server's time from the first byte it can
        // read, not this client's JSON encoding of 9 MB (an editor's own, which a JIT-compiled JsonObject does slowly).
        var serializeStart = Stopwatch.GetTimestamp();
        var openConfig = LspClient.Frame("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = configUri, ["languageId"] = "awsconfig", ["version"] = 1, ["text"] = configText },
        });
        var openCredentials = LspClient.Frame("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = credentialsUri, ["languageId"] = "awscredentials", ["version"] = 1, ["text"] = credentialsText },
        });
        Console.Error.WriteLine($"[{size}] client: both didOpen messages serialized in {Stopwatch.GetElapsedTime(serializeStart).TotalMilliseconds:0} ms (before the open's clock starts)");
        var openStart = Stopwatch.GetTimestamp();
        client.SendFrame(openConfig);
        client.SendFrame(openCredentials);
        var written = Stopwatch.GetTimestamp();
        var published = client.WaitForDiagnostics(configUri, version: 1, TimeSpan.FromSeconds(120));
        var open = Stopwatch.GetElapsedTime(openStart, published.At).TotalMilliseconds;
        if (Environment.GetEnvironmentVariable("AWSCONFIG_LSP_TRACE") == "1")
        {
            // To line up with the server's trace (same clock): when the client began and finished writing both didOpens.
            Console.Error.WriteLine($"bench: didOpen written from clock {openStart} to {written} ({Stopwatch.GetElapsedTime(openStart, written).TotalMilliseconds:0.0} ms); "
                + $"first publish read at +{open:0.0} ms");
        }
        // The peak so far: opening both files and the first publish (what the editor's open costs in memory).
        var openPeak = client.PeakRssKiB();
        client.MemoryNote("opening both files");
        var samples = new List<(string, List<double>, List<double>?, string?)>();
        if (!full)
        {
            client.Shutdown();
            return new DriveResult(open, published.Count, 0, openPeak, samples);
        }

        // A mirror of the document, to pick places and send positions as an editor would.
        var lines = new List<string>(configText.Split('\n'));
        var random = new Random(size);
        var keystroke = new List<double>();
        var hover = new List<double>();
        var diagnosticsAfterDebounce = new List<double>();
        var keystrokeIds = new List<int>();
        var hoverIds = new List<int>();
        var measured = new List<(string Op, List<double> Times, List<int> Ids)>();
        var version = 1;
        const double debounceMs = 150;
        for (var i = 0; i < edits; i++)
        {
            var line = random.Next(lines.Count);
            var column = random.Next(lines[line].Length + 1);
            var ch = (char)('a' + random.Next(26));
            lines[line] = lines[line].Insert(column, ch.ToString());
            version++;
            var position = new JsonObject { ["line"] = line, ["character"] = column };
            var start = Stopwatch.GetTimestamp();
            client.Notify("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = configUri, ["version"] = version },
                ["contentChanges"] = new JsonArray(new JsonObject
                {
                    ["range"] = new JsonObject { ["start"] = position.DeepClone(), ["end"] = position.DeepClone() },
                    ["text"] = ch.ToString(),
                }),
            });
            var cursor = new JsonObject { ["line"] = line, ["character"] = column + 1 };
            var completed = client.Request(out var completionId, "textDocument/completion", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = configUri }, ["position"] = cursor.DeepClone() });
            keystroke.Add(Stopwatch.GetElapsedTime(start, completed).TotalMilliseconds);
            keystrokeIds.Add(completionId);
            var hoverStart = Stopwatch.GetTimestamp();
            var hovered = client.Request(out var hoverId, "textDocument/hover", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = configUri }, ["position"] = cursor.DeepClone() });
            hover.Add(Stopwatch.GetElapsedTime(hoverStart, hovered).TotalMilliseconds);
            hoverIds.Add(hoverId);
            if (i % 10 == 9)
            {
                var arrived = client.WaitForDiagnostics(configUri, version, TimeSpan.FromSeconds(60));
                diagnosticsAfterDebounce.Add(Stopwatch.GetElapsedTime(start, arrived.At).TotalMilliseconds - debounceMs);
            }
        }

        client.MemoryNote("the keystrokes");
        // Navigation on profile names: definition from source_profile values, references / rename / hover on headers.
        var text = string.Join('\n', lines);
        var valuePositions = new List<JsonObject>();
        var headerPositions = new List<JsonObject>();
        for (var l = 0; l < lines.Count; l++)
        {
            if (lines[l].StartsWith("source_profile = ", StringComparison.Ordinal)) valuePositions.Add(new JsonObject { ["line"] = l, ["character"] = 18 });
            else if (lines[l].StartsWith("[profile ", StringComparison.Ordinal) && lines[l].EndsWith(']')) headerPositions.Add(new JsonObject { ["line"] = l, ["character"] = 10 });
        }
        if (edits % 10 != 0) client.WaitForDiagnostics(configUri, version, TimeSpan.FromSeconds(60));
        void Measure(string op, string method, List<JsonObject> positions, Func<JsonObject, JsonObject>? extra = null, int count = 100)
        {
            var times = new List<double>();
            var ids = new List<int>();
            for (var i = 0; i < count && positions.Count > 0; i++)
            {
                var at = positions[random.Next(positions.Count)];
                var parameters = new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = configUri }, ["position"] = at.DeepClone() };
                if (extra is not null) foreach (var (k, v) in extra(parameters)) parameters[k] = v?.DeepClone();
                if (parameters["position"] is null) parameters.Remove("position");
                var t = Stopwatch.GetTimestamp();
                var answered = client.Request(out var id, method, parameters);
                times.Add(Stopwatch.GetElapsedTime(t, answered).TotalMilliseconds);
                ids.Add(id);
            }
            measured.Add((op, times, ids));
        }
        Measure("definition (source_profile value)", "textDocument/definition", valuePositions);
        Measure("references (profile header)", "textDocument/references", headerPositions, _ => new JsonObject { ["context"] = new JsonObject { ["includeDeclaration"] = true } });
        Measure("rename (profile header)", "textDocument/rename", headerPositions, _ => new JsonObject { ["newName"] = "renamed-profile" });
        Measure("hover (profile header: chain)", "textDocument/hover", headerPositions);
        Measure("completion (source_profile value)", "textDocument/completion", valuePositions);
        client.MemoryNote("navigation");
        // Semantic tokens, as an editor asks after edits: the whole file, and one screen (60 lines) at a random place.
        var screens = Enumerable.Range(0, 20).Select(_ => new JsonObject { ["line"] = random.Next(Math.Max(1, lines.Count - 60)) }).ToList();
        Measure("semantic tokens, whole file", "textDocument/semanticTokens/full", screens, _ => new JsonObject { ["position"] = null }, count: 10);
        client.MemoryNote("whole-file semantic tokens");
        Measure("semantic tokens, one screen (60 lines)", "textDocument/semanticTokens/range", screens,
            parameters => new JsonObject
            {
                ["position"] = null,
                ["range"] = new JsonObject
                {
                    ["start"] = new JsonObject { ["line"] = parameters["position"]!["line"]!.GetValue<int>(), ["character"] = 0 },
                    ["end"] = new JsonObject { ["line"] = parameters["position"]!["line"]!.GetValue<int>() + 60, ["character"] = 0 },
                },
            }, count: 20);
        // What an editor does after each keystroke: ask for the tokens' delta from the last result.
        {
            client.Request(out var fullId, "textDocument/semanticTokens/full", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = configUri } });
            var previousResultId = client.ResultIds.GetValueOrDefault(fullId);
            var times = new List<double>();
            var ids = new List<int>();
            for (var i = 0; i < 20 && previousResultId is not null; i++)
            {
                var line = random.Next(lines.Count);
                var column = random.Next(lines[line].Length + 1);
                lines[line] = lines[line].Insert(column, "z");
                version++;
                var position = new JsonObject { ["line"] = line, ["character"] = column };
                client.Notify("textDocument/didChange", new JsonObject
                {
                    ["textDocument"] = new JsonObject { ["uri"] = configUri, ["version"] = version },
                    ["contentChanges"] = new JsonArray(new JsonObject { ["range"] = new JsonObject { ["start"] = position.DeepClone(), ["end"] = position.DeepClone() }, ["text"] = "z" }),
                });
                var t = Stopwatch.GetTimestamp();
                var answered = client.Request(out var id, "textDocument/semanticTokens/full/delta", new JsonObject
                {
                    ["textDocument"] = new JsonObject { ["uri"] = configUri },
                    ["previousResultId"] = previousResultId,
                });
                times.Add(Stopwatch.GetElapsedTime(t, answered).TotalMilliseconds);
                ids.Add(id);
                previousResultId = client.ResultIds.GetValueOrDefault(id);
            }
            measured.Add(("semantic tokens delta after a keystroke", times, ids));
        }
        var peak = client.PeakRssKiB();
        client.MemoryNote("the rest");
        client.Shutdown();

        var timing = ServerTiming.Read(timingFile);
        samples.Add(("keystroke: didChange + completion answered", keystroke, timing?.SinceLastChange(keystrokeIds), timing?.Slowest(keystrokeIds, sinceLastChange: true)));
        samples.Add(("hover after a keystroke", hover, timing?.Answer(hoverIds), timing?.Slowest(hoverIds, sinceLastChange: false)));
        samples.Add(("diagnostics published after the debounce (150 ms) ends", diagnosticsAfterDebounce, null, null));
        foreach (var (op, times, ids) in measured) samples.Add((op, times, timing?.Answer(ids), timing?.Slowest(ids, sinceLastChange: false)));
        return new DriveResult(open, published.Count, peak, openPeak, samples);
    }

    private static double Botocore(string configPath, string credentialsPath, int runs)
    {
        const string script = """
            import sys, time
            from botocore import configloader
            times = []
            for _ in range(int(sys.argv[3])):
                t = time.perf_counter()
                configloader.load_config(sys.argv[1])
                configloader.raw_config_parse(sys.argv[2])
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(times[len(times) // 2])
            """;
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(configPath);
        info.ArgumentList.Add(credentialsPath);
        info.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("botocore failed: " + error);
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";

    private static string MemTotal() =>
        File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() + " memory" : "?";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>A minimal LSP client over a child process's stdio.</summary>
    private sealed class LspClient : IDisposable
    {
        private readonly Process process;
        private readonly Stream input;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<long>> pending = new();
        private readonly BlockingCollection<(string Uri, int? Version, int Count, long At)> diagnostics = [];
        private readonly Thread reader;
        private int nextId;

        /// <summary>The <c>resultId</c> of answers that have one (semantic tokens), by request id.</summary>
        public ConcurrentDictionary<int, string> ResultIds { get; } = new();

        private LspClient(Process process)
        {
            this.process = process;
            input = process.StandardInput.BaseStream;
            reader = new Thread(ReadLoop) { IsBackground = true };
            reader.Start();
        }

        public static LspClient Start(string server, string home, string? timingFile = null)
        {
            var info = server.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") : new ProcessStartInfo(server);
            if (server.EndsWith(".dll", StringComparison.Ordinal)) info.ArgumentList.Add(server);
            info.RedirectStandardInput = true;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = false;
            info.Environment["HOME"] = home;
            if (timingFile is not null) info.Environment["AWSCONFIG_LSP_TIMING"] = timingFile;
            info.Environment.Remove("AWS_CONFIG_FILE");
            info.Environment.Remove("AWS_SHARED_CREDENTIALS_FILE");
            return new LspClient(Process.Start(info)!);
        }

        public long Request(string method, JsonObject parameters) => Request(out _, method, parameters);

        public long Request(out int id, string method, JsonObject parameters)
        {
            id = Interlocked.Increment(ref nextId);
            var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = completion;
            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            if (!completion.Task.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException($"{method} got no answer in 120 s.");
            return completion.Task.Result;
        }

        public void Notify(string method, JsonObject parameters) =>
            Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        /// <summary>Waits for a publishDiagnostics of <paramref name="uri"/> at <paramref name="version"/> (or later).</summary>
        public (string Uri, int? Version, int Count, long At) WaitForDiagnostics(string uri, int version, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var left = timeout - deadline.Elapsed;
                if (left <= TimeSpan.Zero || !diagnostics.TryTake(out var item, left)) throw new TimeoutException($"no diagnostics for {uri} v{version}");
                if (item.Uri == uri && (item.Version ?? 0) >= version) return item;
            }
        }

        public long PeakRssKiB() => StatusKiB("VmHWM:");

        private long StatusKiB(string field)
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
            return long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// On stderr: the server's peak and current resident memory after a phase of the run (where the peak grows), the
        /// current split into anonymous memory (the collector's heap, stacks) and mapped files (the binary, libc).
        /// </summary>
        public void MemoryNote(string phase) =>
            Console.Error.WriteLine($"memory after {phase}: peak (VmHWM) {StatusKiB("VmHWM:") / 1024.0:0} MiB, now (VmRSS) {StatusKiB("VmRSS:") / 1024.0:0} MiB"
                + $" = anonymous {StatusKiB("RssAnon:") / 1024.0:0.0} + files {StatusKiB("RssFile:") / 1024.0:0.0} MiB");

        public void Shutdown()
        {
            try
            {
                Request("shutdown", new JsonObject());
                Notify("exit", new JsonObject());
                if (!process.WaitForExit(5000)) process.Kill();
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or TimeoutException)
            {
                if (!process.HasExited) process.Kill();
            }
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }

        private void Send(JsonObject message) => SendFrame(Frame(message));

        /// <summary>A notification as it goes over the wire (header and body), to send later with <see cref="SendFrame"/>.</summary>
        public static byte[] Frame(string method, JsonObject parameters) =>
            Frame(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

        private static byte[] Frame(JsonObject message)
        {
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
        }

        public void SendFrame(byte[] frame)
        {
            lock (input)
            {
                input.Write(frame);
                input.Flush();
            }
        }

        private void ReadLoop()
        {
            var output = process.StandardOutput.BaseStream;
            var headerBytes = new List<byte>();
            try
            {
                while (true)
                {
                    headerBytes.Clear();
                    while (!(headerBytes.Count >= 4 && headerBytes[^4] == '\r' && headerBytes[^3] == '\n' && headerBytes[^2] == '\r' && headerBytes[^1] == '\n'))
                    {
                        var b = output.ReadByte();
                        if (b < 0) return;
                        headerBytes.Add((byte)b);
                    }
                    var header = Encoding.ASCII.GetString([.. headerBytes]);
                    var lengthLine = header.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    var length = int.Parse(lengthLine.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
                    var body = new byte[length];
                    var at = Stopwatch.GetTimestamp();
                    output.ReadExactly(body);
                    Dispatch(body, at);
                }
            }
            catch (IOException)
            {
            }
        }

        private void Dispatch(byte[] body, long at)
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.TryGetProperty("method", out var method))
            {
                if (method.GetString() == "textDocument/publishDiagnostics")
                {
                    var parameters = root.GetProperty("params");
                    int? version = parameters.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
                    diagnostics.Add((parameters.GetProperty("uri").GetString()!, version, parameters.GetProperty("diagnostics").GetArrayLength(), at));
                }
                else if (root.TryGetProperty("id", out var requestId))
                {
                    // A request from the server (configuration, registration): answer null.
                    Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(requestId.GetRawText()), ["result"] = null });
                }
                return;
            }
            if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && pending.TryRemove(id.GetInt32(), out var completion))
            {
                if (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
                    && result.TryGetProperty("resultId", out var resultId) && resultId.ValueKind == JsonValueKind.String)
                {
                    ResultIds[id.GetInt32()] = resultId.GetString()!;
                }
                // The answer's content is not used: only its arrival (the header) is timed.
                completion.TrySetResult(at);
            }
        }
    }
}

/// <summary>The server's <c>AWSCONFIG_LSP_TIMING</c> log: when it read each message and wrote each answer.</summary>
internal sealed class ServerTiming
{
    private readonly List<(bool In, long At, string Method, string Id, Collector? Gc)> lines = [];
    private readonly Dictionary<string, Collector> outGc = new(StringComparer.Ordinal);

    /// <summary>The <c>gc=PAUSE_TICKS/GEN0/GEN1/GEN2</c> field: the server's garbage collections so far.</summary>
    private sealed record Collector(long PauseTicks, int Gen0, int Gen1, int Gen2)
    {
        public static Collector? Parse(string field)
        {
            if (!field.StartsWith("gc=", StringComparison.Ordinal)) return null;
            var parts = field[3..].Split('/');
            return parts.Length == 4
                && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var pause)
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var gen0)
                && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var gen1)
                && int.TryParse(parts[3], CultureInfo.InvariantCulture, out var gen2)
                ? new Collector(pause, gen0, gen1, gen2)
                : null;
        }
    }
    private readonly Dictionary<string, int> inIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> outAt = new(StringComparer.Ordinal);

    /// <summary>Null (and a warning) when the server wrote no log: an older server, or it could not write the file.</summary>
    public static ServerTiming? Read(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"note: the server wrote no timing log ({path}); server times are left out.");
            return null;
        }
        var timing = new ServerTiming();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ');
            if (fields.Length < 4 || !long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)) continue;
            var isIn = fields[0] == "in";
            timing.lines.Add((isIn, at, fields[2], fields[3], fields.Length > 4 ? Collector.Parse(fields[4]) : null));
            if (isIn && fields[3] != "-") timing.inIndex[fields[3]] = timing.lines.Count - 1;
            else if (!isIn && fields[2] == "-")
            {
                timing.outAt[fields[3]] = at;
                if (timing.lines[^1].Gc is { } gc) timing.outGc[fields[3]] = gc;
            }
        }
        if (Environment.GetEnvironmentVariable("AWSCONFIG_BENCH_KEEP_TIMING") is null) File.Delete(path);
        else Console.Error.WriteLine($"note: the server's timing log is kept: {path}");
        return timing;
    }

    /// <summary>Read to answered, per request id.</summary>
    public List<double> Answer(List<int> ids)
    {
        var result = new List<double>();
        foreach (var id in ids)
        {
            var key = id.ToString(CultureInfo.InvariantCulture);
            if (inIndex.TryGetValue(key, out var index) && outAt.TryGetValue(key, out var answered)) result.Add(Ms(lines[index].At, answered));
        }
        return result;
    }

    /// <summary>From the didChange read just before each request to the request's answer: the keystroke, in the server.</summary>
    public List<double> SinceLastChange(List<int> ids)
    {
        var result = new List<double>();
        foreach (var id in ids)
        {
            var key = id.ToString(CultureInfo.InvariantCulture);
            if (!inIndex.TryGetValue(key, out var index) || !outAt.TryGetValue(key, out var answered)) continue;
            for (var i = index - 1; i >= 0; i--)
            {
                if (lines[i].In && lines[i].Method == "textDocument/didChange")
                {
                    result.Add(Ms(lines[i].At, answered));
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The slowest few requests in the server (from their read, or the didChange before them, to their answer), each
    /// with the garbage-collection pause and collections that fell in that time: what a p99 is made of.
    /// </summary>
    public string Slowest(List<int> ids, bool sinceLastChange, int count = 3)
    {
        var found = new List<(double Ms, string Why)>();
        for (var n = 0; n < ids.Count; n++)
        {
            var id = ids[n];
            var key = id.ToString(CultureInfo.InvariantCulture);
            if (!inIndex.TryGetValue(key, out var index) || !outAt.TryGetValue(key, out var answered)) continue;
            var from = index;
            if (sinceLastChange)
            {
                while (from > 0 && !(lines[from].In && lines[from].Method == "textDocument/didChange")) from--;
            }
            var why = lines[from].Gc is { } before && outGc.TryGetValue(key, out var after)
                ? $"GC {(after.PauseTicks - before.PauseTicks) / (double)TimeSpan.TicksPerMillisecond:0.#} ms, gen0/1/2 +{after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}"
                : "no GC data";
            if (from != index) why = $"request read after {Ms(lines[from].At, lines[index].At):0.#} ms, " + why;
            // #n: the n-th request of the operation (for keystrokes, the probe `keystrokes` numbers them the same way).
            found.Add((Ms(lines[from].At, answered), $"#{n}, " + why));
        }
        return string.Join("; ", found.OrderByDescending(x => x.Ms).Take(count).Select(x => $"{x.Ms:0.#} ms ({x.Why})"));
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
