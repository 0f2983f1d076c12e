using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AwsConfigLsp.Server.Cli;

/// <summary>
/// What <c>awsconfig-lsp --version</c> prints below the version: the runtime the binary runs on and how its garbage
/// collector is set, as the runtime itself reports them. The gen0 budget is the cap in effect: the smaller of the
/// compiled-in <c>GCGen0MaxBudget</c> (NativeAOT build) and what the runtime derives from the machine's cache size. A bug
/// report about memory or latency needs both, and <c>tests/aot-handshake</c> reads them to check that the shipped binary
/// has its compiled-in settings.
/// </summary>
internal static class RuntimeReport
{
    public static string Describe() => Describe(
        RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT",
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.RuntimeIdentifier,
        GCSettings.IsServerGC,
        GC.GetConfigurationVariables());

    /// <summary>The report's two lines, from what the runtime says (pure, for tests).</summary>
    public static string Describe(string compilation, string framework, string runtimeIdentifier, bool serverGc,
        IReadOnlyDictionary<string, object> gcConfiguration)
    {
        var concurrent = gcConfiguration.TryGetValue("ConcurrentGC", out var value) && value is true;
        var budget = gcConfiguration.TryGetValue("GCGen0MaxBudget", out var bytes) && bytes is long cap and > 0
            ? $"gen0 budget at most {cap / (1024.0 * 1024):0.#} MiB"
            : "gen0 budget not reported";
        return $"runtime: {framework}, {compilation}, {runtimeIdentifier}\n" +
            $"garbage collector: {(serverGc ? "server" : "workstation")}, {(concurrent ? "concurrent" : "not concurrent")}, {budget}";
    }
}
