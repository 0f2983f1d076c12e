using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// POSIX only: the credentials file can be read or written by its group or by other users
/// (<see cref="FileFacts.CredentialsFileMode"/>, which the server and <c>check</c> fill from the file system). It holds
/// secret keys; <c>aws configure</c> creates it with mode 600. The fix is a command, not a text edit:
/// <see cref="CommandName"/> with the file's path makes it 600. Reported on the file's first line.
/// </summary>
public sealed class CredentialsFilePermissionsRule : IDiagnosticRule
{
    /// <summary>The server command that sets the credentials file's mode to 600; its argument is the file's path.</summary>
    public const string CommandName = "awsconfig.fixCredentialsPermissions";

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public string Code => DiagnosticCodes.CredentialsFilePermissions;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "The credentials file is readable or writable by its group or other users (POSIX); it holds secret keys and should be mode 600.";
    public string Wrong => "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    public string Right => Wrong;
    public ConfigFileKind ExampleFile => ConfigFileKind.Credentials;
    public FileFacts WrongFacts => new() { CredentialsFileMode = (UnixFileMode)Convert.ToInt32("644", 8) };
    public FileFacts RightFacts => new() { CredentialsFileMode = (UnixFileMode)Convert.ToInt32("600", 8) };

    /// <summary>A mode as <c>ls</c> and <c>chmod</c> write it: <c>644</c>.</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        if (context.Facts.CredentialsFileMode is not { } mode || (mode & GroupOrOthers) == 0) yield break;
        var file = context.Model.Credentials;
        var lineIndex = file.Syntax.LineIndex;
        var firstLine = new Syntax.TextSpan(0, lineIndex.GetLineContentEnd(0));
        var who = (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0 ? "other users" : "its group";
        var shown = file.Path ?? "~/.aws/credentials";
        yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(ConfigFileKind.Credentials, firstLine),
            $"The credentials file has mode {Octal(mode)}: {who} can read or change the secret keys it holds. Make it private with `chmod 600 {shown}`.")
        {
            Fixes = file.Path is { } path
                ? [new CodeFix("Make the credentials file private (chmod 600)", []) { Command = (CommandName, path) }]
                : [],
        };
    }
}
