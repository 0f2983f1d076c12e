using System.Text;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Features;

/// <summary>The one-line, human form of a resolved chain, shared by <c>resolve --format text</c> and hover.</summary>
public static class ChainFormatter
{
    /// <summary>
    /// <c>role-b &lt;- role-a (MFA arn:aws:iam::...:mfa/User1) &lt;- default (static keys, ~/.aws/credentials)</c>: the
    /// profile first, then each hop towards the base; or <c>role-b: error: ...</c>.
    /// </summary>
    public static string FormatText(Resolution resolution, ProfileModel model)
    {
        if (resolution.Error is { } error) return $"{resolution.Profile}: error {Analysis.Diagnostics.DiagnosticCodes.For(error.Kind)}: {error.Message}";
        var parts = new List<string>();
        for (var i = resolution.Chain.Length - 1; i >= 0; i--)
        {
            var hop = resolution.Chain[i];
            var details = Details(hop, model);
            if (hop.Kind == CredentialKind.CredentialSource)
            {
                // The source is not a profile: name the source itself.
                parts.Add(details);
                continue;
            }
            // The selected profile's own hop reads best bare; the details of every other hop follow its name.
            parts.Add(details.Length == 0 ? hop.Profile : $"{hop.Profile} ({details})");
        }
        return string.Join(" <- ", parts);
    }

    /// <summary>What a hop is, in a few words: <c>MFA arn:...</c>, <c>static keys, ~/.aws/credentials</c>, <c>credential_source Ec2InstanceMetadata</c>.</summary>
    public static string Details(ChainHop hop, ProfileModel model)
    {
        var details = new List<string>();
        switch (hop.Kind)
        {
            case CredentialKind.AssumeRole:
                if (hop.MfaSerial is not null) details.Add($"MFA {hop.MfaSerial}");
                if (hop.ExternalId is not null) details.Add("external id");
                if (hop.DurationSeconds is not null) details.Add($"{hop.DurationSeconds}s");
                break;
            case CredentialKind.Static:
                details.Add($"static keys, {DisplayPath(model.GetFile(hop.File ?? ConfigFileKind.Credentials))}");
                break;
            case CredentialKind.CredentialSource:
                details.Add($"credential_source {hop.CredentialSource}");
                break;
            case CredentialKind.CredentialProcess:
                details.Add("credential_process");
                break;
            case CredentialKind.Sso:
                details.Add(hop.SsoSession is null ? "SSO (legacy)" : $"SSO session {hop.SsoSession}");
                break;
            case CredentialKind.WebIdentity:
                details.Add("web identity");
                break;
            case CredentialKind.Login:
                details.Add("aws login");
                break;
            case CredentialKind.None:
                details.Add("no credentials in the files: container or instance metadata");
                break;
        }
        return string.Join(", ", details);
    }

    /// <summary>The file's path with the home folder shown as <c>~</c>; the default path when the file has none.</summary>
    public static string DisplayPath(ConfigFile file)
    {
        var fallback = file.Kind == ConfigFileKind.Config ? "~/.aws/config" : "~/.aws/credentials";
        if (file.Path is null) return fallback;
        var home = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home) && file.Path.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return "~" + file.Path[home.TrimEnd('/').Length..];
        }
        return file.Path;
    }

    /// <summary>The kind as the resolve JSON names it.</summary>
    public static string KindName(CredentialKind kind) => kind switch
    {
        CredentialKind.Static => "static",
        CredentialKind.AssumeRole => "assume-role",
        CredentialKind.CredentialSource => "credential-source",
        CredentialKind.CredentialProcess => "credential-process",
        CredentialKind.Sso => "sso",
        CredentialKind.WebIdentity => "web-identity",
        CredentialKind.Login => "login",
        _ => "none",
    };

    public static string FileName(ConfigFileKind kind) => kind == ConfigFileKind.Config ? "config" : "credentials";

    internal static void AppendLine(StringBuilder builder, string line) => builder.Append(line).Append('\n');
}
