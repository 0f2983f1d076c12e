using System.Collections.Concurrent;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// The analyses of each pair, one after the other on the thread pool (a chain): each starts from the last one that
/// COMPLETED (re-running rules only where the edits since were), so an analysis that is cancelled (a newer publish was
/// scheduled) never makes the next one full. <see cref="Analyze"/> is called on the message loop; the analyses never run
/// there. An analysis that overlapped model builds is kept: it read its own version, which the builds left unchanged.
/// </summary>
internal sealed class AnalysisChains
{
    private sealed class Chain
    {
        // Written on the message loop only.
        public Task<AnalysisResult?> Tail = Task.FromResult<AnalysisResult?>(null);
        public ProfileModel? TailModel;
        public DiagnosticOptions? TailOptions;
        public FileFacts? TailFacts;
        public CancellationToken TailToken;
        // Read and written by the links, which run one at a time (each awaits the one before); read on the loop.
        public volatile AnalysisResult? LastCompleted;
    }

    private readonly Dictionary<FilePair, Chain> chains = [];

    /// <summary>How each analysis ended ("full (...)", "incremental: ...", "cancelled", "failed"), for tests and traces.</summary>
    internal ConcurrentQueue<string> Log { get; } = new();

    /// <summary>
    /// The diagnostics of <paramref name="model"/> (the pair's current model, taken on the message loop): the last
    /// completed result when it is of this model, the running analysis of this model, else a new analysis after the
    /// ones already queued. Null when it was cancelled through <paramref name="cancellationToken"/> (or the shared
    /// analysis was cancelled through its own): ask again with the then current model.
    /// </summary>
    public Task<AnalysisResult?> Analyze(FilePair pair, ProfileModel model, DiagnosticOptions options, FileFacts facts, CancellationToken cancellationToken)
    {
        if (!chains.TryGetValue(pair, out var chain)) chains[pair] = chain = new Chain();
        if (chain.LastCompleted is { } last && ReferenceEquals(last.Model, model) && ReferenceEquals(last.Options, options) && last.Facts == facts)
        {
            return Task.FromResult<AnalysisResult?>(last);
        }
        if (ReferenceEquals(chain.TailModel, model) && ReferenceEquals(chain.TailOptions, options) && chain.TailFacts == facts
            && !chain.TailToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The same analysis is queued or running: share it (a code action waits for the publish's analysis).
            return chain.Tail;
        }
        var before = chain.Tail;
        var task = Task.Run(async () =>
        {
            await ((Task)before).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested) return Ended(null, "cancelled");
            OpenTrace.Mark("analysis start");
            try
            {
                // Model versions never change once built, and the engine reads this one's positions (ProfileModel.Read) on
                // every thread it uses: models built meanwhile on the message loop cannot change what it finds, so the
                // result is exact for this model and a sound base for the next analysis, however many keystrokes it overlapped.
                var result = DiagnosticEngine.Analyze(model, chain.LastCompleted, options, cancellationToken, facts);
                result.Commit();
                chain.LastCompleted = result;
                return Ended(result, result.Mode);
            }
            catch (OperationCanceledException)
            {
                OpenTrace.Mark("analysis cancelled");
                return Ended(null, "cancelled");
            }
            catch (Exception)
            {
                // A bug: the next analysis starts from scratch rather than from this base.
                chain.LastCompleted = null;
                Ended(null, "failed");
                throw;
            }
        }, CancellationToken.None);
        chain.Tail = task;
        chain.TailModel = model;
        chain.TailOptions = options;
        chain.TailFacts = facts;
        chain.TailToken = cancellationToken;
        return task;
    }

    private AnalysisResult? Ended(AnalysisResult? result, string how)
    {
        Log.Enqueue(how);
        while (Log.Count > 1000) Log.TryDequeue(out _);
        return result;
    }

    /// <summary>Forget a pair's results (its documents are all closed).</summary>
    public void Forget(FilePair pair) => chains.Remove(pair);
}
