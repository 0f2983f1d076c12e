using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Benchmarks;

/// <summary>
/// One generated pair of files and the operations the benchmarks measure, shared by the BenchmarkDotNet classes and
/// the quick Stopwatch mode so both measure exactly the same code.
/// </summary>
public sealed class Workload
{
    /// <summary>The value the region edit writes over the old region.</summary>
    public const string NewRegion = "eu-south-2";

    /// <summary>The line the insert edit adds at the start of a property line (a key no generated profile has).</summary>
    public const string InsertedLine = "cli_pager = less\n";

    private const int LookupCount = 1000;

    public Workload(int profileCount, int seed = ConfigGenerator.DefaultSeed)
        : this(ConfigGenerator.Generate(profileCount, seed))
    {
    }

    public Workload(ConfigGenerator.Result generated)
        : this(generated.Config, generated.Credentials, generated.ProfileCount)
    {
    }

    public Workload(string configText, string credentialsText, int profileCount)
    {
        ConfigText = configText;
        CredentialsText = credentialsText;
        ProfileCount = profileCount;
        ConfigBytes = Encoding.UTF8.GetBytes(configText);

        ConfigSyntax = SyntaxParser.Parse(configText);
        CredentialsSyntax = SyntaxParser.Parse(credentialsText);
        CredentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, null, CredentialsSyntax);

        // The edits happen in the middle of the file, on the value of the first region line after the midpoint.
        var regionLine = configText.IndexOf("\nregion = ", configText.Length / 2, StringComparison.Ordinal);
        if (regionLine < 0) throw new InvalidOperationException("The generated config has no region line after its middle.");
        RegionValueStart = regionLine + "\nregion = ".Length;
        RegionValueEnd = configText.IndexOf('\n', RegionValueStart);
        InsertOffset = regionLine + 1;

        var random = new Random(7);
        LookupOffsets = new int[LookupCount];
        LookupPositions = new LinePosition[LookupCount];
        for (var i = 0; i < LookupCount; i++)
        {
            LookupOffsets[i] = random.Next(configText.Length + 1);
            LookupPositions[i] = ConfigSyntax.LineIndex.GetPosition(LookupOffsets[i]);
        }
    }

    public string ConfigText { get; }
    public string CredentialsText { get; }
    public byte[] ConfigBytes { get; }
    public int ProfileCount { get; }
    public DocumentSyntax ConfigSyntax { get; }
    public DocumentSyntax CredentialsSyntax { get; }
    public ConfigFile CredentialsFile { get; }
    public int RegionValueStart { get; }
    public int RegionValueEnd { get; }
    public int InsertOffset { get; }
    public int[] LookupOffsets { get; }
    public LinePosition[] LookupPositions { get; }

    public static int LookupsPerCall => LookupCount;

    /// <summary>The model of both files as the server keeps it between keystrokes (built on first use).</summary>
    public ProfileModel Model => model ??= new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, null, ConfigSyntax), CredentialsFile);

    private ProfileModel? model;

    private int After(string marker, int extra)
    {
        var at = ConfigText.IndexOf(marker, ConfigText.Length / 2, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"The generated config has no '{marker.Trim()}' after its middle.");
        return at + extra;
    }

    /// <summary>Key completion at the start of a property line in the middle of the file.</summary>
    public int CompleteKey() => AwsConfigLsp.Features.Completion.Get(Model, ConfigFileKind.Config, InsertOffset).Items.Count;

    /// <summary>source_profile value completion (lists every profile, with its kind and loop check).</summary>
    public int CompleteSourceProfile()
    {
        var lineEnd = ConfigText.IndexOf('\n', After("\nsource_profile = ", 1));
        return AwsConfigLsp.Features.Completion.Get(Model, ConfigFileKind.Config, lineEnd).Items.Count;
    }

    /// <summary>Hover on a profile header in the middle of the file: its resolved chain in markdown.</summary>
    public int CodeLenses() => AwsConfigLsp.Features.CodeLenses.Get(Model, ConfigFileKind.Config).Count;

    public int HoverProfile() => AwsConfigLsp.Features.Hover.Get(Model, ConfigFileKind.Config, After("\n[profile ", 10))?.Markdown.Length ?? 0;

    /// <summary>References of the profile a source_profile in the middle of the file names (a pass over both files).</summary>
    public int References()
    {
        var entity = AwsConfigLsp.Features.Navigation.FindAt(Model, ConfigFileKind.Config, After("\nsource_profile = ", 18))!;
        return AwsConfigLsp.Features.Navigation.References(Model, entity.Kind, entity.Name, includeDeclarations: true).Count;
    }

    /// <summary>What opening both files costs: parse, build both files and the model, run every diagnostic rule.</summary>
    public static IReadOnlyList<Diagnostic> Open(string configText, string credentialsText)
    {
        var config = ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(configText));
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, null, SyntaxParser.Parse(credentialsText));
        return DiagnosticEngine.Analyze(new ProfileModel(config, credentials));
    }

    public IReadOnlyList<Diagnostic> Open() => Open(ConfigText, CredentialsText);

    /// <summary>
    /// The error path: open the config without its credentials file, so every chain that starts at an IAM user fails
    /// with "source_profile ... does not exist" (a diagnostic per such profile).
    /// </summary>
    public IReadOnlyList<Diagnostic> OpenWithoutCredentials() => Open(ConfigText, "");

    public int ParseOnly() => SyntaxParser.Parse(ConfigText).Sections.Length + SyntaxParser.Parse(CredentialsText).Sections.Length;

    public DocumentSyntax EditRegion() => ConfigSyntax.WithEdit(RegionValueStart, RegionValueEnd, NewRegion);

    public DocumentSyntax InsertLine() => ConfigSyntax.WithEdit(InsertOffset, InsertOffset, InsertedLine);

    /// <summary>What the server does per keystroke: reparse the touched section, rebuild the config file and the model, analyze.</summary>
    public IReadOnlyList<Diagnostic> Reanalyze(DocumentSyntax editedConfig)
    {
        var config = ConfigFile.Create(ConfigFileKind.Config, null, editedConfig);
        return DiagnosticEngine.Analyze(new ProfileModel(config, CredentialsFile));
    }

    public int OffsetToPosition()
    {
        var index = ConfigSyntax.LineIndex;
        var sum = 0;
        foreach (var offset in LookupOffsets) sum += index.GetPosition(offset).Line;
        return sum;
    }

    public int PositionToOffset()
    {
        var index = ConfigSyntax.LineIndex;
        var sum = 0;
        foreach (var position in LookupPositions) sum += index.GetOffset(position);
        return sum;
    }

    /// <summary>The floor: one plain loop over the UTF-8 bytes of the config file, counting line feeds.</summary>
    public int CountNewlinesLoop()
    {
        var bytes = ConfigBytes;
        var count = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') count++;
        }
        return count;
    }

    /// <summary>The same count with the vectorized <see cref="MemoryExtensions.Count{T}(ReadOnlySpan{T}, T)"/>.</summary>
    public int CountNewlinesVectorized() => ConfigBytes.AsSpan().Count((byte)'\n');
}
