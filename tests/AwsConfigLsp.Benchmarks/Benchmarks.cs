using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Syntax;
using BenchmarkDotNet.Attributes;

namespace AwsConfigLsp.Benchmarks;

/// <summary>Opening both files (parse, model, every diagnostic rule) and parsing alone, at 1k, 10k and 50k profiles.</summary>
[MemoryDiagnoser]
public class OpenBenchmarks
{
    private Workload workload = null!;

    [Params(1_000, 10_000, 50_000)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup() => workload = new Workload(Profiles);

    /// <summary>Parse both files, build both <c>ConfigFile</c>s and the <c>ProfileModel</c>, run <c>DiagnosticEngine.Analyze</c>.</summary>
    [Benchmark]
    public IReadOnlyList<Diagnostic> Open() => workload.Open();

    /// <summary><c>SyntaxParser.Parse</c> of both files only.</summary>
    [Benchmark]
    public int ParseOnly() => workload.ParseOnly();
}

/// <summary>A one-line edit in the middle of a 50k-profile config: the incremental reparse, and the reparse plus the model and diagnostics.</summary>
[MemoryDiagnoser]
public class EditBenchmarks
{
    private Workload workload = null!;
    private DocumentSyntax editedRegion = null!;

    [Params(50_000)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        workload = new Workload(Profiles);
        editedRegion = workload.EditRegion();
    }

    /// <summary><c>WithEdit</c> replacing one region value.</summary>
    [Benchmark]
    public DocumentSyntax EditRegionValue() => workload.EditRegion();

    /// <summary><c>WithEdit</c> inserting one property line.</summary>
    [Benchmark]
    public DocumentSyntax InsertLine() => workload.InsertLine();

    /// <summary>Rebuild the config file, the model and the diagnostics from an already edited syntax tree.</summary>
    [Benchmark]
    public IReadOnlyList<Diagnostic> ReanalyzeOnly() => workload.Reanalyze(editedRegion);

    /// <summary>What a keystroke costs the server: <c>WithEdit</c>, then rebuild the config file, the model and the diagnostics.</summary>
    [Benchmark]
    public IReadOnlyList<Diagnostic> EditRegionAndReanalyze() => workload.Reanalyze(workload.EditRegion());
}

/// <summary>Offset → line/column and back on the 50k-profile config; each call does 1000 lookups.</summary>
[MemoryDiagnoser]
public class LineIndexBenchmarks
{
    private Workload workload = null!;

    [Params(50_000)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup() => workload = new Workload(Profiles);

    [Benchmark(OperationsPerInvoke = 1000)]
    public int OffsetToPosition() => workload.OffsetToPosition();

    [Benchmark(OperationsPerInvoke = 1000)]
    public int PositionToOffset() => workload.PositionToOffset();
}

/// <summary>The floor: one pass over the bytes of the 50k-profile config, counting line feeds.</summary>
[MemoryDiagnoser]
public class FloorBenchmarks
{
    private Workload workload = null!;

    [Params(50_000)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup() => workload = new Workload(Profiles);

    [Benchmark(Baseline = true)]
    public int CountNewlinesLoop() => workload.CountNewlinesLoop();

    [Benchmark]
    public int CountNewlinesVectorized() => workload.CountNewlinesVectorized();
}

/// <summary>The error path at 50k profiles: the config without its credentials file, so every chain rooted at an IAM user fails.</summary>
[MemoryDiagnoser]
public class ErrorPathBenchmarks
{
    private Workload workload = null!;

    [Params(50_000)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup() => workload = new Workload(Profiles);

    [Benchmark]
    public IReadOnlyList<Diagnostic> OpenWithoutCredentials() => workload.OpenWithoutCredentials();
}
