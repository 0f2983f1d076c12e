using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>An open editor buffer: its latest text as a syntax tree, version and role.</summary>
public sealed class OpenDocument(string uri, string? path, string languageId, ConfigFileKind kind, int version, DocumentSyntax syntax)
{
    public string Uri { get; } = uri;
    /// <summary>The local file path for <c>file:</c> URIs, else null (untitled buffers).</summary>
    public string? Path { get; } = path;
    public string LanguageId { get; } = languageId;
    public ConfigFileKind Kind { get; } = kind;
    public int Version { get; set; } = version;
    public DocumentSyntax Syntax { get; set; } = syntax;
    /// <summary>Whether the text may hold U+FFFD (how editors show undecodable bytes): set on open, and by any edit that inserts one.</summary>
    public bool MayHaveReplacementCharacter { get; set; } = syntax.Sections.Any(s => s.Text.Contains('\uFFFD'));
    /// <summary>The newest <see cref="ConfigFile"/> built from this buffer: the next one reuses its untouched sections.</summary>
    internal ConfigFile? LastFile { get; set; }

    /// <summary>The semantic tokens sent for this document, per section (built on the first request).</summary>
    internal SemanticTokensCache? Tokens { get; set; }
    /// <summary>Identifies the document inside a pair: its path, or its URI when it has no path.</summary>
    public string Key => Path ?? Uri;
}

/// <summary>A config file and the credentials file the CLI reads with it. Keys are paths, or a URI for an untitled buffer.</summary>
public sealed record FilePair(string? ConfigKey, string? CredentialsKey)
{
    public string? KeyOf(ConfigFileKind kind) => kind == ConfigFileKind.Config ? ConfigKey : CredentialsKey;
}

/// <summary>
/// The open documents and the files on disk they pair with. Every mutation happens on the server's serialized
/// message context; readers get immutable snapshots (<see cref="ProfileModel"/>).
/// </summary>
public sealed class Workspace(AwsFileLocations cliFiles)
{
    private static readonly HashSet<string> AwsLanguageIds = new(StringComparer.OrdinalIgnoreCase) { "awsconfig", "awscredentials" };
    private static readonly HashSet<string> IniLanguageIds = new(StringComparer.OrdinalIgnoreCase) { "ini", "dosini", "confini" };

    private readonly Dictionary<string, OpenDocument> documentsByUri = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigFile> diskFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<FilePair, ProfileModel> models = [];
    // The newest model of each pair, kept after it is invalidated: the next one reuses its untouched profiles.
    private readonly Dictionary<FilePair, ProfileModel> lastModels = [];

    public AwsFileLocations CliFiles { get; } = cliFiles;

    public IEnumerable<OpenDocument> Documents => documentsByUri.Values;

    public OpenDocument? Get(string uri) => documentsByUri.GetValueOrDefault(uri);

    /// <summary>
    /// Decides whether a document is one of ours and which file it is. By path: the CLI's own files, and files named
    /// <c>config</c> / <c>credentials</c>; by language: <c>awsconfig</c> / <c>awscredentials</c>. Generic INI language ids
    /// (<c>ini</c>, <c>dosini</c>, Neovim's <c>confini</c>) count only for such paths, so other INI files get no AWS diagnostics.
    /// </summary>
    public ConfigFileKind? Classify(string uri, string languageId)
    {
        var path = ToPath(uri);
        if (path is not null)
        {
            if (path == CliFiles.ConfigPath) return ConfigFileKind.Config;
            if (path == CliFiles.CredentialsPath) return ConfigFileKind.Credentials;
        }
        var fileName = path is null ? null : System.IO.Path.GetFileName(path);
        if (languageId.Equals("awscredentials", StringComparison.OrdinalIgnoreCase)) return ConfigFileKind.Credentials;
        if (languageId.Equals("awsconfig", StringComparison.OrdinalIgnoreCase)) return fileName == "credentials" ? ConfigFileKind.Credentials : ConfigFileKind.Config;
        if (fileName is "config" or "credentials" && (IniLanguageIds.Contains(languageId) || AwsLanguageIds.Contains(languageId) || languageId.Length == 0 || languageId == "plaintext"))
        {
            return fileName == "credentials" ? ConfigFileKind.Credentials : ConfigFileKind.Config;
        }
        return null;
    }

    public static string? ToPath(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile) return null;
        return System.IO.Path.GetFullPath(parsed.LocalPath);
    }

    public static string ToUri(string path) => new Uri(path).AbsoluteUri;

    public OpenDocument Open(string uri, string languageId, ConfigFileKind kind, int version, string text)
    {
        var document = new OpenDocument(uri, ToPath(uri), languageId, kind, version, SyntaxParser.Parse(text));
        documentsByUri[uri] = document;
        Invalidate(document.Key);
        ForgetLast(document.Key);
        return document;
    }

    public void Update(OpenDocument document, int version, DocumentSyntax syntax)
    {
        document.Version = version;
        document.Syntax = syntax;
        Invalidate(document.Key);
    }

    public void Close(string uri)
    {
        if (documentsByUri.Remove(uri, out var document))
        {
            Invalidate(document.Key);
            ForgetLast(document.Key);
        }
    }

    /// <summary>Forget what was read from disk for <paramref name="path"/> (saved, or changed by another program).</summary>
    public void DiskChanged(string path)
    {
        diskFiles.Remove(path);
        Invalidate(path);
        ForgetLast(path);
    }

    private void Invalidate(string key)
    {
        foreach (var pair in models.Keys.Where(p => p.ConfigKey == key || p.CredentialsKey == key).ToList()) models.Remove(pair);
    }

    /// <summary>Forget the models kept for reuse of the pairs using <paramref name="key"/> (closed, or read again from disk).</summary>
    private void ForgetLast(string key)
    {
        foreach (var pair in lastModels.Keys.Where(p => p.ConfigKey == key || p.CredentialsKey == key).ToList()) lastModels.Remove(pair);
    }

    /// <summary>The pair a document belongs to: the CLI's own files pair with each other; other files with their sibling.</summary>
    public FilePair PairOf(OpenDocument document)
    {
        if (document.Path is null)
        {
            return document.Kind == ConfigFileKind.Config ? new FilePair(document.Uri, null) : new FilePair(null, document.Uri);
        }
        if (document.Path == CliFiles.ConfigPath || document.Path == CliFiles.CredentialsPath)
        {
            return new FilePair(CliFiles.ConfigPath, CliFiles.CredentialsPath);
        }
        var folder = System.IO.Path.GetDirectoryName(document.Path)!;
        var fileName = System.IO.Path.GetFileName(document.Path);
        if (fileName is "config" or "credentials")
        {
            return new FilePair(System.IO.Path.Combine(folder, "config"), System.IO.Path.Combine(folder, "credentials"));
        }
        return document.Kind == ConfigFileKind.Config ? new FilePair(document.Path, null) : new FilePair(null, document.Path);
    }

    /// <summary>Open documents of a pair, by kind.</summary>
    public OpenDocument? OpenDocumentOf(FilePair pair, ConfigFileKind kind)
    {
        var key = pair.KeyOf(kind);
        if (key is null) return null;
        return documentsByUri.Values.FirstOrDefault(d => d.Key == key && d.Kind == kind);
    }

    /// <summary>The model of a pair: open buffers win over their files on disk. Cached until either side changes.</summary>
    public ProfileModel GetModel(FilePair pair)
    {
        if (models.TryGetValue(pair, out var model)) return model;
        // Built from the pair's last model and the documents' last files: untouched sections and profiles are shared with
        // them, which stay as they were (background analyses may still read them).
        model = new ProfileModel(GetFile(pair, ConfigFileKind.Config), GetFile(pair, ConfigFileKind.Credentials), lastModels.GetValueOrDefault(pair));
        models[pair] = model;
        lastModels[pair] = model;
        return model;
    }

    private ConfigFile GetFile(FilePair pair, ConfigFileKind kind)
    {
        var key = pair.KeyOf(kind);
        if (key is null) return ConfigFile.Empty(kind);
        var open = OpenDocumentOf(pair, kind);
        if (open is not null)
        {
            // Editors decode invalid bytes as U+FFFD, the only trace of them over LSP: then ask the file on disk.
            var undecodable = open.Path is not null && open.MayHaveReplacementCharacter
                && TryReadText(open.Path) is { HasUndecodableBytes: true };
            var built = ConfigFile.Create(kind, open.Path ?? open.Uri, open.Syntax, undecodable, open.LastFile);
            open.LastFile = built;
            return built;
        }
        if (diskFiles.TryGetValue(key, out var file)) return file;
        try
        {
            file = FileLoader.Load(kind, key, notes: null);
        }
        catch (FileLoadFailure)
        {
            // A partner file that cannot be read counts as empty, as a missing one does; the editor shows the open buffer.
            file = ConfigFile.Empty(kind, key);
        }
        diskFiles[key] = file;
        return file;
    }

    private static (string Text, bool HasUndecodableBytes)? TryReadText(string path)
    {
        try
        {
            return FileLoader.ReadText(path);
        }
        catch (FileLoadFailure)
        {
            return null;
        }
    }

    /// <summary>True when the pair's file of this kind exists on disk or is open, so diagnostics for it make sense.</summary>
    public bool Exists(FilePair pair, ConfigFileKind kind)
    {
        var key = pair.KeyOf(kind);
        return key is not null && (OpenDocumentOf(pair, kind) is not null || File.Exists(key));
    }
}
