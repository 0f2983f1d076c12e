using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AwsConfigLsp.FakeAws;

/// <summary>The parts of an <c>Authorization: AWS4-HMAC-SHA256 ...</c> header.</summary>
internal sealed record SigV4Authorization(
    string AccessKeyId, string ScopeDate, string Region, string Service, string Terminator, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public string Scope => $"{ScopeDate}/{Region}/{Service}/{Terminator}";
}

/// <summary>
/// Server-side Signature Version 4: parses the <c>Authorization</c> header and recomputes the signature from the
/// canonical request, exactly as AWS does (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Parses the header, or returns null with the reason (the message of AWS's IncompleteSignature error).</summary>
    public static SigV4Authorization? Parse(string header, out string? problem)
    {
        problem = null;
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            problem = $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={header.Split(' ')[0]}";
            return null;
        }
        var fields = header[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
        {
            if (!fields.ContainsKey(required))
            {
                problem = $"Authorization header requires '{required}' parameter. Authorization={header}";
                return null;
            }
        }
        var credential = fields["Credential"].Split('/');
        if (credential.Length != 5)
        {
            problem = $"Credential should be scoped to a valid region. ";
            return null;
        }
        return new SigV4Authorization(credential[0], credential[1], credential[2], credential[3], credential[4],
            fields["SignedHeaders"].Split(';'), fields["Signature"]);
    }

    /// <summary>The canonical request for <paramref name="request"/> with the given signed headers.</summary>
    public static string CanonicalRequest(HttpRequest request, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalUri(request.Path)).Append('\n');
        builder.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers
                .Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                .Select(h => CollapseSpaces(h.Value.Trim()));
            builder.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
        }
        builder.Append('\n');
        builder.Append(string.Join(";", signedHeaders)).Append('\n');
        builder.Append(Hex(SHA256.HashData(request.Body)));
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secretAccessKey, SigV4Authorization authorization, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), authorization.ScopeDate);
        key = Hmac(key, authorization.Region);
        key = Hmac(key, authorization.Service);
        key = Hmac(key, authorization.Terminator);
        return Hex(Hmac(key, stringToSign));
    }

    public static bool TryParseAmzDate(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        || DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    /// <summary>Non-S3 services sign the path encoded once more than it travels (botocore and the .NET SDK agree).</summary>
    private static string CanonicalUri(string rawPath) =>
        rawPath.Length == 0 ? "/" : string.Join("/", rawPath.Split('/').Select(segment => UriEncode(segment)));

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0) return "";
        return string.Join("&", rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Key: UriEncode(Uri.UnescapeDataString(pair[0])), Value: UriEncode(pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : "")))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => pair.Key + "=" + pair.Value));
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX (upper case).</summary>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                if (!space) builder.Append(c);
                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
