namespace AwsConfigLsp.Model;

/// <summary>
/// Where the CLI reads its files: <c>AWS_CONFIG_FILE</c> / <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/config</c>
/// and <c>~/.aws/credentials</c>; <c>$VAR</c> and <c>~</c> expanded as botocore does (expandvars, then expanduser).
/// </summary>
public sealed record AwsFileLocations(string ConfigPath, string CredentialsPath)
{
    public static AwsFileLocations FromEnvironment(Func<string, string?> getVariable)
    {
        var home = getVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Expand(string? value, string fallback) =>
            string.IsNullOrEmpty(value) ? Path.Combine(home, ".aws", fallback) : ExpandUser(ExpandVars(value, getVariable), home);
        return new AwsFileLocations(
            Path.GetFullPath(Expand(getVariable("AWS_CONFIG_FILE"), "config")),
            Path.GetFullPath(Expand(getVariable("AWS_SHARED_CREDENTIALS_FILE"), "credentials")));
    }

    public static AwsFileLocations FromProcess() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Python's <c>os.path.expandvars</c> (POSIX): <c>$NAME</c> and <c>${NAME}</c>; unknown variables stay as written.</summary>
    public static string ExpandVars(string path, Func<string, string?> getVariable)
    {
        if (!path.Contains('$')) return path;
        var builder = new System.Text.StringBuilder();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '$' && i + 1 < path.Length)
            {
                var braced = path[i + 1] == '{';
                var start = braced ? i + 2 : i + 1;
                var end = start;
                while (end < path.Length && (char.IsAsciiLetterOrDigit(path[end]) || path[end] == '_')) end++;
                if (end > start && (!braced || end < path.Length && path[end] == '}'))
                {
                    var value = getVariable(path[start..end]);
                    var next = braced ? end + 1 : end;
                    builder.Append(value ?? path[i..next]);
                    i = next;
                    continue;
                }
            }
            builder.Append(path[i]);
            i++;
        }
        return builder.ToString();
    }

    public static string ExpandUser(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
