using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Stands between the client's byte stream and StreamJsonRpc: it reads LSP frames (<c>Content-Length: N</c>, blank
/// line, N bytes) itself, passes on the ones whose body is a JSON-RPC message, and answers the others as JSON-RPC says,
/// with id null: -32700 for a body that is not JSON, -32600 for JSON that is not a JSON-RPC message. StreamJsonRpc
/// would end the connection on either. Bytes between frames (after a wrong <c>Content-Length</c>) are skipped up to the
/// next <c>Content-Length</c> header, so one bad message never ends the session.
/// </summary>
internal static class LspFrameFilter
{
    /// <summary>The largest body passed on; a longer one is skipped as it streams by and answered with -32600.</summary>
    public const int MaxBodyBytes = 256 * 1024 * 1024;

    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLength = "content-length:"u8.ToArray();

    /// <summary>What is wrong with a body, or null when it is a JSON-RPC message StreamJsonRpc can take.</summary>
    public sealed record Problem(JsonRpcErrorCode Code, string Message);

    /// <summary>
    /// Copies well-formed frames from <paramref name="input"/> to <paramref name="output"/> until the input ends (then
    /// completes <paramref name="output"/>, which ends the connection) or the reader of <paramref name="output"/> stops.
    /// </summary>
    /// <remarks>
    /// With <paramref name="texts"/>, a didOpen's document text is decoded here, in the pass that checks the frame, and
    /// the frame is handed on with a short marker in its place (see <see cref="DecodedTexts"/>): at 50k profiles the
    /// 9 MB text was otherwise read again by the formatter's parse and by the binding of the params, and the frame
    /// copied twice more, before the handler could start.
    /// </remarks>
    public static async Task PumpAsync(Stream input, PipeWriter output, Func<Problem, Task> answer, TextWriter log, DecodedTexts? texts = null)
    {
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(pool: FrameMemoryPool.Instance, bufferSize: 64 * 1024));
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (!TryReadHeader(ref buffer, out var header, out var skipped, out var headerTooLong))
                {
                    if (headerTooLong)
                    {
                        await log.WriteLineAsync($"awsconfig-lsp: skipped {buffer.Length} bytes that are not an LSP header.");
                        reader.AdvanceTo(buffer.End);
                        continue;
                    }
                    if (result.IsCompleted) break;
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }
                if (skipped > 0) await log.WriteLineAsync($"awsconfig-lsp: skipped {skipped} bytes before an LSP header.");
                reader.AdvanceTo(buffer.Start);

                if (header.Length is not { } length)
                {
                    await answer(new Problem(JsonRpcErrorCode.ParseError, "Parse error: the message has no valid Content-Length header."));
                    continue;
                }
                if (length > MaxBodyBytes)
                {
                    if (!await SkipAsync(reader, length)) break;
                    await answer(new Problem(JsonRpcErrorCode.InvalidRequest, $"The message of {length} bytes is larger than the {MaxBodyBytes} bytes the server accepts."));
                    continue;
                }
                if (length == 0)
                {
                    await answer(new Problem(JsonRpcErrorCode.ParseError, "Parse error: the message is empty."));
                    continue;
                }
                // A large document (an open, a whole-text change): the collector's commits are populated again while it is
                // taken in (paused after an open, see CommittedMemory).
                if (length >= OpenTrace.LargeFrameBytes) Cli.CommittedMemory.Pause(false);
                var large = OpenTrace.Enabled && length >= OpenTrace.LargeFrameBytes;
                if (large) OpenTrace.Mark($"frame header ({length} bytes)");
                var body = await reader.ReadAtLeastAsync((int)length);
                if (body.Buffer.Length < length) break;
                var content = body.Buffer.Slice(0, length);
                if (large) OpenTrace.Mark("frame body read");
                var scan = texts is null ? null : new TextScan();
                var problem = Check(content, out var method, out var id, out var text, scan);
                if (large) OpenTrace.Mark(scan?.Text is null ? "frame checked" : "frame checked, text decoded in the same pass");
                if (problem is null) MessageTiming.Received(method, id);
                if (problem is null && texts is not null && method == "textDocument/didOpen" && text is { } place
                    && (scan?.Text ?? TryDecode(content.Slice(place.Start + 1, place.End - place.Start - 2))) is { } decoded)
                {
                    if (large) OpenTrace.Mark("frame text decoded");
                    // The frame without the text: the marker stands in its place until the params are bound.
                    var marker = texts.Add(decoded);
                    output.Write(Encoding.ASCII.GetBytes($"Content-Length: {length - (place.End - place.Start) + marker.Length}\r\n\r\n"));
                    foreach (var segment in content.Slice(0, place.Start)) output.Write(segment.Span);
                    output.Write(marker);
                    foreach (var segment in content.Slice(place.End)) output.Write(segment.Span);
                }
                else if (problem is null)
                {
                    // Copied whole, then flushed once: a flush per segment would cost a context switch per 64 KB.
                    output.Write(Encoding.ASCII.GetBytes($"Content-Length: {length}\r\n\r\n"));
                    foreach (var segment in content) output.Write(segment.Span);
                }
                reader.AdvanceTo(content.End);
                if (problem is not null)
                {
                    await answer(problem);
                    continue;
                }
                var flush = await output.FlushAsync();
                if (large) OpenTrace.Mark("frame handed on");
                if (flush.IsCompleted || flush.IsCanceled) break;
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The client's stream broke, or the server was disposed: either ends the connection below.
            failure = exception is IOException ? exception : null;
        }
        catch (Exception exception)
        {
            // A bug here must not leave the server running deaf: end the connection, and say why on stderr.
            await log.WriteLineAsync($"awsconfig-lsp: stopped reading messages: {exception.GetType().Name}.");
            failure = exception;
        }
        finally
        {
            await reader.CompleteAsync();
            await output.CompleteAsync(failure);
        }
    }

    /// <summary>
    /// The text a JSON string's content stands for (<see cref="DocumentTextConverter.Decode"/>), or null when it is not
    /// valid UTF-8 or holds a lone surrogate: the frame then goes on as it came, and binding its params reports that.
    /// </summary>
    private static string? TryDecode(ReadOnlySequence<byte> escaped)
    {
        try
        {
            if (escaped.IsSingleSegment) return DocumentTextConverter.Decode(escaped.FirstSpan);
            // The pipe hands a large frame over in segments: one contiguous copy, left to the collector (not rented: the
            // shared pool would keep a 9 MB array after the open).
            var bytes = GC.AllocateUninitializedArray<byte>((int)escaped.Length);
            escaped.CopyTo(bytes);
            return DocumentTextConverter.Decode(bytes);
        }
        catch (Exception exception) when (exception is DecoderFallbackException or InvalidOperationException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The header fields that matter: <c>Content-Length</c> (null when missing or not a number).</summary>
    private readonly record struct Header(long? Length);

    /// <summary>
    /// Finds the next header block ending in a blank line and parses it. Anything before the <c>Content-Length</c> field
    /// in that block is taken as leftovers of a broken message and skipped (<paramref name="skipped"/> bytes).
    /// </summary>
    private static bool TryReadHeader(ref ReadOnlySequence<byte> buffer, out Header header, out long skipped, out bool tooLong)
    {
        header = default;
        skipped = 0;
        tooLong = false;
        var sequenceReader = new SequenceReader<byte>(buffer);
        if (!sequenceReader.TryReadTo(out ReadOnlySequence<byte> block, HeaderEnd, advancePastDelimiter: true))
        {
            tooLong = buffer.Length > MaxHeaderBytes;
            return false;
        }
        var text = Encoding.Latin1.GetString(block.ToArray());
        var start = text.IndexOf("content-length:", StringComparison.OrdinalIgnoreCase);
        skipped = start > 0 ? start : 0;
        long? length = null;
        if (start >= 0)
        {
            foreach (var line in text[start..].Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                if (!line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                length = long.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.None, null, out var value) ? value : null;
            }
        }
        header = new Header(length);
        buffer = buffer.Slice(sequenceReader.Position);
        return true;
    }

    private static async Task<bool> SkipAsync(PipeReader reader, long length)
    {
        while (length > 0)
        {
            var result = await reader.ReadAsync();
            var take = Math.Min(length, result.Buffer.Length);
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            length -= take;
            if (length > 0 && result.IsCompleted) return false;
        }
        return true;
    }

    /// <summary>Null when <paramref name="body"/> is one JSON-RPC 2.0 request, notification or response; else what is wrong.</summary>
    public static Problem? Check(ReadOnlySequence<byte> body) => Check(body, out _, out _);

    /// <summary>
    /// Null when <paramref name="body"/> is one JSON-RPC 2.0 request, notification or response; else what is wrong (a
    /// body that is not JSON is reported as such even when its top-level members are wrong too). In one pass over the
    /// bytes, which also reads the top-level <paramref name="method"/> and <paramref name="id"/> for the timing log: a
    /// didOpen of a huge file is megabytes, and each pass over it is time the editor waits.
    /// </summary>
    public static Problem? Check(ReadOnlySequence<byte> body, out string? method, out string? id) => Check(body, out method, out id, out _);

    /// <summary>
    /// <see cref="Check(ReadOnlySequence{byte}, out string?, out string?)"/>, and where the string <c>params.textDocument.text</c>
    /// lies in <paramref name="body"/> (its quotes included), if the message has one: the same pass finds it.
    /// </summary>
    /// <remarks>
    /// With <paramref name="scan"/>, the text is also decoded in this pass (<see cref="TextScan"/>), when it is plain JSON:
    /// the reader stops before it, <see cref="DocumentTextConverter.TryScan"/> reads it, and a reader resumed after it
    /// checks the rest. Anything the scan does not take is read by the reader as without it: the same problems come out.
    /// </remarks>
    public static Problem? Check(ReadOnlySequence<byte> body, out string? method, out string? id, out (long Start, long End)? text, TextScan? scan = null)
    {
        var problem = CheckMessage(body, out method, out id, out text, scan);
        // A text decoded on the way is kept only for a message that goes on.
        if (problem is not null) scan?.Forget();
        return problem;
    }

    private static Problem? CheckMessage(ReadOnlySequence<byte> body, out string? method, out string? id, out (long Start, long End)? text, TextScan? scan)
    {
        method = null;
        id = null;
        text = null;
        // Where the reader's input starts in the body: after the text once the scan has read it.
        long offset = 0;
        // Where the reader is on the way to params.textDocument.text: 1 inside "params", 2 inside its "textDocument".
        var path = 0;
        // The formatter reads at most 64 levels; deeper JSON must not reach it.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        // The first problem with the members, reported only once the whole body is known to be JSON.
        Problem? structure = null;
        bool hasMethod = false, hasId = false, hasResult = false, hasVersion = false;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                structure = new Problem(JsonRpcErrorCode.InvalidRequest, "Invalid request: a JSON-RPC message must be one object (LSP has no batches).");
            }
            while (reader.Read())
            {
                if (path > 0 && structure is null && FollowTextPath(ref reader, ref path, ref text, body, ref offset, scan)) continue;
                if (structure is not null || reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName) continue;
                var name = reader.ValueTextEquals("jsonrpc"u8) ? Member.Version
                    : reader.ValueTextEquals("method"u8) ? Member.Method
                    : reader.ValueTextEquals("id"u8) ? Member.Id
                    : reader.ValueTextEquals("params"u8) ? Member.Params
                    : reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8) ? Member.Result
                    : Member.Other;
                // The value: a scalar is read here; an object or array is walked by the loop (its members are deeper).
                reader.Read();
                switch (name)
                {
                    case Member.Version:
                        if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("2.0"u8)) structure = Invalid("\"jsonrpc\" must be \"2.0\".");
                        hasVersion = true;
                        break;
                    case Member.Method:
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            structure = Invalid("\"method\" must be a string.");
                            break;
                        }
                        method = reader.GetString();
                        hasMethod = true;
                        break;
                    case Member.Id:
                        if (reader.TokenType == JsonTokenType.String) id = reader.GetString();
                        else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)) id = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        else if (reader.TokenType != JsonTokenType.Null) structure = Invalid("\"id\" must be a string or an integer.");
                        hasId = true;
                        break;
                    case Member.Params:
                        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.Null))
                        {
                            structure = Invalid("\"params\" must be an object or an array.");
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            path = 1;
                        }
                        break;
                    case Member.Result:
                        hasResult = true;
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            return new Problem(JsonRpcErrorCode.ParseError, $"Parse error: the message is not valid JSON ({FirstSentence(exception.Message)}).");
        }
        if (structure is not null) return structure;
        if (!hasVersion) return Invalid("the message needs \"jsonrpc\": \"2.0\".");
        if (hasMethod || hasId && hasResult) return null;
        return Invalid("the message has neither a \"method\" nor an \"id\" with a \"result\" or \"error\".");

        static Problem Invalid(string reason) => new(JsonRpcErrorCode.InvalidRequest, $"Invalid request: {reason}");
    }

    /// <summary>
    /// Inside <c>params</c> (<paramref name="path"/> 1) or its <c>textDocument</c> (2): steps along the path to
    /// <c>text</c>, and notes where a string there lies. False for tokens that are not on the path (the caller's loop
    /// goes on); the path ends with the object it entered.
    /// </summary>
    private static bool FollowTextPath(ref Utf8JsonReader reader, ref int path, ref (long Start, long End)? text, ReadOnlySequence<byte> body,
        ref long offset, TextScan? scan)
    {
        if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == path)
        {
            path--;
            return true;
        }
        if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != path + 1) return false;
        if (path == 1 && reader.ValueTextEquals("textDocument"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject) path = 2;
            return true;
        }
        if (path == 2 && reader.ValueTextEquals("text"u8))
        {
            if (scan is not null && offset == 0 && scan.TryRead(ref reader, body, out var place))
            {
                text = place;
                offset = place.End;
                return true;
            }
            reader.Read();
            // The last one, as a deserializer that meets a name twice keeps the last value (and not the one scanned).
            if (reader.TokenType == JsonTokenType.String)
            {
                text = (offset + reader.TokenStartIndex, offset + reader.BytesConsumed);
                scan?.Forget();
            }
            return true;
        }
        return false;
    }

    /// <summary>
    /// A didOpen's text read and decoded by the frame check itself (<see cref="Check(ReadOnlySequence{byte}, out string?, out string?, out (long Start, long End)?, TextScan?)"/>):
    /// Utf8JsonReader would validate the 9 MB string of a 50k-profile config in one pass, and the decoder read it again
    /// in two more (50 ms of the open before the handler starts). Here one vectorized scan finds its end, validates it
    /// and measures it, and one more writes the string (a text of 1 MB or more in two halves on two threads: 26.7 -> 17.8 ms
    /// for the 9 MB didOpen of a 50k-profile config).
    /// </summary>
    internal sealed class TextScan
    {
        private const int MaxSeparator = 64;

        /// <summary>The decoded text, when the scan read the text the check found (null otherwise).</summary>
        public string? Text { get; private set; }

        /// <summary>Drops the decoded text: the check met a later one (which counts), or the message has a problem.</summary>
        public void Forget() => Text = null;

        /// <summary>
        /// With <paramref name="reader"/> just after the name <c>text</c>: reads the string value, and replaces the reader
        /// by one that goes on after it. False (the reader untouched) when the value is not a string the scan takes.
        /// </summary>
        public bool TryRead(ref Utf8JsonReader reader, ReadOnlySequence<byte> body, out (long Start, long End) place)
        {
            place = default;
            var after = reader.BytesConsumed;
            var rest = body.Slice(after);
            // The name's separator (as written, checked below by the reader) and the opening quote.
            var head = rest.Slice(0, Math.Min(rest.Length, MaxSeparator)).ToArray();
            var quote = Array.IndexOf(head, (byte)'"');
            if (quote < 0 || head.AsSpan(0, quote).IndexOfAnyExcept(" \t\r\n:"u8) >= 0) return false;
            // One contiguous copy of what follows the quote (the pipe hands a large frame over in segments), left to the
            // collector: the shared pool would keep a 9 MB array after the open.
            var content = rest.Slice(quote + 1);
            if (content.IsSingleSegment) return Finish(ref reader, body, content.FirstSpan, after, quote, head, out place);
            var bytes = GC.AllocateUninitializedArray<byte>((int)content.Length);
            content.CopyTo(bytes);
            return Finish(ref reader, body, bytes, after, quote, head, out place);
        }

        private bool Finish(ref Utf8JsonReader reader, ReadOnlySequence<byte> body, ReadOnlySpan<byte> content, long after, int quote, byte[] head,
            out (long Start, long End) place)
        {
            place = default;
            if (!DocumentTextConverter.TryScan(content, out var end, out var length, out var split) || end == content.Length) return false;
            // The reader checks the separator and goes on as if the value were "", then from the closing quote on.
            JsonReaderState state;
            try
            {
                var standIn = new Utf8JsonReader([.. head.AsSpan(0, quote), (byte)'"', (byte)'"'], isFinalBlock: false, reader.CurrentState);
                if (!standIn.Read() || standIn.TokenType != JsonTokenType.String) return false;
                state = standIn.CurrentState;
            }
            catch (JsonException)
            {
                return false;
            }
            Text = DocumentTextConverter.Write(content[..end], length, split);
            var start = after + quote;
            place = (start, start + 1 + end + 1);
            reader = new Utf8JsonReader(body.Slice(place.End), isFinalBlock: true, state);
            return true;
        }
    }

    private enum Member
    {
        Other,
        Version,
        Method,
        Id,
        Params,
        Result,
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
