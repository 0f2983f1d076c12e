using System.Diagnostics.CodeAnalysis;

namespace AwsConfigLsp.Model.Catalog;

/// <summary>Partitions and account IDs.</summary>
public static class AwsPartitions
{
    /// <summary>The partition IDs ARNs can start with.</summary>
    public static IReadOnlyList<string> Known { get; } = ["aws", "aws-cn", "aws-us-gov", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"];

    /// <summary>A known partition, or an <c>aws-iso-X</c> one added later.</summary>
    public static bool IsKnown(string partition) => IsKnown(partition.AsSpan());

    /// <summary>A known partition, or an <c>aws-iso-X</c> one added later.</summary>
    public static bool IsKnown(ReadOnlySpan<char> partition)
    {
        var known = Known;
        for (var i = 0; i < known.Count; i++)
        {
            if (partition.SequenceEqual(known[i])) return true;
        }
        return partition.StartsWith("aws-iso-", StringComparison.Ordinal) && partition.Length == 9 && char.IsAsciiLetterLower(partition[8]);
    }

    /// <summary>Exactly 12 ASCII digits.</summary>
    public static bool IsAccountId(string text) => IsAccountId(text.AsSpan());

    /// <summary><see cref="IsAccountId(string)"/> of characters read in place.</summary>
    public static bool IsAccountId(ReadOnlySpan<char> text) => text.Length == 12 && !text.ContainsAnyExceptInRange('0', '9');
}

/// <summary>Any ARN: <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE</c>.</summary>
public sealed record Arn(string Partition, string Service, string Region, string AccountId, string Resource)
{
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{AccountId}:{Resource}";

    /// <summary>Splits an ARN into its six fields (the resource may contain <c>:</c>). Checks the shape only: <c>arn</c>, non-empty partition, service and resource.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Arn? arn)
    {
        arn = null;
        if (text is null) return false;
        var trimmed = text.AsSpan().Trim();
        Span<int> colons = stackalloc int[5];
        if (!TryFindFields(trimmed, colons)) return false;
        arn = new Arn(trimmed[(colons[0] + 1)..colons[1]].ToString(), trimmed[(colons[1] + 1)..colons[2]].ToString(),
            trimmed[(colons[2] + 1)..colons[3]].ToString(), trimmed[(colons[3] + 1)..colons[4]].ToString(), trimmed[(colons[4] + 1)..].ToString());
        return true;
    }

    /// <summary>
    /// Where the account field is in <paramref name="text"/> (offsets in the text as given) when <see cref="TryParse"/>
    /// reads it as an ARN, without making its parts: semantic tokens ask it of every value of a file on each request.
    /// </summary>
    public static bool TryFindAccount(string text, out (int Start, int Length) account)
    {
        account = default;
        Span<int> colons = stackalloc int[5];
        if (!TryFindFields(text.AsSpan().Trim(), colons)) return false;
        var offset = text.Length - text.AsSpan().TrimStart().Length;
        account = (offset + colons[3] + 1, colons[4] - colons[3] - 1);
        return true;
    }

    /// <summary>
    /// The first five colons of <paramref name="trimmed"/> (as <c>Split(':', 6)</c> cuts it) when it has the shape of an
    /// ARN: <c>arn</c>, then a non-empty partition and service, and a non-empty resource.
    /// </summary>
    internal static bool TryFindFields(ReadOnlySpan<char> trimmed, Span<int> colons)
    {
        var found = 0;
        for (var i = 0; i < trimmed.Length && found < 5; i++)
        {
            if (trimmed[i] == ':') colons[found++] = i;
        }
        return found == 5 && trimmed[..colons[0]].SequenceEqual("arn") && colons[1] > colons[0] + 1 && colons[2] > colons[1] + 1
            && colons[4] < trimmed.Length - 1;
    }

    /// <summary>The 12-digit account ID in an ARN, for hover; null when the text is not an ARN or has no valid account.</summary>
    public static string? GetAccountId(string? text) =>
        TryParse(text, out var arn) && AwsPartitions.IsAccountId(arn.AccountId) ? arn.AccountId : null;
}

/// <summary>An IAM role ARN: <c>arn:PARTITION:iam::ACCOUNT:role/PATH/NAME</c>.</summary>
public sealed record RoleArn(string Partition, string AccountId, string Path, string RoleName)
{
    /// <summary>The full ARN, normalized.</summary>
    public override string ToString() => $"arn:{Partition}:iam::{AccountId}:role{Path}{RoleName}";

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out RoleArn? role) =>
        TryParse(text, out role, out _);

    /// <summary>Parses a role ARN; on failure <paramref name="error"/> says what is wrong, in a sentence.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out RoleArn? role, [NotNullWhen(false)] out string? error)
    {
        role = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "The role ARN is empty."; return false; }
        if (!Arn.TryParse(text, out var arn)) { error = "Not an ARN: expected `arn:aws:iam::123456789012:role/NAME`."; return false; }
        if (!AwsPartitions.IsKnown(arn.Partition)) { error = $"Unknown partition `{arn.Partition}`: expected `aws`, `aws-cn`, `aws-us-gov` or another AWS partition."; return false; }
        if (arn.Service == "sts" && arn.Resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            error = "This is an assumed-role session ARN (`arn:...:sts::...:assumed-role/...`); `role_arn` needs the role itself: `arn:" + arn.Partition + ":iam::ACCOUNT:role/NAME`.";
            return false;
        }
        if (arn.Service != "iam") { error = $"The service is `{arn.Service}`; a role ARN has `iam`."; return false; }
        if (arn.Region.Length != 0) { error = "IAM ARNs have no Region: the fourth field must be empty (`iam::`)."; return false; }
        if (!AwsPartitions.IsAccountId(arn.AccountId)) { error = $"`{arn.AccountId}` is not a 12-digit account ID."; return false; }
        if (!arn.Resource.StartsWith("role/", StringComparison.Ordinal)) { error = $"The resource `{arn.Resource}` is not a role: it must start with `role/`."; return false; }

        var rest = arn.Resource["role/".Length..];
        var slash = rest.LastIndexOf('/');
        var path = "/" + (slash < 0 ? "" : rest[..(slash + 1)]);
        var name = slash < 0 ? rest : rest[(slash + 1)..];
        if (name.Length is 0 or > 64 || !name.All(IsRoleNameChar)) { error = $"`{name}` is not a valid role name (1 to 64 of letters, digits and `+=,.@_-`)."; return false; }
        if (path.Contains("//", StringComparison.Ordinal) || !path.All(c => c is >= '\u0021' and <= '\u007E')) { error = $"`{path}` is not a valid IAM path."; return false; }

        role = new RoleArn(arn.Partition, arn.AccountId, path, name);
        error = null;
        return true;
    }

    /// <summary>
    /// Whether <see cref="TryParse(string?, out RoleArn?, out string?)"/> accepts <paramref name="text"/>, without
    /// building the ARN or its parts: the check of every role_arn line of a huge file allocates nothing.
    /// </summary>
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.AsSpan().Trim();
        // Split(':', 6): six fields, the last one keeps its colons.
        Span<int> colons = stackalloc int[5];
        var found = 0;
        for (var i = 0; i < s.Length && found < 5; i++)
        {
            if (s[i] == ':') colons[found++] = i;
        }
        if (found < 5) return false;
        var scheme = s[..colons[0]];
        var partition = s[(colons[0] + 1)..colons[1]];
        var service = s[(colons[1] + 1)..colons[2]];
        var region = s[(colons[2] + 1)..colons[3]];
        var account = s[(colons[3] + 1)..colons[4]];
        var resource = s[(colons[4] + 1)..];
        if (!scheme.SequenceEqual("arn") || partition.Length == 0 || service.Length == 0 || resource.Length == 0) return false;
        if (!AwsPartitions.IsKnown(partition) || !service.SequenceEqual("iam") || region.Length != 0) return false;
        if (account.Length != 12 || account.ContainsAnyExceptInRange('0', '9')) return false;
        if (!resource.StartsWith("role/", StringComparison.Ordinal)) return false;
        var rest = resource["role/".Length..];
        var slash = rest.LastIndexOf('/');
        var name = slash < 0 ? rest : rest[(slash + 1)..];
        if (name.Length is 0 or > 64) return false;
        foreach (var c in name)
        {
            if (!IsRoleNameChar(c)) return false;
        }
        if (slash < 0) return true;
        // The path is "/" + rest[..(slash + 1)].
        var path = rest[..(slash + 1)];
        if (path[0] == '/' || path.IndexOf("//", StringComparison.Ordinal) >= 0) return false;
        return !path.ContainsAnyExceptInRange('\u0021', '\u007E');
    }

    private static bool IsRoleNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or ',' or '.' or '@' or '_' or '-';
}

/// <summary>The kind of MFA device an <c>mfa_serial</c> names.</summary>
public enum MfaDeviceKind
{
    /// <summary><c>arn:PARTITION:iam::ACCOUNT:mfa/NAME</c>: a virtual (authenticator app) device.</summary>
    Virtual,

    /// <summary><c>arn:PARTITION:iam::ACCOUNT:u2f/...</c>: a FIDO security key. The CLI and SDKs cannot use one for AssumeRole.</summary>
    U2f,

    /// <summary>A hardware TOTP token's serial number, such as <c>GAHT12345678</c>.</summary>
    Hardware,
}

/// <summary>An <c>mfa_serial</c> value: a device ARN or a hardware serial number.</summary>
public sealed record MfaSerial(MfaDeviceKind Kind, string Value, string? Partition, string? AccountId, string DeviceName)
{
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out MfaSerial? serial) =>
        TryParse(text, out serial, out _);

    /// <summary>Parses an MFA serial; on failure <paramref name="error"/> says what is wrong, in a sentence.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out MfaSerial? serial, [NotNullWhen(false)] out string? error)
    {
        serial = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) { error = "The MFA serial is empty."; return false; }

        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!Arn.TryParse(value, out var arn)) { error = "Not a complete ARN: expected `arn:aws:iam::123456789012:mfa/NAME`."; return false; }
            if (!AwsPartitions.IsKnown(arn.Partition)) { error = $"Unknown partition `{arn.Partition}`."; return false; }
            if (arn.Service != "iam") { error = $"The service is `{arn.Service}`; an MFA device ARN has `iam`."; return false; }
            if (arn.Region.Length != 0) { error = "IAM ARNs have no Region: the fourth field must be empty (`iam::`)."; return false; }
            if (!AwsPartitions.IsAccountId(arn.AccountId)) { error = $"`{arn.AccountId}` is not a 12-digit account ID."; return false; }

            MfaDeviceKind kind;
            string name;
            if (arn.Resource.StartsWith("mfa/", StringComparison.Ordinal)) { kind = MfaDeviceKind.Virtual; name = arn.Resource["mfa/".Length..]; }
            else if (arn.Resource.StartsWith("u2f/", StringComparison.Ordinal)) { kind = MfaDeviceKind.U2f; name = arn.Resource["u2f/".Length..]; }
            else if (arn.Resource.StartsWith("user/", StringComparison.Ordinal))
            {
                error = "This is the user's ARN; `mfa_serial` needs the MFA device's: `arn:" + arn.Partition + ":iam::" + arn.AccountId + ":mfa/NAME`.";
                return false;
            }
            else { error = $"The resource `{arn.Resource}` is not an MFA device: it must start with `mfa/`."; return false; }

            if (name.Length == 0 || name.EndsWith('/')) { error = "The MFA device name is missing."; return false; }
            var leaf = name[(name.LastIndexOf('/') + 1)..];
            serial = new MfaSerial(kind, value, arn.Partition, arn.AccountId, leaf);
            error = null;
            return true;
        }

        // STS SerialNumber: 9 to 256 characters of [\w+=/:,.@-].
        if (value.Length is < 9 or > 256 || value.AsSpan().ContainsAnyExcept(SerialChars))
        {
            error = "Not an MFA device ARN (`arn:aws:iam::123456789012:mfa/NAME`) nor a hardware serial number (9 to 256 letters, digits and `+=/:,.@_-`).";
            return false;
        }
        serial = new MfaSerial(MfaDeviceKind.Hardware, value, null, null, value);
        error = null;
        return true;
    }

    /// <summary>
    /// Whether <see cref="TryParse(string?, out MfaSerial?, out string?)"/> accepts <paramref name="text"/>, read in place
    /// without building the serial or the ARN's parts: the check of every mfa_serial line of a huge file allocates nothing
    /// (a 50k-profile file has ~30k). Only a refused value is parsed again, for its message.
    /// </summary>
    public static bool IsValid(string? text)
    {
        if (text is null) return false;
        var value = text.AsSpan().Trim();
        if (value.IsEmpty) return false;
        if (!value.StartsWith("arn:", StringComparison.Ordinal)) return value.Length is >= 9 and <= 256 && !value.ContainsAnyExcept(SerialChars);
        Span<int> colons = stackalloc int[5];
        if (!Arn.TryFindFields(value, colons)) return false;
        var partition = value[(colons[0] + 1)..colons[1]];
        var service = value[(colons[1] + 1)..colons[2]];
        var region = value[(colons[2] + 1)..colons[3]];
        var account = value[(colons[3] + 1)..colons[4]];
        var resource = value[(colons[4] + 1)..];
        if (!AwsPartitions.IsKnown(partition) || !service.SequenceEqual("iam") || region.Length != 0 || !AwsPartitions.IsAccountId(account)) return false;
        ReadOnlySpan<char> name;
        if (resource.StartsWith("mfa/", StringComparison.Ordinal)) name = resource["mfa/".Length..];
        else if (resource.StartsWith("u2f/", StringComparison.Ordinal)) name = resource["u2f/".Length..];
        else return false;
        return name.Length != 0 && name[^1] != '/';
    }

    /// <summary>What STS takes in a serial number: ASCII letters and digits and <c>_+=/:,.@-</c>.</summary>
    private static readonly System.Buffers.SearchValues<char> SerialChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=/:,.@-");
}
