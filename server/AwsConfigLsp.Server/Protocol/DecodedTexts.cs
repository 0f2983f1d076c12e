using System.Collections.Concurrent;
using System.Text;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Document texts the frame filter decoded from didOpen frames (<see cref="LspFrameFilter.PumpAsync"/>), each waiting
/// for its params to be bound (<see cref="LspMessageFormatter"/>). The frame handed on holds a marker in the text's
/// place: a NUL, this server's random token and a number, which no file's text starts with by accident; the binding
/// swaps the marker for the text and forgets it. One instance per server.
/// </summary>
public sealed class DecodedTexts
{
    private readonly ConcurrentDictionary<string, string> texts = new(StringComparer.Ordinal);
    private readonly string prefix = "\0awsconfig-lsp decoded text " + Guid.NewGuid().ToString("N") + " ";
    private long next;

    /// <summary>How many texts wait for their binding (for tests).</summary>
    internal int Count => texts.Count;

    /// <summary>Keeps <paramref name="text"/> and returns the marker that stands for it, as a JSON string (quotes included).</summary>
    public byte[] Add(string text)
    {
        var marker = prefix + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        texts[marker] = text;
        return Encoding.UTF8.GetBytes("\"\\u0000" + marker[1..] + "\"");
    }

    /// <summary>
    /// The text <paramref name="value"/> stands for when it is one of this server's markers (taken: a marker is bound
    /// once), else <paramref name="value"/> itself. A marker whose text is gone is refused as bad params.
    /// </summary>
    public string Resolve(string value)
    {
        if (!value.StartsWith(prefix, StringComparison.Ordinal)) return value;
        return texts.TryRemove(value, out var text)
            ? text
            : throw new System.Text.Json.JsonException("The document's text was decoded when the message arrived but is no longer held.");
    }
}
