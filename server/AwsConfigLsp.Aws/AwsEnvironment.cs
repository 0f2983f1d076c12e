using System.Collections;
using System.Collections.Immutable;

namespace AwsConfigLsp.Aws;

/// <summary>
/// What a credential test reads from the world besides the two files: environment variables, the home directory (for
/// <c>~/.aws/sso/cache</c> and <c>~/.aws/cli/cache</c>) and the clock. Injected, so tests never read the real <c>~/.aws</c>.
/// </summary>
public sealed class AwsEnvironment
{
    public AwsEnvironment(IReadOnlyDictionary<string, string> variables, string home, TimeProvider? clock = null)
    {
        Variables = variables;
        Home = home;
        Clock = clock ?? TimeProvider.System;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }
    public string Home { get; }
    public TimeProvider Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A variable's value; an empty value counts as unset, as botocore's <c>os.environ.get(...)</c> checks mostly do.</summary>
    public string? Get(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string SsoCacheDirectory => Path.Combine(Home, ".aws", "sso", "cache");
    public string CliCacheDirectory => Path.Combine(Home, ".aws", "cli", "cache");

    public static AwsEnvironment FromProcess()
    {
        var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value) variables[key] = value;
        }
        var home = variables.GetValueOrDefault("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new AwsEnvironment(variables.ToImmutable(), home);
    }
}
