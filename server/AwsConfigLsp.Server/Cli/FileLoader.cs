using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Cli;

/// <summary>Reads a config or credentials file from disk the way botocore does: strict UTF-8; a missing file is empty.</summary>
public static class FileLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decoded text, whether some bytes were not UTF-8 (decoded as U+FFFD then), or null when the file does not exist.</summary>
    public static (string Text, bool HasUndecodableBytes)? ReadText(string path)
    {
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        try
        {
            return (StrictUtf8.GetString(bytes), false);
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.UTF8.GetString(bytes), true);
        }
    }

    /// <summary>
    /// What the rules need to know about the files beyond their text: the credentials file's POSIX mode when it exists
    /// (nothing on Windows, or when the file cannot be inspected).
    /// </summary>
    public static FileFacts ReadFacts(string? credentialsPath)
    {
        if (OperatingSystem.IsWindows()) return FileFacts.None;
        if (credentialsPath is null || !Path.IsPathRooted(credentialsPath) || !File.Exists(credentialsPath)) return FileFacts.None;
        try
        {
            return new FileFacts { CredentialsFileMode = File.GetUnixFileMode(credentialsPath) };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return FileFacts.None;
        }
    }

    public static ConfigFile Load(ConfigFileKind kind, string path, TextWriter? notes)
    {
        var content = ReadText(path);
        if (content is null)
        {
            notes?.WriteLine($"note: {path} does not exist; the AWS CLI treats it as empty.");
            return ConfigFile.Create(kind, path, SyntaxParser.Parse(""));
        }
        return ConfigFile.Create(kind, path, SyntaxParser.Parse(content.Value.Text), content.Value.HasUndecodableBytes);
    }
}
