using System.Globalization;
using System.Text;
using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>What a completion item stands for; Protocol maps it to an LSP item kind.</summary>
public enum CompletionKind
{
    /// <summary>A key of the section (<c>region</c>) or of a nested block (<c>addressing_style</c>).</summary>
    Key,
    /// <summary>A service identifier in <c>[services NAME]</c> (<c>dynamodb</c>).</summary>
    Service,
    /// <summary>One of a key's values (<c>json</c>, <c>Ec2InstanceMetadata</c>, <c>true</c>).</summary>
    Value,
    /// <summary>A Region code.</summary>
    Region,
    /// <summary>A profile name (<c>source_profile</c>).</summary>
    Profile,
    /// <summary>An sso-session or services section name.</summary>
    SectionReference,
    /// <summary>An ARN already used in the files (role, MFA device).</summary>
    Arn,
    /// <summary>An account ID known from the files.</summary>
    Account,
    /// <summary>The start of a section header (<c>profile </c>, <c>sso-session </c>).</summary>
    Section,
    /// <summary>A template with placeholders.</summary>
    Snippet,
}

/// <summary>Markers a client may render (LSP <c>CompletionItemTag</c>).</summary>
[Flags]
public enum CompletionTags
{
    None = 0,
    /// <summary>Shown struck through: a deprecated key, or a <c>source_profile</c> that would create a loop.</summary>
    Deprecated = 1,
}

/// <summary>
/// One completion item in editor terms: <see cref="InsertText"/> replaces <see cref="ReplaceSpan"/> (offsets in the
/// file the completion was asked in). <see cref="InsertText"/> is snippet syntax (<c>${1:name}</c>) when <see cref="IsSnippet"/>.
/// </summary>
public sealed record CompletionSuggestion(string Label, CompletionKind Kind, string InsertText, TextSpan ReplaceSpan)
{
    public string? Detail { get; init; }
    /// <summary>Markdown.</summary>
    public string? Documentation { get; init; }
    public bool IsSnippet { get; init; }
    /// <summary>Orders the items as the server listed them; set by <see cref="Completion.Get"/>.</summary>
    public string? SortText { get; init; }
    /// <summary>The text the client matches what was typed against, when it is not <see cref="Label"/>.</summary>
    public string? FilterText { get; init; }
    public CompletionTags Tags { get; init; }
    /// <summary>
    /// Set when <see cref="Detail"/> and <see cref="Documentation"/> were left for later (<see cref="Completion.Get"/>
    /// with <c>lazyDetails</c>): the profile whose chain <see cref="Completion.DescribeProfile"/> describes.
    /// </summary>
    public string? DetailsOfProfile { get; init; }
}

/// <summary>The items, best first. <see cref="IsIncomplete"/>: the list was cut or filtered; ask again as the user types.</summary>
public sealed record CompletionResult(IReadOnlyList<CompletionSuggestion> Items, bool IsIncomplete)
{
    public static CompletionResult Empty { get; } = new([], false);
}

/// <summary>
/// What the caller knows beyond the files, asked during completion without waiting: <see cref="MfaDevicesOfSource"/>
/// gives the MFA device ARNs an IAM look-up found for the user behind a source profile (null when none is known yet).
/// </summary>
public sealed record CompletionLookups(Func<string, IReadOnlyList<string>?>? MfaDevicesOfSource)
{
    /// <summary>An index up to date with the model asked about: role ARNs in use are then found without a walk over every profile.</summary>
    public ValueIndex? Index { get; init; }
}

/// <summary>
/// Completion for both files: section headers, keys by context, and values (profiles, sessions, Regions, enumerated
/// settings, ARNs and account IDs known from the files).
/// </summary>
/// <remarks>
/// Key completion reads only the cursor's section and a few model lookups, so it costs the same on a file of 50,000
/// profiles as on a small one. Lists drawn from the whole model (profiles, ARNs, accounts) are built only for the value
/// that needs them and cut at <see cref="MaxItems"/>, filtered by what was typed, with <see cref="CompletionResult.IsIncomplete"/>.
/// </remarks>
public static class Completion
{
    /// <summary>The most items a list drawn from the files returns; beyond it the list is filtered by the typed text and marked incomplete.</summary>
    public const int MaxItems = 200;

    /// <summary>The characters after which clients should ask for completion.</summary>
    public static IReadOnlyList<string> TriggerCharacters { get; } = ["=", " ", "[", ":", "/"];

    private static readonly string[] RoleKeys =
        [Keys.SourceProfile, Keys.CredentialSource, Keys.MfaSerial, Keys.ExternalId, Keys.RoleSessionName, Keys.DurationSeconds, Keys.WebIdentityTokenFile];

    private const string RoleProfileSnippet =
        "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\n";

    private const string MfaRoleProfileSnippet =
        "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\nmfa_serial = arn:aws:iam::${5:account}:mfa/${6:user}\n";

    /// <summary>The completion items at <paramref name="offset"/> in the file <paramref name="fileKind"/> of the model.</summary>
    /// <summary>
    /// The completion items at <paramref name="offset"/>. With <paramref name="lazyDetails"/>, profile items carry
    /// <see cref="CompletionSuggestion.DetailsOfProfile"/> instead of their detail and documentation, which need each
    /// profile's chain resolved (up to 200 chains per request, tens of milliseconds on a 50k-profile file after an edit):
    /// the server fills them in <c>completionItem/resolve</c>, for the item the user looks at.
    /// </summary>
    public static CompletionResult Get(ProfileModel model, ConfigFileKind fileKind, int offset, CompletionLookups? lookups = null, bool lazyDetails = false)
    {
        var file = model.GetFile(fileKind);
        if (file.Sections.Count == 0) return CompletionResult.Empty;
        offset = Math.Clamp(offset, 0, file.Syntax.Length);
        var section = file.Sections[file.Syntax.FindSectionIndex(offset)];
        var site = Site.Find(section, offset);
        if (site is null) return CompletionResult.Empty;
        var result = site.Value.Kind switch
        {
            SiteKind.Header => HeaderItems(model, site.Value),
            SiteKind.Key => KeyItems(model, site.Value),
            SiteKind.Value => ValueItems(model, site.Value, lookups, lazyDetails),
            _ => CompletionResult.Empty,
        };
        // Clients sort by sortText: keep the order built here.
        var width = result.Items.Count.ToString(CultureInfo.InvariantCulture).Length;
        return result with { Items = [.. result.Items.Select((item, index) => item with { SortText = SortTextOf(index, width) })] };
    }

    // The sort texts of lists of up to 999 items, made once per width: a list of 200 items made 400 strings each time.
    private static readonly string[]?[] SortTexts = new string[]?[4];

    private static string SortTextOf(int index, int width)
    {
        if (width >= SortTexts.Length || index >= 1000) return index.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        var texts = Volatile.Read(ref SortTexts[width]);
        if (texts is null)
        {
            texts = new string[width switch { 1 => 10, 2 => 100, _ => 1000 }];
            for (var i = 0; i < texts.Length; i++) texts[i] = i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            Volatile.Write(ref SortTexts[width], texts);
        }
        return texts[index];
    }

    // ---- Where the cursor is ---------------------------------------------------------------

    private enum SiteKind
    {
        Header,
        Key,
        Value,
    }

    /// <summary>
    /// The cursor's place: a header being typed, a key, or a value; in which section context; and what has been typed.
    /// <see cref="Typed"/> spans from the start of the word being completed to the cursor (absolute offsets).
    /// </summary>
    private readonly record struct Site(
        SiteKind Kind,
        SectionEntry Section,
        SectionContext? Context,
        TextSpan Typed,
        string TypedText,
        string? Key,
        PropertySyntax? CurrentProperty,
        PropertySyntax? Block,
        int LineStart,
        bool DelimiterFollows,
        bool CloseBracketFollows,
        bool NeedsLeadingSpace)
    {
        // configparser splits a line on its first '=' or ':'; botocore splits a nested block's lines on '=' only.
        private static readonly char[] PropertyDelimiters = ['=', ':'];
        private static readonly char[] SubPropertyDelimiters = ['='];

        /// <summary>The text of the whole cursor line after the cursor, up to the line break.</summary>
        public string RestOfLine { get; init; } = "";

        public static Site? Find(SectionEntry section, int offset)
        {
            var text = section.Syntax.Text;
            var cursor = offset - section.Start;
            var lineStart = cursor;
            while (lineStart > 0 && text[lineStart - 1] is not ('\n' or '\r')) lineStart--;
            var lineEnd = cursor;
            while (lineEnd < text.Length && text[lineEnd] is not ('\n' or '\r')) lineEnd++;
            var contentStart = PythonText.SkipWhiteSpace(text, lineStart, lineEnd);
            var isBlank = contentStart == lineEnd;
            // Nothing typed before the cursor on a line that has text after it: not a place to complete.
            if (!isBlank && contentStart >= cursor) return null;
            if (!isBlank && text[contentStart] is '#' or ';') return null;
            var rest = text[cursor..lineEnd].ToString();
            TextSpan Absolute(int start, int end) => TextSpan.FromBounds(section.Start + start, section.Start + end);

            if (!isBlank && text[contentStart] == '[')
            {
                if (text[contentStart..cursor].Contains(']')) return null;
                var typed = text[(contentStart + 1)..cursor].ToString();
                if (typed.Any(PythonText.IsWhiteSpace)) return null;
                return new Site(SiteKind.Header, section, null, Absolute(contentStart + 1, cursor), typed, null, null, null, lineStart,
                    false, rest.Trim() == "]", false) { RestOfLine = rest };
            }

            var (keyLine, block) = FindLine(section.Syntax, lineStart, isBlank, cursor - lineStart);
            var context = ContextOf(section);
            if (block is { } blockLine)
            {
                // A nested block (s3 =, api_versions =, a service in [services]): sub-keys split on '=' only.
                if (blockLine.ValueSpan.Length != 0 || context is null) return null;
                var blockKey = section.Syntax.GetText(blockLine.KeySpan).ToLowerInvariant();
                context = BlockContext(context.Value, blockKey);
                if (context is null) return null;
                return Split(text, lineStart, lineEnd, contentStart, cursor, isBlank, SubPropertyDelimiters, section, context, null, block, Absolute);
            }
            if (context is null) return null;
            return Split(text, lineStart, lineEnd, contentStart, cursor, isBlank, PropertyDelimiters, section, context, keyLine, null, Absolute);
        }

        private static Site? Split(ReadOnlySpan<char> text, int lineStart, int lineEnd, int contentStart, int cursor, bool isBlank, char[] delimiters,
            SectionEntry section, SectionContext? context, PropertySyntax? keyLine, PropertySyntax? block, Func<int, int, TextSpan> absolute)
        {
            var found = isBlank ? -1 : text[contentStart..lineEnd].IndexOfAny(delimiters);
            var delimiter = found < 0 ? -1 : contentStart + found;
            if (delimiter >= 0 && delimiter < cursor)
            {
                var key = text[contentStart..PythonText.TrimEnd(text, contentStart, delimiter)].ToString();
                var valueStart = PythonText.SkipWhiteSpace(text, delimiter + 1, cursor);
                return new Site(SiteKind.Value, section, context, absolute(valueStart, cursor), text[valueStart..cursor].ToString(),
                    context is { IsSubProperty: true } ? key : key.ToLowerInvariant(), keyLine, block, lineStart, false, false,
                    NeedsLeadingSpace: valueStart == cursor && cursor == delimiter + 1);
            }
            var start = isBlank ? cursor : contentStart;
            var typed = text[start..cursor].ToString();
            // "region us" is no key being typed (no AWS key has a space).
            if (typed.Any(PythonText.IsWhiteSpace)) return null;
            return new Site(SiteKind.Key, section, context, absolute(start, cursor), typed, null, keyLine, block, lineStart, delimiter >= 0, false, false);
        }

        /// <summary>
        /// The property whose key line is the cursor line, or the nested block the line belongs to: a continuation line
        /// configparser gives to a property, or a blank line indented deeper than the property above it.
        /// </summary>
        private static (PropertySyntax? KeyLine, PropertySyntax? Block) FindLine(SectionSyntax syntax, int lineStart, bool isBlank, int indent)
        {
            PropertySyntax? previous = null;
            var onlyTriviaSincePrevious = true;
            foreach (var item in syntax.Items)
            {
                if (item.Span.Start > lineStart) break;
                if (item.AsProperty is { } property)
                {
                    if (property.Span.Start == lineStart) return (property, null);
                    foreach (var line in property.Lines)
                    {
                        if (line.Span.Start != lineStart) continue;
                        // A blank line inside the block, at the key's indentation or less, is where a new key would end it.
                        return isBlank && indent <= property.Indent ? (null, null) : (null, property);
                    }
                    previous = property;
                    onlyTriviaSincePrevious = true;
                    continue;
                }
                if (item.Span.Start == lineStart) break;
                if (item.Kind is not (SyntaxKind.Blank or SyntaxKind.Comment)) onlyTriviaSincePrevious = false;
            }
            // An indented empty line after "s3 =" is where the first (or next) sub-key goes.
            if (isBlank && previous is { } previousProperty && onlyTriviaSincePrevious && indent > previousProperty.Indent) return (null, previous);
            return (null, null);
        }
    }

    /// <summary>The catalog context of a section's top-level keys (<see cref="KeyLookup.ContextOf"/>); null for the lines before the first header.</summary>
    private static SectionContext? ContextOf(SectionEntry section) =>
        section.Role == SectionRole.Preamble ? null : KeyLookup.ContextOf(section);

    private static SectionContext? BlockContext(SectionContext section, string blockKey) => section.Section switch
    {
        SectionKind.Services => SectionContext.ServiceBlock(blockKey),
        SectionKind.Profile or SectionKind.Credentials when blockKey is "s3" or "api_versions" => section.Under(blockKey),
        _ => null,
    };

    // ---- Section headers -------------------------------------------------------------------

    private static CompletionResult HeaderItems(ProfileModel model, Site site)
    {
        var items = new List<CompletionSuggestion>();
        // A snippet that writes its own ']' also replaces the one the editor closed automatically.
        var snippetSpan = site.CloseBracketFollows ? new TextSpan(site.Typed.Start, site.Typed.Length + site.RestOfLine.Length) : site.Typed;
        if (site.Section.File.Kind == ConfigFileKind.Credentials)
        {
            if (!model.Credentials.Profiles.ContainsKey("default"))
            {
                items.Add(new CompletionSuggestion("default", CompletionKind.Section, site.CloseBracketFollows ? "default" : "default]", site.Typed)
                {
                    Detail = "[default]",
                    Documentation = SectionDocs.DefaultProfile,
                });
            }
            // The header is the profile's name: what was typed becomes the name placeholder.
            var name = site.TypedText.Length == 0 ? "name" : EscapeSnippet(site.TypedText);
            items.Add(new CompletionSuggestion("new profile with static keys", CompletionKind.Snippet,
                "${1:" + name + "}]\naws_access_key_id = ${2}\naws_secret_access_key = ${3}\n", snippetSpan)
            {
                IsSnippet = true,
                Detail = "[NAME] + aws_access_key_id + aws_secret_access_key",
                Documentation = SectionDocs.CredentialsSection,
                FilterText = site.TypedText,
            });
            return new CompletionResult(items, false);
        }
        items.Add(Prefix("profile", SectionDocs.Profile));
        items.Add(Prefix("sso-session", SectionDocs.SsoSession));
        items.Add(Prefix("services", SectionDocs.Services));
        if (!model.Config.Profiles.ContainsKey("default"))
        {
            items.Add(new CompletionSuggestion("default", CompletionKind.Section, site.CloseBracketFollows ? "default" : "default]", site.Typed)
            {
                Detail = "[default]",
                Documentation = SectionDocs.DefaultProfile,
            });
        }
        items.Add(new CompletionSuggestion("profile … (new role profile)", CompletionKind.Snippet, RoleProfileSnippet, snippetSpan)
        {
            IsSnippet = true,
            Detail = "role_arn + source_profile",
            Documentation = "A profile that assumes a role with the credentials of another profile:\n\n```ini\n[profile NAME]\nrole_arn = arn:aws:iam::ACCOUNT:role/ROLE\nsource_profile = default\n```",
            FilterText = "profile role",
        });
        items.Add(new CompletionSuggestion("profile … (new role profile with MFA)", CompletionKind.Snippet, MfaRoleProfileSnippet, snippetSpan)
        {
            IsSnippet = true,
            Detail = "role_arn + source_profile + mfa_serial",
            Documentation = "A role profile whose role requires MFA: the CLI prompts `Enter MFA code for arn:aws:iam::ACCOUNT:mfa/USER:` "
                + "and caches the session, instead of pasting `aws sts get-session-token` keys every day.\n\n"
                + "```ini\n[profile NAME]\nrole_arn = arn:aws:iam::ACCOUNT:role/ROLE\nsource_profile = default\nmfa_serial = arn:aws:iam::ACCOUNT:mfa/USER\n```",
            FilterText = "profile role mfa",
        });
        return new CompletionResult(items, false);

        CompletionSuggestion Prefix(string word, string documentation) =>
            new(word, CompletionKind.Section, word + " ", site.Typed) { Detail = $"[{word} NAME]", Documentation = documentation };
    }

    // ---- Keys ------------------------------------------------------------------------------

    private static CompletionResult KeyItems(ProfileModel model, Site site)
    {
        var context = site.Context!.Value;
        var entries = KeyCatalog.ForContext(context);
        if (entries.Count == 0) return CompletionResult.Empty;
        var present = PresentKeys(site);
        var isRole = !context.IsSubProperty && context.Section == SectionKind.Profile && IsRoleProfile(model, site.Section);
        var first = new List<CompletionSuggestion>();
        var middle = new List<CompletionSuggestion>();
        var last = new List<CompletionSuggestion>();
        foreach (var entry in entries)
        {
            if (present.Contains(entry.Name)) continue;
            var item = KeyItem(entry, site, context);
            if (entry.IsDeprecated) last.Add(item);
            else if (isRole && RoleKeys.Contains(entry.Name)) first.Add(item);
            else middle.Add(item);
        }
        first.Sort((a, b) => Array.IndexOf(RoleKeys, a.Label) - Array.IndexOf(RoleKeys, b.Label));
        return new CompletionResult([.. first, .. middle, .. last], false);
    }

    private static CompletionSuggestion KeyItem(KeyEntry entry, Site site, SectionContext context)
    {
        string insert;
        var isSnippet = false;
        if (site.DelimiterFollows)
        {
            insert = entry.Name;
        }
        else if (entry.Value.Kind == ValueKind.SubProperties)
        {
            // A block: its key line, then the first indented sub-key.
            insert = context.Section == SectionKind.Services ? $"{entry.Name} =\n  endpoint_url = $0" : $"{entry.Name} =\n  $0";
            isSnippet = true;
        }
        else
        {
            insert = entry.Name + " = ";
        }
        return new CompletionSuggestion(entry.Name, context.Section == SectionKind.Services && !context.IsSubProperty ? CompletionKind.Service : CompletionKind.Key, insert, site.Typed)
        {
            Detail = entry.Detail,
            Documentation = entry.Documentation,
            IsSnippet = isSnippet,
            Tags = entry.IsDeprecated ? CompletionTags.Deprecated : CompletionTags.None,
        };
    }

    /// <summary>Keys already written in the section (or in the nested block), except on the cursor line.</summary>
    private static HashSet<string> PresentKeys(Site site)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (site.Block is { } block)
        {
            var relativeLineStart = site.LineStart;
            foreach (var line in block.Lines)
            {
                if (line.AsContinuation is { SubKeySpan: { } keySpan } && line.Span.Start != relativeLineStart)
                {
                    present.Add(site.Section.Syntax.GetText(keySpan));
                }
            }
            return present;
        }
        foreach (var property in site.Section.OwnProperties)
        {
            if (property.Syntax != site.CurrentProperty) present.Add(property.Key);
        }
        return present;
    }

    private static bool IsRoleProfile(ProfileModel model, SectionEntry section) =>
        section.Has(Keys.RoleArn) || section.EntityName is { } name && model.GetProfile(name)?.Has(Keys.RoleArn) == true;

    // ---- Values ----------------------------------------------------------------------------

    private static CompletionResult ValueItems(ProfileModel model, Site site, CompletionLookups? lookups, bool lazyDetails)
    {
        var context = site.Context!.Value;
        var key = site.Key!;
        // In the credentials file, profile keys that botocore merges get their values too.
        var entry = KeyLookup.Find(site.Section, key, context.ParentKey).Entry;
        if (entry is null) return CompletionResult.Empty;
        var values = new ValueSite(model, site) { Lookups = lookups, LazyDetails = lazyDetails };
        if (!context.IsSubProperty)
        {
            switch (key)
            {
                case Keys.RoleArn: return RoleArnValues(values);
                case Keys.MfaSerial: return MfaSerialValues(values);
                case Keys.SourceProfile: return SourceProfileValues(values);
                case Keys.CredentialSource: return CredentialSourceValues(values);
            }
        }
        return entry.Value.Kind switch
        {
            ValueKind.Region => RegionValues(values, withStar: false),
            ValueKind.RegionList => RegionValues(values.ListItem(), withStar: true),
            ValueKind.ProfileReference => SourceProfileValues(values),
            ValueKind.SsoSessionReference => SectionNames(values, model.SsoSessions, session => session.Get(Keys.SsoStartUrl)?.Value),
            ValueKind.ServicesReference => SectionNames(values, model.Config.Services, _ => null),
            ValueKind.AccountId => AccountValues(values, null),
            ValueKind.RoleArn => RoleArnValues(values),
            ValueKind.MfaSerial => MfaSerialValues(values),
            ValueKind.Integer => IntegerValues(values, entry),
            ValueKind.List => EnumValues(values.ListItem(), entry),
            _ => EnumValues(values, entry),
        };
    }

    /// <summary>The value being typed and how to write a replacement for it.</summary>
    private sealed class ValueSite(ProfileModel model, Site site)
    {
        public ProfileModel Model { get; } = model;
        public Site Site { get; } = site;
        public CompletionLookups? Lookups { get; init; }
        public bool LazyDetails { get; init; }
        public TextSpan Span { get; private init; } = site.Typed;
        public string Typed { get; private init; } = site.TypedText;
        private bool NeedsLeadingSpace { get; init; } = site.NeedsLeadingSpace;

        /// <summary>The current profile's name, when the cursor is in a profile.</summary>
        public string? ProfileName => Site.Section.Role == SectionRole.Profile ? Site.Section.EntityName : null;

        /// <summary>For a comma-separated list: only the item under the cursor.</summary>
        public ValueSite ListItem()
        {
            var comma = Typed.LastIndexOf(',');
            if (comma < 0) return this;
            var skip = comma + 1;
            while (skip < Typed.Length && PythonText.IsWhiteSpace(Typed[skip])) skip++;
            return new ValueSite(Model, Site) { Lookups = Lookups, LazyDetails = LazyDetails, Span = new TextSpan(Span.Start + skip, Span.Length - skip), Typed = Typed[skip..], NeedsLeadingSpace = false };
        }

        /// <summary>"region =|" gets "region = us-east-1", not "region =us-east-1".</summary>
        public string Insert(string text) => NeedsLeadingSpace ? " " + text : text;

        public CompletionSuggestion Item(string label, CompletionKind kind, string? insertText = null, string? detailsOfProfile = null) =>
            new(label, kind, Insert(insertText ?? label), Span) { DetailsOfProfile = detailsOfProfile };
    }

    private static CompletionResult EnumValues(ValueSite values, KeyEntry entry)
    {
        var items = new List<CompletionSuggestion>();
        foreach (var value in entry.Value.Values)
        {
            var isDefault = entry.Default?.StartsWith($"`{value}`", StringComparison.Ordinal) == true;
            items.Add(values.Item(value, CompletionKind.Value) with
            {
                Detail = isDefault ? "default" : null,
                Documentation = $"`{entry.Name} = {value}`: " + (EnumValueDocs.Find(entry.Name, value) ?? (isDefault ? "the default." : entry.Value.Describe() + ".")),
            });
        }
        return new CompletionResult(items, false);
    }

    private static CompletionResult IntegerValues(ValueSite values, KeyEntry entry)
    {
        var spec = entry.Value;
        if (spec.Min is not { } min || spec.Max is not { } max) return CompletionResult.Empty;
        var candidates = new List<(long Value, string Detail)> { (min, "minimum") };
        if (entry.Default is { } text && text.Length > 2 && text[0] == '`' && text.IndexOf('`', 1) is var close and > 1
            && long.TryParse(text[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > min && value < max)
        {
            candidates.Add((value, "default"));
        }
        candidates.Add((max, "maximum"));
        var seconds = entry.Name.EndsWith("_seconds", StringComparison.Ordinal);
        return new CompletionResult(
        [
            .. candidates.Select(c => values.Item(c.Value.ToString(CultureInfo.InvariantCulture), CompletionKind.Value) with
            {
                Detail = seconds ? $"{c.Detail}: {Duration(c.Value)}" : c.Detail,
                Documentation = $"`{entry.Name}`: valid values are {spec.Describe()}.",
            }),
        ], false);
    }

    private static string Duration(long seconds) => seconds switch
    {
        >= 3600 when seconds % 3600 == 0 => seconds == 3600 ? "1 hour" : $"{seconds / 3600} hours",
        >= 60 when seconds % 60 == 0 => $"{seconds / 60} minutes",
        _ => $"{seconds} seconds",
    };

    private static readonly (string Value, string Detail)[] CredentialSources =
    [
        ("Environment", "environment variables"),
        ("Ec2InstanceMetadata", "EC2 instance profile"),
        ("EcsContainer", "ECS task role"),
    ];

    private static CompletionResult CredentialSourceValues(ValueSite values) => new(
    [
        .. CredentialSources.Select(source => values.Item(source.Value, CompletionKind.Value) with
        {
            Detail = source.Detail,
            Documentation = $"`credential_source = {source.Value}`: {EnumValueDocs.Find(Keys.CredentialSource, source.Value)}\n\n"
                + "Write it exactly so: botocore compares the value case-sensitively.",
        }),
    ], false);

    private static CompletionResult RegionValues(ValueSite values, bool withStar)
    {
        var items = new List<CompletionSuggestion>();
        if (withStar) items.Add(values.Item("*", CompletionKind.Value) with { Detail = "all Regions" });
        foreach (var region in Regions.All)
        {
            if (!region.IsPublic) continue;
            items.Add(values.Item(region.Code, CompletionKind.Region) with
            {
                Detail = region.DisplayName,
                Documentation = region.Documentation,
                // Matching on the name too finds "tokyo"; the code comes first so prefix matching still works.
                FilterText = $"{region.Code} {region.DisplayName}",
            });
        }
        return new CompletionResult(items, false);
    }

    private static CompletionResult SectionNames(ValueSite values, IReadOnlyDictionary<string, SectionEntry> sections, Func<SectionEntry, string?> detail)
    {
        var (names, incomplete) = Cap(sections.Keys, sections.Count, name => name, values.Typed);
        return new CompletionResult([.. names.Select(name => values.Item(name, CompletionKind.SectionReference) with { Detail = detail(sections[name]) })], incomplete);
    }

    // ---- source_profile --------------------------------------------------------------------

    private static CompletionResult SourceProfileValues(ValueSite values)
    {
        var model = values.Model;
        var current = values.ProfileName;
        var candidates = model.Profiles.Keys.Where(name => name != current);
        var count = model.Profiles.Count - (current is not null && model.Profiles.ContainsKey(current) ? 1 : 0);
        // Every profile in file order; or, past MaxItems, those that start with what was typed in case-insensitive order
        // (from the index's sorted names: a binary search, not a pass over 50,000 names per keystroke).
        List<string> names;
        var incomplete = count > MaxItems;
        if (!incomplete)
        {
            names = [.. candidates];
        }
        else if (values.Lookups?.Index?.SortedOf(ValueIndex.ProfileNames) is { } sorted)
        {
            var currentAt = current is null ? -1 : sorted.IndexOf(current);
            names = [.. CapSorted(sorted, i => i == currentAt ? 0 : 1, count, values.Typed).Items.Select(i => sorted.Values[i])];
        }
        else
        {
            names = [.. CapByUse(candidates.Select(name => new Candidate(name, 1, null)), count, values.Typed).Items.Select(candidate => candidate.Value)];
        }
        var fine = new List<CompletionSuggestion>();
        var loops = new List<CompletionSuggestion>();
        foreach (var name in names)
        {
            if (current is not null && WouldLoop(model, current, name))
            {
                loops.Add(values.Item(name, CompletionKind.Profile) with
                {
                    Detail = "would create a loop",
                    Documentation = $"`{name}` gets its credentials through `{current}`: with `source_profile = {name}` the CLI fails with *Infinite loop in credential configuration detected*.",
                    Tags = CompletionTags.Deprecated,
                });
                continue;
            }
            if (values.LazyDetails)
            {
                // Made once, not made and copied by `with`: 200 of these per keystroke in a 50k-profile file.
                fine.Add(values.Item(name, CompletionKind.Profile, detailsOfProfile: name));
                continue;
            }
            var (detail, documentation) = DescribeProfile(model, name) ?? ("unknown", "");
            fine.Add(values.Item(name, CompletionKind.Profile) with { Detail = detail, Documentation = documentation });
        }
        return new CompletionResult([.. fine, .. loops], incomplete);
    }

    /// <summary>
    /// The detail (the profile's kind, or the error that makes it unusable) and documentation (its chain) of a profile
    /// offered as a <c>source_profile</c> value; null when the model has no such profile.
    /// </summary>
    public static (string Detail, string Documentation)? DescribeProfile(ProfileModel model, string name)
    {
        if (model.GetProfile(name) is null) return null;
        var resolution = model.Resolve(name);
        return (KindDetail(resolution, name), ProfileDocumentation(model, resolution));
    }

    /// <summary>The profile's own kind (<see cref="ChainFormatter.KindName"/>), or the error that makes it unusable.</summary>
    private static string KindDetail(Resolution resolution, string name)
    {
        // A syntax error elsewhere fails every profile; the chain is still computed, and is what the user asks about.
        var error = resolution.Error is { Kind: not ResolutionErrorKind.UnparsableFile } e ? e : null;
        if (error is null && !resolution.Chain.IsEmpty && resolution.Chain[^1].Profile == name) return ChainFormatter.KindName(resolution.Chain[^1].Kind);
        return error is null ? "unknown" : "fails: " + Analysis.Diagnostics.DiagnosticCodes.For(error.Kind);
    }

    private static string ProfileDocumentation(ProfileModel model, Resolution resolution)
    {
        if (resolution.Error is { Kind: not ResolutionErrorKind.UnparsableFile } error) return $"**The AWS CLI fails:** {error.Message}";
        return resolution.Chain.IsEmpty ? "" : $"`{ChainFormatter.FormatText(resolution with { Error = null }, model)}`";
    }

    /// <summary>
    /// Whether <c>source_profile = candidate</c> in <paramref name="current"/> makes botocore's walk come back to a
    /// profile it has visited: it follows <c>source_profile</c> through role profiles (role_arn, no static keys, no
    /// credential_source) and stops at the first one with credentials of its own.
    /// </summary>
    private static bool WouldLoop(ProfileModel model, string current, string candidate)
    {
        // The walk from the candidate comes back to the current profile, or runs in a circle of its own. Floyd's tortoise
        // and hare instead of a set of the names seen: completion asks this of 200 candidates per keystroke, and the
        // sets were a quarter of what a source_profile completion allocated at 50k profiles.
        if (candidate == current) return true;
        var slow = candidate;
        var fast = candidate;
        while (true)
        {
            for (var step = 0; step < 2; step++)
            {
                if (SourceOf(model, fast) is not { } next) return false;
                if (next == current) return true;
                fast = next;
            }
            slow = SourceOf(model, slow)!;
            if (slow == fast) return true;
        }
    }

    /// <summary>The profile the walk goes on to from <paramref name="name"/>, or null where it ends.</summary>
    private static string? SourceOf(ProfileModel model, string name)
    {
        var profile = model.GetProfile(name);
        if (profile is null || profile.HasStaticKeys || !profile.Has(Keys.RoleArn) || profile.Has(Keys.WebIdentityTokenFile) || profile.Has(Keys.CredentialSource))
        {
            return null;
        }
        // A profile naming itself is allowed only with static keys, which ended the walk above.
        return profile.Get(Keys.SourceProfile)?.Value;
    }

    // ---- ARNs and accounts -----------------------------------------------------------------

    private static CompletionResult RoleArnValues(ValueSite values)
    {
        if (AccountPrefix(values.Typed) is { } prefix) return AccountValues(values, prefix with { Resource = "role/" });
        var partition = PartitionOf(values.Typed);
        var snippet = values.Item($"arn:{partition}:iam::ACCOUNT:role/NAME", CompletionKind.Snippet, $"arn:{partition}:iam::${{1:account}}:role/${{2:name}}") with
        {
            IsSnippet = true,
            Detail = "role ARN",
            Documentation = "An IAM role ARN: `arn:aws:iam::123456789012:role/NAME` (`arn:aws-cn:` in China, `arn:aws-us-gov:` in GovCloud).",
        };
        List<Usage> arns;
        bool incomplete;
        if (values.Lookups?.Index is { } index && index.SortedOf(Keys.RoleArn) is { } sorted)
        {
            (arns, incomplete) = UsedValuesOfIndex(values, Keys.RoleArn, index, sorted);
        }
        else
        {
            (arns, incomplete) = CapByUse(UsedValues(values, Keys.RoleArn), values.Typed);
        }
        var items = new List<CompletionSuggestion>();
        foreach (var usage in arns)
        {
            var documentation = RoleArn.TryParse(usage.Value, out var role)
                ? $"Role `{role.RoleName}` in account `{role.AccountId}`.\n\nUsed by {usage.Describe(20)}."
                : $"Used by {usage.Describe(20)}.";
            items.Add(values.Item(usage.Value, CompletionKind.Arn) with { Detail = "used by " + usage.Describe(3, code: false), Documentation = documentation });
        }
        items.Add(snippet);
        return new CompletionResult(items, incomplete);
    }

    private static CompletionResult MfaSerialValues(ValueSite values)
    {
        if (AccountPrefix(values.Typed) is { } prefix) return AccountValues(values, prefix with { Resource = "mfa/" });
        var model = values.Model;
        var profile = values.ProfileName is { } name ? model.GetProfile(name) : null;
        var source = values.Site.Section.Get(Keys.SourceProfile)?.Value ?? profile?.Get(Keys.SourceProfile)?.Value;
        // First the devices of profiles that share this profile's source: the same user signs in with the same device.
        List<Usage> sameSource, others;
        bool incomplete, othersIncomplete;
        IEnumerable<string> usedValues;
        Func<string, bool> isUsed;
        if (values.Lookups?.Index is { } index && index.SortedOf(Keys.MfaSerial) is { } sorted)
        {
            (sameSource, incomplete, others, othersIncomplete, usedValues, isUsed) = MfaValuesOfIndex(values, index, sorted, source);
        }
        else
        {
            var used = UsedValues(values, Keys.MfaSerial, source);
            (sameSource, incomplete) = CapByUse([.. used.Where(u => u.SharesSource)], values.Typed);
            (others, othersIncomplete) = CapByUse([.. used.Where(u => !u.SharesSource)], values.Typed, Math.Max(0, MaxItems - sameSource.Count));
            usedValues = used.Select(u => u.Value);
            var set = used.Select(u => u.Value).ToHashSet(StringComparer.Ordinal);
            isUsed = set.Contains;
        }
        var items = new List<CompletionSuggestion>();
        foreach (var usage in sameSource)
        {
            items.Add(values.Item(usage.Value, CompletionKind.Arn) with
            {
                Detail = $"used with source_profile {source}",
                Documentation = $"MFA device used by {usage.Describe(20)}, which also take their credentials from `{source}`.",
            });
        }
        // Then the devices IAM lists for the source's user (when a look-up already ran: completion never waits for one).
        var listed = source is not null ? values.Lookups?.MfaDevicesOfSource?.Invoke(source) ?? [] : [];
        foreach (var device in listed)
        {
            if (items.Any(i => i.Label == device) || !device.StartsWith(values.Typed, StringComparison.Ordinal)) continue;
            items.Add(values.Item(device, CompletionKind.Arn) with
            {
                Detail = $"MFA device of the user of {source} (IAM)",
                Documentation = $"IAM ListMFADevices lists this device for the user whose keys `{source}` holds.",
            });
        }
        if (source is not null && DerivedMfa(model, source, sameSource, usedValues) is { } derived && !isUsed(derived.Arn) && !listed.Contains(derived.Arn))
        {
            items.Add(values.Item(derived.Label, CompletionKind.Arn, derived.Insert) with
            {
                IsSnippet = derived.IsSnippet,
                Detail = $"MFA device of {derived.User}",
                Documentation = derived.Documentation,
            });
        }
        foreach (var usage in others)
        {
            items.Add(values.Item(usage.Value, CompletionKind.Arn) with
            {
                Detail = "used by " + usage.Describe(3, code: false),
                Documentation = $"MFA device used by {usage.Describe(20)}.",
            });
        }
        var partition = PartitionOf(values.Typed);
        items.Add(values.Item($"arn:{partition}:iam::ACCOUNT:mfa/USER", CompletionKind.Snippet, $"arn:{partition}:iam::${{1:account}}:mfa/${{2:user}}") with
        {
            IsSnippet = true,
            Detail = "MFA device ARN",
            Documentation = "A virtual MFA device: `arn:aws:iam::ACCOUNT:mfa/NAME`, where ACCOUNT is the account of the IAM user that signs in (the source profile's), not the role's.",
        });
        return new CompletionResult(items, incomplete || othersIncomplete);
    }

    private sealed record DerivedDevice(string Arn, string Label, string Insert, bool IsSnippet, string User, string Documentation);

    /// <summary>
    /// The MFA device of the user behind <paramref name="source"/>, when the files say who that is: the user of its
    /// <c>login_session</c>, or a source named like an IAM user, in its <c>aws_account_id</c> or the account of the MFA
    /// devices used with it (or the only account of every MFA device in the files). Without an account, a snippet.
    /// </summary>
    private static DerivedDevice? DerivedMfa(ProfileModel model, string source, List<Usage> sameSource, IEnumerable<string> used)
    {
        var sourceProfile = model.GetProfile(source);
        if (sourceProfile?.Get(Keys.LoginSession)?.Value is { } login && Arn.TryParse(login, out var identity)
            && identity.Service == "iam" && identity.Resource.StartsWith("user/", StringComparison.Ordinal) && AwsPartitions.IsAccountId(identity.AccountId))
        {
            var user = identity.Resource[(identity.Resource.LastIndexOf('/') + 1)..];
            var arn = $"arn:{identity.Partition}:iam::{identity.AccountId}:mfa/{user}";
            return new DerivedDevice(arn, arn, arn, false, user, $"The virtual MFA device named after the IAM user `{user}` that `{source}` signs in as (`login_session`).");
        }
        if (source == "default" || !IsIamUserName(source)) return null;
        var account = sourceProfile?.Get("aws_account_id")?.Value is { } own && AwsPartitions.IsAccountId(own) ? own : null;
        account ??= MostCommonAccount(sameSource.Select(u => u.Value));
        account ??= MostCommonAccount(used) is { } only && used.All(value => MfaAccount(value) is null || MfaAccount(value) == only) ? only : null;
        var documentation = $"The virtual MFA device named after the IAM user `{source}`, whose credentials `source_profile = {source}` uses. "
            + "Check the device name in the IAM console (Security credentials) if it differs.";
        if (account is not null)
        {
            var arn = $"arn:aws:iam::{account}:mfa/{source}";
            return new DerivedDevice(arn, arn, arn, false, source, documentation);
        }
        return new DerivedDevice($"arn:aws:iam::ACCOUNT:mfa/{source}", $"arn:aws:iam::ACCOUNT:mfa/{source}",
            $"arn:aws:iam::${{1:account}}:mfa/{EscapeSnippet(source)}", true, source, documentation);
    }

    private static string? MfaAccount(string value) => MfaSerial.TryParse(value, out var serial) && serial.Kind == MfaDeviceKind.Virtual ? serial.AccountId : null;

    private static string? MostCommonAccount(IEnumerable<string> devices) => devices
        .Select(MfaAccount).Where(a => a is not null)
        .GroupBy(a => a!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();

    private static bool IsIamUserName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or ',' or '.' or '@' or '_' or '-');

    private readonly record struct ArnPrefix(string Partition, string Resource);

    /// <summary><c>arn:aws:iam::</c> followed by nothing or digits: the account ID is what is being typed.</summary>
    private static ArnPrefix? AccountPrefix(string typed)
    {
        if (!typed.StartsWith("arn:", StringComparison.Ordinal)) return null;
        var partitionEnd = typed.IndexOf(':', 4);
        if (partitionEnd < 0) return null;
        var rest = typed.AsSpan(partitionEnd + 1);
        if (!rest.StartsWith("iam::", StringComparison.Ordinal)) return null;
        foreach (var c in rest[5..])
        {
            if (!char.IsAsciiDigit(c)) return null;
        }
        return new ArnPrefix(typed[4..partitionEnd], "");
    }

    private static string PartitionOf(string typed)
    {
        if (!typed.StartsWith("arn:", StringComparison.Ordinal)) return "aws";
        var end = typed.IndexOf(':', 4);
        return end > 4 && AwsPartitions.IsKnown(typed[4..end]) ? typed[4..end] : "aws";
    }

    /// <summary>
    /// Account IDs known from the files (ARNs of roles, MFA devices and sign-in sessions; <c>sso_account_id</c>;
    /// <c>aws_account_id</c>) with the profiles that use each. After <c>arn:PARTITION:iam::</c> an item writes the ARN up
    /// to the resource (<c>arn:aws:iam::123456789012:role/</c>); otherwise the bare ID.
    /// </summary>
    private static CompletionResult AccountValues(ValueSite values, ArnPrefix? prefix)
    {
        var typedAccount = prefix is null ? values.Typed : values.Typed[(values.Typed.LastIndexOf(':') + 1)..];
        List<Usage> kept;
        bool incomplete;
        if (values.Lookups?.Index is { } index && index.SortedOf(ValueIndex.AnyAccount) is { } sorted)
        {
            var (chosen, cut) = CapSorted(sorted, i => sorted.Users[i], sorted.Values.Count, typedAccount);
            kept = [.. chosen.Select(i => InModelOrder(values.Model, sorted.Values[i], index.UsersOf(ValueIndex.AnyAccount, sorted.Values[i])))];
            incomplete = cut;
        }
        else
        {
            var accounts = AccountsOfWalk(values.Model).ToList();
            var (chosen, cut) = CapByUse(accounts.Select(usage => new Candidate(usage.Value, usage.Count, usage)), accounts.Count, typedAccount);
            kept = [.. chosen.Select(candidate => (Usage)candidate.Source!)];
            incomplete = cut;
        }
        var items = new List<CompletionSuggestion>();
        foreach (var usage in kept)
        {
            var account = usage.Value;
            var insert = prefix is { } arn ? $"arn:{arn.Partition}:iam::{account}:{arn.Resource}" : account;
            items.Add(values.Item(account, CompletionKind.Account, insert) with
            {
                Detail = usage.Describe(3, code: false),
                Documentation = $"Account `{account}`, used by {usage.Describe(20)}.",
                // The client matches the whole typed value ("arn:aws:iam::12") against this.
                FilterText = prefix is null ? null : insert,
            });
        }
        return new CompletionResult(items, incomplete);
    }

    /// <summary>Every account ID the profiles' sections name, with the profiles that name it (each once), in model order.</summary>
    private static IEnumerable<Usage> AccountsOfWalk(ProfileModel model)
    {
        var accounts = new Dictionary<string, Usage>(StringComparer.Ordinal);
        // Looked up by span: an account seen before costs no allocation, which matters on files of 50,000 profiles.
        var lookup = accounts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (name, profile) in model.Profiles)
        {
            foreach (var section in profile.Sections)
            {
                // One walk over the section's few properties is cheaper than a lookup per key.
                foreach (var (key, property) in section.Properties)
                {
                    var account = key switch
                    {
                        Keys.SsoAccountId or "aws_account_id" => property.Value.AsSpan().Trim(),
                        Keys.RoleArn or Keys.MfaSerial or Keys.LoginSession => AccountOfArn(property.Value),
                        _ => default,
                    };
                    if (!IsAccountId(account)) continue;
                    if (!lookup.TryGetValue(account, out var usage)) lookup[account] = usage = new Usage(account.ToString());
                    // A profile counts once, however many of its properties name the account.
                    if (usage.Last != name) usage.Add(name);
                }
            }
        }
        return accounts.Values;
    }

    /// <summary>A value with the profiles that use it (from the index), the profiles put in model order.</summary>
    private static Usage InModelOrder(ProfileModel model, string value, IReadOnlyCollection<string> profiles)
    {
        var usage = new Usage(value);
        if (profiles.Count == 1)
        {
            usage.Add(profiles.First());
            return usage;
        }
        var users = new List<(string Name, (int, int) Order)>(profiles.Count);
        foreach (var name in profiles)
        {
            if (model.GetProfile(name) is { } profile) users.Add((name, ValueIndex.OrderOf(profile)));
        }
        users.Sort((a, b) => a.Order.CompareTo(b.Order));
        foreach (var (name, _) in users) usage.Add(name);
        return usage;
    }

    /// <summary>A value that may be offered: how many profiles use it, and what it came from (a Usage, or the index's users).</summary>
    private readonly record struct Candidate(string Value, int Count, object? Source);

    /// <summary>The most used first, ties in <see cref="ValueIndex.ValueOrder"/> (case-insensitive, then ordinal).</summary>
    private static readonly Comparer<Candidate> ByUse = Comparer<Candidate>.Create((a, b) =>
        a.Count != b.Count ? b.Count.CompareTo(a.Count) : ValueIndex.ValueOrder.Compare(a.Value, b.Value));

    /// <summary>
    /// Every candidate, the most used first (ties in ordinal order), when there are at most <paramref name="max"/>; else
    /// those that start with what was typed (ignoring case), the most used first, cut at <paramref name="max"/> and
    /// marked incomplete so that the client asks again as the user types; when none does and <see cref="AllowsFuzzy"/>,
    /// the first <paramref name="max"/> in value order (<see cref="ValueIndex.ValueOrder"/>) that hold it as a
    /// subsequence instead (a scan of the index's sorted list stops there). Cut lists are chosen with a heap of
    /// <paramref name="max"/> (no sort of every match).
    /// </summary>
    private static (List<Candidate> Items, bool Incomplete) CapByUse(IEnumerable<Candidate> candidates, int count, string typed, int max = MaxItems)
    {
        if (count <= max)
        {
            var all = candidates.ToList();
            all.Sort(ByUse);
            return (all, false);
        }
        var kept = Best(candidates.Where(c => c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase)), max);
        if (kept.Count == 0 && AllowsFuzzy(typed))
        {
            var loose = candidates.Where(c => !c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && IsSubsequence(typed, c.Value)).ToList();
            loose.Sort((a, b) => ValueIndex.ValueOrder.Compare(a.Value, b.Value));
            kept.AddRange(loose.Take(max));
        }
        return (kept, true);
    }

    /// <summary>The <paramref name="max"/> best of <paramref name="candidates"/> by <see cref="ByUse"/>, in that order.</summary>
    private static List<Candidate> Best(IEnumerable<Candidate> candidates, int max)
    {
        if (max <= 0) return [];
        // A heap whose top is the worst kept: a candidate no better than it costs one comparison.
        var heap = new PriorityQueue<Candidate, Candidate>(Comparer<Candidate>.Create((a, b) => ByUse.Compare(b, a)));
        foreach (var candidate in candidates)
        {
            if (heap.Count < max) heap.Enqueue(candidate, candidate);
            else if (ByUse.Compare(candidate, heap.Peek()) < 0) heap.EnqueueDequeue(candidate, candidate);
        }
        var best = new List<Candidate>(heap.Count);
        while (heap.Count > 0) best.Add(heap.Dequeue());
        best.Reverse();
        return best;
    }

    /// <summary>
    /// <see cref="CapByUse(List{Candidate}, string, int)"/> of values whose own order (the most used first, then first use
    /// in the files) is kept when they are not cut.
    /// </summary>
    private static (List<Usage> Items, bool Incomplete) CapByUse(List<Usage> used, string typed, int max = MaxItems)
    {
        if (used.Count <= max) return (used, false);
        var (kept, _) = CapByUse(used.Select(usage => new Candidate(usage.Value, usage.Count, usage)), used.Count, typed, max);
        return ([.. kept.Select(candidate => (Usage)candidate.Source!)], true);
    }

    /// <summary>A value used in the files: how many profiles use it, the first few of them, and whether one shares the current source.</summary>
    private sealed class Usage(string value)
    {
        private const int MaxNames = 20;
        private string? first;
        // Most values are used by one profile: the list exists only for the others.
        private List<string>? more;

        public string Value { get; } = value;
        public int Count { get; private set; }
        public bool SharesSource { get; set; }

        /// <summary>The profile added last.</summary>
        public string? Last { get; private set; }

        public void Add(string profile)
        {
            Last = profile;
            Count++;
            if (first is null) first = profile;
            else if (Count <= MaxNames) (more ??= []).Add(profile);
        }

        /// <summary>"a, b, c and 4 more".</summary>
        public string Describe(int max, bool code = true)
        {
            IEnumerable<string> names = first is null ? [] : [first, .. more ?? []];
            var shown = string.Join(", ", names.Take(max).Select(name => code ? $"`{name}`" : name));
            return Count > max ? $"{shown} and {Count - max} more" : shown;
        }
    }

    /// <summary>
    /// Distinct values of <paramref name="key"/> in the profiles of both files (each file's own value, when they differ),
    /// except the one being typed, with the profiles that use each: the most used first, then in file order.
    /// </summary>
    private static List<Usage> UsedValues(ValueSite values, string key, string? source = null)
    {
        var byValue = new Dictionary<string, Usage>(StringComparer.Ordinal);
        var list = new List<Usage>();
        foreach (var (name, profile) in values.Model.Profiles)
        {
            Usage? last = null;
            foreach (var section in profile.Sections)
            {
                if (section.Get(key) is not { } property || property.Syntax == values.Site.CurrentProperty) continue;
                if (property.Value.Length == 0 || property.Value.Contains('\n')) continue;
                if (!byValue.TryGetValue(property.Value, out var usage))
                {
                    byValue[property.Value] = usage = new Usage(property.Value);
                    list.Add(usage);
                }
                if (usage == last) continue;
                usage.Add(name);
                if (source is not null && profile.Get(Keys.SourceProfile)?.Value == source) usage.SharesSource = true;
                last = usage;
            }
        }
        return [.. list.OrderByDescending(u => u.Count)];
    }

    /// <summary>
    /// <see cref="UsedValues(ValueSite, string, string?)"/> then <see cref="CapByUse(List{Usage}, string, int)"/>, from the
    /// index: values are counted from the index (no allocation per value), and only those kept are measured (their
    /// profiles checked against the model and put in model order). The value of the property being typed counts only
    /// the other properties that give it.
    /// </summary>
    private static (List<Usage> Items, bool Incomplete) UsedValuesOfIndex(ValueSite values, string key, ValueIndex index, ValueIndex.Sorted sorted)
    {
        var model = values.Model;
        var current = values.Site.CurrentProperty;
        var (typingAt, typingUsers) = Typing(values, key, index, sorted);
        int UsersAt(int i) => i == typingAt ? typingUsers : sorted.Users[i];
        var total = sorted.Values.Count - (typingAt >= 0 && typingUsers == 0 ? 1 : 0);
        if (total <= MaxItems)
        {
            var measured = new List<(Usage Usage, (int, int, int) First)>();
            for (var i = 0; i < sorted.Values.Count; i++)
            {
                var value = sorted.Values[i];
                if (UsersAt(i) > 0 && MeasureUse(model, key, current, value, index.UsersOf(key, value), null) is { } usage) measured.Add(usage);
            }
            return ([.. measured.OrderByDescending(m => m.Usage.Count).ThenBy(m => m.First).Select(m => m.Usage)], false);
        }
        var (kept, _) = CapSorted(sorted, UsersAt, total, values.Typed);
        var usages = new List<Usage>(kept.Count);
        foreach (var i in kept)
        {
            var value = sorted.Values[i];
            if (MeasureUse(model, key, current, value, index.UsersOf(key, value), null) is { } usage) usages.Add(usage.Usage);
        }
        return (usages, true);
    }

    /// <summary>
    /// Where the value of the property being typed is in the sorted list (-1: nowhere), and how many profiles give it
    /// but by that property: that value's count in the index includes the property itself.
    /// </summary>
    private static (int At, int Users) Typing(ValueSite values, string key, ValueIndex index, ValueIndex.Sorted sorted)
    {
        var current = values.Site.CurrentProperty;
        if (current is null || values.Site.Section.Get(key) is not { } own || own.Syntax != current) return (-1, 0);
        var at = sorted.IndexOf(own.Value);
        return at < 0 ? (-1, 0) : (at, MeasureUse(values.Model, key, current, own.Value, index.UsersOf(key, own.Value), null)?.Usage.Count ?? 0);
    }

    /// <summary>
    /// <see cref="CapByUse(IEnumerable{Candidate}, int, string, int)"/> over a sorted list of the index: the values that
    /// start with what was typed are one run of it (two binary searches), and the best of them are chosen by their
    /// counts alone (ties: the list's order), so a cut list of 50,000 values reads no value but the run's bounds.
    /// Returns the positions in the list of the values to offer, in their order.
    /// </summary>
    private static (List<int> Items, bool Incomplete) CapSorted(ValueIndex.Sorted sorted, Func<int, int> usersAt, int total, string typed, int max = MaxItems)
    {
        var count = sorted.Values.Count;
        if (total <= max) return (BestPositions(Enumerable.Range(0, count), usersAt, max), false);
        var (start, end) = sorted.PrefixRange(typed);
        var kept = BestPositions(Enumerable.Range(start, end - start), usersAt, max);
        if (kept.Count == 0 && AllowsFuzzy(typed))
        {
            // Loose matches in the list's order, the first max: the scan stops there. A value without every character
            // typed is passed over on its mask alone (typing "12e" among account IDs reads no ID).
            var values = sorted.Values;
            var needed = ValueIndex.CharacterMask(typed);
            for (var i = 0; i < count && kept.Count < max; i++)
            {
                if ((sorted.MaskAt(i) & needed) == needed && (i < start || i >= end) && usersAt(i) > 0 && IsSubsequence(typed, values[i])) kept.Add(i);
            }
        }
        return (kept, true);
    }

    /// <summary>The <paramref name="max"/> positions with the most users (ties: the first), in that order; positions without users are left out.</summary>
    private static List<int> BestPositions(IEnumerable<int> positions, Func<int, int> usersAt, int max)
    {
        // A heap whose top is the worst kept: fewer users, or as many and later.
        var heap = new PriorityQueue<int, (int Users, int Position)>(Comparer<(int Users, int Position)>.Create((a, b) =>
            a.Users != b.Users ? a.Users.CompareTo(b.Users) : b.Position.CompareTo(a.Position)));
        foreach (var position in positions)
        {
            var users = usersAt(position);
            if (users <= 0) continue;
            if (heap.Count < max) heap.Enqueue(position, (users, position));
            else if (heap.TryPeek(out _, out var worst) && (users > worst.Users || users == worst.Users && position < worst.Position)) heap.EnqueueDequeue(position, (users, position));
        }
        var best = new List<int>(heap.Count);
        while (heap.Count > 0) best.Add(heap.Dequeue());
        best.Reverse();
        return best;
    }

    /// <summary>
    /// A value of <paramref name="key"/> from the index with the profiles whose sections give it (but the property being
    /// typed), in model order, and where it is first given (profile order, section); null when none gives it. With a
    /// <paramref name="source"/>, whether one of them takes its credentials from it.
    /// </summary>
    private static (Usage Usage, (int, int, int) First)? MeasureUse(ProfileModel model, string key, PropertySyntax? current, string value,
        IReadOnlyCollection<string> names, string? source)
    {
        var users = new List<(Profile Profile, (int, int, int) First)>(names.Count);
        foreach (var name in names)
        {
            if (model.GetProfile(name) is not { } profile) continue;
            var rank = 0;
            foreach (var section in profile.Sections)
            {
                if (section.Get(key) is { } property && property.Syntax != current && property.Value == value)
                {
                    var (file, position) = ValueIndex.OrderOf(profile);
                    users.Add((profile, (file, position, rank)));
                    break;
                }
                rank++;
            }
        }
        if (users.Count == 0) return null;
        users.Sort((a, b) => a.First.CompareTo(b.First));
        var usage = new Usage(value);
        foreach (var (profile, _) in users)
        {
            usage.Add(profile.Name);
            if (source is not null && profile.Get(Keys.SourceProfile)?.Value == source) usage.SharesSource = true;
        }
        return (usage, users[0].First);
    }

    /// <summary>
    /// The MFA lists of <see cref="MfaSerialValues"/> from the index, as the walk gives them: the devices of the profiles
    /// that take their credentials from <paramref name="source"/> (found through the index's <c>source_profile</c> users)
    /// measured in full; the others cut as <see cref="CapSorted"/> does, only those kept measured. Also every device
    /// used (but by the property being typed alone), for the derived device.
    /// </summary>
    private static (List<Usage> SameSource, bool Incomplete, List<Usage> Others, bool OthersIncomplete, IEnumerable<string> UsedValues, Func<string, bool> IsUsed)
        MfaValuesOfIndex(ValueSite values, ValueIndex index, ValueIndex.Sorted sorted, string? source)
    {
        const string key = Keys.MfaSerial;
        var model = values.Model;
        var current = values.Site.CurrentProperty;
        var (typingAt, typingUsers) = Typing(values, key, index, sorted);
        (Usage Usage, (int, int, int) First)? Measure(string value) => MeasureUse(model, key, current, value, index.UsersOf(key, value), source);
        static List<Usage> InOrder(IEnumerable<(Usage Usage, (int, int, int) First)> measured) =>
            [.. measured.OrderByDescending(m => m.Usage.Count).ThenBy(m => m.First).Select(m => m.Usage)];

        var samePositions = new HashSet<int>();
        var same = new List<(Usage Usage, (int, int, int) First)>();
        if (source is not null && index.ProfilesWith(model, Keys.SourceProfile, source) is { } sharing)
        {
            foreach (var profile in sharing)
            {
                foreach (var section in profile.Sections)
                {
                    if (section.Get(key) is not { } property || property.Syntax == current || property.Value.Length == 0 || property.Value.Contains('\n')) continue;
                    var at = sorted.IndexOf(property.Value);
                    if (at >= 0 && samePositions.Add(at) && Measure(property.Value) is { } usage) same.Add(usage);
                }
            }
        }
        var (sameSource, incomplete) = CapByUse(InOrder(same), values.Typed);
        var max = Math.Max(0, MaxItems - sameSource.Count);
        int UsersAt(int i) => samePositions.Contains(i) ? 0 : i == typingAt ? typingUsers : sorted.Users[i];
        var total = 0;
        for (var i = 0; i < sorted.Values.Count; i++)
        {
            if (UsersAt(i) > 0) total++;
        }
        List<Usage> others;
        bool othersIncomplete;
        if (total <= max)
        {
            var measured = new List<(Usage Usage, (int, int, int) First)>();
            for (var i = 0; i < sorted.Values.Count; i++)
            {
                if (UsersAt(i) > 0 && Measure(sorted.Values[i]) is { } usage) measured.Add(usage);
            }
            (others, othersIncomplete) = (InOrder(measured), false);
        }
        else
        {
            var (kept, _) = CapSorted(sorted, UsersAt, total, values.Typed, max);
            others = [.. kept.Select(i => Measure(sorted.Values[i])).Where(m => m is not null).Select(m => m!.Value.Usage)];
            othersIncomplete = true;
        }
        bool IsUsed(string value) => sorted.IndexOf(value) is var at && at >= 0 && (at != typingAt || typingUsers > 0);
        var usedValues = sorted.Values.Where((_, i) => i != typingAt || typingUsers > 0);
        return (sameSource, incomplete, others, othersIncomplete, usedValues, IsUsed);
    }

    /// <summary>The account field of an ARN (<c>arn:PARTITION:SERVICE:REGION:ACCOUNT:...</c>), without allocating.</summary>
    private static ReadOnlySpan<char> AccountOfArn(string value) => ValueIndex.AccountFieldOf(value.AsSpan().Trim());

    private static bool IsAccountId(ReadOnlySpan<char> text)
    {
        if (text.Length != 12) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static string EscapeSnippet(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '$' or '}' or '\\') builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }

    // ---- Long lists ------------------------------------------------------------------------

    /// <summary>
    /// Whether a cut list also looks for values that hold what was typed as a case-insensitive subsequence (what fuzzy
    /// clients accept) rather than as a prefix: for a short bare word ("Admin", "dev-ro", at most 6 characters), which
    /// may be the middle of a value. Not for an ARN being written ("arn:aws:iam::12345"), nor a longer word: once
    /// nothing starts with those, the values that merely hold their characters in order are noise, and when none does,
    /// looking for them costs a pass over every value (50,000 on the largest files) per keystroke.
    /// </summary>
    private static bool AllowsFuzzy(string typed) => typed.Length is > 0 and <= 6 && typed.AsSpan().IndexOfAny(':', '/') < 0;

    /// <summary>
    /// All candidates in order when there are at most <paramref name="max"/>; else those matching what was typed, prefix
    /// matches first, then (see <see cref="AllowsFuzzy"/>) the others that hold it as a case-insensitive subsequence,
    /// cut at <paramref name="max"/>, and marked incomplete so that the client asks again as the user types.
    /// </summary>
    private static (List<T> Items, bool Incomplete) Cap<T>(IEnumerable<T> candidates, int count, Func<T, string> text, string typed, int max = MaxItems)
    {
        if (count <= max) return ([.. candidates], false);
        var kept = new List<T>();
        foreach (var prefixPass in (bool[])(AllowsFuzzy(typed) ? [true, false] : [true]))
        {
            foreach (var candidate in candidates)
            {
                var value = text(candidate);
                var isPrefix = value.StartsWith(typed, StringComparison.OrdinalIgnoreCase);
                if (prefixPass ? !isPrefix : isPrefix || !IsSubsequence(typed, value)) continue;
                if (kept.Count == max) return (kept, true);
                kept.Add(candidate);
            }
        }
        return (kept, true);
    }

    private static bool IsSubsequence(string typed, string value)
    {
        if (typed.Length > value.Length) return false;
        var index = 0;
        foreach (var c in value)
        {
            if (index == typed.Length) break;
            var t = typed[index];
            if (c == t || char.ToLowerInvariant(c) == char.ToLowerInvariant(t)) index++;
        }
        return index == typed.Length;
    }
}
