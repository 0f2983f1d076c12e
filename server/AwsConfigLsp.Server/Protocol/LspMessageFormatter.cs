using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// JSON-RPC messages as LSP writes them, with no reflection and no dynamic code: every value goes through the
/// source-generated <see cref="LspJsonContext"/>, so the NativeAOT server needs no trimming suppressions.
/// <para>
/// LSP's rules, which a general JSON-RPC formatter cannot assume: a request's params is one object, bound whole to the
/// handler's single parameter (a handler never takes positional arguments); a request the server sends with one
/// positional argument writes that argument as the params object. <c>$/cancelRequest</c>'s <c>{ "id": … }</c> is read
/// by name, as StreamJsonRpc's cancellation handler expects.
/// </para>
/// </summary>
/// <param name="options">LSP's types.</param>
/// <param name="texts">The didOpen texts the frame filter decoded: a didOpen's params get theirs back when bound.</param>
public sealed class LspMessageFormatter(JsonSerializerOptions options, DecodedTexts? texts = null) : IJsonRpcMessageTextFormatter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The server's formatter: LSP's camelCase types from <see cref="LspJsonContext"/>, and nothing else.</summary>
    public static LspMessageFormatter Create(DecodedTexts? texts = null) => new(LspJsonContext.Default.Options, texts);

    public Encoding Encoding
    {
        get => Utf8;
        set
        {
            if (value is not UTF8Encoding) throw new NotSupportedException("LSP messages are UTF-8.");
        }
    }

    public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer) => Deserialize(contentBuffer, Utf8);

    public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer, Encoding encoding)
    {
        if (encoding is not UTF8Encoding) throw new NotSupportedException("LSP messages are UTF-8.");
        // One copy of the bytes (the pipe reuses its buffer), parsed in place; the document is left to the GC rather
        // than disposed, so params and results can stay JsonElements into it without a second copy (Clone).
        var large = OpenTrace.Enabled && contentBuffer.Length >= OpenTrace.LargeFrameBytes;
        if (large) OpenTrace.Mark("message deserialize start");
        var document = JsonDocument.Parse(contentBuffer.ToArray());
        if (large) OpenTrace.Mark("message parsed (JsonDocument)");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("A JSON-RPC message is a JSON object.");
        JsonRpcMessage message;
        if (root.TryGetProperty("method"u8, out var method))
        {
            if (method.ValueKind != JsonValueKind.String) throw new JsonException("The method of a JSON-RPC request is a string.");
            var parameters = root.TryGetProperty("params"u8, out var found) ? found : (JsonElement?)null;
            var name = method.GetString();
            message = new LspRequest(options, parameters, name == "textDocument/didOpen" ? TakeDecodedTexts(parameters) : null)
            {
                RequestId = ReadId(root),
                Method = name,
            };
        }
        else if (root.TryGetProperty("result"u8, out var result))
        {
            message = new LspResult(options, result) { RequestId = ReadId(root) };
        }
        else if (root.TryGetProperty("error"u8, out var error))
        {
            if (error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("code"u8, out var code) || !code.TryGetInt32(out var number))
            {
                throw new JsonException("The error of a JSON-RPC response is an object with an integer code.");
            }
            message = new JsonRpcError
            {
                RequestId = ReadId(root),
                Error = new LspErrorDetail(error.TryGetProperty("data"u8, out var data) ? data : null)
                {
                    Data = error.TryGetProperty("data"u8, out var kept) ? kept : null,
                    Code = (JsonRpcErrorCode)number,
                    Message = error.TryGetProperty("message"u8, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null,
                },
            };
        }
        else
        {
            throw new JsonException("A JSON-RPC message has a method, a result or an error.");
        }
        message.Version = root.TryGetProperty("jsonrpc"u8, out var version) && version.ValueKind == JsonValueKind.String
            ? version.GetString()!
            : "1.0";
        return message;
    }

    private static RequestId ReadId(JsonElement root)
    {
        if (!root.TryGetProperty("id"u8, out var id)) return RequestId.NotSpecified;
        return ToRequestId(id);
    }

    internal static RequestId ToRequestId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Number when id.TryGetInt64(out var number) => new RequestId(number),
        JsonValueKind.String => new RequestId(id.GetString()),
        JsonValueKind.Null => RequestId.Null,
        _ => throw new JsonException("A JSON-RPC id is an integer, a string or null."),
    };

    public void Serialize(IBufferWriter<byte> bufferWriter, JsonRpcMessage message)
    {
        var large = OpenTrace.Enabled && message is JsonRpcRequest { Arguments: IReadOnlyList<object?> { Count: 1 } arguments }
            && arguments[0] is RawJson raw && raw.Length >= OpenTrace.LargeFrameBytes;
        if (large) OpenTrace.Mark("message serialize start");
        Write(bufferWriter, message);
        if (large) OpenTrace.Mark("message serialized");
        MessageTiming.Sent(message);
    }

    /// <summary>The message's JSON, as <see cref="Serialize"/> writes it, without recording it as sent.</summary>
    internal void Write(IBufferWriter<byte> bufferWriter, JsonRpcMessage message)
    {
        using var writer = new Utf8JsonWriter(bufferWriter);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        switch (message)
        {
            case JsonRpcRequest request:
                WriteId(writer, request.RequestId);
                writer.WriteString("method"u8, request.Method);
                WriteParams(writer, request);
                break;
            case JsonRpcResult result:
                WriteId(writer, result.RequestId);
                writer.WritePropertyName("result"u8);
                WriteValue(writer, result.Result, result.ResultDeclaredType);
                break;
            case JsonRpcError error:
                WriteId(writer, error.RequestId, always: true);
                writer.WriteStartObject("error"u8);
                writer.WriteNumber("code"u8, (int)(error.Error?.Code ?? JsonRpcErrorCode.InternalError));
                writer.WriteString("message"u8, error.Error?.Message ?? "");
                if (error.Error?.Data is { } data)
                {
                    writer.WritePropertyName("data"u8);
                    WriteValue(writer, data, null);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"Unknown JSON-RPC message type {message.GetType().Name}.", nameof(message));
        }
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteId(Utf8JsonWriter writer, RequestId id, bool always = false)
    {
        if (id.IsEmpty && !always) return;
        writer.WritePropertyName("id"u8);
        WriteRequestId(writer, id);
    }

    private static void WriteRequestId(Utf8JsonWriter writer, RequestId id)
    {
        if (id.String is { } text) writer.WriteStringValue(text);
        else if (id.Number is { } number) writer.WriteNumberValue(number);
        else writer.WriteNullValue();
    }

    private void WriteParams(Utf8JsonWriter writer, JsonRpcRequest request)
    {
        switch (request.Arguments)
        {
            case null:
                return;
            case IReadOnlyDictionary<string, object?> named:
                writer.WriteStartObject("params"u8);
                foreach (var (name, value) in named)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value, request.NamedArgumentDeclaredTypes?.GetValueOrDefault(name));
                }
                writer.WriteEndObject();
                return;
            case IReadOnlyList<object?> { Count: 0 }:
                return;
            case IReadOnlyList<object?> { Count: 1 } single:
                // LSP's params is one object: the server's one argument is that object.
                writer.WritePropertyName("params"u8);
                WriteValue(writer, single[0], request.ArgumentListDeclaredTypes is { Count: 1 } types ? types[0] : null);
                return;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray("params"u8);
                for (var i = 0; i < list.Count; i++) WriteValue(writer, list[i], request.ArgumentListDeclaredTypes?[i]);
                writer.WriteEndArray();
                return;
            default:
                writer.WritePropertyName("params"u8);
                WriteValue(writer, request.Arguments, null);
                return;
        }
    }

    private void WriteValue(Utf8JsonWriter writer, object? value, Type? declaredType)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case RequestId id:
                WriteRequestId(writer, id);
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
        }
        var type = declaredType is null || declaredType == typeof(object) || declaredType == typeof(void) ? value.GetType() : declaredType;
        JsonSerializer.Serialize(writer, value, TypeInfo(type));
    }

    private JsonTypeInfo TypeInfo(Type type) =>
        options.TryGetTypeInfo(type, out var info)
            ? info
            : throw new NotSupportedException($"{type.Name} is not in LspJsonContext: add [JsonSerializable(typeof({type.Name}))].");

    public object GetJsonText(JsonRpcMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serialize(buffer, message);
        return Utf8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The texts the frame filter decoded for this didOpen (marker -> text), taken from <see cref="texts"/> as the message
    /// is read, so that none stays there when the message is never bound (refused before <c>initialize</c>, bad params).
    /// </summary>
    private Dictionary<string, string>? TakeDecodedTexts(JsonElement? parameters)
    {
        if (texts is null || parameters is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("textDocument"u8, out var document) || document.ValueKind != JsonValueKind.Object) return null;
        Dictionary<string, string>? taken = null;
        foreach (var property in document.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && property.NameEquals("text"u8)
                && property.Value.GetString() is { } marker && texts.TryTake(marker, out var text))
            {
                (taken ??= new(StringComparer.Ordinal))[marker] = text;
            }
        }
        return taken;
    }

    /// <summary>A request as read: params kept as JSON until the handler's parameters say what to bind them to.</summary>
    private sealed class LspRequest(JsonSerializerOptions options, JsonElement? parameters, Dictionary<string, string>? decodedTexts) : JsonRpcRequest
    {
        public override int ArgumentCount => parameters switch
        {
            { ValueKind: JsonValueKind.Array } array => array.GetArrayLength(),
            { ValueKind: JsonValueKind.Object } => 1,
            _ => 0,
        };

        public override IEnumerable<string>? ArgumentNames => null;

        public override ArgumentMatchResult TryGetTypedArguments(ReadOnlySpan<ParameterInfo> parameters, Span<object?> typedArguments) =>
            Bind(parameters, typedArguments);

        public override ArgumentMatchResult TryGetTypedArguments(ReadOnlySpan<ParameterInfo> parameters, ReadOnlySpan<string?> parameterNames, Span<object?> typedArguments) =>
            Bind(parameters, typedArguments);

        public override ArgumentMatchResult TryGetTypedArguments(ReadOnlySpan<ParameterInfo> parameters, ReadOnlySpan<string?> parameterNames, Span<object?> typedArguments, bool useSingleObjectParameterDeserialization) =>
            Bind(parameters, typedArguments);

        private ArgumentMatchResult Bind(ReadOnlySpan<ParameterInfo> parameterInfos, Span<object?> typedArguments)
        {
            if (parameterInfos.Length == 0) return ArgumentMatchResult.Success;
            for (var i = 0; i < parameterInfos.Length; i++)
            {
                var parameter = parameterInfos[i];
                if (!TryGetArgumentByNameOrIndex(parameterInfos.Length == 1 ? null : parameter.Name, parameterInfos.Length == 1 ? -1 : i, parameter.ParameterType, out var value))
                {
                    if (!parameter.HasDefaultValue) return ArgumentMatchResult.MissingArgument;
                    value = parameter.DefaultValue;
                }
                typedArguments[i] = value;
            }
            return ArgumentMatchResult.Success;
        }

        /// <summary>
        /// With no name and no position (a handler's single parameter), the whole params; otherwise the named property
        /// or the positional element. Bad JSON for the type throws <see cref="JsonException"/> with its path.
        /// </summary>
        public override bool TryGetArgumentByNameOrIndex(string? name, int position, Type? typeHint, out object? value)
        {
            value = null;
            var type = typeHint ?? typeof(JsonElement);
            JsonElement? element = parameters;
            if (name is null && position < 0)
            {
                // $/cancelRequest's handler takes the id: read it from { "id": … }.
                if (type == typeof(RequestId) && parameters is { ValueKind: JsonValueKind.Object } cancel && cancel.TryGetProperty("id"u8, out var id))
                {
                    value = ToRequestId(id);
                    return true;
                }
            }
            else if (parameters is { ValueKind: JsonValueKind.Object } named && name is not null)
            {
                if (!named.TryGetProperty(name, out var property)) return false;
                element = property;
            }
            else if (parameters is { ValueKind: JsonValueKind.Array } array && position >= 0 && position < array.GetArrayLength())
            {
                element = array[position];
            }
            else
            {
                return false;
            }
            value = Read(element, type);
            return true;
        }

        private object? Read(JsonElement? element, Type type)
        {
            if (type == typeof(RequestId)) return element is { } id ? ToRequestId(id) : RequestId.Null;
            if (element is not { } json || json.ValueKind == JsonValueKind.Null)
            {
                return type == typeof(JsonElement) ? default(JsonElement) : null;
            }
            if (type == typeof(JsonElement) || type == typeof(JsonElement?)) return json;
            var value = json.Deserialize(options.TryGetTypeInfo(type, out var info)
                ? info
                : throw new NotSupportedException($"{type.Name} is not in LspJsonContext."));
            // The frame filter decoded this didOpen's text and left a marker in its place: the text goes back here.
            if (decodedTexts is not null && value is DidOpenTextDocumentParams { TextDocument: { } document } opened
                && decodedTexts.TryGetValue(document.Text, out var text))
            {
                return opened with { TextDocument = document with { Text = text } };
            }
            return value;
        }
    }

    /// <summary>A response to a request of the server's, read as the caller's result type asks.</summary>
    private sealed class LspResult(JsonSerializerOptions options, JsonElement result) : JsonRpcResult
    {
        public override T GetResult<T>()
        {
            if (typeof(T) == typeof(JsonElement) || typeof(T) == typeof(object)) return (T)(object)result;
            if (result.ValueKind == JsonValueKind.Null) return default!;
            return (T)result.Deserialize(options.TryGetTypeInfo(typeof(T), out var info)
                ? info
                : throw new NotSupportedException($"{typeof(T).Name} is not in LspJsonContext."))!;
        }
    }

    /// <summary>An error's data stays JSON: the server reads only the code and message of a client's errors.</summary>
    private sealed class LspErrorDetail(JsonElement? data) : JsonRpcError.ErrorDetail
    {
        public override object? GetData(Type dataType) => dataType == typeof(JsonElement) || dataType == typeof(object) ? data : null;
    }
}
