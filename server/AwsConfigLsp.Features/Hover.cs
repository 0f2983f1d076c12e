using System.Text;
using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>Markdown for a hover and the span it describes.</summary>
public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>
/// Hover: a profile's resolved chain, how to use it, and facts about ARN values; the documentation of keys (AWS,
/// third-party, or unknown with did-you-mean) and of values (enum meanings, Regions, sso-sessions). Secret values are
/// never shown; an access key id only masked.
/// </summary>
public static class Hover
{
    public static HoverResult? Get(ProfileModel model, ConfigFileKind fileKind, int offset, ValueIndex? index = null)
    {
        var entity = Navigation.FindAt(model, fileKind, offset);
        if (entity is { Kind: NamedEntityKind.Profile })
        {
            return new HoverResult(ProfileMarkdown(model, entity.Name), entity.Location.Span);
        }
        var file = model.GetFile(fileKind);
        if (file.Sections.Count == 0) return null;
        var section = file.Sections[file.Syntax.FindSectionIndex(offset)];
        if (section.Syntax.Header is { } header && section.Role == SectionRole.Profile && section.EntityName is { } name
            && header.Span.Shift(section.Start).ContainsOrTouches(offset))
        {
            return new HoverResult(ProfileMarkdown(model, name), header.Span.Shift(section.Start));
        }
        foreach (var property in section.OwnProperties)
        {
            if (property.ValueSpan.ContainsOrTouches(offset) && property.Key is Keys.RoleArn or Keys.MfaSerial && property.ValueSpan.Length > 0)
            {
                return new HoverResult(ArnMarkdown(model, property, index), property.ValueSpan);
            }
        }
        return HeaderHover(model, section, offset, index) ?? PropertyHover(model, section, offset, index);
    }

    /// <summary>The resolved chain of a profile in markdown: the CLI's error when it fails, then how to use the profile.</summary>
    public static string ProfileMarkdown(ProfileModel model, string profileName)
    {
        var resolution = model.Resolve(profileName);
        var builder = new StringBuilder();
        builder.Append("**Profile `").Append(profileName).Append("`**\n\n");
        if (resolution.Error is { } error)
        {
            builder.Append("**The AWS CLI fails:** `").Append(Analysis.Diagnostics.DiagnosticCodes.For(error.Kind)).Append("`: ")
                .Append(error.Message).Append("\n\n");
        }
        if (!resolution.Chain.IsEmpty)
        {
            builder.Append(resolution.Error is null ? "Credential chain, from the base to this profile:\n\n" : "Chain up to the failure:\n\n");
            var step = 1;
            foreach (var hop in resolution.Chain)
            {
                builder.Append(step++).Append(". ").Append(HopMarkdown(hop, model)).Append('\n');
            }
            builder.Append('\n');
            if (resolution.Error is null) builder.Append("`").Append(ChainFormatter.FormatText(resolution, model)).Append("`\n\n");
        }
        var shellName = ShellWord(profileName);
        builder.Append("**Use it:** `aws sts get-caller-identity --profile ").Append(shellName).Append("` · `export AWS_PROFILE=").Append(shellName).Append("`\n\n");
        var caveats = Caveats(model, resolution);
        foreach (var caveat in caveats) builder.Append("- ").Append(caveat).Append('\n');
        return builder.ToString().TrimEnd() + "\n";
    }

    /// <summary>The name as one POSIX shell word: as it is when nothing in it is special to the shell, else in single quotes.</summary>
    private static string ShellWord(string name)
    {
        var plain = name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || char.IsSurrogate(c) || c is '-' or '_' or '.' or '@' or '%' or '+' or '=' or ':' or ',' or '/');
        return plain ? name : "'" + name.Replace("'", "'\\''") + "'";
    }

    private static string HopMarkdown(ChainHop hop, ProfileModel model)
    {
        var parts = new List<string>();
        switch (hop.Kind)
        {
            case CredentialKind.AssumeRole:
                var (account, role) = SplitRoleArn(hop.RoleArn);
                parts.Add($"`{hop.Profile}`: AssumeRole `{role ?? hop.RoleArn}`" + (account is null ? "" : $" in account `{account}`"));
                if (hop.MfaSerial is not null) parts.Add($"MFA `{hop.MfaSerial}`");
                if (hop.ExternalId is not null) parts.Add($"external id `{hop.ExternalId}`");
                if (hop.DurationSeconds is not null) parts.Add($"session {hop.DurationSeconds} s");
                if (hop.RoleSessionName is not null) parts.Add($"session name `{hop.RoleSessionName}`");
                break;
            case CredentialKind.Static:
                var file = model.GetFile(hop.File ?? ConfigFileKind.Credentials);
                parts.Add($"`{hop.Profile}`: static keys in {ChainFormatter.DisplayPath(file)}");
                break;
            case CredentialKind.CredentialSource:
                parts.Add(hop.CredentialSource switch
                {
                    "Ec2InstanceMetadata" => "the EC2 instance profile (`credential_source = Ec2InstanceMetadata`)",
                    "EcsContainer" => "the ECS container role (`credential_source = EcsContainer`)",
                    _ => "environment variables `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (`credential_source = Environment`)",
                });
                break;
            case CredentialKind.CredentialProcess:
                parts.Add($"`{hop.Profile}`: the output of `credential_process`");
                break;
            case CredentialKind.Sso:
                parts.Add($"`{hop.Profile}`: IAM Identity Center role `{hop.SsoRoleName}` in account `{hop.SsoAccountId}`"
                    + (hop.SsoSession is null ? " (legacy SSO keys)" : $" via sso-session `{hop.SsoSession}`"));
                break;
            case CredentialKind.WebIdentity:
                parts.Add($"`{hop.Profile}`: AssumeRoleWithWebIdentity `{hop.RoleArn}` with the token in `{hop.WebIdentityTokenFile}`");
                break;
            case CredentialKind.Login:
                parts.Add($"`{hop.Profile}`: the `aws login` session");
                break;
            default:
                parts.Add($"`{hop.Profile}`: nothing in the files; the CLI falls through to container and instance metadata credentials");
                break;
        }
        return string.Join(" · ", parts);
    }

    private static IEnumerable<string> Caveats(ProfileModel model, Resolution resolution)
    {
        var usesConfigRole = resolution.Chain.Any(h => h.Kind == CredentialKind.AssumeRole);
        if (usesConfigRole)
        {
            yield return "JavaScript SDK v2 reads roles from `~/.aws/config` only with `AWS_SDK_LOAD_CONFIG=1` (else: *Missing credentials in config*).";
        }
        if (resolution.Chain.Any(h => h.MfaSerial is not null))
        {
            yield return "MFA: the CLI prompts for the code; SDKs need an MFA callback, and the .NET SDK refuses MFA role profiles in its default chain.";
        }
        if (resolution.Chain.Any(h => h.Kind == CredentialKind.CredentialSource))
        {
            yield return "The .NET SDK reads `credential_source` case-insensitively and drops `external_id` / `mfa_serial` on such profiles.";
        }
        if (resolution.Chain.Any(h => h.DurationSeconds is not null))
        {
            yield return "The .NET SDK ignores `duration_seconds`.";
        }
        if (resolution.Chain.FirstOrDefault() is { Kind: CredentialKind.Static, File: ConfigFileKind.Config })
        {
            yield return "Static keys in the config file work for the CLI, but belong in the credentials file.";
        }
    }

    private static string ArnMarkdown(ProfileModel model, PropertyEntry property, ValueIndex? index)
    {
        var builder = new StringBuilder();
        var parts = property.Value.Split(':');
        var account = parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
        builder.Append(property.Key == Keys.RoleArn ? "**Role ARN**" : "**MFA device**");
        if (account is { Length: > 0 }) builder.Append(" in account `").Append(account).Append('`');
        builder.Append("\n\n");
        var sharing = (index?.ProfilesWith(model, property.Key, property.Value) ?? model.Profiles.Values.Where(p => p.Get(property.Key)?.Value == property.Value))
            .Where(p => p.Name != property.Section.EntityName)
            .Select(p => $"`{p.Name}`").ToList();
        if (account is { Length: > 0 })
        {
            var sameAccount = (index?.ProfilesInAccount(model, account)
                               ?? model.Profiles.Values.Where(p => ValueIndex.AccountOf(p.Get(Keys.RoleArn)?.Value) == account || p.Get(Keys.SsoAccountId)?.Value == account))
                .Where(p => p.Name != property.Section.EntityName)
                .Select(p => $"`{p.Name}`").Take(20).ToList();
            if (sameAccount.Count > 0) builder.Append("Other profiles in this account: ").Append(string.Join(", ", sameAccount)).Append("\n\n");
        }
        if (sharing.Count > 0) builder.Append("Also used by: ").Append(string.Join(", ", sharing.Take(20))).Append('\n');
        return builder.ToString().TrimEnd() + "\n";
    }

    // ---- Other headers, keys and values ---------------------------------------------------

    /// <summary>Headers other than profiles': what the section is to the CLI and, for sessions and services, who uses it.</summary>
    private static HoverResult? HeaderHover(ProfileModel model, SectionEntry section, int offset, ValueIndex? index)
    {
        if (section.Syntax.Header is not { } header) return null;
        var span = header.Span.Shift(section.Start);
        if (!span.ContainsOrTouches(offset)) return null;
        var markdown = section.Role switch
        {
            SectionRole.SsoSession when section.EntityName is { } name => SectionDocs.SsoSession + UsedBy(model, Keys.SsoSession, name, index),
            SectionRole.Services when section.EntityName is { } name => SectionDocs.Services + UsedBy(model, ServicesKey, name, index),
            SectionRole.Profile or SectionRole.SsoSession or SectionRole.Services =>
                $"**`[{header.Name}]`**: botocore ignores this section. A `profile`, `sso-session` or `services` header needs exactly one name after the word; quote a name with spaces: `[profile \"my name\"]`.",
            SectionRole.Defaults => SectionDocs.ConfigParserDefaults,
            _ when section.RawName == "plugins" => SectionDocs.Plugins,
            _ when section.RawName == "preview" => SectionDocs.Preview,
            _ when section.RawName is { } raw && ThirdPartyKeys.Sections.TryGetValue(raw, out var tool) =>
                $"**`[{raw}]`**: settings of {tool}. No AWS CLI or SDK reads this section.",
            _ => SectionDocs.Other,
        };
        return new HoverResult(markdown, span);
    }

    private const string ServicesKey = "services";

    /// <summary>"Used by: `a`, `b`" for the profiles whose <paramref name="key"/> is <paramref name="name"/>.</summary>
    private static string UsedBy(ProfileModel model, string key, string name, ValueIndex? index)
    {
        var users = (index?.ProfilesWith(model, key, name) ?? model.Profiles.Values.Where(p => p.Get(key)?.Value == name)).Select(p => $"`{p.Name}`").ToList();
        if (users.Count == 0) return $"\n\nNo profile uses it (`{key} = {name}`).";
        var shown = string.Join(", ", users.Take(20));
        return users.Count > 20 ? $"\n\nUsed by: {shown} and {users.Count - 20} more." : $"\n\nUsed by: {shown}.";
    }

    /// <summary>The key or the value under the cursor, sub-properties of nested blocks included.</summary>
    private static HoverResult? PropertyHover(ProfileModel model, SectionEntry section, int offset, ValueIndex? index)
    {
        if (section.Role == SectionRole.Preamble) return null;
        foreach (var property in section.OwnProperties)
        {
            var syntax = property.Syntax;
            if (!syntax.PropertyFullSpan.Shift(section.Start).ContainsOrTouches(offset)) continue;
            if (property.KeySpan.Length > 0 && property.KeySpan.ContainsOrTouches(offset))
            {
                var writtenKey = section.Syntax.GetText(syntax.KeySpan);
                return new HoverResult(KeyMarkdown(KeyLookup.Find(section, property.Key), writtenKey), property.KeySpan);
            }
            if (property.ValueSpan.Length > 0 && property.ValueSpan.ContainsOrTouches(offset))
            {
                return ValueHover(model, KeyLookup.Find(section, property.Key), section.Syntax.GetText(syntax.ValueSpan), property.ValueSpan, offset, index);
            }
            if (!syntax.IsNestedBlock) continue;
            foreach (var line in syntax.Lines)
            {
                if (line.AsContinuation is not { SubKeySpan: { } subKeySpan } continuation) continue;
                var subKey = section.Syntax.GetText(subKeySpan);
                var keySpan = subKeySpan.Shift(section.Start);
                if (keySpan.Length > 0 && keySpan.ContainsOrTouches(offset))
                {
                    return new HoverResult(KeyMarkdown(KeyLookup.Find(section, subKey, property.Key), subKey), keySpan);
                }
                if (continuation.SubValueSpan is { Length: > 0 } subValueSpan && subValueSpan.Shift(section.Start).ContainsOrTouches(offset))
                {
                    return ValueHover(model, KeyLookup.Find(section, subKey, property.Key), section.Syntax.GetText(subValueSpan), subValueSpan.Shift(section.Start), offset, index);
                }
            }
        }
        return null;
    }

    /// <summary>The catalog's documentation, the third-party tool that reads the key, or "unknown" with did-you-mean.</summary>
    private static string KeyMarkdown(KeyInfo info, string writtenKey)
    {
        switch (info.Origin)
        {
            case KeyOrigin.Aws:
                var documentation = info.Entry!.Documentation;
                return info.IsMergedFromCredentials
                    ? documentation + "\n\n*In the credentials file:* botocore (and so the AWS CLI) reads it here too, because it merges both files per profile; most other SDKs read it only from the config file."
                    : documentation;
            case KeyOrigin.ThirdParty:
                return info.ThirdParty!.Documentation;
        }
        var builder = new StringBuilder();
        builder.Append("**`").Append(writtenKey).Append("`**: unknown key. ");
        builder.Append(info.Context.Scope == KeyScope.None
            ? "No AWS tool reads this section, so none reads its keys."
            : "No AWS tool reads it here, and no known third-party tool uses it.");
        var suggestions = KeyCatalog.Suggest(writtenKey, info.Context).Take(3).ToList();
        if (suggestions.Count > 0)
        {
            builder.Append("\n\n");
            foreach (var suggestion in suggestions) builder.Append("- ").Append(suggestion.Message).Append('\n');
        }
        return builder.ToString().TrimEnd() + "\n";
    }

    /// <summary>What a value means. Nothing for secrets; an access key id only masked.</summary>
    private static HoverResult? ValueHover(ProfileModel model, KeyInfo info, string value, TextSpan span, int offset, ValueIndex? index)
    {
        if (info.IsSecret || info.Entry is not { } entry) return null;
        if (entry.Name == Keys.AccessKeyId) return new HoverResult(AccessKeyMarkdown(value), span);
        switch (entry.Value.Kind)
        {
            case ValueKind.Enum:
                return new HoverResult(EnumMarkdown(entry, value), span);
            case ValueKind.Region:
                return new HoverResult(RegionMarkdown(value), span);
            case ValueKind.RegionList:
                var item = ListItemAt(value, span, offset);
                if (item is null) return null;
                var itemText = value.Substring(item.Value.Start - span.Start, item.Value.Length);
                return new HoverResult(itemText == "*" ? "**`*`**: every Region." : RegionMarkdown(itemText), item.Value);
            case ValueKind.SsoSessionReference:
                return new HoverResult(SessionMarkdown(model, value, index), span);
            case ValueKind.ServicesReference:
                return new HoverResult(ServicesMarkdown(model, value), span);
            default:
                return null;
        }
    }

    private static string AccessKeyMarkdown(string value)
    {
        var kind = value.StartsWith("AKIA", StringComparison.Ordinal) ? ": long-term credentials of an IAM user (or of the root user)"
            : value.StartsWith("ASIA", StringComparison.Ordinal) ? ": temporary credentials from STS, which also need `aws_session_token`"
            : "";
        return $"**Access key ID** `{Secrets.MaskAccessKeyId(value)}`{kind}.\n";
    }

    private static string EnumMarkdown(KeyEntry entry, string value)
    {
        var spec = entry.Value;
        var comparison = spec.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var canonical = spec.Values.FirstOrDefault(v => string.Equals(v, value, comparison));
        var builder = new StringBuilder();
        if (canonical is not null)
        {
            builder.Append("**`").Append(entry.Name).Append(" = ").Append(value).Append("`**");
            if (EnumValueDocs.Find(entry.Name, canonical) is { } meaning) builder.Append(": ").Append(meaning);
        }
        else
        {
            builder.Append("**`").Append(value).Append("`** is not a value `").Append(entry.Name).Append("` accepts");
            if (spec.Values.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) is { } differentCase)
            {
                builder.Append(": values are case-sensitive, write `").Append(differentCase).Append('`');
            }
            builder.Append('.');
        }
        builder.Append("\n\nValid values").Append(spec.CaseSensitive ? " (case-sensitive)" : " (case-insensitive)").Append(":\n");
        foreach (var allowed in spec.Values)
        {
            builder.Append("- `").Append(allowed).Append('`');
            if (EnumValueDocs.Find(entry.Name, allowed) is { } meaning) builder.Append(": ").Append(meaning);
            builder.Append('\n');
        }
        return builder.ToString();
    }

    private static string RegionMarkdown(string code)
    {
        if (Regions.Find(code) is { } region) return region.Documentation + "\n";
        if (Regions.IsWellFormed(code))
        {
            return $"**`{code}`**: a Region this server does not know. The SDKs accept Region codes they do not know yet, so it works once AWS has opened it.\n";
        }
        var suggestions = Regions.Suggest(code).Take(3).Select(r => $"`{r.Code}` ({r.DisplayName})").ToList();
        return $"**`{code}`** is not a Region code (such as `us-east-1`)." + (suggestions.Count > 0 ? $" Did you mean {string.Join(", ", suggestions)}?" : "") + "\n";
    }

    /// <summary>The comma-separated item of <paramref name="value"/> under <paramref name="offset"/>, with absolute offsets.</summary>
    private static TextSpan? ListItemAt(string value, TextSpan span, int offset)
    {
        var itemStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && value[i] != ',') continue;
            var item = PythonText.Strip(value, itemStart, i).Shift(span.Start);
            if (item.Length > 0 && item.ContainsOrTouches(offset)) return item;
            itemStart = i + 1;
        }
        return null;
    }

    private static string SessionMarkdown(ProfileModel model, string name, ValueIndex? index)
    {
        if (!model.SsoSessions.TryGetValue(name, out var session))
        {
            return $"**SSO session `{name}`**: there is no `[sso-session {name}]` section in the config file, so the CLI cannot use the profiles that name it.\n";
        }
        var builder = new StringBuilder();
        builder.Append("**SSO session `").Append(name).Append("`**\n\n");
        if (session.Get(Keys.SsoStartUrl)?.Value is { } startUrl) builder.Append("- Start URL: `").Append(startUrl).Append("`\n");
        if (session.Get(Keys.SsoRegion)?.Value is { } region)
        {
            builder.Append("- Region: `").Append(region).Append('`');
            if (Regions.Find(region) is { } known) builder.Append(" (").Append(known.DisplayName).Append(')');
            builder.Append('\n');
        }
        if (session.Get("sso_registration_scopes")?.Value is { } scopes) builder.Append("- Scopes: `").Append(scopes).Append("`\n");
        builder.Append(UsedBy(model, Keys.SsoSession, name, index).TrimStart('\n')).Append('\n');
        return builder.ToString();
    }

    private static string ServicesMarkdown(ProfileModel model, string name)
    {
        if (!model.Config.Services.TryGetValue(name, out var services))
        {
            return $"**Services `{name}`**: there is no `[services {name}]` section in the config file.\n";
        }
        var blocks = services.OwnProperties.Select(p => $"`{p.Key}`").Distinct().ToList();
        return $"**Services `{name}`**: " + (blocks.Count == 0 ? "defines no service settings.\n" : $"endpoint settings for {string.Join(", ", blocks)}.\n");
    }

    private static (string? Account, string? RoleName) SplitRoleArn(string? arn)
    {
        if (arn is null) return (null, null);
        var parts = arn.Split(':', 6);
        if (parts.Length < 6 || parts[0] != "arn") return (null, null);
        var resource = parts[5];
        var role = resource.StartsWith("role/", StringComparison.Ordinal) ? resource[(resource.LastIndexOf('/') + 1)..] : resource;
        return (parts[4], role);
    }
}
