using System.Globalization;
using System.Text;
using System.Text.Json;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>
/// The AWS CLI's assume-role cache (<c>~/.aws/cli/cache/KEY.json</c>): the key is botocore's
/// <c>AssumeRoleCredentialFetcher._create_cache_key</c>, the SHA-1 of <c>json.dumps(args, sort_keys=True)</c> of the
/// AssumeRole arguments (RoleArn, and when set ExternalId, SerialNumber, DurationSeconds, RoleSessionName; a generated
/// session name is left out), with <c>:</c> and <c>/</c> made file-safe.
/// </summary>
public static class CliCache
{
    /// <summary>botocore refreshes cached role credentials that expire within 15 minutes (<c>DEFAULT_EXPIRY_WINDOW_SECONDS</c>).</summary>
    public static readonly TimeSpan ExpiryWindow = TimeSpan.FromMinutes(15);

    public static string Key(ChainHop hop) => Key(hop.RoleArn ?? "", hop.SerialNumberOrNull(), hop.ExternalId, hop.DurationSeconds, hop.RoleSessionName);

    public static string Key(string roleArn, string? serialNumber, string? externalId, long? durationSeconds, string? roleSessionName)
    {
        // Python's json.dumps(sort_keys=True): ", " and ": " separators, keys in code point order, ASCII-only escapes.
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["RoleArn"] = PythonJsonString(roleArn) };
        if (roleSessionName is not null) members["RoleSessionName"] = PythonJsonString(roleSessionName);
        if (externalId is not null) members["ExternalId"] = PythonJsonString(externalId);
        if (serialNumber is not null) members["SerialNumber"] = PythonJsonString(serialNumber);
        if (durationSeconds is { } duration) members["DurationSeconds"] = duration.ToString(CultureInfo.InvariantCulture);
        var json = "{" + string.Join(", ", members.Select(m => PythonJsonString(m.Key) + ": " + m.Value)) + "}";
        var hash = Sha1.HexOf(json);
        return hash.Replace(':', '_').Replace('/', '_');
    }

    internal static string? SerialNumberOrNull(this ChainHop hop) => hop.MfaSerial;

    /// <summary>Python's <c>json.dumps</c> of a string (<c>ensure_ascii=True</c>).</summary>
    public static string PythonJsonString(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    public static string PathOf(AwsEnvironment environment, string key) => Path.Combine(environment.CliCacheDirectory, key + ".json");

    /// <summary>A cached session the CLI holds for a role hop: its expiry and assumed-role ARN (never the keys).</summary>
    public sealed record Entry(string Path, DateTimeOffset Expiration, string? AssumedRoleArn);

    /// <summary>The CLI's cached session for <paramref name="hop"/>, when it has one that botocore would still use.</summary>
    public static Entry? Find(AwsEnvironment environment, ChainHop hop)
    {
        if (hop.Kind != CredentialKind.AssumeRole || hop.RoleArn is null) return null;
        var path = PathOf(environment, Key(hop));
        try
        {
            if (!File.Exists(path)) return null;
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Credentials", out var credentials) || credentials.ValueKind != JsonValueKind.Object) return null;
            if (!credentials.TryGetProperty("Expiration", out var expiration) || expiration.ValueKind != JsonValueKind.String) return null;
            if (SsoProvider.ParseExpiry(expiration.GetString()!) is not { } expiry || expiry - environment.Now <= ExpiryWindow) return null;
            var arn = root.TryGetProperty("AssumedRoleUser", out var user) && user.ValueKind == JsonValueKind.Object
                && user.TryGetProperty("Arn", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return new Entry(path, expiry, arn);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a session in the CLI's exact format (botocore <c>JSONFileCache</c>: <c>json.dumps</c> with the datetime as
    /// <c>%Y-%m-%dT%H:%M:%SUTC</c>), atomically (a temporary file in the same folder, then a rename) with mode 600.
    /// </summary>
    public static void Write(AwsEnvironment environment, string key, AssumedRole session, string requestId = "")
    {
        var directory = environment.CliCacheDirectory;
        Directory.CreateDirectory(directory);
        var credentials = session.Credentials;
        var expiration = (credentials.Expiration ?? environment.Now).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "UTC";
        var account = AwsConfigLsp.Model.Catalog.Arn.GetAccountId(session.AssumedRoleArn);
        var text = new StringBuilder()
            .Append("{\"Credentials\": {")
            .Append("\"AccessKeyId\": ").Append(PythonJsonString(credentials.AccessKeyId))
            .Append(", \"SecretAccessKey\": ").Append(PythonJsonString(credentials.SecretAccessKey))
            .Append(", \"SessionToken\": ").Append(PythonJsonString(credentials.SessionToken ?? ""))
            .Append(", \"Expiration\": ").Append(PythonJsonString(expiration));
        if (account is not null) text.Append(", \"AccountId\": ").Append(PythonJsonString(account));
        text.Append("}, \"AssumedRoleUser\": {\"AssumedRoleId\": ").Append(PythonJsonString(session.AssumedRoleId))
            .Append(", \"Arn\": ").Append(PythonJsonString(session.AssumedRoleArn))
            .Append("}, \"ResponseMetadata\": {\"RequestId\": ").Append(PythonJsonString(requestId))
            .Append(", \"HTTPStatusCode\": 200, \"HTTPHeaders\": {}, \"RetryAttempts\": 0}}");
        AtomicFile.Write(PathOf(environment, key), text.ToString());
    }

    /// <summary>Deletes the CLI's cached session file for a hop; true when there was one.</summary>
    public static bool Delete(AwsEnvironment environment, ChainHop hop)
    {
        var path = PathOf(environment, Key(hop));
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}

/// <summary>Writes a file the way every file of ours is written: a temporary file beside it, mode 600, then a rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                var bytes = new UTF8Encoding(false).GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw;
        }
    }
}
