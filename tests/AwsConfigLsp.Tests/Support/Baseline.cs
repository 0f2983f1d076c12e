using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// Checked-in expected outputs. A test compares its output with a file in the source tree; <c>UPDATE_BASELINES=1
/// dotnet test</c> rewrites the files instead, and reviewers read their diff as the spec of the change. A missing
/// file is written and the test fails once, so a new baseline is always looked at.
/// </summary>
public static class Baseline
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_BASELINES") is "1" or "true";

    /// <summary>The test project's folder in the source tree, found from the calling source file.</summary>
    public static string SourceFolder([CallerFilePath] string callerFile = "")
    {
        var folder = Path.GetDirectoryName(callerFile);
        while (folder is not null && !File.Exists(Path.Combine(folder, "AwsConfigLsp.Tests.csproj"))) folder = Path.GetDirectoryName(folder);
        return folder ?? throw new InvalidOperationException($"No AwsConfigLsp.Tests.csproj above {callerFile}.");
    }

    /// <summary>The fixtures folder: in the source tree when it is there (edits need no rebuild), else the copy beside the tests.</summary>
    public static string FixturesFolder([CallerFilePath] string callerFile = "")
    {
        var source = Path.Combine(SourceFolder(callerFile), "Fixtures");
        return Directory.Exists(source) ? source : Path.Combine(AppContext.BaseDirectory, "Fixtures");
    }

    public static void AssertMatches(string expectedFile, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        if (Updating || !File.Exists(expectedFile))
        {
            File.WriteAllText(expectedFile, actual);
            if (!Updating) throw new XunitException($"Wrote the missing baseline {expectedFile}; review it and run the test again.");
            return;
        }
        var expected = File.ReadAllText(expectedFile).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line]) line++;
        throw new XunitException(
            $"Output differs from {expectedFile} at line {line + 1}:\n"
            + $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n"
            + $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end of output>")}\n"
            + "If the change is intended, run UPDATE_BASELINES=1 dotnet test and review the diff.\n\nActual output:\n" + actual);
    }
}
