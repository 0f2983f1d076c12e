using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

public enum SymbolKind
{
    Profile,
    SsoSession,
    Services,
    Section,
    Property,
}

/// <summary>An outline entry: offsets in the file, plain strings.</summary>
public sealed record SymbolItem(string Name, string? Detail, SymbolKind Kind, TextSpan Span, TextSpan SelectionSpan, IReadOnlyList<SymbolItem> Children);

/// <summary>The outline of one file: profiles, sso-sessions, services and other sections, each with its keys.</summary>
public static class DocumentSymbols
{
    public static IReadOnlyList<SymbolItem> Get(ConfigFile file)
    {
        var symbols = new List<SymbolItem>();
        foreach (var section in file.Sections)
        {
            if (section.Role == SectionRole.Preamble) continue;
            var kind = section.Role switch
            {
                SectionRole.Profile when section.EntityName is not null => SymbolKind.Profile,
                SectionRole.SsoSession when section.EntityName is not null => SymbolKind.SsoSession,
                SectionRole.Services when section.EntityName is not null => SymbolKind.Services,
                _ => SymbolKind.Section,
            };
            var name = section.EntityName ?? $"[{section.RawName}]";
            var detail = kind switch
            {
                SymbolKind.Profile => "profile",
                SymbolKind.SsoSession => "sso-session",
                SymbolKind.Services => "services",
                _ => section.Role == SectionRole.Defaults ? "defaults for every section" : "ignored by the CLI",
            };
            var children = section.OwnProperties
                .Select(property => new SymbolItem(property.Key, Preview(property), SymbolKind.Property,
                    PropertySpan(property.Syntax).Shift(section.Start), property.KeySpan, []))
                .ToList();
            symbols.Add(new SymbolItem(name, detail, kind, TrimTrailingTrivia(section), section.NameSpan, children));
        }
        return symbols;
    }

    /// <summary>
    /// The key line and its continuation lines without the final line break: LSP wants symbol ranges without trailing
    /// whitespace, and a key's range must stay inside its section's (<see cref="TrimTrailingTrivia"/>).
    /// </summary>
    private static TextSpan PropertySpan(PropertySyntax property) =>
        TextSpan.FromBounds(property.Span.Start, property.Lines.IsEmpty ? property.Span.End : property.Lines[^1].Span.End);

    /// <summary>Values of secret keys never leave the server.</summary>
    private static string? Preview(PropertyEntry property) =>
        property.Key == Keys.AccessKeyId ? Secrets.MaskAccessKeyId(property.Value)
        : Secrets.IsSecretKey(property.Key) ? Secrets.Mask(property.Value)
        : property.SubProperties is not null ? "{...}" : property.Value;

    /// <summary>The section from its header to its last non-blank line, so outlines do not swallow the blank lines before the next header.</summary>
    internal static TextSpan TrimTrailingTrivia(SectionEntry section)
    {
        var end = section.Syntax.Header?.Span.End ?? 0;
        foreach (var item in section.Syntax.Items)
        {
            if (item.Kind == SyntaxKind.Blank) continue;
            end = item.AsProperty is { Lines.IsEmpty: false } property ? property.Lines[^1].Span.End : item.Span.End;
        }
        return TextSpan.FromBounds(section.Start, section.Start + end);
    }
}

/// <summary>Which keys hold secrets, and how they are shown.</summary>
public static class Secrets
{
    public static bool IsSecretKey(string key) =>
        key is Keys.SecretAccessKey or Keys.SessionToken or Keys.SecurityToken || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.EndsWith("_token", StringComparison.Ordinal);

    /// <summary>An access key id keeps its first four characters (the key type) and last four; secrets are replaced whole.</summary>
    public static string Mask(string value) => value.Length == 0 ? "" : "****";

    public static string MaskAccessKeyId(string value) => value.Length <= 8 ? "****" : $"{value[..4]}****{value[^4..]}";
}
