using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Writes the params of <c>textDocument/publishDiagnostics</c> as UTF-8 JSON straight from the analysis' diagnostics
/// (the same JSON <see cref="PublishDiagnosticsParams"/> of <see cref="LspConvert.ToLsp(Diagnostic, ProfileModel, Func{ConfigFileKind, string?})"/>
/// would give), without building LSP objects: at 50k profiles a publish holds ~13k diagnostics and ~14 MiB of JSON.
/// Positions are computed at write time. A diagnostic the analysis kept (the same found object) whose places still have their
/// line and column is copied from the last publish's bytes (after a keystroke without a line break: all but those of
/// the edited section; after a line break, with its line numbers rewritten), so only the few others are encoded again:
/// no cache of encoded messages is kept (it held ~16 MiB at 50k profiles: each message again as UTF-8 and as its
/// escaped string). One instance per published URI; thread-safe.
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

    // JSON's own escapes only (quotes, backslashes, control characters), not the serializer's default HTML-safe ones: the
    // messages quote every profile name in backticks, which the default writes as \u0060 (six bytes for one), ~0.9 MiB
    // of a 50k-profile publish. The client parses JSON; nothing here is embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Lock gate = new();
    private readonly Dictionary<string, (JsonEncodedText Code, JsonEncodedText Href)> codes = new(StringComparer.Ordinal);

    // The positions of the related places this write converted: a first publish at 50k profiles has ~36k related places
    // but ~8k distinct ones (missing-mfa-serial's findings of one source point at the same devices of its other roles).
    private readonly Dictionary<SourceLocation, (LinePosition Start, LinePosition End)> relatedRanges = [];
    // The last publish written, to copy from: the array it is in (see PublishBuffer: the next one is written into the
    // same array, around it, unless the last is still being sent), where it starts there and its length, the files'
    // syntax it was written at, its URIs, the list it wrote, and for each item of that list where its JSON is in the
    // publish (-1: another file's) with its places' offsets then. A list spliced from that one says where each kept item
    // was in it (DiagnosticList.OriginIn); when each place of a kept item lies where the text did not change and moved no
    // line, its bytes are the same, and consecutive ones are copied at once.
    private byte[]? ring;
    private int ringStart;
    private int lastSize;
    private bool lastSending;
    private DocumentSyntax? lastConfig;
    private DocumentSyntax? lastCredentials;
    private (ConfigFileKind Kind, string? ConfigUri, string? CredentialsUri) lastTarget;
    private DiagnosticList? lastList;
    private Written[] written = [];
    private List<int> writtenPlaces = [];
    private List<int> writingPlaces = [];
    // Where each line number is in an item's bytes: its offset from the item's start and its digits, two per place
    // (start and end line), in the order of the places.
    private List<int> writtenLines = [];
    private List<int> writingLines = [];
    private byte[] patch = [];
    private byte[] joined = [];

    /// <summary>
    /// One item's JSON in the last publish: its bytes (no separator; Start -1: not written), its places' offsets then
    /// (file, start, end each) and where its line numbers are (see <see cref="writtenLines"/>).
    /// </summary>
    private readonly record struct Written(int Start, int Length, int Places, int PlaceCount, int Lines);

    /// <summary>Whether the last <see cref="Write"/> went into the array of the publish before it (see <see cref="PublishBuffer"/>).</summary>
    public bool LastInPlace { get; private set; }

    /// <summary>How many messages the last <see cref="Write"/> encoded (those of the diagnostics it did not copy).</summary>
    public int LastEncoded { get; private set; }

    /// <summary>How many diagnostics the last <see cref="Write"/> copied from the publish before (not written again).</summary>
    public int LastCopied { get; private set; }

    /// <summary>How many of those it copied with their line numbers changed (a line break typed before them).</summary>
    public int LastPatched { get; private set; }

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
            var list = diagnostics as DiagnosticList;
            // What can be copied from the last publish: the same URIs and file kind, a list spliced from the one written
            // then, positions unchanged where each file's text did not change (and moved no line).
            var canCopy = ring is not null && model is not null && lastTarget == (kind, configUri, credentialsUri)
                && lastList is not null && list is not null && list.DescendsFrom(lastList);
            var configSame = canCopy ? Unchanged.Between(lastConfig!, model!.Config.Syntax) : null;
            var credentialsSame = canCopy ? Unchanged.Between(lastCredentials!, model!.Credentials.Syntax) : null;
            var (source, sourceStart) = (ring, ringStart);
            // Into the last publish's array, after it (at 50k profiles a publish is ~16 MiB, and fresh large-object
            // arrays per publish mean full collections that stop every thread), unless that one is still being sent.
            // Nothing to copy, a new array, and many items: the second half is written at once on another thread, into the
            // same array after room for the first (each part's size estimated), then moved to follow the first.
            var half = diagnostics.Count;
            PublishBuffer buffer;
            PublishBuffer? laneBuffer = null;
            if (!canCopy && (ring is null || lastSending) && diagnostics.Count >= ParallelFrom && Environment.ProcessorCount > 1)
            {
                half = diagnostics.Count / 2;
                var firstRoom = FirstSize(diagnostics, kind, configUri, credentialsUri, 0, half) + 1024;
                var secondRoom = FirstSize(diagnostics, kind, configUri, credentialsUri, half, diagnostics.Count);
                buffer = new PublishBuffer(firstRoom + secondRoom) { Cap = firstRoom };
                laneBuffer = new PublishBuffer(buffer.Where.Array, firstRoom, secondRoom);
            }
            else
            {
                buffer = ring is not null && !lastSending
                    ? new PublishBuffer(ring, (ringStart + lastSize) % ring.Length)
                    : new PublishBuffer(Math.Max(4096, lastSize > 0 ? lastSize + lastSize / 8 : FirstSize(diagnostics, kind, configUri, credentialsUri)));
            }
            // In the ring, the writer stays behind the first byte still to be read by the free room: for each item, the
            // first byte the items from it on may copy (a suffix minimum of their places in the last publish).
            var gap = ring is null ? 0 : ring.Length - lastSize;
            var neededFrom = canCopy && !buffer.Spilled ? NeededFrom(list!, kind) : null;
            if (neededFrom is not null) buffer.Limit = neededFrom[0] + gap;
            var copied = 0;
            var patched = 0;
            var writing = new Written[diagnostics.Count];
            // Made at the last publish's size (a publish after an edit has about as many places): between publishes only
            // the lists of the last one are kept, not a second pair emptied for the next (~1 MiB at 50k profiles).
            writingPlaces = new List<int>(writtenPlaces.Count + writtenPlaces.Count / 16 + 64);
            writingLines = new List<int>(writtenLines.Count + writtenLines.Count / 16 + 64);
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
                var any = false;
                // A run of kept items whose bytes follow each other in the last publish: [from, to) there, copied at once.
                var (runFrom, runTo, runFirst) = (-1, -1, 0);
                // The run ends before item `until`: its items' starts in this buffer are known once it is written.
                // In the ring: the writer may overwrite the last publish's bytes before `needed` (the free room ahead of it).
                void Guard(int needed)
                {
                    if (neededFrom is not null) buffer.Limit = needed + gap;
                }
                void Flush(int until)
                {
                    if (runFrom < 0) return;
                    var at = buffer.WrittenCount + (int)writer.BytesPending + (any ? 1 : 0);
                    // The run's first byte through the JSON writer (the separator before it, and its state: a value was
                    // written), the rest straight into the buffer, a piece at a time: a run is up to the whole publish.
                    // In the ring the run starts behind its source (the limit set for each item counts the pending run's
                    // start) and is copied forwards, so it overwrites only bytes it has read.
                    var (first, second) = PublishBuffer.Slice(source!, sourceStart, runFrom, runTo - runFrom);
                    writer.WriteRawValue(first.Span[..1], skipInputValidation: true);
                    writer.Flush();
                    Guard(Math.Min(runTo, neededFrom?[until] ?? 0));
                    buffer.Append(first.Span[1..]);
                    buffer.Append(second.Span);
                    Guard(neededFrom?[until] ?? 0);
                    any = true;
                    for (var j = runFirst; j < until; j++)
                    {
                        if (writing[j].Length > 0 && writing[j].Start < 0) writing[j] = writing[j] with { Start = at + (-writing[j].Start - 1 - runFrom) };
                    }
                    runFrom = -1;
                }
                var laneLines = (configLines, credentialsLines, encodedConfigUri, encodedCredentialsUri);
                var second = laneBuffer is null ? null
                    : Task.Run(() => SecondLane.Write(laneBuffer, list, diagnostics, writing, half, kind, laneLines, configUri, credentialsUri));
                for (var i = 0; i < half; i++)
                {
                    Guard(Math.Min(runFrom >= 0 ? runFrom : int.MaxValue, neededFrom?[i] ?? 0));
                    writing[i] = new Written(-1, 0, 0, 0, 0);
                    var found = list is null ? diagnostics[i] : list.FoundAt(i);
                    if (found.Location.File != kind) continue;
                    var places = writingPlaces.Count;
                    var lines = writingLines.Count;
                    var origin = canCopy ? list!.OriginIn(lastList!, i) : -1;
                    if (origin >= 0 && written[origin].Start >= 0 && MovePlaces(written[origin], configSame!, credentialsSame!, out var linesMoved))
                    {
                        var before = written[origin];
                        copied++;
                        if (!linesMoved)
                        {
                            if (runFrom >= 0 && before.Start != runTo + 1) Flush(i);
                            if (runFrom < 0) (runFrom, runFirst) = (before.Start, i);
                            runTo = before.Start + before.Length;
                            writingLines.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(writtenLines).Slice(before.Lines, 2 * before.PlaceCount / 3 * 2));
                            // Its start in this buffer is known once the run is written (encoded until then as -1 - old start).
                            writing[i] = new Written(-1 - before.Start, before.Length, places, writingPlaces.Count - places, lines);
                            continue;
                        }
                        // Places that moved whole lines (a line break was typed before them): the same bytes with their
                        // line numbers changed.
                        Flush(i);
                        var bytes = Patch(Contiguous(PublishBuffer.Slice(source!, sourceStart, before.Start, before.Length)), before);
                        var at = buffer.WrittenCount + (int)writer.BytesPending + (any ? 1 : 0);
                        writer.WriteRawValue(bytes, skipInputValidation: true);
                        any = true;
                        patched++;
                        writing[i] = new Written(at, bytes.Length, places, writingPlaces.Count - places, lines);
                        continue;
                    }
                    Flush(i);
                    var shifted = list is null ? new ShiftedDiagnostic(found, null) : list.GetShifted(i);
                    // The separator before an element is written with it: not part of the diagnostic's bytes.
                    writing[i] = WriteFresh(writer, buffer, shifted, kind, laneLines, configUri, credentialsUri, any, ref encoded);
                    any = true;
                }
                if (second is not null)
                {
                    var lane = second.GetAwaiter().GetResult();
                    // From here the publish may take its whole array: the second half's bytes move to follow the first
                    // (forwards in the same array: each piece is read before anything is written over it).
                    buffer.Cap = Math.Max(buffer.Cap, buffer.Where.Array.Length - buffer.Where.Start);
                    if (lane.Length > 0)
                    {
                        // Its first byte through the writer (the separator, and its state: a value was written), the rest
                        // straight into the buffer.
                        var at = buffer.WrittenCount + (int)writer.BytesPending + (any ? 1 : 0);
                        writer.WriteRawValue(lane.Bytes.Span[..1], skipInputValidation: true);
                        writer.Flush();
                        buffer.Append(lane.Bytes.Span[1..]);
                        any = true;
                        // A lane item's start counts the lane's bracket (byte 0): the first item, at 1 there, is at `at` here.
                        var (places, lineCount) = (writingPlaces.Count, writingLines.Count);
                        for (var i = half; i < writing.Length; i++)
                        {
                            if (writing[i].Start < 0) continue;
                            writing[i] = writing[i] with { Start = writing[i].Start - 1 + at, Places = writing[i].Places + places, Lines = writing[i].Lines + lineCount };
                        }
                        writingPlaces.AddRange(lane.Places);
                        writingLines.AddRange(lane.Lines);
                    }
                    encoded += lane.Encoded;
                }
                Guard(Math.Min(runFrom >= 0 ? runFrom : int.MaxValue, lastSize));
                Flush(writing.Length);
                writer.WriteEndArray();
                if (version is { } v) writer.WriteNumber(VersionName, v);
                writer.WriteEndObject();
                LastEncoded = encoded;
                LastCopied = copied;
                LastPatched = patched;
            }
            // The positions belong to this version of the files; the table's room is not kept for the small publishes after.
            relatedRanges.Clear();
            relatedRanges.TrimExcess();
            written = writing;
            (writtenPlaces, writingPlaces) = (writingPlaces, []);
            (writtenLines, writingLines) = (writingLines, []);
            lastList = list;
            lastSize = buffer.WrittenCount;
            LastInPlace = !buffer.Spilled;
            var (array, publishStart) = buffer.Where;
            (ring, ringStart) = (array, publishStart);
            lastSending = true;
            lastConfig = model?.Config.Syntax;
            lastCredentials = model?.Credentials.Syntax;
            lastTarget = (kind, configUri, credentialsUri);
            var (head, tail) = PublishBuffer.Slice(array, publishStart, 0, lastSize);
            var json = new RawJson(head, tail, () => Return(array));
            // Without a model there is nothing to copy from next time (and an empty list is tiny).
            if (model is null) ring = null;
            return json;
        }
    }

    /// <summary>The array the last publish is in (for tests: the next one goes into the same array).</summary>
    internal object? LastArray
    {
        get
        {
            lock (gate) return ring;
        }
    }

    /// <summary>The capacity of the last publish's buffer (for tests).</summary>
    internal int LastCapacity
    {
        get
        {
            lock (gate) return ring?.Length ?? 0;
        }
    }

    /// <summary>A first write (nothing copied, into a new array) of at least this many items writes its second half on another thread.</summary>
    internal const int ParallelItems = 2048;

    /// <summary><see cref="ParallelItems"/>, lower in tests.</summary>
    internal int ParallelFrom { get; init; } = ParallelItems;

    /// <summary>
    /// The second half of a first write, written on another thread by a writer of its own (its own place and line tables
    /// and related-ranges cache) into the publish's array after the first half's room (or an array of its own if it
    /// outgrew that room): the items' JSON as one array's elements, <see cref="Bytes"/> from after the array's bracket,
    /// each item's record in <c>writing</c> relative to its buffer (where the bracket is byte 0).
    /// </summary>
    private sealed class SecondLane
    {
        public ReadOnlyMemory<byte> Bytes { get; private init; }
        public int Length => Bytes.Length;
        public List<int> Places { get; private init; } = [];
        public List<int> Lines { get; private init; } = [];
        public int Encoded { get; private init; }

        public static SecondLane Write(PublishBuffer buffer, DiagnosticList? list, IReadOnlyList<Diagnostic> diagnostics, Written[] writing, int from,
            ConfigFileKind kind, (LineIndex? Config, LineIndex? Credentials, JsonEncodedText ConfigUri, JsonEncodedText CredentialsUri) lines,
            string? configUri, string? credentialsUri)
        {
            var helper = new DiagnosticsJson();
            var encoded = 0;
            var any = false;
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartArray();
                for (var i = from; i < writing.Length; i++)
                {
                    writing[i] = new Written(-1, 0, 0, 0, 0);
                    var found = list is null ? diagnostics[i] : list.FoundAt(i);
                    if (found.Location.File != kind) continue;
                    var shifted = list is null ? new ShiftedDiagnostic(found, null) : list.GetShifted(i);
                    writing[i] = helper.WriteFresh(writer, buffer, shifted, kind, lines, configUri, credentialsUri, any, ref encoded);
                    any = true;
                }
                writer.Flush();
            }
            var (array, start) = buffer.Where;
            return new SecondLane
            {
                Bytes = array.AsMemory(start + 1, buffer.WrittenCount - 1),
                Places = helper.writingPlaces,
                Lines = helper.writingLines,
                Encoded = encoded,
            };
        }
    }

    /// <summary>One item written anew (not copied): its JSON, places and line offsets; its record.</summary>
    private Written WriteFresh(Utf8JsonWriter writer, PublishBuffer buffer, ShiftedDiagnostic shifted, ConfigFileKind kind,
        (LineIndex? Config, LineIndex? Credentials, JsonEncodedText ConfigUri, JsonEncodedText CredentialsUri) lines, string? configUri, string? credentialsUri,
        bool any, ref int encoded)
    {
        var places = writingPlaces.Count;
        var lineAt = writingLines.Count;
        AddPlaces(shifted, configUri, credentialsUri);
        var start = buffer.WrittenCount + (int)writer.BytesPending;
        if (any) start++;
        WriteDiagnostic(writer, buffer, shifted, kind == ConfigFileKind.Config ? lines.Config! : lines.Credentials!, lines.Config, lines.Credentials,
            configUri, credentialsUri, lines.ConfigUri, lines.CredentialsUri, ref encoded);
        var end = buffer.WrittenCount + (int)writer.BytesPending;
        // Line numbers were recorded at their end in the buffer: from the item's start.
        for (var k = lineAt; k < writingLines.Count; k += 2) writingLines[k] -= start + writingLines[k + 1];
        return new Written(start, end - start, places, writingPlaces.Count - places, lineAt);
    }

    /// <summary>The diagnostic's places (its own, then the related ones it publishes) into <see cref="writingPlaces"/>: file, start, end each.</summary>
    private void AddPlaces(ShiftedDiagnostic shifted, string? configUri, string? credentialsUri)
    {
        var location = shifted.Location;
        writingPlaces.Add((int)location.File);
        writingPlaces.Add(location.Span.Start);
        writingPlaces.Add(location.Span.End);
        foreach (var place in shifted.Found.Related)
        {
            if ((place.Location.File == ConfigFileKind.Config ? configUri : credentialsUri) is null) continue;
            var at = shifted.Shift(place.Location).Span;
            writingPlaces.Add((int)place.Location.File);
            writingPlaces.Add(at.Start);
            writingPlaces.Add(at.End);
        }
    }

    /// <summary>
    /// Whether each place of a kept item written before (<paramref name="before"/>) lies where the text did not change:
    /// then it has the column it had, and its line moved as the lines around it did (<paramref name="linesMoved"/>:
    /// some did). Its places as they are now go into <see cref="writingPlaces"/>, and how many lines each moved into
    /// <see cref="lineDeltas"/> (else nothing is added).
    /// </summary>
    private bool MovePlaces(Written before, Unchanged config, Unchanged credentials, out bool linesMoved)
    {
        var added = writingPlaces.Count;
        linesMoved = false;
        lineDeltas.Clear();
        for (var k = 0; k < before.PlaceCount; k += 3)
        {
            var kind = writtenPlaces[before.Places + k];
            var (oldStart, oldEnd) = (writtenPlaces[before.Places + k + 1], writtenPlaces[before.Places + k + 2]);
            if ((kind == (int)ConfigFileKind.Config ? config : credentials).Moved(oldStart, oldEnd) is not { } moved)
            {
                writingPlaces.RemoveRange(added, writingPlaces.Count - added);
                return false;
            }
            writingPlaces.Add(kind);
            writingPlaces.Add(oldStart + moved.Offset);
            writingPlaces.Add(oldEnd + moved.Offset);
            lineDeltas.Add(moved.Lines);
            linesMoved |= moved.Lines != 0;
        }
        return true;
    }

    private readonly List<int> lineDeltas = [];

    /// <summary>
    /// The bytes of an item written before with each line number moved by its place's <see cref="lineDeltas"/>; the
    /// new numbers' places go into <see cref="writingLines"/>.
    /// </summary>
    private ReadOnlySpan<byte> Patch(ReadOnlySpan<byte> before, Written old)
    {
        var numbers = 2 * old.PlaceCount / 3;
        if (patch.Length < before.Length + 11 * numbers) patch = new byte[Math.Max(2 * patch.Length, before.Length + 11 * numbers)];
        var (from, at) = (0, 0);
        for (var n = 0; n < numbers; n++)
        {
            var (offset, digits) = (writtenLines[old.Lines + 2 * n], writtenLines[old.Lines + 2 * n + 1]);
            before[from..offset].CopyTo(patch.AsSpan(at));
            at += offset - from;
            System.Buffers.Text.Utf8Parser.TryParse(before.Slice(offset, digits), out int line, out _);
            System.Buffers.Text.Utf8Formatter.TryFormat(line + lineDeltas[n / 2], patch.AsSpan(at), out var written);
            writingLines.Add(at);
            writingLines.Add(written);
            at += written;
            from = offset + digits;
        }
        before[from..].CopyTo(patch.AsSpan(at));
        at += before.Length - from;
        return patch.AsSpan(0, at);
    }

    /// <summary>
    /// Where a file's positions are those of an earlier version: the runs of sections that are the same objects in
    /// both (the sections between the edits since then), each with how far its text and lines moved. A place inside a
    /// run that moved no line has the line and column it had.
    /// </summary>
    private sealed class Unchanged
    {
        // Each run: [Start, End) in the new text, and (new - old) offset and line distances.
        private readonly List<(int Start, int End, int OffsetDelta, int LineDelta)> runs = [];
        private bool identical;
        // The run the last place was found in: the places of consecutive items are mostly in the same one.
        private int lastRun;

        // How far apart (in sections) two runs may be and still be matched up: an edit replaces a few sections.
        private const int Window = 8;

        public static Unchanged Between(DocumentSyntax old, DocumentSyntax now)
        {
            var unchanged = new Unchanged();
            if (ReferenceEquals(old, now))
            {
                unchanged.identical = true;
                return unchanged;
            }
            var oldSections = old.Sections;
            var sections = now.Sections;
            var prefix = sections.CommonPrefix(oldSections);
            if (prefix == sections.Count && prefix == oldSections.Count)
            {
                unchanged.identical = true;
                return unchanged;
            }
            var suffix = sections.CommonSuffix(oldSections, Math.Min(sections.Count, oldSections.Count) - prefix);
            if (prefix > 0) unchanged.Add(old, now, 0, 0, prefix);
            // Between the common prefix and suffix: walk both lists, re-synchronising after each edit on the next
            // section they share (looked for a few sections ahead on either side).
            var (i, j) = (prefix, prefix);
            var (oldEnd, newEnd) = (oldSections.Count - suffix, sections.Count - suffix);
            while (i < oldEnd && j < newEnd)
            {
                if (!ReferenceEquals(oldSections[i], sections[j]))
                {
                    if (!Resync(oldSections, sections, ref i, ref j, oldEnd, newEnd)) break;
                    continue;
                }
                var (fromOld, fromNew) = (i, j);
                while (i < oldEnd && j < newEnd && ReferenceEquals(oldSections[i], sections[j]))
                {
                    i++;
                    j++;
                }
                unchanged.Add(old, now, fromOld, fromNew, j - fromNew);
            }
            if (suffix > 0) unchanged.Add(old, now, oldSections.Count - suffix, sections.Count - suffix, suffix);
            return unchanged;
        }

        private static bool Resync(SectionList old, SectionList now, ref int i, ref int j, int oldEnd, int newEnd)
        {
            for (var distance = 1; distance <= 2 * Window; distance++)
            {
                for (var di = 0; di <= Math.Min(distance, Window); di++)
                {
                    var dj = distance - di;
                    if (dj > Window || i + di >= oldEnd || j + dj >= newEnd) continue;
                    if (!ReferenceEquals(old[i + di], now[j + dj])) continue;
                    (i, j) = (i + di, j + dj);
                    return true;
                }
            }
            return false;
        }

        private void Add(DocumentSyntax old, DocumentSyntax now, int oldIndex, int newIndex, int count)
        {
            var start = now.GetSectionStart(newIndex);
            var end = newIndex + count < now.Sections.Count ? now.GetSectionStart(newIndex + count) : now.Length;
            runs.Add((start, end, start - old.GetSectionStart(oldIndex), now.GetSectionFirstLine(newIndex) - old.GetSectionFirstLine(oldIndex)));
        }

        /// <summary>
        /// How far the place [oldStart, oldEnd) of the earlier version moved (in text and in lines) when it lies inside a
        /// run of unchanged sections (then it has the same column), else null.
        /// </summary>
        public (int Offset, int Lines)? Moved(int oldStart, int oldEnd)
        {
            if (identical) return (0, 0);
            if (lastRun < runs.Count && Within(runs[lastRun], oldStart, oldEnd) is { } moved) return moved;
            var low = 0;
            var high = runs.Count - 1;
            while (low <= high)
            {
                var middle = (low + high) >> 1;
                var run = runs[middle];
                var (runStart, runEnd) = (run.Start - run.OffsetDelta, run.End - run.OffsetDelta);
                if (oldStart < runStart) high = middle - 1;
                else if (oldStart >= runEnd) low = middle + 1;
                else
                {
                    lastRun = middle;
                    return Within(run, oldStart, oldEnd);
                }
            }
            return null;
        }

        /// <summary>How far the place moved if it lies inside the run (in the earlier version's offsets), else null.</summary>
        private static (int Offset, int Lines)? Within((int Start, int End, int OffsetDelta, int LineDelta) run, int oldStart, int oldEnd)
        {
            var (runStart, runEnd) = (run.Start - run.OffsetDelta, run.End - run.OffsetDelta);
            // Strictly after its start (an offset at its start may belong to an empty section before it, unless it starts
            // the file) and before its end (where the next, changed, section starts).
            if (oldStart < runStart || oldStart == runStart && runStart > 0 || oldEnd >= runEnd) return null;
            return (run.OffsetDelta, run.LineDelta);
        }
    }

    private void WriteDiagnostic(Utf8JsonWriter writer, PublishBuffer buffer, ShiftedDiagnostic shifted, LineIndex lines, LineIndex? configLines,
        LineIndex? credentialsLines, string? configUri, string? credentialsUri, JsonEncodedText encodedConfigUri, JsonEncodedText encodedCredentialsUri, ref int encoded)
    {
        var diagnostic = shifted.Found;
        writer.WriteStartObject();
        WriteRange(writer, buffer, lines, shifted.Location.Span);
        writer.WriteNumber(SeverityName, (int)diagnostic.Severity);
        var (code, href) = CodeOf(diagnostic.Code);
        writer.WriteString(CodeName, code);
        writer.WriteString(SourceName, SourceValue);
        WriteMessage(writer, diagnostic);
        encoded++;
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
            var location = shifted.Shift(place.Location);
            if (!relatedRanges.TryGetValue(location, out var range))
            {
                relatedRanges[location] = range = (isConfig ? configLines : credentialsLines)!.GetRange(location.Span);
            }
            WriteRange(writer, buffer, range);
            writer.WriteEndObject();
            writer.WriteString(MessageName, place.Message);
            encoded++;
            writer.WriteEndObject();
        }
        if (started) writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The diagnostic's message; a deferred one is written from its parts through a buffer, without making its string.</summary>
    private static void WriteMessage(Utf8JsonWriter writer, Diagnostic diagnostic)
    {
        if (diagnostic.DeferredMessage is not { } deferred)
        {
            writer.WriteString(MessageName, diagnostic.Message);
            return;
        }
        var length = deferred.Length;
        char[]? rented = null;
        var chars = length <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            deferred.WriteTo(chars);
            writer.WriteString(MessageName, chars[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The buffer of a URI's first publish: what its JSON will take, estimated from each diagnostic's message, code and
    /// related places (with the URI each repeats), plus a tenth for escapes. A low guess makes the buffer grow by
    /// doubling: at 50k profiles a fixed 1.25 KB per diagnostic was 16.3 MB for 16.7 MB of JSON, and the buffer became 33 MB.
    /// </summary>
    private static int FirstSize(IReadOnlyList<Diagnostic> diagnostics, ConfigFileKind kind, string? configUri, string? credentialsUri) =>
        FirstSize(diagnostics, kind, configUri, credentialsUri, 0, diagnostics.Count);

    /// <summary>The size <see cref="FirstSize(IReadOnlyList{Diagnostic}, ConfigFileKind, string?, string?)"/> estimates for the items [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static int FirstSize(IReadOnlyList<Diagnostic> diagnostics, ConfigFileKind kind, string? configUri, string? credentialsUri, int from, int to)
    {
        long bytes = 0;
        for (var i = from; i < to; i++)
        {
            var diagnostic = diagnostics is DiagnosticList list ? list.GetShifted(i).Found : diagnostics[i];
            if (diagnostic.Location.File != kind) continue;
            // Range, severity, source, code twice (the code and its link), braces and names: ~300 bytes.
            bytes += 300 + 2 * diagnostic.Code.Length + diagnostic.MessageLength;
            foreach (var place in diagnostic.Related)
            {
                var uri = place.Location.File == ConfigFileKind.Config ? configUri : credentialsUri;
                if (uri is not null) bytes += 110 + uri.Length + place.Message.Length;
            }
        }
        return (int)Math.Min(int.MaxValue / 2, bytes + bytes / 10 + 4096);
    }

    private void Return(byte[] array)
    {
        lock (gate)
        {
            // Sent: the next publish may be written into the array, around this one (which it may copy from).
            if (ReferenceEquals(array, ring)) lastSending = false;
        }
    }

    /// <summary>
    /// For each item of <paramref name="list"/> (and one past the end), the first byte of the last publish that the items
    /// from it on may copy: the smallest start among those that have a place in it.
    /// </summary>
    private int[] NeededFrom(DiagnosticList list, ConfigFileKind kind)
    {
        var needed = new int[list.Count + 1];
        needed[list.Count] = lastSize;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var origin = list.FoundAt(i).Location.File == kind ? list.OriginIn(lastList!, i) : -1;
            needed[i] = origin >= 0 && written[origin].Start >= 0 ? Math.Min(written[origin].Start, needed[i + 1]) : needed[i + 1];
        }
        return needed;
    }

    /// <summary>One item's bytes in one piece (copied when they wrap around the ring's end).</summary>
    private ReadOnlySpan<byte> Contiguous((ReadOnlyMemory<byte> First, ReadOnlyMemory<byte> Second) bytes)
    {
        if (bytes.Second.IsEmpty) return bytes.First.Span;
        var length = bytes.First.Length + bytes.Second.Length;
        if (joined.Length < length) joined = new byte[Math.Max(2 * joined.Length, length)];
        bytes.First.Span.CopyTo(joined);
        bytes.Second.Span.CopyTo(joined.AsSpan(bytes.First.Length));
        return joined.AsSpan(0, length);
    }

    private (JsonEncodedText Code, JsonEncodedText Href) CodeOf(string code)
    {
        if (!codes.TryGetValue(code, out var found))
        {
            codes[code] = found = (JsonEncodedText.Encode(code), JsonEncodedText.Encode(LspConvert.RuleDocumentation(code)));
        }
        return found;
    }

    private void WriteRange(Utf8JsonWriter writer, PublishBuffer buffer, LineIndex lines, TextSpan span) => WriteRange(writer, buffer, lines.GetRange(span));

    private void WriteRange(Utf8JsonWriter writer, PublishBuffer buffer, (LinePosition Start, LinePosition End) range)
    {
        var (start, end) = range;
        writer.WriteStartObject(RangeName);
        WritePosition(writer, buffer, StartName, start);
        WritePosition(writer, buffer, EndName, end);
        writer.WriteEndObject();
    }

    private void WritePosition(Utf8JsonWriter writer, PublishBuffer buffer, JsonEncodedText name, LinePosition position)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber(LineName, position.Line);
        // Where the number ends, and its digits (made relative to the item's start once it is written).
        writingLines.Add(buffer.WrittenCount + (int)writer.BytesPending);
        writingLines.Add(Digits(position.Line));
        writer.WriteNumber(CharacterName, position.Character);
        writer.WriteEndObject();
    }

    private static int Digits(int value)
    {
        var digits = 1;
        for (; value >= 10; value /= 10) digits++;
        return digits;
    }
}

/// <summary>
/// JSON written beforehand (<see cref="DiagnosticsJson"/>), sent as is: the serializer copies the bytes. In one piece,
/// or two where the publish wraps around the end of its writer's array. Call <see cref="Release"/> once it is sent, so
/// that the writer writes the next publish into that array (not before, and at most once).
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, Action? release = null)
{
    private Action? release = release;

    public RawJson(ReadOnlyMemory<byte> utf8, Action? release = null) : this(utf8, default, release)
    {
    }

    public ReadOnlyMemory<byte> First { get; } = first;

    public ReadOnlyMemory<byte> Second { get; } = second;

    public int Length => First.Length + Second.Length;

    /// <summary>The bytes in one piece (a copy when they are in two).</summary>
    public ReadOnlyMemory<byte> Utf8 => Second.IsEmpty ? First : (byte[])[.. First.Span, .. Second.Span];

    public void Release() => Interlocked.Exchange(ref release, null)?.Invoke();
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("RawJson is only written.");

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
