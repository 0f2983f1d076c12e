using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>Turns the fixes diagnostics carry into LSP code actions: quick fixes, and one fix-all of the preferred fixes.</summary>
public static class CodeActions
{
    public const string FixAllKind = "source.fixAll.awsconfig";

    /// <summary>
    /// The code action of a fix; null when the fix edits a file that has no URI (say, an unpaired credentials file):
    /// applying only the other half of a two-file fix would lose text (moved keys would just be deleted).
    /// </summary>
    public static CodeAction? ToLsp(CodeFix fix, LspDiagnostic diagnostic, ProfileModel model, Func<ConfigFileKind, string?> uriOf, bool documentChanges)
    {
        if (!AllFilesHaveUris(fix, uriOf)) return null;
        var action = new CodeAction(fix.Title, "quickfix")
        {
            Diagnostics = [diagnostic],
            IsPreferred = fix.IsPreferred ? true : null,
        };
        if (fix.Command is { } command)
        {
            return action with
            {
                Command = new LspCommand(fix.Title, command.Name) { Arguments = [JsonSerializer.SerializeToElement(command.Argument, LspJsonContext.Default.String)] },
            };
        }
        return action with { Edit = ToWorkspaceEdit(fix.Edits, model, uriOf, documentChanges) };
    }

    /// <summary>All preferred fixes of a file in one edit; fixes that overlap an earlier one are left for a second run.</summary>
    public static CodeAction? FixAll(IReadOnlyList<Diagnostic> diagnostics, ConfigFileKind file, ProfileModel model, Func<ConfigFileKind, string?> uriOf, bool documentChanges)
    {
        var edits = new List<FileEdit>();
        foreach (var diagnostic in diagnostics)
        {
            // Findings without fixes are skipped before their fixes are asked for (some are made on each read).
            if (diagnostic.Location.File != file || !diagnostic.HasFixes) continue;
            var fix = diagnostic.Fixes.FirstOrDefault(f => f.IsPreferred && f.Command is null);
            if (fix is null || !AllFilesHaveUris(fix, uriOf)) continue;
            if (fix.Edits.Any(e => edits.Any(existing => existing.Location.File == e.Location.File && Overlap(existing.Location.Span, e.Location.Span)))) continue;
            edits.AddRange(fix.Edits);
        }
        if (edits.Count == 0) return null;
        return new CodeAction("Fix all auto-fixable problems", FixAllKind) { Edit = ToWorkspaceEdit(edits, model, uriOf, documentChanges) };
    }

    private static bool AllFilesHaveUris(CodeFix fix, Func<ConfigFileKind, string?> uriOf) =>
        fix.Edits.All(e => uriOf(e.Location.File) is not null);

    private static bool Overlap(Syntax.TextSpan a, Syntax.TextSpan b) => a.Start < b.End && b.Start < a.End || a.Start == b.Start;

    private static CodeActionWorkspaceEdit ToWorkspaceEdit(IEnumerable<FileEdit> edits, ProfileModel model, Func<ConfigFileKind, string?> uriOf, bool documentChanges)
    {
        var byFile = edits.GroupBy(e => e.Location.File)
            .Select(g => (Uri: uriOf(g.Key), Edits: g.Select(e => new TextEdit(LspConvert.ToRange(model.GetFile(g.Key).Syntax.LineIndex, e.Location.Span), e.NewText)).ToArray()))
            .Where(x => x.Uri is not null)
            .ToList();
        return documentChanges
            ? new CodeActionWorkspaceEdit { DocumentChanges = [.. byFile.Select(x => new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(x.Uri!, null), x.Edits))] }
            : new CodeActionWorkspaceEdit { Changes = byFile.ToDictionary(x => x.Uri!, x => x.Edits, StringComparer.Ordinal) };
    }
}
