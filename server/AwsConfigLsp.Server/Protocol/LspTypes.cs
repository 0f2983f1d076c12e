using System.Text.Json;
using System.Text.Json.Serialization;

// LSP 3.17 types we use, with the specification's names (camelCase on the wire through the serializer options).
namespace AwsConfigLsp.Server.Protocol;

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record Location(string Uri, Range Range);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version,
    [property: JsonConverter(typeof(DocumentTextConverter))] string Text);

public sealed record InitializeParams
{
    public int? ProcessId { get; init; }
    public string? RootUri { get; init; }
    public JsonElement? Capabilities { get; init; }
    public JsonElement? InitializationOptions { get; init; }
    public string? Trace { get; init; }
}

public sealed record ServerInfo(string Name, string Version);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record SaveOptions(bool IncludeText);

public sealed record TextDocumentSyncOptions(bool OpenClose, int Change, SaveOptions Save);

public sealed record RenameOptions(bool PrepareProvider);

public sealed record ServerCapabilities
{
    public required TextDocumentSyncOptions TextDocumentSync { get; init; }
    public bool DocumentSymbolProvider { get; init; }
    public bool FoldingRangeProvider { get; init; }
    public bool HoverProvider { get; init; }
    public bool DefinitionProvider { get; init; }
    public bool ReferencesProvider { get; init; }
    public bool DocumentHighlightProvider { get; init; }
    public RenameOptions? RenameProvider { get; init; }
    public bool WorkspaceSymbolProvider { get; init; }
    public bool DocumentFormattingProvider { get; init; }
    public bool DocumentRangeFormattingProvider { get; init; }
    public CodeActionOptions? CodeActionProvider { get; init; }
    public SemanticTokensOptions? SemanticTokensProvider { get; init; }
    public CompletionOptions? CompletionProvider { get; init; }
    public ExecuteCommandOptions? ExecuteCommandProvider { get; init; }
    public CodeLensOptions? CodeLensProvider { get; init; }
}

public sealed record CodeLensOptions(bool ResolveProvider);

public sealed record CodeLensParams(TextDocumentIdentifier TextDocument);

public sealed record CodeLens(Range Range)
{
    public LspCommand? Command { get; init; }
}

/// <summary>The argument of <c>awsconfig.testProfile</c> and the other profile commands.</summary>
public sealed record ProfileCommandArgs(string? Profile, string? Uri);

/// <summary>The server's request <c>awsconfig/mfaCode</c>: ask the user for the code of <see cref="MfaSerial"/>.</summary>
public sealed record MfaCodeParams(string Profile, string MfaSerial, int Attempt);

/// <summary>The client's answer to <c>awsconfig/mfaCode</c> (or null: the user cancelled).</summary>
public sealed record MfaCodeResult(string? Code);

public sealed record WorkDoneProgressCreateParams(JsonElement Token);

public sealed record ProgressParams(JsonElement Token, WorkDoneProgressValue Value);

public sealed record WorkDoneProgressValue(string Kind)
{
    public string? Title { get; init; }
    public string? Message { get; init; }
    public int? Percentage { get; init; }
    public bool? Cancellable { get; init; }
}

/// <summary>The result of <c>awsconfig.testProfile</c>, exactly the shape: absent values are written as null.</summary>
public sealed record TestProfileResult(
    string Profile,
    bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TestIdentity? Identity,
    TestHop[] Hops,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TestErrorInfo? Error);

public sealed record TestIdentity(string Account, string Arn, string UserId);

public sealed record TestHop(
    string Profile,
    string Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RoleArn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? MfaSerial,
    bool Ok,
    long Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TestErrorInfo? Error);

public sealed record TestErrorInfo(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Hint);

public sealed record ExecuteCommandOptions(string[] Commands);

public sealed record ExecuteCommandParams(string Command)
{
    public JsonElement[]? Arguments { get; init; }
    public JsonElement? WorkDoneToken { get; init; }
}

public sealed record CodeActionOptions(string[] CodeActionKinds);

/// <summary>
/// <c>diagnostics</c> stays raw JSON: clients send back every diagnostic under the range, other servers' too, whose
/// <c>code</c> may be an integer and whose <c>severity</c> / <c>source</c> may be missing. The server uses its own.
/// </summary>
public sealed record CodeActionContext(JsonElement? Diagnostics)
{
    public string[]? Only { get; init; }
}

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext? Context);

public sealed record LspCommand(string Title, [property: JsonPropertyName("command")] string CommandName)
{
    public JsonElement[]? Arguments { get; init; }
}

/// <summary><c>version</c> is required, with null for "any version"; clients (vscode-languageclient) reject an edit without it.</summary>
public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Version);

public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, TextEdit[] Edits);

public sealed record CodeAction(string Title, string Kind)
{
    public LspDiagnostic[]? Diagnostics { get; init; }
    public bool? IsPreferred { get; init; }
    public CodeActionWorkspaceEdit? Edit { get; init; }
    public LspCommand? Command { get; init; }
}

/// <summary>A WorkspaceEdit with either <c>changes</c> or <c>documentChanges</c>, as the client supports.</summary>
public sealed record CodeActionWorkspaceEdit
{
    public Dictionary<string, TextEdit[]>? Changes { get; init; }
    public TextDocumentEdit[]? DocumentChanges { get; init; }
}

public sealed record ConfigurationItem(string Section);

public sealed record ConfigurationParams(ConfigurationItem[] Items);

public sealed record DocumentFormattingParams(TextDocumentIdentifier TextDocument)
{
    public JsonElement? Options { get; init; }
}

public sealed record DocumentRangeFormattingParams(TextDocumentIdentifier TextDocument, Range Range)
{
    public JsonElement? Options { get; init; }
}

public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record ReferenceContext(bool IncludeDeclaration);

public sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

public sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);

public sealed record MarkupContent(string Kind, string Value);

public sealed record HoverResponse(MarkupContent Contents, Range Range);

public sealed record DocumentHighlight(Range Range, int Kind);

public sealed record PrepareRenameResult(Range Range, string Placeholder);

public sealed record TextEdit(Range Range, string NewText);

public sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

public sealed record WorkspaceSymbolParams(string? Query);

public sealed record SymbolInformation(string Name, int Kind, Location Location)
{
    public string? ContainerName { get; init; }
}

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record TextDocumentContentChangeEvent
{
    public Range? Range { get; init; }
    public int? RangeLength { get; init; }
    [JsonConverter(typeof(DocumentTextConverter))]
    public string? Text { get; init; }
}

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument)
{
    public string? Text { get; init; }
}

public sealed record DiagnosticRelatedInformation(Location Location, string Message);

public sealed record CodeDescription(string Href);

public sealed record LspDiagnostic(Range Range, int Severity, string Code, string Source, string Message)
{
    public CodeDescription? CodeDescription { get; init; }
    public DiagnosticRelatedInformation[]? RelatedInformation { get; init; }
}

public sealed record PublishDiagnosticsParams(string Uri, LspDiagnostic[] Diagnostics)
{
    public int? Version { get; init; }
}

public sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

public sealed record DocumentSymbol(string Name, int Kind, Range Range, Range SelectionRange)
{
    public string? Detail { get; init; }
    public DocumentSymbol[]? Children { get; init; }
}

public sealed record FoldingRangeParams(TextDocumentIdentifier TextDocument);

public sealed record FoldingRange(int StartLine, int EndLine)
{
    public string? Kind { get; init; }
}

public sealed record FileEvent(string Uri, int Type);

public sealed record DidChangeWatchedFilesParams(FileEvent[] Changes);

public sealed record FileSystemWatcher(string GlobPattern);

public sealed record DidChangeWatchedFilesRegistrationOptions(FileSystemWatcher[] Watchers);

public sealed record Registration(string Id, string Method, DidChangeWatchedFilesRegistrationOptions RegisterOptions);

public sealed record RegistrationParams(Registration[] Registrations);

public sealed record ShowMessageParams(int Type, string Message);

public sealed record LogMessageParams(int Type, string Message);

public sealed record SetTraceParams(string Value);

public sealed record SemanticTokensLegend(string[] TokenTypes, string[] TokenModifiers);

public sealed record SemanticTokensOptions(SemanticTokensLegend Legend, bool Range, SemanticTokensFullOptions Full);

public sealed record SemanticTokensFullOptions(bool Delta);

public sealed record SemanticTokensParams(TextDocumentIdentifier TextDocument);

public sealed record SemanticTokensRangeParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>LSP's <c>SemanticTokens</c> (renamed: <c>Features.SemanticTokens</c> computes them).</summary>
public sealed record LspSemanticTokens(uint[] Data, string? ResultId = null);

/// <summary>
/// LSP's <c>SemanticTokens</c> for a whole file: the same JSON as <see cref="LspSemanticTokens"/>, its <c>data</c>
/// written into the message straight from the cache's per-section tokens (no array of the file's millions of integers).
/// </summary>
public sealed record LspWholeFileSemanticTokens(TokenStream Data, string ResultId);

/// <summary>An array of integers that writes itself into the JSON when the message is sent (see <see cref="TokenStreamConverter"/>).</summary>
[JsonConverter(typeof(TokenStreamConverter))]
public sealed class TokenStream(Action<Utf8JsonWriter> write)
{
    internal void WriteTo(Utf8JsonWriter writer) => write(writer);
}

public sealed class TokenStreamConverter : JsonConverter<TokenStream>
{
    public override TokenStream Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("TokenStream is only written.");

    public override void Write(Utf8JsonWriter writer, TokenStream value, JsonSerializerOptions options) => value.WriteTo(writer);
}

public sealed record SemanticTokensDeltaParams(TextDocumentIdentifier TextDocument, string? PreviousResultId);

public sealed record SemanticTokensEdit(int Start, int DeleteCount, uint[] Data);

/// <summary>The answer to <c>semanticTokens/full/delta</c>: edits to the previous result, or (no edits) the whole <c>data</c>.</summary>
public sealed record LspSemanticTokensDelta(string ResultId, SemanticTokensEdit[]? Edits, uint[]? Data);

// ---- textDocument/completion ----

public sealed record CompletionOptions(string[] TriggerCharacters, bool ResolveProvider);

public sealed record CompletionContext(int TriggerKind)
{
    public string? TriggerCharacter { get; init; }
}

public sealed record CompletionParams(TextDocumentIdentifier TextDocument, Position Position)
{
    public CompletionContext? Context { get; init; }
}

/// <summary>An LSP completion item: always a <see cref="TextEdit"/> (the typed prefix it replaces), never insertText.</summary>
public sealed record CompletionItem(string Label, int Kind, TextEdit TextEdit)
{
    public string? Detail { get; init; }
    public MarkupContent? Documentation { get; init; }
    public string? SortText { get; init; }
    public string? FilterText { get; init; }
    /// <summary>1 plain text, 2 snippet.</summary>
    public int? InsertTextFormat { get; init; }
    /// <summary>1 deprecated.</summary>
    public int[]? Tags { get; init; }
    /// <summary>Kept by the client and sent back in <c>completionItem/resolve</c>: what to fill in then.</summary>
    public CompletionItemData? Data { get; init; }
}

/// <summary>A profile item's detail and documentation are filled by <c>completionItem/resolve</c> from this.</summary>
public sealed record CompletionItemData(string Uri, string Profile);

public sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(DidSaveTextDocumentParams))]
[JsonSerializable(typeof(PublishDiagnosticsParams))]
[JsonSerializable(typeof(RawJson))]
[JsonSerializable(typeof(DocumentSymbolParams))]
[JsonSerializable(typeof(DocumentSymbol[]))]
[JsonSerializable(typeof(FoldingRangeParams))]
[JsonSerializable(typeof(FoldingRange[]))]
[JsonSerializable(typeof(DidChangeWatchedFilesParams))]
[JsonSerializable(typeof(TextDocumentPositionParams))]
[JsonSerializable(typeof(ReferenceParams))]
[JsonSerializable(typeof(RenameParams))]
[JsonSerializable(typeof(HoverResponse))]
[JsonSerializable(typeof(Location[]))]
[JsonSerializable(typeof(DocumentHighlight[]))]
[JsonSerializable(typeof(PrepareRenameResult))]
[JsonSerializable(typeof(WorkspaceEdit))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(CodeAction[]))]
[JsonSerializable(typeof(ExecuteCommandParams))]
[JsonSerializable(typeof(ConfigurationParams))]
[JsonSerializable(typeof(DocumentFormattingParams))]
[JsonSerializable(typeof(DocumentRangeFormattingParams))]
[JsonSerializable(typeof(TextEdit[]))]
[JsonSerializable(typeof(WorkspaceSymbolParams))]
[JsonSerializable(typeof(SymbolInformation[]))]
[JsonSerializable(typeof(RegistrationParams))]
[JsonSerializable(typeof(ShowMessageParams))]
[JsonSerializable(typeof(LogMessageParams))]
[JsonSerializable(typeof(SetTraceParams))]
[JsonSerializable(typeof(SemanticTokensParams))]
[JsonSerializable(typeof(SemanticTokensRangeParams))]
[JsonSerializable(typeof(LspSemanticTokens))]
[JsonSerializable(typeof(SemanticTokensDeltaParams))]
[JsonSerializable(typeof(LspSemanticTokensDelta))]
[JsonSerializable(typeof(LspWholeFileSemanticTokens))]
[JsonSerializable(typeof(CompletionParams))]
[JsonSerializable(typeof(CompletionList))]
[JsonSerializable(typeof(CodeLensParams))]
[JsonSerializable(typeof(CodeLens[]))]
[JsonSerializable(typeof(ProfileCommandArgs))]
[JsonSerializable(typeof(MfaCodeParams))]
[JsonSerializable(typeof(MfaCodeResult))]
[JsonSerializable(typeof(WorkDoneProgressCreateParams))]
[JsonSerializable(typeof(ProgressParams))]
[JsonSerializable(typeof(TestProfileResult))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(StreamJsonRpc.RequestId))]
[JsonSerializable(typeof(StreamJsonRpc.Protocol.CommonErrorData))]
public sealed partial class LspJsonContext : JsonSerializerContext;
