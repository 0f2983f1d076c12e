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

    public static Suppressions Find(ProfileModel model)
    {
        var result = new Suppressions();
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            var syntax = file.Syntax;
            for (var i = 0; i < syntax.Sections.Length; i++)
            {
                var section = syntax.Sections[i];
                if (!section.Text.Contains(Marker, StringComparison.Ordinal)) continue;
                foreach (var line in section.AllLines())
                {
                    if (line is not CommentLineSyntax) continue;
                    var text = section.GetText(line.Span).Trim().TrimStart('#', ';').Trim();
                    if (!text.StartsWith(Marker, StringComparison.Ordinal)) continue;
                    var codes = text[Marker.Length..].Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var lineNumber = syntax.LineIndex.GetPosition(syntax.GetSectionStart(i) + line.Span.Start).Line;
                    result.silenced[(file.Kind, lineNumber + 1)] = codes.Length == 0 ? null : [.. codes];
                }
            }
        }
        return result;
    }

    public bool Silences(ProfileModel model, Diagnostic diagnostic)
    {
        if (silenced.Count == 0) return false;
        var line = model.GetFile(diagnostic.Location.File).Syntax.LineIndex.GetPosition(diagnostic.Location.Span.Start).Line;
        return silenced.TryGetValue((diagnostic.Location.File, line), out var codes) && (codes is null || codes.Contains(diagnostic.Code));
    }
}
