using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Writes the params of <c>textDocument/publishDiagnostics</c> as UTF-8 JSON straight from the analysis' diagnostics
/// (the same JSON <see cref="PublishDiagnosticsParams"/> of <see cref="LspConvert.ToLsp(Diagnostic, ProfileModel, Func{ConfigFileKind, string?})"/>
/// would give), without building LSP objects: at 50k profiles a publish holds ~13k diagnostics and ~14 MiB of JSON.
/// Messages are JSON-encoded once and kept while the same message string is published again, and so is the
/// position-free middle of each diagnostic's JSON while the same diagnostic is (an incremental analysis keeps the
/// findings of untouched profiles, moved ones included, see <see cref="DiagnosticList"/>); positions are computed at
/// write time, so text that shifts costs no re-encoding. Escaping is System.Text.Json's default encoder's. One instance
/// per published URI; thread-safe.
/// </summary>
public sealed class DiagnosticsJson
{
    private static readonly JsonEncodedText SourceValue = JsonEncodedText.Encode("awsconfig");

    private readonly Lock gate = new();
    // Encoded messages by string identity: those written by the last publish, and those of the one being written.
    private Dictionary<string, JsonEncodedText> previous = new(ReferenceEqualityComparer.Instance);
    private Dictionary<string, JsonEncodedText> current = new(ReferenceEqualityComparer.Instance);
    // The position-free middle of each diagnostic's JSON, by diagnostic identity: the last publish's, this one's.
    private Dictionary<Diagnostic, byte[]> previousMiddles = new(ReferenceEqualityComparer.Instance);
    private Dictionary<Diagnostic, byte[]> currentMiddles = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (JsonEncodedText Code, JsonEncodedText Href)> codes = new(StringComparer.Ordinal);
    private ArrayBufferWriter<byte>? spare;
    private int lastSize;

    /// <summary>How many messages the last <see cref="Write"/> encoded (not found from the publish before).</summary>
    public int LastEncoded { get; private set; }

    /// <summary>
    /// The publishDiagnostics params for <paramref name="uri"/>: the diagnostics of <paramref name="kind"/>'s file (in
    /// list order) at the positions of <paramref name="model"/> (needed when there are diagnostics); related places in a
    /// file without a URI are left out.
    /// </summary>
    public RawJson Write(string uri, int? version, ConfigFileKind kind, IReadOnlyList<Diagnostic> diagnostics, ProfileModel? model,
        string? configUri, string? credentialsUri)
    {
        lock (gate)
        {
            // A buffer of the last size, reused once the publish that wrote it is sent: at 50k profiles a publish is
            // ~15 MiB, and fresh large-object arrays per publish mean full collections that stop every thread.
            var buffer = spare ?? new ArrayBufferWriter<byte>(Math.Max(4096, lastSize + lastSize / 8));
            spare = null;
            buffer.ResetWrittenCount();
            // The bytes are written directly (what Utf8JsonWriter would write, without its per-token checks): the
            // part of each diagnostic that does not depend on positions is kept from the publish before.
            var output = new Output(buffer);
            var configLines = model?.Config.Syntax.LineIndex;
            var credentialsLines = model?.Credentials.Syntax.LineIndex;
            var encodedConfigUri = configUri is null ? default : JsonEncodedText.Encode(configUri, JavaScriptEncoder.Default);
            var encodedCredentialsUri = credentialsUri is null ? default : JsonEncodedText.Encode(credentialsUri, JavaScriptEncoder.Default);
            var encoded = 0;
            output.Write("{\"uri\":\""u8);
            output.Write(JsonEncodedText.Encode(uri, JavaScriptEncoder.Default).EncodedUtf8Bytes);
            output.Write("\",\"diagnostics\":["u8);
            var list = diagnostics as DiagnosticList;
            var first = true;
            for (var i = 0; i < diagnostics.Count; i++)
            {
                // Moved findings are read shifted (DiagnosticList), not built with new places.
                var shifted = list is null ? new ShiftedDiagnostic(diagnostics[i], null) : list.GetShifted(i);
                var diagnostic = shifted.Found;
                if (diagnostic.Location.File != kind) continue;
                var lines = (kind == ConfigFileKind.Config ? configLines : credentialsLines)!;
                output.Write(first ? "{\"range\":"u8 : ",{\"range\":"u8);
                first = false;
                WriteRange(ref output, lines, shifted.Location.Span);
                output.Write(Middle(diagnostic, ref encoded));
                var related = diagnostic.Related;
                var started = false;
                for (var j = 0; j < related.Length; j++)
                {
                    var place = related[j];
                    var isConfig = place.Location.File == ConfigFileKind.Config;
                    if ((isConfig ? configUri : credentialsUri) is null) continue;
                    output.Write(started ? ",{\"location\":{\"uri\":\""u8 : ",\"relatedInformation\":[{\"location\":{\"uri\":\""u8);
                    started = true;
                    output.Write((isConfig ? encodedConfigUri : encodedCredentialsUri).EncodedUtf8Bytes);
                    output.Write("\",\"range\":"u8);
                    WriteRange(ref output, (isConfig ? configLines : credentialsLines)!, shifted.Shift(place.Location).Span);
                    output.Write("},\"message\":\""u8);
                    output.Write(Encoded(place.Message, ref encoded).EncodedUtf8Bytes);
                    output.Write("\"}"u8);
                }
                output.Write(started ? "]}"u8 : "}"u8);
            }
            output.Write("]"u8);
            if (version is { } v)
            {
                output.Write(",\"version\":"u8);
                output.Write(v);
            }
            output.Write("}"u8);
            LastEncoded = encoded;
            // The messages of this publish are the ones the next publish looks up.
            (previous, current) = (current, previous);
            current.Clear();
            (previousMiddles, currentMiddles) = (currentMiddles, previousMiddles);
            currentMiddles.Clear();
            lastSize = buffer.WrittenCount;
            return new RawJson(buffer.WrittenMemory, () => Return(buffer));
        }
    }

    /// <summary>
    /// What follows a diagnostic's range up to its related places: <c>,"severity":..,"code":..,"source":..,"message":..,"codeDescription":{..}</c>,
    /// kept by diagnostic (an incremental analysis keeps the diagnostics of untouched units, moved ones included).
    /// </summary>
    private byte[] Middle(Diagnostic diagnostic, ref int encoded)
    {
        if (currentMiddles.TryGetValue(diagnostic, out var bytes)) return bytes;
        if (!previousMiddles.TryGetValue(diagnostic, out bytes))
        {
            var (code, href) = CodeOf(diagnostic.Code);
            var message = Encoded(diagnostic.Message, ref encoded).EncodedUtf8Bytes;
            var piece = new ArrayBufferWriter<byte>(128 + message.Length);
            var output = new Output(piece);
            output.Write(",\"severity\":"u8);
            output.Write((int)diagnostic.Severity);
            output.Write(",\"code\":\""u8);
            output.Write(code.EncodedUtf8Bytes);
            output.Write("\",\"source\":\""u8);
            output.Write(SourceValue.EncodedUtf8Bytes);
            output.Write("\",\"message\":\""u8);
            output.Write(message);
            output.Write("\",\"codeDescription\":{\"href\":\""u8);
            output.Write(href.EncodedUtf8Bytes);
            output.Write("\"}"u8);
            bytes = piece.WrittenSpan.ToArray();
        }
        else
        {
            // Keep the message's encoding for related places and the next publish.
            Encoded(diagnostic.Message, ref encoded);
        }
        currentMiddles[diagnostic] = bytes;
        return bytes;
    }

    /// <summary>Appends UTF-8 bytes and numbers to a buffer writer.</summary>
    private readonly struct Output(ArrayBufferWriter<byte> buffer)
    {
        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.GetSpan(bytes.Length));
            buffer.Advance(bytes.Length);
        }

        public void Write(int value)
        {
            var span = buffer.GetSpan(11);
            System.Buffers.Text.Utf8Formatter.TryFormat(value, span, out var written);
            buffer.Advance(written);
        }
    }

    private void Return(ArrayBufferWriter<byte> buffer)
    {
        lock (gate) spare = buffer;
    }

    private JsonEncodedText Encoded(string message, ref int encoded)
    {
        if (current.TryGetValue(message, out var text)) return text;
        if (!previous.TryGetValue(message, out text))
        {
            text = JsonEncodedText.Encode(message, JavaScriptEncoder.Default);
            encoded++;
        }
        current[message] = text;
        return text;
    }

    private (JsonEncodedText Code, JsonEncodedText Href) CodeOf(string code)
    {
        if (!codes.TryGetValue(code, out var found))
        {
            codes[code] = found = (JsonEncodedText.Encode(code), JsonEncodedText.Encode(LspConvert.RuleDocumentation(code)));
        }
        return found;
    }

    private static void WriteRange(ref Output output, Syntax.LineIndex lines, Syntax.TextSpan span)
    {
        var start = lines.GetPosition(span.Start);
        var end = lines.GetPosition(span.End);
        output.Write("{\"start\":{\"line\":"u8);
        output.Write(start.Line);
        output.Write(",\"character\":"u8);
        output.Write(start.Character);
        output.Write("},\"end\":{\"line\":"u8);
        output.Write(end.Line);
        output.Write(",\"character\":"u8);
        output.Write(end.Character);
        output.Write("}}"u8);
    }
}

/// <summary>
/// JSON written beforehand (<see cref="DiagnosticsJson"/>), sent as is: the serializer copies the bytes. Call
/// <see cref="Release"/> once it is sent, so that the writer reuses the buffer (not before, and at most once).
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson(ReadOnlyMemory<byte> utf8, Action? release = null)
{
    private Action? release = release;

    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public void Release() => Interlocked.Exchange(ref release, null)?.Invoke();
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("RawJson is only written.");

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
