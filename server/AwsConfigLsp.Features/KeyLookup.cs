using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;

namespace AwsConfigLsp.Features;

/// <summary>Who reads a key: an AWS tool, a known third-party tool, or nobody we know of.</summary>
public enum KeyOrigin
{
    Aws,
    ThirdParty,
    Unknown,
}

/// <summary>What the catalogs know about one key where it is written.</summary>
public readonly record struct KeyInfo(string Key, SectionContext Context, KeyEntry? Entry, ThirdPartyKey? ThirdParty)
{
    public KeyOrigin Origin => Entry is not null ? KeyOrigin.Aws : ThirdParty is not null ? KeyOrigin.ThirdParty : KeyOrigin.Unknown;

    /// <summary>
    /// True when the key sits in the credentials file but belongs in the config file, and botocore reads it anyway
    /// because it merges both files per profile.
    /// </summary>
    public bool IsMergedFromCredentials =>
        Entry is not null && Context.Section == SectionKind.Credentials && !Context.IsSubProperty && !Entry.IsValidIn(KeyScope.CredentialsFile);

    /// <summary>Values of this key must never be shown (secret AWS keys, third-party passwords, anything named like a secret).</summary>
    public bool IsSecret =>
        Secrets.IsSecretKey(Key)
        || (Entry is not null ? Entry.IsSecret : ThirdParty is not null ? ThirdParty.IsSecret : KeyCatalog.IsSecret(Key));
}

/// <summary>Maps a place in a file to the catalog's <see cref="SectionContext"/> and looks keys up there, shared by hover and semantic tokens.</summary>
public static class KeyLookup
{
    /// <summary>
    /// The catalog context of a section's keys (<paramref name="parentKey"/> for the lines of a nested block).
    /// <c>[DEFAULT]</c> of the config file counts as a profile, since botocore copies its keys into every profile.
    /// </summary>
    public static SectionContext ContextOf(SectionEntry section, string? parentKey = null)
    {
        var kind = section.File.Kind == ConfigFileKind.Credentials
            ? SectionKind.Credentials
            : section.Role switch
            {
                SectionRole.Profile or SectionRole.Defaults => SectionKind.Profile,
                SectionRole.SsoSession => SectionKind.SsoSession,
                SectionRole.Services => SectionKind.Services,
                SectionRole.Other when section.RawName == "plugins" => SectionKind.Plugins,
                SectionRole.Other when section.RawName == "preview" => SectionKind.Preview,
                _ => SectionKind.Other,
            };
        return new SectionContext(kind, parentKey);
    }

    /// <summary>
    /// Looks up <paramref name="key"/> as written in <paramref name="section"/> (under <paramref name="parentKey"/> for a
    /// nested block). In the credentials file, a config-file key that botocore merges counts as an AWS key.
    /// </summary>
    public static KeyInfo Find(SectionEntry section, string key, string? parentKey = null)
    {
        var context = ContextOf(section, parentKey);
        var entry = KeyCatalog.Find(key, context);
        if (entry is null && context is { Section: SectionKind.Credentials, IsSubProperty: false })
        {
            entry = KeyCatalog.FindAnywhere(key).FirstOrDefault(e => e.CredentialsFile == CredentialsFileSupport.MergedByBotocore);
        }
        var thirdParty = entry is null ? ThirdPartyKeys.Find(key) : null;
        return new KeyInfo(key, context, entry, thirdParty);
    }
}
