using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>What the catalog says about a key where it is written.</summary>
internal enum KeyVerdict
{
    /// <summary>An AWS tool reads it here (or the slot is open-ended: a service identifier, a plugin name).</summary>
    Known,
    /// <summary>A real key, but one that does nothing here: <see cref="KeyOccurrence.Elsewhere"/> says where it belongs.</summary>
    WrongSection,
    /// <summary>A key a known non-AWS tool keeps in the files.</summary>
    ThirdParty,
    /// <summary>No tool we know reads it.</summary>
    Unknown,
}

/// <summary>
/// One key as written in a section the CLI reads, or in a nested block of one (<see cref="Property"/> is then the
/// block's key). <see cref="Siblings"/> are the other keys at the same level (lower-cased for top-level keys), so a
/// rename never creates a duplicate.
/// </summary>
internal sealed record KeyOccurrence(
    SectionEntry Section,
    PropertyEntry Property,
    string Key,
    TextSpan Span,
    SectionContext Context,
    KeySet Siblings,
    KeyVerdict Verdict,
    IReadOnlyList<KeyEntry> Elsewhere,
    ThirdPartyKey? ThirdParty)
{
    public ConfigFileKind File => Section.File.Kind;
    public bool IsSubProperty => Context.IsSubProperty;
    /// <summary>In the credentials file, where botocore merges what the config file would hold.</summary>
    public bool InCredentialsFile => File == ConfigFileKind.Credentials;

    /// <summary>Where the key is, in words: "a profile", "an `s3 =` block".</summary>
    public string Where => (Context.Section, Context.ParentKey) switch
    {
        (SectionKind.Credentials, null) => "the credentials file",
        (SectionKind.SsoSession, null) => "an `[sso-session]` section",
        (SectionKind.Services, null) => "a `[services]` section",
        (SectionKind.Services, var service) => $"the `{service} =` block of a `[services]` section",
        (_, "s3") => "an `s3 =` block",
        (_, "api_versions") => "an `api_versions =` block",
        (_, var parent) when parent is not null => $"the `{parent} =` block",
        _ => "a profile",
    };
}

/// <summary>Walks the keys of the sections the CLI reads (and their nested blocks) and judges each against the catalog.</summary>
internal static class KeyPlacement
{
    /// <summary>
    /// The key occurrences of one section that a rule about keys can report, judged once for those rules (they run one
    /// section after the other, so the last section's are kept): every key that is not <see cref="KeyVerdict.Known"/>,
    /// and top-level keys with an empty value (empty-value's). Sections the CLI ignores have none. The common section
    /// (every key known, every value set) gets the shared empty list: nothing is allocated for it.
    /// </summary>
    public static IReadOnlyList<KeyOccurrence> In(AnalysisContext analysis, SectionEntry section)
    {
        if (ReferenceEquals(analysis.LastKeys.Section, section)) return analysis.LastKeys.Keys;
        var endpointPlugin = analysis.LoadsEndpointPlugin ??= LoadsEndpointPlugin(analysis.Model.Config);
        IReadOnlyList<KeyOccurrence> keys = section.OwnProperties.Count == 0 ? [] : Judge(section, endpointPlugin);
        analysis.LastKeys = (section, keys);
        return keys;
    }

    /// <summary>Whether any of <paramref name="keys"/> has the verdict <paramref name="first"/> or <paramref name="second"/>.</summary>
    public static bool Any(IReadOnlyList<KeyOccurrence> keys, KeyVerdict first, KeyVerdict second)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Verdict == first || keys[i].Verdict == second) return true;
        }
        return false;
    }

    private static readonly KeyOccurrence[] None = [];

    private static IReadOnlyList<KeyOccurrence> Judge(SectionEntry section, bool endpointPlugin)
    {
        if (ContextOf(section) is not { } context) return None;
        List<KeyOccurrence>? found = null;
        KeySet? siblings = null;
        var properties = section.OwnProperties;
        for (var p = 0; p < properties.Count; p++)
        {
            var property = properties[p];
            // The key as written: the model's (lower-cased) key when it is written so, without a new string.
            var keySpan = property.Syntax.KeySpan;
            var text = section.Syntax.Text;
            var writtenAsKey = text.Slice(keySpan.Start, keySpan.Length).SequenceEqual(property.Key);
            var keyText = writtenAsKey ? property.Key : section.Syntax.GetText(keySpan);
            var verdict = Verdict(keyText, context, out var elsewhere, out var thirdParty);
            // awscli-plugin-endpoint reads `SERVICE =` blocks with `endpoint_url` inside a profile.
            var pluginBlock = endpointPlugin && context.Section is SectionKind.Profile or SectionKind.Credentials
                && property.SubProperties is not null && KeyCatalog.Find(property.Key, SectionContext.Services) is not null;
            var reportable = verdict != KeyVerdict.Known || property.Value.Length == 0 && property.SubProperties is null;
            if (!pluginBlock && reportable)
            {
                siblings ??= new KeySet(properties, null);
                (found ??= []).Add(new KeyOccurrence(section, property, keyText, property.KeySpan, context, siblings, verdict, elsewhere, thirdParty));
            }
            if (property.SubProperties is null || verdict != KeyVerdict.Known && !pluginBlock) continue;
            var blockContext = context.Section switch
            {
                SectionKind.Services => SectionContext.ServiceBlock(property.Key),
                SectionKind.Profile or SectionKind.Credentials when property.Key is "s3" or "api_versions" || pluginBlock => context.Under(property.Key),
                _ => (SectionContext?)null,
            };
            if (blockContext is not { } under) continue;
            List<(string Key, TextSpan Span)>? subKeys = null;
            foreach (var line in property.Syntax.Lines)
            {
                if (line.AsContinuation is not { SubKeySpan: { } subKeySpan }) continue;
                var subKey = section.Syntax.GetText(subKeySpan);
                if (subKey.Length > 0) (subKeys ??= []).Add((subKey, subKeySpan.Shift(section.Start)));
            }
            if (subKeys is null) continue;
            KeySet? subSiblings = null;
            foreach (var (key, span) in subKeys)
            {
                if (endpointPlugin && key == "endpoint_url" && (pluginBlock || property.Key == "s3")) continue;
                // Sub-keys are reported only when not known here (empty-value is about top-level keys).
                var subVerdict = Verdict(key, under, out var subElsewhere, out var subThirdParty);
                if (subVerdict == KeyVerdict.Known) continue;
                subSiblings ??= new KeySet(null, [.. subKeys.Select(k => k.Key)]);
                (found ??= []).Add(new KeyOccurrence(section, property, key, span, under, subSiblings, subVerdict, subElsewhere, subThirdParty));
            }
        }
        return found is null ? None : found;
    }

    /// <summary>The context of a section's own keys, or null for sections the CLI ignores or that have no fixed keys.</summary>
    private static SectionContext? ContextOf(SectionEntry section)
    {
        if (section.File.Kind == ConfigFileKind.Credentials)
        {
            return section.Role is SectionRole.Profile or SectionRole.Defaults ? SectionContext.Credentials : null;
        }
        return section.Role switch
        {
            SectionRole.Defaults => SectionContext.Profile,
            SectionRole.Profile when section.EntityName is not null => SectionContext.Profile,
            SectionRole.SsoSession when section.EntityName is not null => SectionContext.SsoSession,
            SectionRole.Services when section.EntityName is not null => SectionContext.Services,
            _ => null,
        };
    }

    /// <summary>Whether <c>[plugins]</c> loads awscli-plugin-endpoint, which reads endpoints from blocks inside profiles.</summary>
    private static bool LoadsEndpointPlugin(ConfigFile config) =>
        config.HasOtherSection("plugins") && config.Sections.Any(s => s.Role == SectionRole.Other && s.RawName == "plugins" && s.OwnProperties.Any(p => p.Value.Trim() == "awscli_plugin_endpoint"));

    private static KeyOccurrence Judge(SectionEntry section, PropertyEntry property, string key, TextSpan span, SectionContext context, KeySet siblings)
    {
        var verdict = Verdict(key, context, out var elsewhere, out var thirdParty);
        return new KeyOccurrence(section, property, key, span, context, siblings, verdict, elsewhere, thirdParty);
    }

    private static IReadOnlyList<KeyEntry> Named(IReadOnlyList<KeyEntry> entries, string key)
    {
        var named = new List<KeyEntry>();
        foreach (var entry in entries)
        {
            if (entry.Name == key) named.Add(entry);
        }
        return named;
    }

    private static KeyVerdict Verdict(string key, SectionContext context, out IReadOnlyList<KeyEntry> misplaced, out ThirdPartyKey? third)
    {
        misplaced = [];
        third = null;
        // The common case first: a key of this context (one look-up, no list of the places it is known).
        var entry = context.Section == SectionKind.Credentials && !context.IsSubProperty ? null : KeyCatalog.Find(key, context);
        if (entry is { IsGeneric: false }) return KeyVerdict.Known;
        // Sub-property keys are not lower-cased by configparser: compare them exactly.
        var anywhere = KeyCatalog.FindAnywhere(key);
        var elsewhere = context.IsSubProperty ? Named(anywhere, key) : anywhere;

        if (context.Section == SectionKind.Credentials && !context.IsSubProperty)
        {
            // botocore merges every credentials-file key into the profile; only keys it never reads there are wrong.
            if (elsewhere.Any(e => e.CredentialsFile != CredentialsFileSupport.NotRead)) return KeyVerdict.Known;
            if (elsewhere.Count > 0)
            {
                misplaced = elsewhere;
                return KeyVerdict.WrongSection;
            }
        }
        else
        {
            // A generic entry (an unlisted service identifier) that is really a key of another section is misplaced.
            if (elsewhere.Count > 0)
            {
                misplaced = elsewhere;
                return KeyVerdict.WrongSection;
            }
            if (entry is not null) return KeyVerdict.Known;
        }
        if (!context.IsSubProperty && ThirdPartyKeys.Find(key) is { } thirdParty)
        {
            third = thirdParty;
            return KeyVerdict.ThirdParty;
        }
        return KeyVerdict.Unknown;
    }
}

/// <summary>
/// The other keys at one level (a section's own keys, lower-cased, or a block's sub-keys): a handful, looked up only
/// when a rename is offered, so a list scanned on demand rather than a set built per section.
/// </summary>
internal sealed class KeySet(IReadOnlyList<PropertyEntry>? properties, string[]? keys)
{
    public bool Contains(string key)
    {
        if (properties is not null)
        {
            for (var i = 0; i < properties.Count; i++)
            {
                if (string.Equals(properties[i].Key, key, StringComparison.Ordinal)) return true;
            }
            return false;
        }
        return Array.IndexOf(keys!, key) >= 0;
    }
}
