namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// Finds the shared material (<c>shared/</c>: botocore's semantics notes and the cross-SDK vectors), which the tests
/// read where it is and never copy. It is looked for in every directory above the test assembly (CI clones the
/// repository beside <c>shared/</c>), then above the repository this checkout was cloned from when that is a local
/// directory (<c>git clone /work/main /tmp/x</c> for a clean build). Callers fail with every place searched when it
/// is absent: the tests fail loudly, never skip.
/// </summary>
internal static class SharedMaterial
{
    /// <summary><c>shared/<paramref name="relativePath"/></c> (a file, or a directory when <paramref name="directory"/>), or null; and every place looked at.</summary>
    public static (string? Path, List<string> Searched) Find(string relativePath, bool directory)
    {
        var searched = new List<string>();
        foreach (var start in Starts())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", relativePath.Replace('/', Path.DirectorySeparatorChar));
                searched.Add(candidate);
                if (directory ? Directory.Exists(candidate) : File.Exists(candidate)) return (candidate, searched);
            }
        }
        return (null, searched);
    }

    private static IEnumerable<string> Starts()
    {
        yield return AppContext.BaseDirectory;
        if (LocalOrigin() is { } origin) yield return origin;
    }

    /// <summary>The local directory the checkout around the test assembly was cloned from (its <c>origin</c> remote), or null.</summary>
    private static string? LocalOrigin()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var config = Path.Combine(dir.FullName, ".git", "config");
            if (!File.Exists(config)) continue;
            var inOrigin = false;
            foreach (var raw in File.ReadLines(config))
            {
                var line = raw.Trim();
                if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
                else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.IndexOf('=') is var equals and > 0)
                {
                    var url = line[(equals + 1)..].Trim();
                    if (url.StartsWith("file://", StringComparison.Ordinal)) url = url["file://".Length..];
                    return Path.IsPathRooted(url) && Directory.Exists(url) ? Path.GetFullPath(url) : null;
                }
            }
            return null;
        }
        return null;
    }
}
