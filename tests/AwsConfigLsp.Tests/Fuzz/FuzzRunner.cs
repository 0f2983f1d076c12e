using System.Diagnostics;
using System.Text;
using CsCheck;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>
/// Runs a property over generated inputs, reproducibly: case <c>i</c> of seed <c>S</c> is always the same input, so a
/// failure names the one case to run again. CsCheck's own <c>Sample</c> seeds only its first iteration, which is why the
/// cases are drawn here from per-case <see cref="PCG"/>s.
/// <para>
/// Environment: <c>FUZZ_CASES</c> (cases per property; CI uses each property's small default), <c>FUZZ_SEED</c> (a
/// number; default fixed), <c>FUZZ_CASE</c> (run only that case, to reproduce a failure). <c>scripts/fuzz</c> sets them.
/// </para>
/// </summary>
public static class FuzzRunner
{
    /// <summary>The seed CI runs: fixed, so the bounded run is the same on every machine.</summary>
    public const ulong DefaultSeed = 20261123;

    /// <summary>Runs <paramref name="property"/> on <paramref name="defaultCases"/> inputs (or <c>FUZZ_CASES</c>); fails with the first failing case.</summary>
    public static void Run<T>(string name, Gen<T> gen, Action<T> property, int defaultCases, Func<T, string>? describe = null)
    {
        var seed = ParseEnvironment("FUZZ_SEED") ?? DefaultSeed;
        var cases = (long?)ParseEnvironment("FUZZ_CASES") ?? defaultCases;
        var only = ParseEnvironment("FUZZ_CASE");
        describe ??= value => value?.ToString() ?? "null";

        var watch = Stopwatch.StartNew();
        long firstFailure = long.MaxValue;
        Exception? failure = null;
        T? failingInput = default;
        var gate = new object();
        var from = only.HasValue ? (long)only.Value : 0;
        var to = only.HasValue ? (long)only.Value + 1 : cases;
        Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (index, state) =>
        {
            if (index > Volatile.Read(ref firstFailure)) return;
            var value = Generate(gen, seed, index);
            try
            {
                property(value);
            }
            catch (Exception exception)
            {
                lock (gate)
                {
                    if (index < firstFailure)
                    {
                        firstFailure = index;
                        failure = exception;
                        failingInput = value;
                    }
                }
            }
        });
        watch.Stop();
        Report($"fuzz {name}: {to - from} cases, seed {seed}, {watch.Elapsed.TotalSeconds:F1} s{(failure is null ? "" : $", FAILED at case {firstFailure}")}");
        if (failure is not null)
        {
            throw new XunitException(
                $"Fuzz property '{name}' failed on case {firstFailure} of seed {seed} (reproduce: FUZZ_SEED={seed} FUZZ_CASE={firstFailure}).\n"
                + $"Input: {Truncate(describe(failingInput!), 2000)}\n{failure}");
        }
    }

    /// <summary>The input of case <paramref name="index"/>: a PCG per case, so cases are independent of thread scheduling.</summary>
    public static T Generate<T>(Gen<T> gen, ulong seed, long index)
    {
        var pcg = new PCG((uint)(index & 0x7FFFFFFF), seed * 6364136223846793005UL + (ulong)index);
        return gen.Generate(pcg, null, out _);
    }

    /// <summary>A string as a C# literal would show it, so control characters and lone surrogates are visible.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\uFEFF' or '\uFFFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + $"... ({text.Length} chars)";

    private static ulong? ParseEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text && ulong.TryParse(text.Replace("_", ""), out var value) ? value : null;

    /// <summary>One line per property on stderr, which <c>scripts/fuzz</c> shows (dotnet test prints test output only on failure).</summary>
    private static void Report(string line)
    {
        if (Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } path)
        {
            lock (typeof(FuzzRunner)) File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
