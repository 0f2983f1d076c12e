namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// A fresh folder under the system temp directory, deleted on dispose. Tests write their config and credentials files
/// here so they never read the real <c>~/.aws</c>.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "awsconfig-lsp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> inside the folder.</summary>
    public string Combine(string relativePath) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="relativePath"/>, creating folders; returns the full
    /// path. A file named <c>credentials</c> gets mode 600, as <c>aws configure</c> writes it, so tests about other
    /// things do not also get the credentials-file-permissions warning.
    /// </summary>
    public string Write(string relativePath, string text)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (System.IO.Path.GetFileName(path) == "credentials") MakePrivate(path);
        return path;
    }

    /// <summary>Gives a file mode 600 (owner read and write only), as the AWS CLI writes credentials; nothing on Windows.</summary>
    public static string MakePrivate(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The <c>file:</c> URI of <paramref name="relativePath"/>, spelled as VS Code sends it.</summary>
    public string Uri(string relativePath) => new Uri(Combine(relativePath)).AbsoluteUri;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file open must not fail the test that created the folder.
        }
    }
}
