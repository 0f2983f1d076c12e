using System.Text;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>Markdown for a hover and the span it describes.</summary>
public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>Hover: a profile's resolved chain, how to use it, and facts about ARN values.</summary>
public static class Hover
{
    public static HoverResult? Get(ProfileModel model, ConfigFileKind fileKind, int offset)
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
                return new HoverResult(ArnMarkdown(model, property), property.ValueSpan);
            }
        }
        return null;
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

    private static string ArnMarkdown(ProfileModel model, PropertyEntry property)
    {
        var builder = new StringBuilder();
        var parts = property.Value.Split(':');
        var account = parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
        builder.Append(property.Key == Keys.RoleArn ? "**Role ARN**" : "**MFA device**");
        if (account is { Length: > 0 }) builder.Append(" in account `").Append(account).Append('`');
        builder.Append("\n\n");
        var sharing = model.Profiles.Values
            .Where(p => p.Get(property.Key)?.Value == property.Value && p.Name != property.Section.EntityName)
            .Select(p => $"`{p.Name}`").ToList();
        if (account is { Length: > 0 })
        {
            var sameAccount = model.Profiles.Values
                .Where(p => p.Name != property.Section.EntityName && (AccountOf(p.Get(Keys.RoleArn)?.Value) == account || p.Get(Keys.SsoAccountId)?.Value == account))
                .Select(p => $"`{p.Name}`").Take(20).ToList();
            if (sameAccount.Count > 0) builder.Append("Other profiles in this account: ").Append(string.Join(", ", sameAccount)).Append("\n\n");
        }
        if (sharing.Count > 0) builder.Append("Also used by: ").Append(string.Join(", ", sharing.Take(20))).Append('\n');
        return builder.ToString().TrimEnd() + "\n";
    }

    private static string? AccountOf(string? arn)
    {
        if (arn is null) return null;
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
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
