using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>The only place offsets become LSP positions and back (through each document's <see cref="LineIndex"/>).</summary>
public static partial class LspConvert
{
    public static Position ToPosition(LineIndex lineIndex, int offset)
    {
        var position = lineIndex.GetPosition(offset);
        return new Position(position.Line, position.Character);
    }

    public static Range ToRange(LineIndex lineIndex, TextSpan span) => new(ToPosition(lineIndex, span.Start), ToPosition(lineIndex, span.End));

    public static int ToOffset(LineIndex lineIndex, Position position) => lineIndex.GetOffset(new LinePosition(position.Line, position.Character));

    public static LspDiagnostic ToLsp(Diagnostic diagnostic, ProfileModel model, Func<ConfigFileKind, string?> uriOf)
    {
        var lineIndex = model.GetFile(diagnostic.Location.File).Syntax.LineIndex;
        var related = diagnostic.Related
            .Select(r => (Uri: uriOf(r.Location.File), r))
            .Where(x => x.Uri is not null)
            .Select(x => new DiagnosticRelatedInformation(
                new Location(x.Uri!, ToRange(model.GetFile(x.r.Location.File).Syntax.LineIndex, x.r.Location.Span)), x.r.Message))
            .ToArray();
        return new LspDiagnostic(ToRange(lineIndex, diagnostic.Location.Span), (int)diagnostic.Severity, diagnostic.Code, "awsconfig", diagnostic.Message)
        {
            CodeDescription = new CodeDescription(RuleDocumentation(diagnostic.Code)),
            RelatedInformation = related.Length == 0 ? null : related,
        };
    }

    /// <summary>The docs page of a diagnostic code (LSP's codeDescription.href).</summary>
    public static string RuleDocumentation(string code) => $"https://github.com/awsconfig-lsp/awsconfig-lsp/blob/main/docs/rules.md#{code}";

    public static DocumentSymbol ToLsp(SymbolItem symbol, LineIndex lineIndex) => new(
        symbol.Name,
        symbol.Kind switch
        {
            SymbolKind.Profile => 5, // Class
            SymbolKind.SsoSession => 11, // Interface
            SymbolKind.Services => 3, // Namespace
            SymbolKind.Section => 2, // Module
            _ => 7, // Property
        },
        ToRange(lineIndex, symbol.Span),
        ToRange(lineIndex, symbol.SelectionSpan))
    {
        Detail = symbol.Detail,
        Children = symbol.Children.Count == 0 ? null : [.. symbol.Children.Select(c => ToLsp(c, lineIndex))],
    };

    public static FoldingRange ToLsp(FoldingItem item, LineIndex lineIndex) =>
        new(lineIndex.GetPosition(item.Start).Line, lineIndex.GetPosition(item.End).Line)
        {
            Kind = item.Kind == FoldingKind.Comment ? "comment" : "region",
        };

    public static CompletionItem ToLsp(CompletionSuggestion item, LineIndex lineIndex, Range? range = null, CompletionItemData? data = null) =>
        new(item.Label, item.Kind switch
            {
                CompletionKind.Key => 10, // Property
                CompletionKind.Service => 9, // Module
                CompletionKind.Value => 12, // Value
                CompletionKind.Region => 12, // Value
                CompletionKind.Profile => 18, // Reference
                CompletionKind.SectionReference => 18, // Reference
                CompletionKind.Arn => 12, // Value
                CompletionKind.Account => 21, // Constant
                CompletionKind.Section => 14, // Keyword
                _ => 15, // Snippet
            },
            new TextEdit(range ?? ToRange(lineIndex, item.ReplaceSpan), item.InsertText))
        {
            Data = data,
            Detail = item.Detail,
            Documentation = item.Documentation is { Length: > 0 } markdown ? new MarkupContent("markdown", markdown) : null,
            SortText = item.SortText,
            FilterText = item.FilterText,
            InsertTextFormat = item.IsSnippet ? 2 : 1,
            Tags = item.Tags.HasFlag(CompletionTags.Deprecated) ? [1] : null,
        };
}
