using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Reads a document's text (didOpen, a whole-document didChange) straight from the message's escaped UTF-8 into the
/// string, in two passes (its length, then its characters). System.Text.Json's <see cref="Utf8JsonReader.GetString"/>
/// unescapes into an array rented from the shared pool first, and for a 9 MB config that array (16 MiB) stays in the pool
/// after the open. Invalid UTF-8 and lone surrogates are refused with a <see cref="JsonException"/>, as the serializer
/// refuses them; the message was parsed as JSON before, so escapes are well formed.
/// </summary>
public sealed class DocumentTextConverter : JsonConverter<string>
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("A document's text must be a string.");
        // A value split across buffers (never here: the formatter parses whole messages) goes the ordinary way.
        if (reader.HasValueSequence) return reader.GetString();
        try
        {
            return Decode(reader.ValueSpan);
        }
        catch (DecoderFallbackException exception)
        {
            throw new JsonException("The document's text is not valid UTF-8.", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new JsonException(exception.Message, exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>The string a JSON string's content (without its quotes, escapes as written) stands for.</summary>
    public static string Decode(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IndexOf((byte)'\\') < 0) return Strict.GetString(escaped);
        return string.Create(Length(escaped), escaped, static (chars, source) =>
        {
            var at = 0;
            while (!source.IsEmpty)
            {
                var plain = source.IndexOf((byte)'\\');
                var run = plain < 0 ? source : source[..plain];
                at += Strict.GetChars(run, chars[at..]);
                if (plain < 0) break;
                at += Unescape(source[plain..], chars[at..], out var consumed);
                source = source[(plain + consumed)..];
            }
        });
    }

    /// <summary>The UTF-16 length of the string <paramref name="escaped"/> stands for.</summary>
    private static int Length(ReadOnlySpan<byte> escaped)
    {
        var length = 0;
        Span<char> scratch = stackalloc char[2];
        while (!escaped.IsEmpty)
        {
            var plain = escaped.IndexOf((byte)'\\');
            var run = plain < 0 ? escaped : escaped[..plain];
            length += Strict.GetCharCount(run);
            if (plain < 0) break;
            length += Unescape(escaped[plain..], scratch, out var consumed);
            escaped = escaped[(plain + consumed)..];
        }
        return length;
    }

    /// <summary>
    /// One escape at the start of <paramref name="escape"/> (a backslash and what follows) as one character, or two for
    /// a surrogate pair written as two <c>\u</c> escapes; a lone surrogate is refused, as System.Text.Json refuses it.
    /// </summary>
    private static int Unescape(ReadOnlySpan<byte> escape, Span<char> destination, out int consumed)
    {
        consumed = 2;
        if (escape[1] != (byte)'u')
        {
            destination[0] = escape[1] switch
            {
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                var other => (char)other,
            };
            return 1;
        }
        var code = Hex(escape, 2);
        consumed = 6;
        if (!char.IsSurrogate(code))
        {
            destination[0] = code;
            return 1;
        }
        if (char.IsHighSurrogate(code) && escape.Length >= 12 && escape[6] == (byte)'\\' && escape[7] == (byte)'u' && Hex(escape, 8) is var low && char.IsLowSurrogate(low))
        {
            destination[0] = code;
            destination[1] = low;
            consumed = 12;
            return 2;
        }
        throw new InvalidOperationException("The document's text holds a lone UTF-16 surrogate.");
    }

    private static char Hex(ReadOnlySpan<byte> escape, int at)
    {
        if (escape.Length < at + 4 || !ushort.TryParse(escape.Slice(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
        {
            throw new JsonException("A \\u escape needs four hexadecimal digits.");
        }
        return (char)code;
    }
}
