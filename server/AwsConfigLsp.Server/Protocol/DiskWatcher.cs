namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Watches the files paired with open buffers when the client cannot register file watchers itself (Neovim 0.7 has no
/// dynamic registration of workspace/didChangeWatchedFiles). Events are posted back to the server's serialized context.
/// </summary>
internal sealed class DiskWatcher(Action<string> onChanged) : IDisposable
{
    private readonly Dictionary<string, System.IO.FileSystemWatcher> watchers = new(StringComparer.Ordinal);
    private readonly SynchronizationContext? context = SynchronizationContext.Current;

    /// <summary>Starts watching <paramref name="path"/> if its folder exists and it is not watched yet.</summary>
    public void Watch(string path)
    {
        if (watchers.ContainsKey(path)) return;
        var folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder)) return;
        try
        {
            var watcher = new System.IO.FileSystemWatcher(folder, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler handler = (_, _) => Post(path);
            watcher.Changed += handler;
            watcher.Created += handler;
            watcher.Deleted += handler;
            watcher.Renamed += (_, _) => Post(path);
            watcher.EnableRaisingEvents = true;
            watchers[path] = watcher;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // Watching is a convenience: without it the partner is re-read on save.
        }
    }

    private void Post(string path)
    {
        if (context is null) onChanged(path);
        else context.Post(_ => onChanged(path), null);
    }

    public void Dispose()
    {
        foreach (var watcher in watchers.Values) watcher.Dispose();
        watchers.Clear();
    }
}
