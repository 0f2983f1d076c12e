using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>What the server reads from its environment, injectable so tests run with their own files.</summary>
public sealed record ServerOptions(AwsFileLocations CliFiles, TimeSpan DiagnosticsDelay)
{
    public static ServerOptions FromProcess() => new(AwsFileLocations.FromProcess(), TimeSpan.FromMilliseconds(150));
}
