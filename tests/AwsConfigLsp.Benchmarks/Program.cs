using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;

namespace AwsConfigLsp.Benchmarks;

public static class Program
{
    private const string Usage = """
        AwsConfigLsp benchmarks

          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- --filter '*'   BenchmarkDotNet (any BenchmarkDotNet options)
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- quick [options]  fast Stopwatch table
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- syntaxmodel [N] [--runs R] [--edits E]
              Syntax and Model layers alone: parse / build time and allocation, retained memory, keystroke cost
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- open [N] [--runs R]
              what opening a generated pair costs in-process (parse, model, full analysis, first publish JSON): time,
              allocation, GC pauses, peak memory (VmHWM)
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- heap [N] [--stage syntax|model|analysis|valueindex] [--top T]
              what the live heap holds by type (and strings by kind) once N profiles are parsed, modelled, analysed
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- heap --pid PID [--top T]
              the same for a running JIT server (ClrMD cannot read NativeAOT): the objects reachable from its roots,
              and the largest ones with the type of what holds them
          dotnet run -c Release --project tests/AwsConfigLsp.Benchmarks -- --write DIR N [SEED]
              writes DIR/config and DIR/credentials with N generated profiles (same text as the benchmarks use)
        """;

    public static int Main(string[] args)
    {
        if (args is ["quick", .. var rest]) return QuickRunner.Run(rest);
        if (args is ["lsp", .. var lspArgs]) return LspBench.Run(lspArgs);
        if (args is ["incremental", .. var probeArgs]) return IncrementalProbe.Run(probeArgs);
        if (args is ["keystrokes", .. var keystrokeArgs]) return KeystrokeProbe.Run(keystrokeArgs);
        if (args is ["syntaxmodel", .. var syntaxModelArgs]) return SyntaxModelProbe.Run(syntaxModelArgs);
        if (args is ["profile", .. var profileArgs]) return AnalysisProfile.Run(profileArgs);
        if (args is ["open", .. var openArgs]) return OpenProbe.Run(openArgs);
        if (args is ["heap", .. var heapArgs]) return HeapProbe.Run(heapArgs);
        if (args is ["--write", var dir, var count, .. var more])
        {
            var seed = more.Length > 0 ? int.Parse(more[0], CultureInfo.InvariantCulture) : ConfigGenerator.DefaultSeed;
            return Write(dir, int.Parse(count, CultureInfo.InvariantCulture), seed);
        }
        if (args is ["--help" or "-h" or "help"])
        {
            Console.WriteLine(Usage);
            Console.WriteLine(QuickRunner.Usage);
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(["--list", "flat"]);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Write(string dir, int count, int seed)
    {
        var generated = ConfigGenerator.Generate(count, seed);
        Directory.CreateDirectory(dir);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(Path.Combine(dir, "config"), generated.Config, utf8);
        File.WriteAllText(Path.Combine(dir, "credentials"), generated.Credentials, utf8);
        Console.WriteLine($"{dir}: {generated.ProfileCount} profiles, config {utf8.GetByteCount(generated.Config)} bytes "
            + $"({utf8.GetByteCount(generated.Config) / (double)generated.ProfileCount:0} per profile), credentials {utf8.GetByteCount(generated.Credentials)} bytes");
        return 0;
    }
}
