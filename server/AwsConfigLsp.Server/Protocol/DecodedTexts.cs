using System.Collections.Concurrent;
using System.Text;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Document texts the frame filter decoded from didOpen frames (<see cref="LspFrameFilter.PumpAsync"/>), each waiting
/// for the formatter to read its frame (<see cref="LspMessageFormatter"/>), which takes it; binding the params then swaps
/// the marker for the text. The frame handed on holds a marker in the text's place: a NUL, this server's random token
/// and a number, which no file's text starts with by accident. One instance per server.
/// </summary>
public sealed class DecodedTexts
{
    private readonly ConcurrentDictionary<string, string> texts = new(StringComparer.Ordinal);
    private readonly string prefix = "\0awsconfig-lsp decoded text " + Guid.NewGuid().ToString("N") + " ";
    private long next;

    /// <summary>How many texts wait for the formatter to read their frame (for tests).</summary>
    internal int Count => texts.Count;

    /// <summary>Keeps <paramref name="text"/> and returns the marker that stands for it, as a JSON string (quotes included).</summary>
    public byte[] Add(string text)
    {
        var marker = prefix + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        texts[marker] = text;
        return Encoding.UTF8.GetBytes("\"\\u0000" + marker[1..] + "\"");
    }

    /// <summary>
    /// Takes the text <paramref name="value"/> stands for when it is one of this server's markers (each is taken once);
    /// false for any other string, another server's marker included.
    /// </summary>
    public bool TryTake(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        text = null;
        return value.StartsWith(prefix, StringComparison.Ordinal) && texts.TryRemove(value, out text);
    }
}
