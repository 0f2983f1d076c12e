using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>
/// What a token is, named after the LSP token type the Protocol layer sends for it (the legend's order is this enum's).
/// </summary>
public enum SemanticTokenType
{
    /// <summary>The <c>profile</c>, <c>sso-session</c> or <c>services</c> word of a header; a boolean value.</summary>
    Keyword,
    /// <summary>A profile name: in its header (with <see cref="SemanticTokenModifiers.Declaration"/>) or as a <c>source_profile</c> value.</summary>
    Class,
    /// <summary>An sso-session or services name (header or reference), and the name of any other section.</summary>
    Namespace,
    /// <summary>A key some tool reads: an AWS key, or a third-party one (<see cref="SemanticTokenModifiers.ThirdParty"/>).</summary>
    Property,
    /// <summary>A key no known tool reads, so that it stands out in every theme.</summary>
    Variable,
    /// <summary>An accepted value of an enumerated key, a Region code.</summary>
    EnumMember,
    /// <summary>Any other value; the parts of an ARN around its account.</summary>
    String,
    /// <summary>An integer, a size, an account ID (also the account inside an ARN).</summary>
    Number,
    /// <summary>A comment line, or text after a header's closing bracket (ignored by the CLI).</summary>
    Comment,
}

/// <summary>Token modifiers; bit <c>i</c> is the legend's modifier <c>i</c>.</summary>
[Flags]
public enum SemanticTokenModifiers
{
    None = 0,
    /// <summary>The name in a section header: where a profile, sso-session or services section is defined.</summary>
    Declaration = 1 << 0,
    /// <summary>The default profile (<c>[default]</c>, <c>[profile default]</c>).</summary>
    DefaultLibrary = 1 << 1,
    /// <summary>A key AWS tools still read but that is superseded.</summary>
    Deprecated = 1 << 2,
    /// <summary>A key only a third-party tool reads (aws-vault, Granted, saml2aws...). Custom modifier.</summary>
    ThirdParty = 1 << 3,
    /// <summary>The value of a secret key. Custom modifier; tokens carry no text, so nothing of the secret leaves the server.</summary>
    Secret = 1 << 4,
}

/// <summary>One token: an offset range on a single line, its type and modifiers.</summary>
public readonly record struct SemanticToken(int Start, int Length, SemanticTokenType Type, SemanticTokenModifiers Modifiers = SemanticTokenModifiers.None)
{
    public int End => Start + Length;
}

/// <summary>
/// Semantic tokens of one file, in document order, each on a single line. Keys are classified with the catalogs
/// (AWS, third-party, unknown) where they are written, and values by the shape their key expects.
/// </summary>
public static class SemanticTokens
{
    /// <summary>
    /// The tokens of <paramref name="file"/>, or only those overlapping <paramref name="range"/>: then only the sections
    /// the range touches are visited, so a range request costs the visible lines, not the file.
    /// </summary>
    public static IReadOnlyList<SemanticToken> Get(ConfigFile file, TextSpan? range = null)
    {
        var builder = new TokenBuilder(range);
        if (file.Sections.Count == 0) return builder.Tokens;
        var first = 0;
        var last = file.Sections.Count - 1;
        if (range is { } span)
        {
            first = file.Syntax.FindSectionIndex(span.Start);
            last = file.Syntax.FindSectionIndex(span.End);
        }
        for (var index = first; index <= last; index++)
        {
            AddSection(builder, file.Sections[index]);
        }
        return builder.Tokens;
    }

    /// <summary>
    /// The tokens of one section with offsets relative to the section's start: they depend on the section's text and its
    /// file's kind only, so a cache may keep them for as long as the section's syntax is reused.
    /// </summary>
    public static IReadOnlyList<SemanticToken> GetSection(SectionEntry section)
    {
        var tokens = new List<SemanticToken>();
        GetSection(section, tokens);
        return tokens;
    }

    /// <summary><see cref="GetSection(SectionEntry)"/> into <paramref name="tokens"/> (cleared first): a caller that encodes every section reuses one list.</summary>
    public static void GetSection(SectionEntry section, List<SemanticToken> tokens)
    {
        tokens.Clear();
        // One builder per thread: whole-file answers tokenize every section of a 50k-profile file on each request.
        var builder = sectionBuilder ??= new TokenBuilder(null);
        builder.Tokens = tokens;
        AddSection(builder, section, relative: true);
    }

    [ThreadStatic] private static TokenBuilder? sectionBuilder;

    private static void AddSection(TokenBuilder builder, SectionEntry section, bool relative = false)
    {
        builder.SectionStart = relative ? 0 : section.Start;
        var syntax = section.Syntax;
        if (syntax.Header is { } header) AddHeader(builder, section, header);
        var propertyIndex = 0;
        foreach (var item in syntax.Items)
        {
            switch (item.Kind)
            {
                case SyntaxKind.Comment:
                    AddComment(builder, item);
                    break;
                case SyntaxKind.Property:
                    var property = item.AsProperty!.Value;
                    // OwnProperties holds one entry per property line, in file order (duplicates included).
                    var entry = propertyIndex < section.OwnProperties.Count && section.OwnProperties[propertyIndex].Syntax == property
                        ? section.OwnProperties[propertyIndex]
                        : EntryOf(section, property);
                    propertyIndex++;
                    AddProperty(builder, section, entry);
                    break;
            }
        }
    }

    /// <summary>The entry of a property line (a loop, not a lambda: a captured variable here cost a closure per property line).</summary>
    private static PropertyEntry EntryOf(SectionEntry section, PropertySyntax property)
    {
        foreach (var entry in section.OwnProperties)
        {
            if (entry.Syntax == property) return entry;
        }
        throw new InvalidOperationException("A property line without its entry in the model.");
    }

    private static void AddHeader(TokenBuilder builder, SectionEntry section, SectionHeaderSyntax header)
    {
        var text = section.Syntax.Text;
        var name = PythonText.Strip(text, header.NameSpan.Start, header.NameSpan.End);
        var isDefaultProfile = section.Role == SectionRole.Profile && section.EntityName == "default";
        var nameModifiers = SemanticTokenModifiers.Declaration | (isDefaultProfile ? SemanticTokenModifiers.DefaultLibrary : 0);

        if (section.Role == SectionRole.Profile && section.EntityName is not null
            && (section.File.Kind == ConfigFileKind.Credentials || header.NameText.SequenceEqual("default")))
        {
            // The credentials file names profiles literally, and [default] has no prefix: the whole name is the profile.
            builder.Add(name, SemanticTokenType.Class, nameModifiers);
        }
        else if (section.Role is SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services && section.EntityName is not null
                 && PythonCompat.TryTwoWordSpans(header.NameText, out var kindWord, out var nameWord))
        {
            builder.Add(TextSpan.FromBounds(header.NameSpan.Start + kindWord.Start, header.NameSpan.Start + kindWord.End), SemanticTokenType.Keyword);
            builder.Add(TextSpan.FromBounds(header.NameSpan.Start + nameWord.Start, header.NameSpan.Start + nameWord.End),
                section.Role == SectionRole.Profile ? SemanticTokenType.Class : SemanticTokenType.Namespace, nameModifiers);
        }
        else
        {
            // [DEFAULT], [plugins], [okta], and headers the CLI drops ([profile a b]).
            builder.Add(name, SemanticTokenType.Namespace);
        }

        var trailing = PythonText.Strip(text, header.TrailingSpan.Start, header.TrailingSpan.End);
        builder.Add(trailing, SemanticTokenType.Comment);
    }

    private static void AddComment(TokenBuilder builder, LineSyntax comment) =>
        builder.Add(TextSpan.FromBounds(comment.Span.Start + comment.Indent, comment.Span.End), SemanticTokenType.Comment);

    private static void AddProperty(TokenBuilder builder, SectionEntry section, PropertyEntry entry)
    {
        var property = entry.Syntax;
        // Keys before the first header make the file unreadable: leave them to diagnostics.
        var inPreamble = section.Role == SectionRole.Preamble;
        var info = KeyLookup.Find(section, entry.Key);
        if (!inPreamble)
        {
            AddKey(builder, property.KeySpan, info);
            // A value on one line is the model's string: not read out of the text again (a string per value and request).
            AddValue(builder, section, property.ValueSpan, info, property.Lines.IsEmpty ? entry.Value : null);
        }
        var isNested = property.IsNestedBlock;
        foreach (var line in property.Lines)
        {
            if (line.Kind == SyntaxKind.Comment)
            {
                AddComment(builder, line);
                continue;
            }
            switch (line.AsContinuation)
            {
                case not null when inPreamble:
                    break;
                case { SubKeySpan: { } subKeySpan } continuation when isNested:
                    // Sub-property keys keep their case: botocore compares them exactly.
                    var subInfo = KeyLookup.Find(section, section.Syntax.GetText(subKeySpan), entry.Key);
                    AddKey(builder, subKeySpan, subInfo);
                    if (continuation.SubValueSpan is { } subValueSpan) AddValue(builder, section, subValueSpan, subInfo);
                    break;
                case { } continuation when !isNested:
                    // A value on several lines: each line is a token of its own.
                    builder.Add(continuation.ValueSpan, SemanticTokenType.String, info.IsSecret ? SemanticTokenModifiers.Secret : 0);
                    break;
            }
        }
    }

    private static void AddKey(TokenBuilder builder, TextSpan keySpan, KeyInfo info)
    {
        switch (info.Origin)
        {
            case KeyOrigin.Aws:
                builder.Add(keySpan, SemanticTokenType.Property, info.Entry!.IsDeprecated ? SemanticTokenModifiers.Deprecated : 0);
                break;
            case KeyOrigin.ThirdParty:
                builder.Add(keySpan, SemanticTokenType.Property, SemanticTokenModifiers.ThirdParty);
                break;
            default:
                builder.Add(keySpan, SemanticTokenType.Variable);
                break;
        }
    }

    private static void AddValue(TokenBuilder builder, SectionEntry section, TextSpan span, KeyInfo info, string? known = null)
    {
        if (span.Length == 0) return;
        if (info.IsSecret)
        {
            builder.Add(span, SemanticTokenType.String, SemanticTokenModifiers.Secret);
            return;
        }
        var text = known ?? section.Syntax.GetText(span);
        var spec = info.Entry?.Value;
        switch (spec?.Kind)
        {
            case ValueKind.ProfileReference:
                builder.Add(span, SemanticTokenType.Class);
                break;
            case ValueKind.SsoSessionReference or ValueKind.ServicesReference:
                builder.Add(span, SemanticTokenType.Namespace);
                break;
            case ValueKind.Boolean:
                builder.Add(span, spec.IsAllowedValue(text) ? SemanticTokenType.Keyword : SemanticTokenType.String);
                break;
            case ValueKind.Enum:
                builder.Add(span, spec.IsAllowedValue(text) ? SemanticTokenType.EnumMember : SemanticTokenType.String);
                break;
            case ValueKind.Integer:
                builder.Add(span, PythonCompat.ParseInt(text) is not null ? SemanticTokenType.Number : SemanticTokenType.String);
                break;
            case ValueKind.AccountId:
                builder.Add(span, AwsPartitions.IsAccountId(text) ? SemanticTokenType.Number : SemanticTokenType.String);
                break;
            case ValueKind.Size or ValueKind.Rate:
                builder.Add(span, char.IsAsciiDigit(text[0]) ? SemanticTokenType.Number : SemanticTokenType.String);
                break;
            case ValueKind.Region:
                builder.Add(span, IsRegion(text) ? SemanticTokenType.EnumMember : SemanticTokenType.String);
                break;
            case ValueKind.RegionList or ValueKind.List:
                AddListItems(builder, section, span, spec);
                break;
            default:
                // Role and MFA ARNs, login sessions, and any other value (third-party keys included) that is an ARN.
                AddStringOrArn(builder, span, text);
                break;
        }
    }

    private static bool IsRegion(string text) => Regions.Find(text) is not null || Regions.IsWellFormed(text);

    /// <summary>Each comma-separated item on its own: known items (Regions, <c>*</c>, listed values) as enum members.</summary>
    private static void AddListItems(TokenBuilder builder, SectionEntry section, TextSpan span, ValueSpec spec)
    {
        var text = section.Syntax.Text;
        var itemStart = span.Start;
        for (var i = span.Start; i <= span.End; i++)
        {
            if (i < span.End && text[i] != ',') continue;
            var item = PythonText.Strip(text, itemStart, i);
            if (item.Length > 0)
            {
                var value = text.Slice(item.Start, item.Length).ToString();
                var known = spec.Kind == ValueKind.RegionList ? value == "*" || IsRegion(value) : spec.IsAllowedValue(value);
                builder.Add(item, known ? SemanticTokenType.EnumMember : SemanticTokenType.String);
            }
            itemStart = i + 1;
        }
    }

    /// <summary>An ARN is a string with its account as a number (<c>arn:aws:iam::</c> <c>123456789012</c> <c>:role/Admin</c>); anything else is a string.</summary>
    private static void AddStringOrArn(TokenBuilder builder, TextSpan span, string text)
    {
        if (Arn.TryFindAccount(text, out var account) && AwsPartitions.IsAccountId(text.AsSpan(account.Start, account.Length)))
        {
            var accountStart = span.Start + account.Start;
            builder.Add(TextSpan.FromBounds(span.Start, accountStart), SemanticTokenType.String);
            builder.Add(new TextSpan(accountStart, account.Length), SemanticTokenType.Number);
            builder.Add(TextSpan.FromBounds(accountStart + account.Length, span.End), SemanticTokenType.String);
            return;
        }
        builder.Add(span, SemanticTokenType.String);
    }

    /// <summary>Collects tokens with absolute offsets, dropping empty ones and those outside the requested range.</summary>
    private sealed class TokenBuilder(TextSpan? range, List<SemanticToken>? tokens = null)
    {
        public List<SemanticToken> Tokens { get; set; } = tokens ?? [];

        /// <summary>The start of the section being visited: the spans passed to <see cref="Add"/> are relative to it.</summary>
        public int SectionStart { get; set; }

        public void Add(TextSpan relativeSpan, SemanticTokenType type, SemanticTokenModifiers modifiers = SemanticTokenModifiers.None)
        {
            if (relativeSpan.Length <= 0) return;
            var start = SectionStart + relativeSpan.Start;
            var end = start + relativeSpan.Length;
            if (range is { } requested && !(start < requested.End && end > requested.Start || requested.Length == 0 && start <= requested.Start && requested.Start <= end))
            {
                return;
            }
            Tokens.Add(new SemanticToken(start, relativeSpan.Length, type, modifiers));
        }
    }
}
