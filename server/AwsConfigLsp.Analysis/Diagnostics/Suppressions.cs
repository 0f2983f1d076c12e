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

    public static Suppressions Find(ProfileModel model) => Find(model, MarkedSections(model));

    /// <summary>From this many sections (a full analysis) the marker is looked for in the strings they were parsed from.</summary>
    internal const int BySourceSections = 4096;

    /// <summary>The sections of both files whose text holds the marker, in file order (config, then credentials).</summary>
    public static List<SectionEntry> MarkedSections(ProfileModel model)
    {
        var sections = model.Config.Sections.Count + model.Credentials.Sections.Count;
        var marked = MarkedSections(model.Config.Sections, bySource: sections >= BySourceSections);
        marked.AddRange(MarkedSections(model.Credentials.Sections, bySource: sections >= BySourceSections));
        return marked;
    }

    /// <summary>The sections among <paramref name="sections"/> whose text holds the marker, in their order.</summary>
    public static List<SectionEntry> MarkedSections(IReadOnlyCollection<SectionEntry> sections) =>
        MarkedSections(sections, bySource: sections.Count >= BySourceSections);

    /// <summary>
    /// <paramref name="bySource"/>: each string the sections were parsed from (the whole file at open) is searched once
    /// and a section is marked when a marker lies inside it, instead of a search per section: at 50k profiles 50k
    /// searches took ~11 ms of the full analysis on one thread, now ~7 (a search of the file ~4 ms, the walk of its
    /// sections ~3). For a few sections (after an edit) a search each, since their string may be the whole file.
    /// </summary>
    internal static List<SectionEntry> MarkedSections(IEnumerable<SectionEntry> sections, bool bySource)
    {
        if (!bySource) return [.. sections.Where(section => section.Syntax.Text.Contains(Marker, StringComparison.Ordinal))];
        var markersBySource = new Dictionary<string, List<int>>(ReferenceEqualityComparer.Instance);
        var marked = new List<SectionEntry>();
        // Consecutive sections mostly share their string (the whole file, at open).
        (string Source, List<int> Markers)? last = null;
        foreach (var section in sections)
        {
            var (source, start) = section.Syntax.TextSource;
            if (last is not { } known || !ReferenceEquals(known.Source, source))
            {
                if (!markersBySource.TryGetValue(source, out var found)) markersBySource[source] = found = MarkersIn(source);
                last = known = (source, found);
            }
            var markers = known.Markers;
            if (markers.Count == 0) continue;
            // The first marker at or after the section's start: inside it when it ends by the section's end.
            var at = markers.BinarySearch(start);
            if (at < 0) at = ~at;
            if (at < markers.Count && markers[at] + Marker.Length <= start + section.Syntax.Length) marked.Add(section);
        }
        return marked;
    }

    private static List<int> MarkersIn(string source)
    {
        var markers = new List<int>();
        for (var at = source.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(Marker, at + 1, StringComparison.Ordinal))
        {
            markers.Add(at);
        }
        return markers;
    }

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
