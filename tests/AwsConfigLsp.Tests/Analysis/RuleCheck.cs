using System.Text;
using System.Text.RegularExpressions;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// The one helper rule tests call. Fixtures mark the expected diagnostics inline, on a comment line under the line
/// they apply to, carets under the span:
/// <code>
/// [profile a]
/// source_profile = b
/// #                ^ error source-profile-loop: Infinite loop
/// </code>
/// (the part after the colon is a substring of the message, optional). Carets sit under the columns they mark; when
/// they follow the comment marker with no space (<c>#^^^</c>), the marker stands for column 0 and counts as a caret.
/// Annotation lines are comments, so the CLI reads the fixture the same with or without them. Every diagnostic must
/// be annotated and every annotation found.
/// </summary>
public static partial class RuleCheck
{
    [GeneratedRegex(@"^\s*[#;](?<pad>\s*)(?<carets>\^+)\s+(?<severity>error|warning|information|info|hint)\s+(?<code>[a-z0-9-]+)(?::\s*(?<message>.*))?$")]
    private static partial Regex AnnotationPattern();

    public sealed record Expected(ConfigFileKind File, int Line, int StartColumn, int EndColumn, string Severity, string Code, string? Message);

    public static ProfileModel Model(string config, string credentials = "") => new(
        ConfigFile.Create(ConfigFileKind.Config, "/home/user/.aws/config", SyntaxParser.Parse(config)),
        ConfigFile.Create(ConfigFileKind.Credentials, "/home/user/.aws/credentials", SyntaxParser.Parse(credentials)));

    /// <summary>Checks that the diagnostics of the fixture are exactly the annotated ones; returns them for further checks.</summary>
    public static IReadOnlyList<Diagnostic> Check(string config, string credentials = "", DiagnosticOptions? options = null, FileFacts? facts = null)
    {
        var expected = Annotations(ConfigFileKind.Config, config).Concat(Annotations(ConfigFileKind.Credentials, credentials)).ToList();
        var model = Model(config, credentials);
        var diagnostics = DiagnosticEngine.Analyze(model, options, default, facts);
        var actual = diagnostics.Select(d =>
        {
            var lineIndex = model.GetFile(d.Location.File).Syntax.LineIndex;
            var start = lineIndex.GetPosition(d.Location.Span.Start);
            var end = lineIndex.GetPosition(d.Location.Span.End);
            var endColumn = end.Line == start.Line ? end.Character : start.Character + 1;
            return (Diagnostic: d, Key: (d.Location.File, start.Line, start.Character, Math.Max(endColumn, start.Character + 1), Severity(d.Severity), d.Code));
        }).ToList();

        var report = new StringBuilder();
        foreach (var item in expected)
        {
            var match = actual.FirstOrDefault(a => a.Key == (item.File, item.Line, item.StartColumn, item.EndColumn, item.Severity, item.Code));
            if (match.Diagnostic is null) report.AppendLine($"missing: {Describe(item)}");
            else if (item.Message is not null && !match.Diagnostic.Message.Contains(item.Message, StringComparison.Ordinal))
            {
                report.AppendLine($"message of {Describe(item)} is \"{match.Diagnostic.Message}\"");
            }
        }
        foreach (var (diagnostic, key) in actual)
        {
            if (!expected.Any(e => (e.File, e.Line, e.StartColumn, e.EndColumn, e.Severity, e.Code) == key))
            {
                report.AppendLine($"unexpected: {key.File} line {key.Line + 1} col {key.Character + 1}-{key.Item4 + 1} {key.Item5} {key.Code}: {diagnostic.Message}");
            }
        }
        Assert.True(report.Length == 0, "Diagnostics differ from the annotations:\n" + report);
        return diagnostics;
    }

    /// <summary>Applies the fix titled <paramref name="fixTitle"/> (or the only/preferred fix) of the diagnostic with <paramref name="code"/>.</summary>
    public static (string Config, string Credentials) ApplyFix(string config, string credentials, string code, string? fixTitle = null)
    {
        var model = Model(config, credentials);
        var diagnostic = DiagnosticEngine.Analyze(model).FirstOrDefault(d => d.Code == code && !d.Fixes.IsEmpty);
        Assert.True(diagnostic is not null, $"No {code} diagnostic with a fix.");
        var fix = fixTitle is null
            ? diagnostic!.Fixes.FirstOrDefault(f => f.IsPreferred) ?? diagnostic.Fixes[0]
            : diagnostic!.Fixes.FirstOrDefault(f => f.Title == fixTitle);
        Assert.True(fix is not null, $"No fix titled '{fixTitle}' on {code}; there are: {string.Join(", ", diagnostic.Fixes.Select(f => f.Title))}");
        string Apply(ConfigFileKind kind, string text) => Formatting.Apply(text,
            [.. fix!.Edits.Where(e => e.Location.File == kind).Select(e => new TextChange(e.Location.Span, e.NewText))]);
        return (Apply(ConfigFileKind.Config, config), Apply(ConfigFileKind.Credentials, credentials));
    }

    public static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Information => "information",
        _ => "hint",
    };

    private static string Describe(Expected e) => $"{e.File} line {e.Line + 1} col {e.StartColumn + 1}-{e.EndColumn + 1} {e.Severity} {e.Code}";

    private static IEnumerable<Expected> Annotations(ConfigFileKind file, string text)
    {
        var lines = text.Split('\n');
        var lastContentLine = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var match = AnnotationPattern().Match(line);
            if (!match.Success)
            {
                lastContentLine = i;
                continue;
            }
            Assert.True(lastContentLine >= 0, $"Annotation on line {i + 1} has no line above it.");
            var start = match.Groups["carets"].Index;
            var length = match.Groups["carets"].Length;
            if (match.Groups["pad"].Length == 0)
            {
                start--;
                length++;
            }
            var severity = match.Groups["severity"].Value == "info" ? "information" : match.Groups["severity"].Value;
            yield return new Expected(file, lastContentLine, start, start + length, severity, match.Groups["code"].Value,
                match.Groups["message"].Success && match.Groups["message"].Value.Length > 0 ? match.Groups["message"].Value : null);
        }
    }
}
