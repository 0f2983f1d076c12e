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
/// Messages are JSON-encoded once and kept while the same message string is published again (an incremental analysis
/// keeps the findings of untouched profiles, moved ones included); positions are computed at write time, so text that
/// shifts costs no re-encoding. One instance per published URI; thread-safe.
/// </summary>
public sealed class DiagnosticsJson
{
    private static readonly JsonEncodedText UriName = JsonEncodedText.Encode("uri");
    private static readonly JsonEncodedText DiagnosticsName = JsonEncodedText.Encode("diagnostics");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText RangeName = JsonEncodedText.Encode("range");
    private static readonly JsonEncodedText StartName = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText EndName = JsonEncodedText.Encode("end");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText CharacterName = JsonEncodedText.Encode("character");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText SourceValue = JsonEncodedText.Encode("awsconfig");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText CodeDescriptionName = JsonEncodedText.Encode("codeDescription");
    private static readonly JsonEncodedText HrefName = JsonEncodedText.Encode("href");
    private static readonly JsonEncodedText RelatedName = JsonEncodedText.Encode("relatedInformation");
    private static readonly JsonEncodedText LocationName = JsonEncodedText.Encode("location");

    // The same escaping as the serializer's default (System.Text.Json's default encoder).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = true };

    private readonly Lock gate = new();
    // Encoded messages by string identity: those written by the last publish, and those of the one being written.
    private Dictionary<string, JsonEncodedText> previous = new(ReferenceEqualityComparer.Instance);
    private Dictionary<string, JsonEncodedText> current = new(ReferenceEqualityComparer.Instance);
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
            var buffer = spare ?? new ArrayBufferWriter<byte>(Math.Max(4096, lastSize > 0 ? lastSize + lastSize / 8 : FirstSize(diagnostics, kind)));
            spare = null;
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                var configLines = model?.Config.Syntax.LineIndex;
                var credentialsLines = model?.Credentials.Syntax.LineIndex;
                var encodedConfigUri = configUri is null ? default : JsonEncodedText.Encode(configUri);
                var encodedCredentialsUri = credentialsUri is null ? default : JsonEncodedText.Encode(credentialsUri);
                var encoded = 0;
                writer.WriteStartObject();
                writer.WriteString(UriName, uri);
                writer.WriteStartArray(DiagnosticsName);
                var list = diagnostics as DiagnosticList;
                for (var i = 0; i < diagnostics.Count; i++)
                {
                    // Moved findings are read shifted (DiagnosticList), not built with new places.
                    var shifted = list is null ? new ShiftedDiagnostic(diagnostics[i], null) : list.GetShifted(i);
                    var diagnostic = shifted.Found;
                    if (diagnostic.Location.File != kind) continue;
                    var lines = (kind == ConfigFileKind.Config ? configLines : credentialsLines)!;
                    writer.WriteStartObject();
                    WriteRange(writer, lines, shifted.Location.Span);
                    writer.WriteNumber(SeverityName, (int)diagnostic.Severity);
                    var (code, href) = CodeOf(diagnostic.Code);
                    writer.WriteString(CodeName, code);
                    writer.WriteString(SourceName, SourceValue);
                    writer.WriteString(MessageName, Encoded(diagnostic.Message, ref encoded));
                    writer.WriteStartObject(CodeDescriptionName);
                    writer.WriteString(HrefName, href);
                    writer.WriteEndObject();
                    var related = diagnostic.Related;
                    var started = false;
                    for (var j = 0; j < related.Length; j++)
                    {
                        var place = related[j];
                        var isConfig = place.Location.File == ConfigFileKind.Config;
                        if ((isConfig ? configUri : credentialsUri) is null) continue;
                        if (!started)
                        {
                            writer.WriteStartArray(RelatedName);
                            started = true;
                        }
                        writer.WriteStartObject();
                        writer.WriteStartObject(LocationName);
                        writer.WriteString(UriName, isConfig ? encodedConfigUri : encodedCredentialsUri);
                        WriteRange(writer, (isConfig ? configLines : credentialsLines)!, shifted.Shift(place.Location).Span);
                        writer.WriteEndObject();
                        writer.WriteString(MessageName, Encoded(place.Message, ref encoded));
                        writer.WriteEndObject();
                    }
                    if (started) writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                if (version is { } v) writer.WriteNumber(VersionName, v);
                writer.WriteEndObject();
                LastEncoded = encoded;
            }
            // The messages of this publish are the ones the next publish looks up.
            (previous, current) = (current, previous);
            current.Clear();
            lastSize = buffer.WrittenCount;
            return new RawJson(buffer.WrittenMemory, () => Return(buffer));
        }
    }

    /// <summary>
    /// The buffer of a URI's first publish: ~1.2 KB per diagnostic of the file (what the generated 50k-profile pair
    /// needs), so that a huge first publish does not grow its buffer by doubling (~30 MiB of dropped arrays at 50k).
    /// </summary>
    private static int FirstSize(IReadOnlyList<Diagnostic> diagnostics, ConfigFileKind kind)
    {
        var count = 0;
        if (diagnostics is DiagnosticList list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list.GetShifted(i).Found.Location.File == kind) count++;
            }
        }
        else
        {
            count = diagnostics.Count;
        }
        return (int)Math.Min(int.MaxValue / 2, 1280L * count + 4096);
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

    private static void WriteRange(Utf8JsonWriter writer, Syntax.LineIndex lines, Syntax.TextSpan span)
    {
        writer.WriteStartObject(RangeName);
        WritePosition(writer, StartName, lines.GetPosition(span.Start));
        WritePosition(writer, EndName, lines.GetPosition(span.End));
        writer.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter writer, JsonEncodedText name, Syntax.LinePosition position)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber(LineName, position.Line);
        writer.WriteNumber(CharacterName, position.Character);
        writer.WriteEndObject();
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
