using AwsConfigLsp.Aws;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>What the server reads from its environment, injectable so tests run with their own files.</summary>
public sealed record ServerOptions(AwsFileLocations CliFiles, TimeSpan DiagnosticsDelay)
{
    public static ServerOptions FromProcess() => new(AwsFileLocations.FromProcess(), TimeSpan.FromMilliseconds(150)) { Aws = AwsEnvironment.FromProcess() };

    /// <summary>
    /// The environment "Test this profile" uses (variables, home for ~/.aws/sso/cache and ~/.aws/cli/cache, clock).
    /// Null: an empty environment with the home of <see cref="CliFiles"/>' folder, so a server made for a test never
    /// reads the real ~/.aws.
    /// </summary>
    public AwsEnvironment? Aws { get; init; }

    /// <summary>The time limit of each AWS call (STS, SSO) of a test.</summary>
    public TimeSpan AwsCallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The time limit of IAM look-ups (ListMFADevices).</summary>
    public TimeSpan IamTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The time limit of a <c>credential_process</c> command.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
