using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// <c># awsconfig-disable-next-line CODE[, CODE...]</c> (or <c>;</c>) silences those codes on the next line; without
/// codes it silences every diagnostic there.
/// </summary>
public sealed class Suppressions
{
    public const string Marker = "awsconfig-disable-next-line";

    // (file, line) -> codes, or null for all codes.
    private readonly Dictionary<(ConfigFileKind, int), HashSet<string>?> silenced = [];

    public static Suppressions Find(ProfileModel model) => Find(model, MarkedSections(model.Config.Sections.Concat(model.Credentials.Sections)));

    /// <summary>The sections among <paramref name="sections"/> whose text holds the marker.</summary>
    public static List<SectionEntry> MarkedSections(IEnumerable<SectionEntry> sections) =>
        [.. sections.Where(section => section.Syntax.Text.Contains(Marker, StringComparison.Ordinal))];

    /// <summary>The suppressions written in <paramref name="marked"/> (the sections that hold the marker).</summary>
    public static Suppressions Find(ProfileModel model, IEnumerable<SectionEntry> marked)
    {
        var result = new Suppressions();
        foreach (var entry in marked)
        {
            var file = model.GetFile(entry.File.Kind);
            var syntax = file.Syntax;
            var section = entry.Syntax;
            foreach (var line in section.AllLines())
            {
                if (line.Kind != SyntaxKind.Comment) continue;
                var text = section.GetText(line.Span).Trim().TrimStart('#', ';').Trim();
                if (!text.StartsWith(Marker, StringComparison.Ordinal)) continue;
                var codes = text[Marker.Length..].Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                var lineNumber = syntax.LineIndex.GetPosition(entry.Start + line.Span.Start).Line;
                result.silenced[(file.Kind, lineNumber + 1)] = codes.Length == 0 ? null : [.. codes];
            }
        }
        return result;
    }

    public bool Silences(ProfileModel model, Diagnostic diagnostic) => Silences(model, diagnostic.Code, diagnostic.Location);

    /// <summary>Whether a diagnostic of <paramref name="code"/> at <paramref name="location"/> is silenced.</summary>
    public bool Silences(ProfileModel model, string code, SourceLocation location)
    {
        if (silenced.Count == 0) return false;
        var line = model.GetFile(location.File).Syntax.LineIndex.GetPosition(location.Span.Start).Line;
        return silenced.TryGetValue((location.File, line), out var codes) && (codes is null || codes.Contains(code));
    }
}
