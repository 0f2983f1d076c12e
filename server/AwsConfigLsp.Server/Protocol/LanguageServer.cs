// StreamJsonRpc's System.Text.Json formatter and parameter-object APIs carry trimming/AOT warnings because they can
// fall back to reflection. Every type we send is in LspJsonContext (source-generated), and CI publishes the server with
// NativeAOT and runs the LSP handshake against it (tests/aot-handshake), which is what proves these calls safe.
#pragma warning disable IL2026, IL3050
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Every LSP method the server supports, in one place. Each handler converts LSP to offsets, calls one pure function
/// of Features or Analysis on a snapshot, and converts back. Handlers run one at a time in arrival order
/// (<see cref="LanguageServerHost"/>); diagnostics run in the background on immutable snapshots.
/// </summary>
// The pragma above silences the C# analyzer only; the NativeAOT compiler (ilc) reports the same warnings again and
// honours only these attributes.
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every type on the wire is in LspJsonContext; tests/aot-handshake proves it.")]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every type on the wire is in LspJsonContext; tests/aot-handshake proves it.")]
public sealed class LanguageServer
{
    private readonly JsonRpc rpc;
    private readonly ServerOptions options;
    private readonly Workspace workspace;
    private readonly Dictionary<FilePair, CancellationTokenSource> pendingDiagnostics = [];
    private readonly HashSet<string> publishedUris = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool shutdownRequested;
    private bool clientRegistersWatchers;

    internal LanguageServer(JsonRpc rpc, ServerOptions options)
    {
        this.rpc = rpc;
        this.options = options;
        workspace = new Workspace(options.CliFiles);
        Completion = Task.WhenAny(rpc.Completion.ContinueWith(_ => { }, TaskScheduler.Default), exited.Task).Unwrap();
    }

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
        }
        return new InitializeResult(
            new ServerCapabilities
            {
                TextDocumentSync = new TextDocumentSyncOptions(OpenClose: true, Change: 2, Save: new SaveOptions(IncludeText: false)),
                DocumentSymbolProvider = true,
                FoldingRangeProvider = true,
            },
            new ServerInfo("awsconfig-lsp", typeof(LanguageServer).Assembly.GetName().Version?.ToString(3) ?? "0.1.0"));
    }

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public async Task InitializedAsync(JsonElement? parameters)
    {
        if (!clientRegistersWatchers) return;
        // Watch the files that pair with open buffers, so an edit on disk (aws configure, another editor) is seen.
        var watchers = new[] { "**/.aws/config", "**/.aws/credentials", workspace.CliFiles.ConfigPath, workspace.CliFiles.CredentialsPath }
            .Distinct().Select(glob => new FileSystemWatcher(glob)).ToArray();
        try
        {
            await rpc.InvokeWithParameterObjectAsync("client/registerCapability",
                new RegistrationParams([new Registration("awsconfig-watch", "workspace/didChangeWatchedFiles", new DidChangeWatchedFilesRegistrationOptions(watchers))]));
        }
        catch (RemoteRpcException exception)
        {
            // RemoteRpcException covers an error answer (RemoteInvocationException), -32601 from a client without the
            // method (RemoteMethodNotFoundException, not a RemoteInvocationException) and a lost connection.
            await LogAsync($"The client refused file watching ({exception.Message}); changes on disk are read on save.");
        }
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        shutdownRequested = true;
        foreach (var pending in pendingDiagnostics.Values) pending.Cancel();
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
        if (workspace.Classify(item.Uri, item.LanguageId ?? "") is not { } kind) return;
        var document = workspace.Open(item.Uri, item.LanguageId ?? "", kind, item.Version, item.Text);
        ScheduleDiagnostics(workspace.PairOf(document), TimeSpan.Zero);
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
        var pairs = new HashSet<FilePair>();
        foreach (var change in changes)
        {
            if (change?.Uri is null || Workspace.ToPath(change.Uri) is not { } path) continue;
            workspace.DiskChanged(path);
            foreach (var document in workspace.Documents)
            {
                var pair = workspace.PairOf(document);
                if (pair.ConfigKey == path || pair.CredentialsKey == path) pairs.Add(pair);
            }
        }
        foreach (var pair in pairs) ScheduleDiagnostics(pair, TimeSpan.Zero);
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
        var cancellation = new CancellationTokenSource();
        pendingDiagnostics[pair] = cancellation;
        _ = PublishDiagnosticsAsync(pair, delay, cancellation);
    }

    private async Task PublishDiagnosticsAsync(FilePair pair, TimeSpan delay, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, token);
            else await Task.Yield();
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
            var model = anyOpen ? workspace.GetModel(pair) : null;
            var diagnostics = model is null
                ? []
                : await Task.Run(() => DiagnosticEngine.Analyze(model, token), token).ConfigureAwait(true);
            token.ThrowIfCancellationRequested();

            string? UriOf(ConfigFileKind kind) => targets.FirstOrDefault(t => t.Kind == kind).Uri
                ?? (pair.KeyOf(kind) is { } key && Path.IsPathRooted(key) ? Workspace.ToUri(key) : null);

            var published = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (kind, uri, version) in targets)
            {
                var items = diagnostics.Where(d => d.Location.File == kind).Select(d => LspConvert.ToLsp(d, model!, UriOf)).ToArray();
                await rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, items) { Version = version });
                published.Add(uri);
            }
            // Clear what was published before for files of this pair that are no longer shown.
            foreach (var key in new[] { pair.ConfigKey, pair.CredentialsKey })
            {
                if (key is null) continue;
                var uri = Path.IsPathRooted(key) ? Workspace.ToUri(key) : key;
                if (published.Contains(uri) || !publishedUris.Contains(uri)) continue;
                await rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, []));
                publishedUris.Remove(uri);
            }
            publishedUris.UnionWith(published);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
        }
        catch (Exception exception)
        {
            await LogAsync($"Diagnostics failed: {exception.GetType().Name}: {exception.Message}");
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
            await rpc.NotifyWithParameterObjectAsync("window/logMessage", new LogMessageParams(3, message));
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
        }
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
