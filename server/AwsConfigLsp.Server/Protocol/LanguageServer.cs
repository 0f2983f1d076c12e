using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Analysis.Diagnostics.Rules;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Every LSP method the server supports, in one place. Each handler converts LSP to offsets, calls one pure function
/// of Features or Analysis on a snapshot, and converts back. Handlers run one at a time in arrival order
/// (<see cref="LanguageServerHost"/>); diagnostics run in the background on immutable snapshots.
/// </summary>
public sealed partial class LanguageServer
{
    private readonly JsonRpc rpc;
    private readonly ServerOptions options;
    private readonly Workspace workspace;
    private readonly Dictionary<FilePair, CancellationTokenSource> pendingDiagnostics = [];
    private readonly Dictionary<FilePair, CancellationTokenSource> pendingAnalyses = [];
    private readonly IdleCollection idleCollection = new();
    private readonly HashSet<string> publishedUris = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool shutdownRequested;
    private bool clientRegistersWatchers;

    // Per pair: publishes that failed in a row (a bug in a rule or the engine), to retry a bounded number of times.
    private readonly Dictionary<FilePair, int> publishFailures = [];

    // Per pair: which profiles use which role ARN, MFA device, account, session (hover and completion), by edited section.
    private readonly Dictionary<FilePair, Features.ValueIndex> valueIndexes = [];
    // Per pair: the value index being built off the message loop after the first publish (see PrebuildValueIndex).
    private readonly Dictionary<FilePair, Task<Features.ValueIndex>> valueIndexBuilds = [];

    /// <summary>The client resolves completion items' detail and documentation lazily (VS Code does; Neovim's own client does not).</summary>
    private bool ResolvesCompletionDetails { get; set; }
    private DiskWatcher? diskWatcher;
    private DiagnosticOptions diagnosticOptions = DiagnosticOptions.Default;
    private bool clientHasConfiguration;
    // Completes when the settings asked of the client have arrived (or failed to); diagnostics wait for it, so the
    // first publish after initialized already honours them, though didOpen is handled before the client's answer.
    private Task settingsLoaded = Task.CompletedTask;
    private static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(5);
    private bool clientDocumentChanges;
    // Code actions that run a server command (chmod 600) are offered only to clients that declare
    // workspace.executeCommand; the diagnostic's message says the command to run by hand otherwise.
    private bool clientExecutesCommands;
    private bool clientRefreshesCodeLenses;
    // The analyses of each pair: one at a time, each from the last completed one (see AnalysisChains).
    private readonly AnalysisChains analysisChains;
    // What the last publish per URI encoded (messages), which the next one reuses.
    private readonly Dictionary<string, DiagnosticsJson> diagnosticsJson = new(StringComparer.Ordinal);

    internal LanguageServer(JsonRpc rpc, ServerOptions options)
    {
        this.rpc = rpc;
        this.options = options;
        workspace = new Workspace(options.CliFiles);
        analysisChains = new AnalysisChains();
        Completion = Task.WhenAny(rpc.Completion.ContinueWith(_ => { }, TaskScheduler.Default), exited.Task).Unwrap();
    }

    /// <summary>How each analysis of diagnostics ended, oldest first (see <see cref="AnalysisChains.Log"/>).</summary>
    internal IEnumerable<string> AnalysisLog => analysisChains.Log;

    /// <summary>
    /// How each pair's value index came to be, for tests: "prebuilt" (after the first publish), "waited for the prebuild"
    /// (a request came while it was being built and took it), "on request" (built by a hover or completion).
    /// </summary>
    internal ConcurrentQueue<string> ValueIndexLog { get; } = new();

    /// <summary>Completes when the client sends <c>exit</c> or the connection ends.</summary>
    public Task Completion { get; }

    /// <summary>0 after <c>shutdown</c> then <c>exit</c>, 1 otherwise (LSP's rule).</summary>
    public int ExitCode => shutdownRequested ? 0 : 1;

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Initialize(InitializeParams? parameters)
    {
        if (parameters?.Capabilities is { ValueKind: JsonValueKind.Object } capabilities)
        {
            clientRegistersWatchers = GetBool(capabilities, "workspace", "didChangeWatchedFiles", "dynamicRegistration");
            clientHasConfiguration = GetBool(capabilities, "workspace", "configuration");
            clientDocumentChanges = GetBool(capabilities, "workspace", "workspaceEdit", "documentChanges");
            clientExecutesCommands = Has(capabilities, "workspace", "executeCommand");
            clientWorkDoneProgress = GetBool(capabilities, "window", "workDoneProgress");
            clientRefreshesCodeLenses = GetBool(capabilities, "workspace", "codeLens", "refreshSupport");
            ResolvesCompletionDetails = ResolvesLazily(capabilities, "detail") && ResolvesLazily(capabilities, "documentation");
        }
        return new InitializeResult(
            new ServerCapabilities
            {
                TextDocumentSync = new TextDocumentSyncOptions(OpenClose: true, Change: 2, Save: new SaveOptions(IncludeText: false)),
                DocumentSymbolProvider = true,
                FoldingRangeProvider = true,
                HoverProvider = true,
                DefinitionProvider = true,
                ReferencesProvider = true,
                DocumentHighlightProvider = true,
                RenameProvider = new RenameOptions(PrepareProvider: true),
                WorkspaceSymbolProvider = true,
                DocumentFormattingProvider = true,
                DocumentRangeFormattingProvider = true,
                CodeActionProvider = new CodeActionOptions(["quickfix", CodeActions.FixAllKind]),
                SemanticTokensProvider = new SemanticTokensOptions(LspConvert.SemanticTokensLegend, Range: true, Full: new SemanticTokensFullOptions(Delta: true)),
                ExecuteCommandProvider = new ExecuteCommandOptions([CredentialsFilePermissionsRule.CommandName, TestProfileCommand, ClearSessionCommand, ClearCliCacheCommand]),
                CodeLensProvider = new CodeLensOptions(ResolveProvider: false),
                CompletionProvider = new CompletionOptions([.. Features.Completion.TriggerCharacters], ResolveProvider: true),
            },
            new ServerInfo("awsconfig-lsp", typeof(LanguageServer).Assembly.GetName().Version?.ToString(3) ?? "0.1.0"));
    }

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public async Task InitializedAsync(JsonElement? parameters)
    {
        settingsLoaded = PullConfigurationAsync();
        await settingsLoaded;
        if (!clientRegistersWatchers)
        {
            // Created here, on the serialized context, so its events come back to it.
            diskWatcher = new DiskWatcher(DiskFileChanged);
            return;
        }
        // Watch the files that pair with open buffers, so an edit on disk (aws configure, another editor) is seen.
        var watchers = new[] { "**/.aws/config", "**/.aws/credentials", workspace.CliFiles.ConfigPath, workspace.CliFiles.CredentialsPath }
            .Distinct().Select(glob => new FileSystemWatcher(glob)).ToArray();
        try
        {
            await rpc.RequestLspAsync("client/registerCapability",
                new RegistrationParams([new Registration("awsconfig-watch", "workspace/didChangeWatchedFiles", new DidChangeWatchedFilesRegistrationOptions(watchers))]));
        }
        catch (RemoteRpcException exception)
        {
            // RemoteRpcException covers an error answer (RemoteInvocationException), -32601 from a client without the
            // method (RemoteMethodNotFoundException, not a RemoteInvocationException) and a lost connection.
            await LogAsync($"The client refused file watching ({exception.Message}); changes on disk are read on save.");
        }
    }

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public async Task DidChangeConfigurationAsync(JsonElement? parameters)
    {
        // Clients that push settings send them here; clients with workspace/configuration are asked again.
        if (parameters is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("settings", out var settings)
            && settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty("awsconfig", out var section))
        {
            diagnosticOptions = Settings.ParseDiagnosticOptions(section);
            awsSettings = Settings.ParseAwsSettings(section);
        }
        else
        {
            settingsLoaded = PullConfigurationAsync();
            await settingsLoaded;
        }
        foreach (var pair in workspace.Documents.Select(workspace.PairOf).Distinct().ToList()) ScheduleDiagnostics(pair, TimeSpan.Zero);
    }

    private async Task PullConfigurationAsync()
    {
        if (!clientHasConfiguration) return;
        try
        {
            var result = await rpc.RequestLspAsync<ConfigurationParams, JsonElement[]>("workspace/configuration",
                new ConfigurationParams([new ConfigurationItem("awsconfig")]));
            if (result is { Length: > 0 } && result[0].ValueKind == JsonValueKind.Object)
            {
                diagnosticOptions = Settings.ParseDiagnosticOptions(result[0]);
                awsSettings = Settings.ParseAwsSettings(result[0]);
            }
        }
        catch (Exception exception) when (exception is RemoteRpcException or JsonException)
        {
            // RemoteRpcException: an error answer, -32601 (RemoteMethodNotFoundException) or a lost connection.
            await LogAsync($"Could not read the awsconfig settings: {exception.Message}");
        }
    }

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public async Task<CodeAction[]> CodeActionAsync(CodeActionParams? parameters, CancellationToken cancellationToken)
    {
        var uri = parameters?.TextDocument?.Uri ?? throw InvalidParams("codeAction needs textDocument.uri.");
        if (parameters.Range?.Start is null || parameters.Range.End is null) throw InvalidParams("codeAction needs a range.");
        if (workspace.Get(uri) is not { } document) return [];
        var pair = workspace.PairOf(document);
        var version = document.Version;
        var lineIndex = document.Syntax.LineIndex;
        var start = LspConvert.ToOffset(lineIndex, parameters.Range.Start);
        var end = LspConvert.ToOffset(lineIndex, parameters.Range.End);
        // The diagnostics of the current model: published already, or the pair's analysis awaited off the message loop
        // (keystrokes, completion and hover go on meanwhile). Asked again if the analysis it shared was cancelled.
        AnalysisResult? analysis = null;
        for (var attempt = 0; analysis is null; attempt++)
        {
            // The buffer changed meanwhile: the client asks again for its new version.
            if (attempt == 5 || workspace.Get(uri) != document || document.Version != version) return [];
            var current = workspace.GetModel(pair);
            var facts = FactsOf(pair, current);
            analysis = await analysisChains.Analyze(pair, current, diagnosticOptions, facts, CancellationToken.None).WaitAsync(cancellationToken);
        }
        var model = analysis.Model;
        var diagnostics = analysis.Diagnostics;
        var only = parameters.Context?.Only;
        var wantsQuickFix = only is null || only.Any(k => k == "quickfix" || "quickfix".StartsWith(k + ".", StringComparison.Ordinal));
        var wantsFixAll = only is not null && only.Any(k => k is "source" or "source.fixAll" or CodeActions.FixAllKind);
        var actions = new List<CodeAction>();
        if (wantsQuickFix)
        {
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Location.File != document.Kind || !diagnostic.HasFixes) continue;
                var span = diagnostic.Location.Span;
                if (span.End < start || span.Start > end) continue;
                var lsp = LspConvert.ToLsp(diagnostic, model, kind => UriOf(pair, kind));
                foreach (var fix in diagnostic.Fixes)
                {
                    if (fix.Command is not null && !clientExecutesCommands) continue;
                    if (CodeActions.ToLsp(fix, lsp, model, kind => UriOf(pair, kind), clientDocumentChanges) is { } action) actions.Add(action);
                }
            }
        }
        if (wantsFixAll || only is null)
        {
            var fixAll = CodeActions.FixAll(diagnostics, document.Kind, model, kind => UriOf(pair, kind), clientDocumentChanges);
            if (fixAll is not null && (wantsFixAll || actions.Count > 0)) actions.Add(fixAll);
        }
        return [.. actions];
    }

    /// <summary>
    /// <c>awsconfig.fixCredentialsPermissions PATH</c>: sets the credentials file's mode to 600 and republishes. Only for
    /// a credentials file the server reads (the CLI's own, or the partner of an open document), never any other path.
    /// </summary>
    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public async Task<object?> ExecuteCommandAsync(ExecuteCommandParams? parameters, CancellationToken cancellationToken)
    {
        var command = parameters?.Command ?? throw InvalidParams("executeCommand needs command.");
        switch (command)
        {
            case TestProfileCommand: return await TestProfileAsync(parameters, cancellationToken);
            case ClearSessionCommand: return ClearCachedSession(parameters);
            case ClearCliCacheCommand: return ClearCliCache(parameters);
        }
        if (command != CredentialsFilePermissionsRule.CommandName) throw InvalidParams($"Unknown command '{command}'.");
        if (parameters.Arguments is not [{ ValueKind: JsonValueKind.String } argument] || argument.GetString() is not { Length: > 0 } text || !Path.IsPathRooted(text))
        {
            throw InvalidParams($"{command} needs one argument: the credentials file's absolute path.");
        }
        var path = Path.GetFullPath(text);
        var pairs = workspace.Documents.Select(workspace.PairOf).Distinct().Where(pair => pair.CredentialsKey == path).ToList();
        if (pairs.Count == 0 && path != workspace.CliFiles.CredentialsPath) throw InvalidParams($"{path} is not a credentials file this server reads.");
        if (OperatingSystem.IsWindows()) throw RequestFailed("File modes are POSIX only; on Windows, restrict the file's ACL instead.");
        try
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw RequestFailed($"Could not change the mode of {path}: {exception.Message}");
        }
        foreach (var pair in pairs) ScheduleDiagnostics(pair, TimeSpan.Zero);
        return null;
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        shutdownRequested = true;
        diskWatcher?.Dispose();
        foreach (var pending in pendingDiagnostics.Values) pending.Cancel();
        foreach (var pending in pendingAnalyses.Values) pending.Cancel();
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit()
    {
        exited.TrySetResult();
        _ = Task.Run(() => rpc.Dispose());
    }

    [JsonRpcMethod("$/setTrace", UseSingleObjectParameterDeserialization = true)]
    public void SetTrace(SetTraceParams? parameters)
    {
    }

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams? parameters)
    {
        var item = parameters?.TextDocument ?? throw InvalidParams("didOpen needs textDocument.");
        if (item.Uri is null || item.Text is null) throw InvalidParams("didOpen needs textDocument.uri and textDocument.text.");
        OpenTrace.Mark($"didOpen handler ({item.Text.Length} chars)");
        if (workspace.Classify(item.Uri, item.LanguageId ?? "") is not { } kind) return;
        var document = workspace.Open(item.Uri, item.LanguageId ?? "", kind, item.Version, item.Text);
        OpenTrace.Mark("didOpen parsed");
        var pair = workspace.PairOf(document);
        foreach (var key in new[] { pair.ConfigKey, pair.CredentialsKey })
        {
            if (key is not null && Path.IsPathRooted(key)) diskWatcher?.Watch(key);
        }
        ScheduleDiagnostics(pair, TimeSpan.Zero);
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams? parameters)
    {
        var identifier = parameters?.TextDocument ?? throw InvalidParams("didChange needs textDocument.");
        if (identifier.Uri is null || parameters.ContentChanges is null) throw InvalidParams("didChange needs textDocument.uri and contentChanges.");
        if (workspace.Get(identifier.Uri) is not { } document) return;
        var syntax = document.Syntax;
        foreach (var change in parameters.ContentChanges)
        {
            if (change?.Text is null) throw InvalidParams("Each content change needs text.");
            if (change.Text.Contains('\uFFFD')) document.MayHaveReplacementCharacter = true;
            if (change.Range is null)
            {
                syntax = Syntax.SyntaxParser.Parse(change.Text);
                continue;
            }
            if (change.Range.Start is null || change.Range.End is null) throw InvalidParams("A content change range needs start and end.");
            var start = LspConvert.ToOffset(syntax.LineIndex, change.Range.Start);
            var end = LspConvert.ToOffset(syntax.LineIndex, change.Range.End);
            syntax = syntax.WithEdit(Math.Min(start, end), Math.Max(start, end), change.Text);
        }
        workspace.Update(document, identifier.Version, syntax);
        ScheduleDiagnostics(workspace.PairOf(document), options.DiagnosticsDelay);
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams? parameters)
    {
        var uri = parameters?.TextDocument?.Uri ?? throw InvalidParams("didClose needs textDocument.uri.");
        if (workspace.Get(uri) is not { } document) return;
        var pair = workspace.PairOf(document);
        workspace.Close(uri);
        valueIndexes.Remove(pair);
        ScheduleDiagnostics(pair, TimeSpan.Zero);
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveTextDocumentParams? parameters)
    {
        var uri = parameters?.TextDocument?.Uri ?? throw InvalidParams("didSave needs textDocument.uri.");
        if (workspace.Get(uri) is not { } document) return;
        if (document.Path is not null) workspace.DiskChanged(document.Path);
        // The partner file may have been changed by another program meanwhile: read it again.
        var pair = workspace.PairOf(document);
        foreach (var key in new[] { pair.ConfigKey, pair.CredentialsKey })
        {
            if (key is not null) workspace.DiskChanged(key);
        }
        ScheduleDiagnostics(pair, TimeSpan.Zero);
    }

    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(DidChangeWatchedFilesParams? parameters)
    {
        var changes = parameters?.Changes ?? throw InvalidParams("didChangeWatchedFiles needs changes.");
        foreach (var change in changes)
        {
            if (change?.Uri is not null && Workspace.ToPath(change.Uri) is { } path) DiskFileChanged(path);
        }
    }

    /// <summary>A file changed on disk: forget what was read and republish the pairs that use it.</summary>
    private void DiskFileChanged(string path)
    {
        workspace.DiskChanged(path);
        var pairs = workspace.Documents.Select(workspace.PairOf).Where(pair => pair.ConfigKey == path || pair.CredentialsKey == path).ToHashSet();
        foreach (var pair in pairs) ScheduleDiagnostics(pair, options.DiagnosticsDelay);
    }

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public DocumentSymbol[] DocumentSymbol(DocumentSymbolParams? parameters, CancellationToken cancellationToken)
    {
        var (document, file) = Resolve(parameters?.TextDocument);
        if (document is null) return [];
        cancellationToken.ThrowIfCancellationRequested();
        return [.. DocumentSymbols.Get(file!).Select(symbol => LspConvert.ToLsp(symbol, document.Syntax.LineIndex))];
    }

    [JsonRpcMethod("textDocument/foldingRange", UseSingleObjectParameterDeserialization = true)]
    public FoldingRange[] FoldingRange(FoldingRangeParams? parameters, CancellationToken cancellationToken)
    {
        var (document, file) = Resolve(parameters?.TextDocument);
        if (document is null) return [];
        cancellationToken.ThrowIfCancellationRequested();
        return [.. FoldingRanges.Get(file!).Select(item => LspConvert.ToLsp(item, document.Syntax.LineIndex))];
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public HoverResponse? Hover(TextDocumentPositionParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return null;
        var hover = Features.Hover.Get(at.Model, at.Document.Kind, at.Offset, IndexOf(at.Pair, at.Model));
        if (hover is null) return null;
        var markdown = CliCacheNote(at.Model, at.Document.Kind, at.Offset) is { } note ? hover.Markdown + "\n\n---\n\n" + note : hover.Markdown;
        return new HoverResponse(new MarkupContent("markdown", markdown), LspConvert.ToRange(at.Document.Syntax.LineIndex, hover.Span));
    }

    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public Location[] Definition(TextDocumentPositionParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return [];
        if (Navigation.FindAt(at.Model, at.Document.Kind, at.Offset) is not { } entity) return [];
        return ToLocations(at, Navigation.Definitions(at.Model, entity));
    }

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Location[] References(ReferenceParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return [];
        if (Navigation.FindAt(at.Model, at.Document.Kind, at.Offset) is not { } entity) return [];
        var occurrences = Navigation.References(at.Model, entity.Kind, entity.Name, parameters!.Context?.IncludeDeclaration ?? true, BuiltIndexOf(at.Pair, at.Model));
        return ToLocations(at, occurrences.Select(o => o.Location));
    }

    [JsonRpcMethod("textDocument/documentHighlight", UseSingleObjectParameterDeserialization = true)]
    public DocumentHighlight[] DocumentHighlight(TextDocumentPositionParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return [];
        if (Navigation.FindAt(at.Model, at.Document.Kind, at.Offset) is not { } entity) return [];
        return [.. Navigation.References(at.Model, entity.Kind, entity.Name, includeDeclarations: true, BuiltIndexOf(at.Pair, at.Model))
            .Where(o => o.Location.File == at.Document.Kind)
            .Select(o => new DocumentHighlight(LspConvert.ToRange(at.Document.Syntax.LineIndex, o.Location.Span), o.IsDeclaration ? 3 : 2))];
    }

    [JsonRpcMethod("textDocument/prepareRename", UseSingleObjectParameterDeserialization = true)]
    public PrepareRenameResult? PrepareRename(TextDocumentPositionParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return null;
        var (entity, error) = Navigation.PrepareRename(at.Model, at.Document.Kind, at.Offset);
        if (entity is null) throw RequestFailed(error!);
        return new PrepareRenameResult(LspConvert.ToRange(at.Document.Syntax.LineIndex, entity.Location.Span), entity.Name);
    }

    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public WorkspaceEdit? Rename(RenameParams? parameters)
    {
        if (parameters?.NewName is null) throw InvalidParams("rename needs newName.");
        if (At(parameters.TextDocument, parameters.Position) is not { } at) return null;
        var (entity, error) = Navigation.PrepareRename(at.Model, at.Document.Kind, at.Offset);
        if (entity is null) throw RequestFailed(error!);
        var result = Navigation.Rename(at.Model, entity, parameters.NewName, BuiltIndexOf(at.Pair, at.Model));
        if (result.Error is not null) throw RequestFailed(result.Error);
        var changes = new Dictionary<string, TextEdit[]>(StringComparer.Ordinal);
        foreach (var group in result.Edits.GroupBy(e => e.Location.File))
        {
            if (UriOf(at.Pair, group.Key) is not { } uri) continue;
            var lineIndex = at.Model.GetFile(group.Key).Syntax.LineIndex;
            changes[uri] = [.. group.Select(e => new TextEdit(LspConvert.ToRange(lineIndex, e.Location.Span), e.NewText))];
        }
        return new WorkspaceEdit(changes);
    }

    [JsonRpcMethod("workspace/symbol", UseSingleObjectParameterDeserialization = true)]
    public SymbolInformation[] WorkspaceSymbol(WorkspaceSymbolParams? parameters, CancellationToken cancellationToken)
    {
        var query = parameters?.Query ?? "";
        var results = new List<SymbolInformation>();
        foreach (var pair in workspace.Documents.Select(workspace.PairOf).Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = workspace.GetModel(pair);
            foreach (var (name, kind, location) in Navigation.Search(model, query))
            {
                if (UriOf(pair, location.File) is not { } uri) continue;
                var range = LspConvert.ToRange(model.GetFile(location.File).Syntax.LineIndex, location.Span);
                results.Add(new SymbolInformation(name, kind == NamedEntityKind.Profile ? 5 : 11, new Location(uri, range))
                {
                    ContainerName = kind == NamedEntityKind.Profile ? "profile" : "sso-session",
                });
                if (results.Count >= 1000) return [.. results];
            }
        }
        return [.. results];
    }

    [JsonRpcMethod("textDocument/formatting", UseSingleObjectParameterDeserialization = true)]
    public TextEdit[] Formatting(DocumentFormattingParams? parameters)
    {
        var (document, file) = Resolve(parameters?.TextDocument);
        if (document is null) return [];
        return ToTextEdits(document, Features.Formatting.Format(file!));
    }

    [JsonRpcMethod("textDocument/rangeFormatting", UseSingleObjectParameterDeserialization = true)]
    public TextEdit[] RangeFormatting(DocumentRangeFormattingParams? parameters)
    {
        var (document, file) = Resolve(parameters?.TextDocument);
        if (document is null) return [];
        if (parameters!.Range?.Start is null || parameters.Range.End is null) throw InvalidParams("rangeFormatting needs a range.");
        var lineIndex = document.Syntax.LineIndex;
        var span = Syntax.TextSpan.FromBounds(LspConvert.ToOffset(lineIndex, parameters.Range.Start), LspConvert.ToOffset(lineIndex, parameters.Range.End));
        return ToTextEdits(document, Features.Formatting.Format(file!, span));
    }

    [JsonRpcMethod("textDocument/semanticTokens/full", UseSingleObjectParameterDeserialization = true)]
    public async Task<object> SemanticTokensFull(SemanticTokensParams? parameters, CancellationToken cancellationToken)
    {
        if (await UpdateSemanticTokensAsync(parameters?.TextDocument, cancellationToken) is not var (cache, resultId)) return new LspSemanticTokens([]);
        // Millions of integers at 50k profiles: written into the answer from the cache's sections, not copied into an
        // array first (each such array was 8-12 MB on the large object heap: ten whole-file requests raised the peak
        // by ~200 MiB), and streamed into the output in pieces (TolerantMessageHandler.WriteStreamed), from a pool
        // thread: the handler ends there, so the answer is not written from the message loop.
        var answer = new LspWholeFileSemanticTokens(cache.FullJson(), resultId);
        await Task.Run(() => { }, CancellationToken.None).ConfigureAwait(false);
        return answer;
    }

    [JsonRpcMethod("textDocument/semanticTokens/full/delta", UseSingleObjectParameterDeserialization = true)]
    public async Task<LspSemanticTokensDelta> SemanticTokensDelta(SemanticTokensDeltaParams? parameters, CancellationToken cancellationToken)
    {
        if (await UpdateSemanticTokensAsync(parameters?.TextDocument, cancellationToken) is not var (cache, resultId)) return new LspSemanticTokensDelta("", null, []);
        if (cache.Delta(parameters!.PreviousResultId) is { } edits)
        {
            return new LspSemanticTokensDelta(resultId, [.. edits.Select(edit => new SemanticTokensEdit(edit.Start, edit.DeleteCount, edit.Data))], null);
        }
        return new LspSemanticTokensDelta(resultId, null, cache.Full());
    }

    /// <summary>
    /// Brings the document's token cache up to date on the message loop, a slice of sections at a time: the first request
    /// on a 50k-profile file tokenizes every section (hundreds of milliseconds), and keystrokes must not wait behind it.
    /// After an edit only the edited sections are tokenized again. Null when the document is not open.
    /// </summary>
    private async Task<(SemanticTokensCache Cache, string ResultId)?> UpdateSemanticTokensAsync(TextDocumentIdentifier? identifier, CancellationToken cancellationToken)
    {
        const int SectionsPerSlice = 2000;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (document, file) = Resolve(identifier);
            if (document is null) return null;
            var cache = document.Tokens ??= new SemanticTokensCache();
            if (cache.TryUpdate(file!, SectionsPerSlice, out var resultId)) return (cache, resultId);
            // Let the messages that arrived meanwhile run (an edit is then taken into account by the next slice).
            await Task.Yield();
        }
    }

    [JsonRpcMethod("textDocument/semanticTokens/range", UseSingleObjectParameterDeserialization = true)]
    public LspSemanticTokens SemanticTokensRange(SemanticTokensRangeParams? parameters, CancellationToken cancellationToken)
    {
        var (document, file) = Resolve(parameters?.TextDocument);
        if (document is null) return new LspSemanticTokens([]);
        if (parameters!.Range?.Start is null || parameters.Range.End is null) throw InvalidParams("semanticTokens/range needs a range.");
        var lineIndex = file!.Syntax.LineIndex;
        var start = LspConvert.ToOffset(lineIndex, parameters.Range.Start);
        var end = LspConvert.ToOffset(lineIndex, parameters.Range.End);
        var span = Syntax.TextSpan.FromBounds(Math.Min(start, end), Math.Max(start, end));
        cancellationToken.ThrowIfCancellationRequested();
        return new LspSemanticTokens(LspConvert.ToLsp(SemanticTokens.Get(file, span), lineIndex));
    }

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public CompletionList Complete(CompletionParams? parameters)
    {
        if (At(parameters?.TextDocument, parameters?.Position) is not { } at) return new CompletionList(false, []);
        // IAM look-ups (mfa_serial) only after an explicit request or with awsconfig.liveLookups; never awaited here.
        var mayLookUp = parameters!.Context?.TriggerKind == 1 || awsSettings.LiveLookups;
        var lookupStarted = false;
        var lookups = new Features.CompletionLookups(source =>
        {
            var (devices, started) = MfaDevicesOfSource(at.Model, source, mayLookUp);
            lookupStarted |= started;
            return devices;
        }) { Index = IndexOf(at.Pair, at.Model) };
        // Profiles' details wait for completionItem/resolve when the client can ask for them.
        var result = Features.Completion.Get(at.Model, at.Document.Kind, at.Offset, lookups, lazyDetails: ResolvesCompletionDetails);
        var lineIndex = at.Document.Syntax.LineIndex;
        var uri = at.Document.Uri;
        // The items of a list mostly replace the same span: its range is converted once and shared (immutable).
        var items = new CompletionItem[result.Items.Count];
        (AwsConfigLsp.Syntax.TextSpan Span, Range Range)? last = null;
        for (var i = 0; i < items.Length; i++)
        {
            var item = result.Items[i];
            if (last is not { } known || known.Span != item.ReplaceSpan) last = known = (item.ReplaceSpan, LspConvert.ToRange(lineIndex, item.ReplaceSpan));
            items[i] = LspConvert.ToLsp(item, lineIndex, known.Range, item.DetailsOfProfile is { } profile ? new CompletionItemData(uri, profile) : null);
        }
        return new CompletionList(result.IsIncomplete || lookupStarted, items);
    }

    [JsonRpcMethod("completionItem/resolve", UseSingleObjectParameterDeserialization = true)]
    public CompletionItem ResolveCompletionItem(CompletionItem? item)
    {
        if (item is null) throw InvalidParams("completionItem/resolve needs the item.");
        if (item.Data is not { Uri: { } uri, Profile: { } profile } || workspace.Get(uri) is not { } document) return item;
        var model = workspace.GetModel(workspace.PairOf(document));
        if (Features.Completion.DescribeProfile(model, profile) is not var (detail, documentation)) return item;
        return item with
        {
            Detail = detail,
            Documentation = documentation.Length > 0 ? new MarkupContent("markdown", documentation) : null,
        };
    }

    private static void ReleaseAll(RawJson[]? payloads)
    {
        if (payloads is null) return;
        foreach (var payload in payloads) payload?.Release();
    }

    /// <summary>The pair's value index, to be brought up to <paramref name="model"/> (the edited sections only) when a request needs it.</summary>
    private Features.ValueIndex IndexOf(FilePair pair, ProfileModel model)
    {
        if (!valueIndexes.TryGetValue(pair, out var index))
        {
            var building = valueIndexBuilds.GetValueOrDefault(pair);
            if (building is not null && TakeBuild(building, ValueIndexWaitLimit) is { } built)
            {
                // Being built since the publish: waiting for the rest of it costs less than building another beside it.
                index = built;
                ValueIndexLog.Enqueue("waited for the prebuild");
            }
            else
            {
                // None running, or it failed, or it is still not done after the limit (the message loop must not wait
                // on it without end): this request builds its own; a prebuild that ends later is dropped.
                index = new Features.ValueIndex();
                ValueIndexLog.Enqueue(building is { IsCompleted: false } ? "on request (the prebuild was still running)" : "on request");
            }
            valueIndexes[pair] = index;
        }
        index.Follow(model);
        return index;
    }

    /// <summary>
    /// The pair's value index if one is built (brought up to <paramref name="model"/> when used), else null: a walk of
    /// the sections costs less than building one for a single look-up.
    /// </summary>
    private Features.ValueIndex? BuiltIndexOf(FilePair pair, ProfileModel model) =>
        valueIndexes.ContainsKey(pair) ? IndexOf(pair, model) : null;

    /// <summary>
    /// The index a finished or running prebuild made (waiting for it on the message loop, at most <paramref name="limit"/>:
    /// the request cannot be answered without an index, and a second build beside it would take longer), or null when it
    /// failed or is not done by then.
    /// </summary>
    private static Features.ValueIndex? TakeBuild(Task<Features.ValueIndex> building, TimeSpan limit)
    {
        try
        {
            return building.Wait(limit) ? building.Result : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// How long a request waits on the message loop for a running prebuild of the value index before it builds its own
    /// (the prebuild takes 0.2-0.4 s at 50k profiles; a prebuild that hangs must not hang every request after it).
    /// </summary>
    internal TimeSpan ValueIndexWaitLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a pair's first publish, builds its value index on the thread pool from the published (immutable) model
    /// version, so that the first hover or completion on a huge file does not build it on the message loop (0.2-0.4 s at
    /// 50k profiles). Not beside the first analysis: on 2 cores it took a core from the analysis, and its ~46 MiB of
    /// allocations made the open's collections more frequent (the open took ~140 ms longer at 50k profiles). A request
    /// that comes while it runs waits for it (<see cref="IndexOf"/>).
    /// </summary>
    private void PrebuildValueIndex(FilePair pair, ProfileModel model)
    {
        if (valueIndexes.ContainsKey(pair) || valueIndexBuilds.ContainsKey(pair)) return;
        var building = Task.Run(async () =>
        {
            if (ValueIndexBuildGate is { } gate) await gate.ConfigureAwait(false);
            // The open's garbage is compacted away once, before the index is built on the heap it leaves.
            idleCollection.CompactAfterOpen();
            OpenTrace.Mark("value index prebuild start");
            var index = new Features.ValueIndex();
            using (model.Read()) index.Update(model);
            // The build's garbage (~20 MiB at 50k profiles) is collected now, while the first keystroke after the open
            // (if any) waits for the index anyway, and not in the keystroke after it.
            idleCollection.CollectIfDue();
            OpenTrace.Mark("value index prebuilt");
            // The open is over: the pages of the executable it mapped (parser, model, every rule) are handed back to
            // the kernel; what later requests use is mapped again from the page cache.
            var trimmed = CodePages.Trim();
            OpenTrace.Mark($"executable pages trimmed ({trimmed >> 20} MiB advised)");
            // And the collector's later commits (a few per edit) are faulted in as they are written (see CommittedMemory).
            Cli.CommittedMemory.Pause(true);
            return index;
        });
        valueIndexBuilds[pair] = building;
        _ = KeepValueIndexAsync(pair, building);
    }

    /// <summary>For tests: a task the prebuild waits for before it starts, to hold it while a request comes.</summary>
    internal Task? ValueIndexBuildGate { get; set; }

    private async Task KeepValueIndexAsync(FilePair pair, Task<Features.ValueIndex> building)
    {
        try
        {
            var built = await building.ConfigureAwait(true);
            // Back on the message loop: unless a request built one meanwhile or the pair was closed. The index catches up
            // with newer versions through the files' change history when a request needs it.
            var open = workspace.OpenDocumentOf(pair, ConfigFileKind.Config) is not null || workspace.OpenDocumentOf(pair, ConfigFileKind.Credentials) is not null;
            if (open && !valueIndexes.ContainsKey(pair))
            {
                valueIndexes[pair] = built;
                ValueIndexLog.Enqueue("prebuilt");
            }
        }
        catch (Exception exception)
        {
            // Not needed for correctness: requests build the index themselves.
            await LogAsync($"Building the value index failed ({exception.GetType().Name}: {exception.Message}); hover and completion build it when asked.");
        }
        finally
        {
            if (valueIndexBuilds.TryGetValue(pair, out var current) && current == building) valueIndexBuilds.Remove(pair);
        }
    }

    private static TextEdit[] ToTextEdits(OpenDocument document, IReadOnlyList<TextChange> changes) =>
        [.. changes.Select(change => new TextEdit(LspConvert.ToRange(document.Syntax.LineIndex, change.Span), change.NewText))];

    /// <summary>A position request resolved to its document, pair, model and offset; null for documents that are not ours.</summary>
    private sealed record PositionContext(OpenDocument Document, FilePair Pair, ProfileModel Model, int Offset);

    private PositionContext? At(TextDocumentIdentifier? identifier, Position? position)
    {
        var uri = identifier?.Uri ?? throw InvalidParams("The request needs textDocument.uri.");
        if (position is null) throw InvalidParams("The request needs a position.");
        if (workspace.Get(uri) is not { } document) return null;
        var pair = workspace.PairOf(document);
        var model = workspace.GetModel(pair);
        return new PositionContext(document, pair, model, LspConvert.ToOffset(document.Syntax.LineIndex, position));
    }

    private Location[] ToLocations(PositionContext at, IEnumerable<SourceLocation> locations) =>
    [
        .. locations
            .Select(location => (Uri: UriOf(at.Pair, location.File), location))
            .Where(x => x.Uri is not null)
            .Select(x => new Location(x.Uri!, LspConvert.ToRange(at.Model.GetFile(x.location.File).Syntax.LineIndex, x.location.Span))),
    ];

    /// <summary>The URI of a pair's file: the open buffer's, else the file's on disk.</summary>
    private string? UriOf(FilePair pair, ConfigFileKind kind)
    {
        if (workspace.OpenDocumentOf(pair, kind) is { } open) return open.Uri;
        return pair.KeyOf(kind) is { } key && Path.IsPathRooted(key) ? Workspace.ToUri(key) : null;
    }

    private static LocalRpcException RequestFailed(string message) => new(message) { ErrorCode = -32803 };

    private (OpenDocument? Document, ConfigFile? File) Resolve(TextDocumentIdentifier? identifier)
    {
        var uri = identifier?.Uri ?? throw InvalidParams("The request needs textDocument.uri.");
        if (workspace.Get(uri) is not { } document) return (null, null);
        var model = workspace.GetModel(workspace.PairOf(document));
        return (document, model.GetFile(document.Kind));
    }

    private static LocalRpcException InvalidParams(string message) => new(message) { ErrorCode = (int)JsonRpcErrorCode.InvalidParams };

    /// <summary>
    /// Computes and publishes the diagnostics of a pair after <paramref name="delay"/>, cancelling a run still pending
    /// for it: typing republishes once, after the last keystroke.
    /// </summary>
    private void ScheduleDiagnostics(FilePair pair, TimeSpan delay)
    {
        if (pendingDiagnostics.Remove(pair, out var previous)) previous.Cancel();
        if (pendingAnalyses.Remove(pair, out var previousAnalysis)) previousAnalysis.Cancel();
        var cancellation = new CancellationTokenSource();
        pendingDiagnostics[pair] = cancellation;
        _ = PublishDiagnosticsAsync(pair, delay, cancellation);
        if (delay >= 2 * AnalysisAheadDelay)
        {
            var analysis = new CancellationTokenSource();
            pendingAnalyses[pair] = analysis;
            _ = AnalyzeAheadAsync(pair, analysis);
        }
    }

    /// <summary>
    /// How long after the last edit the analysis starts, ahead of the publish (which waits for the whole
    /// <see cref="ServerOptions.DiagnosticsDelay"/>): a burst of keystrokes faster than this starts none.
    /// </summary>
    internal static readonly TimeSpan AnalysisAheadDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The debounce keeps the client from receiving a publish per keystroke (megabytes at 50k profiles), not the server
    /// from analysing: shortly after the last edit, the analysis of the then current model starts on the thread pool, so
    /// that when the debounce ends the publish finds it done (<see cref="AnalysisChains.Analyze"/> returns a completed or
    /// running analysis of the same model) and only writes and sends. A newer edit cancels it (the chain then starts
    /// the next one from the last completed analysis).
    /// </summary>
    private async Task AnalyzeAheadAsync(FilePair pair, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        try
        {
            await Task.Delay(AnalysisAheadDelay, token);
            // Options not known yet: the publish waits for them, and an analysis with the defaults would not be shared.
            if (!settingsLoaded.IsCompleted) return;
            if (workspace.OpenDocumentOf(pair, ConfigFileKind.Config) is null && workspace.OpenDocumentOf(pair, ConfigFileKind.Credentials) is null) return;
            var model = workspace.GetModel(pair);
            var analysis = await analysisChains.Analyze(pair, model, diagnosticOptions, FactsOf(pair, model), token).ConfigureAwait(false);
            if (analysis is null || token.IsCancellationRequested) return;
            // The user has paused (no newer edit since): collect the burst's young garbage now, not in their next keystroke.
            idleCollection.CollectIfDue();
        }
        catch (OperationCanceledException)
        {
            // A newer edit (or the shutdown) came first.
        }
        catch (Exception)
        {
            // A failed analysis: the publish runs it again and reports the failure.
        }
    }

    /// <summary>How many young collections the server made in the user's pauses (for tests).</summary>
    internal int IdleCollections => idleCollection.Collections;

    /// <summary>For tests: called with a publish's cancellation once its JSON is written, before it is sent.</summary>
    internal Action<CancellationTokenSource>? AfterPublishWritten { get; set; }

    /// <summary>The writer of a URI's publishes (for tests).</summary>
    internal DiagnosticsJson? DiagnosticsWriterOf(string uri) => diagnosticsJson.GetValueOrDefault(uri);

    /// <summary>How many compacting collections the server made after opens (for tests).</summary>
    internal int CompactionsAfterOpen => idleCollection.Compactions;

    /// <summary>What the analysis of a pair knows besides its files: the credentials file's mode, "Test this profile" outcomes.</summary>
    private FileFacts FactsOf(FilePair pair, ProfileModel model) =>
        FileLoader.ReadFacts(pair.CredentialsKey) with { MfaOutcomes = MfaOutcomesOf(pair, model) };

    private async Task PublishDiagnosticsAsync(FilePair pair, TimeSpan delay, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, token);
            else await Task.Yield();
            var trace = PublishTrace.Start();
            // A client that never answers workspace/configuration must not stop diagnostics: wait a bounded time.
            if (!settingsLoaded.IsCompleted) await Task.WhenAny(settingsLoaded, Task.Delay(SettingsTimeout, token));
            token.ThrowIfCancellationRequested();
            // Back on the serialized context: take a snapshot of the pair.
            var config = workspace.OpenDocumentOf(pair, ConfigFileKind.Config);
            var credentials = workspace.OpenDocumentOf(pair, ConfigFileKind.Credentials);
            var targets = new List<(ConfigFileKind Kind, string Uri, int? Version)>();
            var anyOpen = config is not null || credentials is not null;
            foreach (var kind in new[] { ConfigFileKind.Config, ConfigFileKind.Credentials })
            {
                var open = kind == ConfigFileKind.Config ? config : credentials;
                if (open is not null) targets.Add((kind, open.Uri, open.Version));
                else if (anyOpen && pair.KeyOf(kind) is { } key && Path.IsPathRooted(key) && workspace.Exists(pair, kind)) targets.Add((kind, Workspace.ToUri(key), null));
            }
            OpenTrace.Mark("publish: snapshot");
            var model = anyOpen ? workspace.GetModel(pair) : null;
            OpenTrace.Mark("publish: model");
            var facts = model is null ? FileFacts.None : FactsOf(pair, model);
            var options = diagnosticOptions;
            var configUri = UriOf(pair, ConfigFileKind.Config);
            var credentialsUri = UriOf(pair, ConfigFileKind.Credentials);
            var writers = new DiagnosticsJson[targets.Count];
            for (var i = 0; i < targets.Count; i++)
            {
                if (!diagnosticsJson.TryGetValue(targets[i].Uri, out var writer)) diagnosticsJson[targets[i].Uri] = writer = new DiagnosticsJson();
                writers[i] = writer;
            }
            // Off the message loop: the analysis (incremental from the last completed one; cancelled by a newer
            // publish) and writing the JSON of each publish, so that keystrokes, completion and hover never wait.
            if (model is null) analysisChains.Forget(pair);
            var analysisTask = model is null ? Task.FromResult<AnalysisResult?>(null) : analysisChains.Analyze(pair, model, options, facts, token);
            trace.Mark("snapshot");
            var (result, payloads) = await Task.Run(async () =>
            {
                var analysis = await analysisTask.ConfigureAwait(false);
                OpenTrace.Mark("publish: analysis done");
                trace.Mark("analysis");
                token.ThrowIfCancellationRequested();
                // After a full analysis (an open): its garbage and what it built are collected now, not in the first keystrokes.
                if (analysis is { IsFull: true } && idleCollection.CollectIfDue()) trace.Mark("collect");
                if (model is not null && analysis is null) return (null, null);
                var json = new RawJson[targets.Count];
                var encoded = 0;
                var inPlace = 0;
                for (var i = 0; i < targets.Count; i++)
                {
                    var (kind, uri, version) = targets[i];
                    json[i] = writers[i].Write(uri, version, kind, analysis?.Diagnostics ?? DiagnosticList.Empty, model, configUri, credentialsUri);
                    encoded += writers[i].LastEncoded;
                    if (writers[i].LastInPlace) inPlace++;
                }
                trace.Mark("json");
                OpenTrace.Mark("publish: json written");
                long bytes = 0;
                foreach (var j in json) bytes += j.Length;
                trace.Report(analysis?.Mode ?? "none", analysis?.Diagnostics.Count ?? 0, encoded, bytes, inPlace, targets.Count);
                return (analysis, (RawJson[]?)json);
            }, token).ConfigureAwait(true);
            AfterPublishWritten?.Invoke(cancellation);
            var published = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                // Written but superseded by a newer publish, sent, or failed: the payloads' buffers are given back in the
                // finally. Unreleased, each writer would take its publish for one still being sent and write the next into
                // a new array (~15 MiB at 50k profiles; measured: the bench's end peak 136 -> 161 MiB when the first
                // keystroke's publish was superseded here).
                token.ThrowIfCancellationRequested();
                if (payloads is null)
                {
                    // The analysis this publish shared was cancelled through its own token and no newer run replaced this one: run again.
                    ScheduleDiagnostics(pair, TimeSpan.Zero);
                    return;
                }
                for (var i = 0; i < targets.Count; i++)
                {
                    // Sent from the thread pool: copying megabytes into the output pipe must not hold the message loop.
                    var payload = payloads[i];
                    var sending = PublishTrace.Now();
                    await Task.Run(() => rpc.NotifyLspAsync("textDocument/publishDiagnostics", payload), CancellationToken.None).ConfigureAwait(true);
                    // Given back as soon as it is sent: the next publish may be written around it.
                    payload.Release();
                    PublishTrace.Sent(targets[i].Uri, sending, payload.Length);
                    published.Add(targets[i].Uri);
                    OpenTrace.Mark("publish: sent " + targets[i].Kind);
                }
            }
            finally
            {
                // Release is once per payload: those already sent are not released again.
                ReleaseAll(payloads);
            }
            // Clear what was published before for files of this pair that are no longer shown.
            foreach (var key in new[] { pair.ConfigKey, pair.CredentialsKey })
            {
                if (key is null) continue;
                var uri = Path.IsPathRooted(key) ? Workspace.ToUri(key) : key;
                if (published.Contains(uri) || !publishedUris.Contains(uri)) continue;
                await rpc.NotifyLspAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, []));
                publishedUris.Remove(uri);
                diagnosticsJson.Remove(uri);
            }
            publishedUris.UnionWith(published);
            publishFailures.Remove(pair);
            // After the first publish (the open): the value index, so that it is there when the first keystroke's
            // completion needs it.
            if (model is not null) PrebuildValueIndex(pair, model);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
        }
        catch (Exception exception)
        {
            PublishTrace.Failed(exception);
            await LogAsync($"Diagnostics failed: {exception.GetType().Name}: {exception.Message}");
            // A bug must not leave the file without diagnostics until the next edit: try again, from scratch (the chain
            // forgot its base), at most twice in a row per pair.
            var failures = publishFailures.GetValueOrDefault(pair) + 1;
            publishFailures[pair] = failures;
            if (failures <= 2) ScheduleDiagnostics(pair, TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            if (pendingDiagnostics.TryGetValue(pair, out var current) && current == cancellation) pendingDiagnostics.Remove(pair);
            cancellation.Dispose();
        }
    }

    private async Task LogAsync(string message)
    {
        try
        {
            await rpc.NotifyLspAsync("window/logMessage", new LogMessageParams(3, message));
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Whether the capability at <paramref name="path"/> is declared (an object, or <c>true</c>).</summary>
    private static bool Has(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return false;
        }
        return element.ValueKind is JsonValueKind.Object or JsonValueKind.True;
    }

    /// <summary>Whether <c>textDocument.completion.completionItem.resolveSupport.properties</c> lists <paramref name="property"/>.</summary>
    private static bool ResolvesLazily(JsonElement capabilities, string property)
    {
        foreach (var name in new[] { "textDocument", "completion", "completionItem", "resolveSupport", "properties" })
        {
            if (capabilities.ValueKind != JsonValueKind.Object || !capabilities.TryGetProperty(name, out capabilities)) return false;
        }
        return capabilities.ValueKind == JsonValueKind.Array && capabilities.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.String && p.GetString() == property);
    }

    private static bool GetBool(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return false;
        }
        return element.ValueKind == JsonValueKind.True;
    }
}
