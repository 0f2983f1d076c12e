using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (TryScan(escaped, out var end, out var length) && end == escaped.Length) return Write(escaped, length);
        // What the scan does not take (a lone surrogate, invalid UTF-8, a raw control character): decoded strictly,
        // which throws for what System.Text.Json refuses.
        if (escaped.IndexOf((byte)'\\') < 0) return Strict.GetString(escaped);
        return string.Create(StrictLength(escaped), escaped, static (chars, source) =>
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

    /// <summary>
    /// Reads a JSON string's content from the start of <paramref name="source"/> (just after its opening quote) up to its
    /// closing quote (<paramref name="end"/>: where that quote is, or the span's length when there is none), and the
    /// UTF-16 length of the string it stands for. False when the content is anything but plain JSON: an escape JSON
    /// does not have, a lone surrogate, a raw control character, invalid UTF-8 (the caller then goes the strict way,
    /// which says what is wrong). In vectorized passes and one stop per escape: a 50k-profile config is ~9 MB with
    /// ~300k escaped line breaks.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> source, out int end, out int length) => TryScan(source, out end, out length, out _);

    /// <summary>
    /// <see cref="TryScan(ReadOnlySpan{byte}, out int, out int)"/>, with where a large content was split to be read on two
    /// threads: the byte offset of the second half in the content and the first half's length in characters, which
    /// <see cref="Write(ReadOnlySpan{byte}, int, Split)"/> writes with (default: not split).
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> source, out int end, out int length, out Split split) =>
        TryScan(source, out end, out length, out split, ParallelBytes);

    /// <summary>The scan above, splitting contents of at least <paramref name="parallelFrom"/> bytes (tests split small ones).</summary>
    internal static bool TryScan(ReadOnlySpan<byte> source, out int end, out int length, out Split split, int parallelFrom)
    {
        split = default;
        if (source.Length < parallelFrom || Environment.ProcessorCount < 2 || EscapeStartAfter(source, source.Length / 2) is not { } at)
        {
            return TryScanPart(source, out end, out length);
        }
        // The second half is read at once on another thread; it is used only when the first half holds no closing quote.
        var (first, second) = ScanInHalves(source, at);
        if (!first.Ok) return Fail(out end, out length);
        if (first.End < at)
        {
            (end, length) = (first.End, first.Length);
            return true;
        }
        if (!second.Ok) return Fail(out end, out length);
        (end, length) = (at + second.End, first.Length + second.Length);
        split = new Split(at, first.Length);
        return true;
    }

    private static bool Fail(out int end, out int length)
    {
        (end, length) = (0, 0);
        return false;
    }

    private static unsafe ((bool Ok, int End, int Length) First, (bool Ok, int End, int Length) Second) ScanInHalves(ReadOnlySpan<byte> source, int at)
    {
        fixed (byte* bytes = source)
        {
            var (address, total) = ((nint)bytes, source.Length);
            var second = Task.Run(() =>
            {
                var ok = TryScanPart(new ReadOnlySpan<byte>((byte*)address + at, total - at), out var end, out var length);
                return (ok, end, length);
            });
            var firstOk = TryScanPart(source[..at], out var firstEnd, out var firstLength);
            return ((firstOk, firstEnd, firstLength), second.GetAwaiter().GetResult());
        }
    }

    /// <summary>Contents of at least this many bytes are read and written in two halves at once (a 50k-profile config is ~9 MB).</summary>
    internal const int ParallelBytes = 1 << 20;

    /// <summary>Where <see cref="TryScan(ReadOnlySpan{byte}, out int, out int, out Split)"/> split a content: see there.</summary>
    public readonly record struct Split(int At, int FirstLength)
    {
        public bool IsSplit => At > 0;
    }

    /// <summary>
    /// The first <c>\n</c> escape at or after <paramref name="from"/>, or null. A backslash starts an escape when an even
    /// number of backslashes come right before it: the first of a run always does (a backslash is only ever escaped by the
    /// one before it, and no escape ends in one). Reading from there needs nothing of the bytes before, and a line
    /// break's escape is never half of a surrogate pair written as two <c>\u</c> escapes.
    /// </summary>
    internal static int? EscapeStartAfter(ReadOnlySpan<byte> source, int from)
    {
        while (from < source.Length)
        {
            var next = source[from..].IndexOf((byte)'\\');
            if (next < 0) return null;
            var at = from + next;
            var before = 0;
            while (at - before - 1 >= 0 && source[at - before - 1] == (byte)'\\') before++;
            if (before % 2 == 0 && at + 1 < source.Length && source[at + 1] == (byte)'n') return at;
            from = at + 1;
        }
        return null;
    }

    private static bool TryScanPart(ReadOnlySpan<byte> source, out int end, out int length)
    {
        length = 0;
        end = source.Length;
        var saved = 0;
        var at = 0;
        while (true)
        {
            var next = source[at..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0) break;
            at += next;
            if (source[at] == (byte)'"')
            {
                end = at;
                break;
            }
            if (at + 1 >= source.Length) return false;
            switch (source[at + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    saved += 1;
                    at += 2;
                    break;
                case (byte)'u':
                    if (!TryHex(source, at + 2, out var code)) return false;
                    if (!char.IsSurrogate(code))
                    {
                        saved += 5;
                        at += 6;
                        break;
                    }
                    if (!char.IsHighSurrogate(code) || at + 12 > source.Length || source[at + 6] != (byte)'\\' || source[at + 7] != (byte)'u'
                        || !TryHex(source, at + 8, out var low) || !char.IsLowSurrogate(low))
                    {
                        return false;
                    }
                    saved += 10;
                    at += 12;
                    break;
                default:
                    return false;
            }
        }
        var content = source[..end];
        if (content.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || !System.Text.Unicode.Utf8.IsValid(content)) return false;
        // The escapes are ASCII: counted as characters by the UTF-8 count, less what each saves.
        length = Encoding.UTF8.GetCharCount(content) - saved;
        return true;
    }

    /// <summary>The string of the content <see cref="TryScan"/> took, <paramref name="length"/> being the length it gave.</summary>
    public static string Write(ReadOnlySpan<byte> content, int length, Split split)
    {
        if (!split.IsSplit || split.At >= content.Length) return Write(content, length);
        return string.Create(length, new Halves(content, split), static (chars, state) => WriteInHalves(state.Content, chars, state.Split));
    }

    private readonly ref struct Halves(ReadOnlySpan<byte> content, Split split)
    {
        public ReadOnlySpan<byte> Content { get; } = content;
        public Split Split { get; } = split;
    }

    /// <summary>Each half of a split content into its part of <paramref name="chars"/>, the second on another thread.</summary>
    private static unsafe void WriteInHalves(ReadOnlySpan<byte> content, Span<char> chars, Split split)
    {
        fixed (byte* bytes = content)
        fixed (char* text = chars)
        {
            var (source, destination, total, count) = ((nint)bytes, (nint)text, content.Length, chars.Length);
            var second = Task.Run(() =>
            {
                var part = new ReadOnlySpan<byte>((byte*)source + split.At, total - split.At);
                WriteTo(part, new Span<char>((char*)destination + split.FirstLength, count - split.FirstLength), System.Text.Ascii.IsValid(part));
            });
            var first = content[..split.At];
            WriteTo(first, chars[..split.FirstLength], System.Text.Ascii.IsValid(first));
            second.GetAwaiter().GetResult();
        }
    }

    public static string Write(ReadOnlySpan<byte> content, int length)
    {
        // ASCII (most configs): each run between escapes widened in place, without the UTF-8 decoder's cost per call.
        return System.Text.Ascii.IsValid(content)
            ? string.Create(length, content, static (chars, source) => WriteTo(source, chars, ascii: true))
            : string.Create(length, content, static (chars, source) => WriteTo(source, chars, ascii: false));
    }

    private static void WriteTo(ReadOnlySpan<byte> source, Span<char> chars, bool ascii)
    {
        var at = 0;
        while (!source.IsEmpty)
        {
            var plain = source.IndexOf((byte)'\\');
            var run = plain < 0 ? source : source[..plain];
            if (ascii)
            {
                Widen(run, chars[at..]);
                at += run.Length;
            }
            else
            {
                System.Text.Unicode.Utf8.ToUtf16(run, chars[at..], out _, out var written);
                at += written;
            }
            if (plain < 0) break;
            if (source.Length > plain + 1 && source[plain + 1] == (byte)'n')
            {
                chars[at++] = '\n';
                source = source[(plain + 2)..];
                continue;
            }
            at += Unescape(source[plain..], chars[at..], out var consumed);
            source = source[(plain + consumed)..];
        }
    }

    /// <summary>Copies ASCII bytes as characters, 16 at a time.</summary>
    private static void Widen(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated && source.Length >= 16)
        {
            _ = destination[source.Length - 1];
            ref var from = ref MemoryMarshal.GetReference(source);
            ref var to = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination));
            for (; i <= source.Length - 16; i += 16)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref from, (nuint)i));
                lower.StoreUnsafe(ref to, (nuint)i);
                upper.StoreUnsafe(ref to, (nuint)i + 8);
            }
        }
        for (; i < source.Length; i++) destination[i] = (char)source[i];
    }

    /// <summary>The UTF-16 length of the string <paramref name="escaped"/> stands for (throws where the strict decoder throws).</summary>
    private static int StrictLength(ReadOnlySpan<byte> escaped)
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

    private static bool TryHex(ReadOnlySpan<byte> escape, int at, out char code)
    {
        code = default;
        if (escape.Length < at + 4 || !ushort.TryParse(escape.Slice(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value)) return false;
        code = (char)value;
        return true;
    }

    private static char Hex(ReadOnlySpan<byte> escape, int at) =>
        TryHex(escape, at, out var code) ? code : throw new JsonException("A \\u escape needs four hexadecimal digits.");
}
