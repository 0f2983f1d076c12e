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
    /// <exception cref="FileLoadFailure">The file exists but cannot be read.</exception>
    public static (string Text, bool HasUndecodableBytes)? ReadText(string path)
    {
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FileLoadFailure(path, exception);
        }
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

/// <summary>A config or credentials file that exists but cannot be read; <see cref="Exception.InnerException"/> says why.</summary>
public sealed class FileLoadFailure(string path, Exception inner) : IOException($"Cannot read {path}: {inner.Message}", inner)
{
    public string Path { get; } = path;
}
