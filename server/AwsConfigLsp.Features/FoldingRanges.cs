using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

public enum FoldingKind
{
    Region,
    Comment,
}

/// <summary>A foldable range from the line of <see cref="Start"/> to the line of <see cref="End"/> (offsets).</summary>
public sealed record FoldingItem(int Start, int End, FoldingKind Kind);

/// <summary>Folds sections, nested blocks (<c>s3 =</c>) and runs of two or more comment lines.</summary>
public static class FoldingRanges
{
    public static IReadOnlyList<FoldingItem> Get(ConfigFile file)
    {
        var ranges = new List<FoldingItem>();
        foreach (var section in file.Sections)
        {
            var span = DocumentSymbols.TrimTrailingTrivia(section);
            if (section.Syntax.Header is not null) ranges.Add(new FoldingItem(span.Start, span.End, FoldingKind.Region));
            int? commentStart = null;
            var commentEnd = 0;
            var commentCount = 0;
            foreach (var line in section.Syntax.AllLines())
            {
                if (line.Kind == SyntaxKind.Comment)
                {
                    commentStart ??= section.Start + line.Span.Start;
                    commentEnd = section.Start + line.Span.End;
                    commentCount++;
                    continue;
                }
                if (commentCount >= 2) ranges.Add(new FoldingItem(commentStart!.Value, commentEnd, FoldingKind.Comment));
                commentStart = null;
                commentCount = 0;
                if (line.AsProperty is { Lines.IsEmpty: false } property)
                {
                    ranges.Add(new FoldingItem(section.Start + property.Span.Start, section.Start + property.Lines[^1].Span.End, FoldingKind.Region));
                }
            }
            if (commentCount >= 2) ranges.Add(new FoldingItem(commentStart!.Value, commentEnd, FoldingKind.Comment));
        }
        return ranges;
    }
}
