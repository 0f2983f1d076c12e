using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace AwsConfigLsp.Tests.Syntax;

/// <summary>
/// Finds the parser fixtures (<c>Fixtures/Syntax/*.ini</c> and their <c>*.tree</c> dumps) and reads them as the exact
/// text an editor would hold: UTF-8 decoded without dropping a byte-order mark or translating line breaks.
/// </summary>
internal static class SyntaxFixtures
{
    /// <summary>
    /// The checked-in folder when this checkout is present (so a deleted or regenerated file is seen at once, without a
    /// rebuild), otherwise the copy next to the test assembly.
    /// </summary>
    public static string Directory { get; } =
        System.IO.Directory.Exists(SourceDirectory()) ? SourceDirectory() : Path.Combine(AppContext.BaseDirectory, "Fixtures", "Syntax");

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.ini").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names) data.Add(name);
        return data;
    }

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>The fixture as text; <see cref="Encoding.GetString(byte[])"/> keeps a leading BOM as U+FEFF.</summary>
    public static string ReadText(string name) => Strict.GetString(ReadBytes(name));

    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string SourceDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures", "Syntax"));
}

/// <summary>
/// Compares output with a checked-in expected file. When they differ (or the file is missing) the test fails with a
/// line diff, unless <c>UPDATE_BASELINES=1</c> is set: then the expected file is (re)written.
/// </summary>
internal static class Baseline
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1";

    public static void AssertMatches(string path, string actual)
    {
        var expected = File.Exists(path) ? File.ReadAllText(path, SyntaxFixtures.Strict) : null;
        if (expected == actual) return;
        if (Updating)
        {
            File.WriteAllText(path, actual, SyntaxFixtures.Strict);
            return;
        }
        var name = Path.GetFileName(path);
        Assert.Fail(expected is null
            ? $"{name} is missing. Run with UPDATE_BASELINES=1 to write it. Actual:\n{actual}"
            : $"{name} differs (- expected, + actual). Run with UPDATE_BASELINES=1 to accept.\n{LineDiff.Format(expected, actual)}");
    }
}

/// <summary>A small longest-common-subsequence line diff, enough for baselines of a few hundred lines.</summary>
internal static class LineDiff
{
    public static string Format(string expected, string actual, int context = 2)
    {
        var left = expected.Split('\n');
        var right = actual.Split('\n');
        var common = new int[left.Length + 1, right.Length + 1];
        for (var i = left.Length - 1; i >= 0; i--)
        {
            for (var j = right.Length - 1; j >= 0; j--)
            {
                common[i, j] = left[i] == right[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        var lines = new List<(char Mark, string Text)>();
        int l = 0, r = 0;
        while (l < left.Length || r < right.Length)
        {
            if (l < left.Length && r < right.Length && left[l] == right[r])
            {
                lines.Add((' ', left[l++]));
                r++;
            }
            else if (l < left.Length && (r == right.Length || common[l + 1, r] >= common[l, r + 1])) lines.Add(('-', left[l++]));
            else lines.Add(('+', right[r++]));
        }
        var output = new StringBuilder();
        var lastPrinted = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var near = false;
            for (var k = Math.Max(0, i - context); k <= Math.Min(lines.Count - 1, i + context); k++) near |= lines[k].Mark != ' ';
            if (!near) continue;
            if (lastPrinted >= 0 && i > lastPrinted + 1) output.Append("...\n");
            output.Append(lines[i].Mark).Append(' ').Append(lines[i].Text).Append('\n');
            lastPrinted = i;
        }
        return output.ToString();
    }
}
