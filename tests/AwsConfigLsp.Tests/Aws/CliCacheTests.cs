using System.Text.Json;
using AwsConfigLsp.Aws;
using AwsConfigLsp.Model;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Aws;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliCacheTests
{
    // botocore's own key: AssumeRoleCredentialFetcher._create_cache_key for the given arguments.
    private const string BotocoreKey = """
import sys, json
from botocore.credentials import AssumeRoleCredentialFetcher
args = json.loads(sys.argv[1])
role = args.pop('RoleArn')
fetcher = AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None, role_arn=role, extra_args=args)
print(fetcher._cache_key)
""";

    public static TheoryData<string, string?, string?, long?, string?> Arguments => new()
    {
        { "arn:aws:iam::123456789012:role/Admin", null, null, null, null },
        { "arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::111111111111:mfa/alice", null, null, null },
        { "arn:aws:iam::123456789012:role/path/Deploy", "arn:aws:iam::111111111111:mfa/alice", "ext-42", 7200, "alice-session" },
        { "arn:aws:iam::123456789012:role/Admin", null, "quote\"back\\slash", 900, "caf\u00e9-\u65e5\u672c" },
    };

    [Theory]
    [MemberData(nameof(Arguments))]
    public void The_key_is_the_one_botocore_computes(string roleArn, string? serial, string? externalId, long? duration, string? sessionName)
    {
        var args = new Dictionary<string, object> { ["RoleArn"] = roleArn };
        if (serial is not null) args["SerialNumber"] = serial;
        if (externalId is not null) args["ExternalId"] = externalId;
        if (duration is not null) args["DurationSeconds"] = duration;
        if (sessionName is not null) args["RoleSessionName"] = sessionName;
        var expected = PythonBotocore.Run(BotocoreKey, JsonSerializer.Serialize(args));

        Assert.Equal(expected, CliCache.Key(roleArn, serial, externalId, duration, sessionName));
    }

    [Fact]
    public void A_written_session_is_read_back_by_botocore_and_is_private()
    {
        using var home = new TempFolder();
        var environment = new AwsEnvironment(new Dictionary<string, string>(), home.Path);
        var expiration = DateTimeOffset.UtcNow.AddHours(1);
        var session = new AssumedRole(new AwsCredentials("ASIAEXAMPLEKEY123456", "secret/with+chars", "token==", expiration, "test"),
            "arn:aws:sts::123456789012:assumed-role/Admin/s1", "AROAEXAMPLE:s1");
        var key = CliCache.Key("arn:aws:iam::123456789012:role/Admin", null, null, null, null);

        CliCache.Write(environment, key, session);

        var path = CliCache.PathOf(environment, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        // botocore's JSONFileCache reads it and its fetcher takes it as not expired.
        var read = PythonBotocore.Run("""
import sys
from botocore.utils import JSONFileCache
from botocore.credentials import AssumeRoleCredentialFetcher
cache = JSONFileCache(sys.argv[1])
fetcher = AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None, role_arn='arn:aws:iam::123456789012:role/Admin', cache=cache)
creds = fetcher._load_from_cache()
print(creds['Credentials']['AccessKeyId'], creds['Credentials']['AccountId'], creds['AssumedRoleUser']['Arn'])
""", environment.CliCacheDirectory);
        Assert.Equal("ASIAEXAMPLEKEY123456 123456789012 arn:aws:sts::123456789012:assumed-role/Admin/s1", read);
        Assert.Empty(Directory.GetFiles(environment.CliCacheDirectory, "*.tmp"));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_intact()
    {
        if (Environment.UserName == "root")
        {
            // root ignores directory modes: make the rename fail with a directory in the file's place instead.
            using var home = new TempFolder();
            var environment = new AwsEnvironment(new Dictionary<string, string>(), home.Path);
            var key = "k";
            Directory.CreateDirectory(CliCache.PathOf(environment, key));
            File.WriteAllText(Path.Combine(CliCache.PathOf(environment, key), "old"), "old");
            Assert.ThrowsAny<IOException>(() => CliCache.Write(environment, key, Session()));
            Assert.Equal("old", File.ReadAllText(Path.Combine(CliCache.PathOf(environment, key), "old")));
            Assert.Empty(Directory.GetFiles(environment.CliCacheDirectory, "*.tmp"));
            return;
        }
        using var folder = new TempFolder();
        var env = new AwsEnvironment(new Dictionary<string, string>(), folder.Path);
        Directory.CreateDirectory(env.CliCacheDirectory);
        var path = CliCache.PathOf(env, "k");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(env.CliCacheDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Assert.ThrowsAny<Exception>(() => CliCache.Write(env, "k", Session()));
            Assert.Equal("old", File.ReadAllText(path));
        }
        finally
        {
            File.SetUnixFileMode(env.CliCacheDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Find_reports_a_session_only_while_botocore_would_use_it()
    {
        using var home = new TempFolder();
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var environment = new AwsEnvironment(new Dictionary<string, string>(), home.Path, new FixedClock(now));
        var hop = new ChainHop("admin", CredentialKind.AssumeRole) { RoleArn = "arn:aws:iam::123456789012:role/Admin" };
        Assert.Null(CliCache.Find(environment, hop));

        CliCache.Write(environment, CliCache.Key(hop), Session(now.AddMinutes(40)));
        var entry = CliCache.Find(environment, hop);
        Assert.NotNull(entry);
        Assert.Equal(now.AddMinutes(40), entry.Expiration);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Admin/s1", entry.AssumedRoleArn);

        CliCache.Write(environment, CliCache.Key(hop), Session(now.AddMinutes(10)));
        Assert.Null(CliCache.Find(environment, hop));
        Assert.True(CliCache.Delete(environment, hop));
        Assert.False(File.Exists(CliCache.PathOf(environment, CliCache.Key(hop))));
    }

    private static AssumedRole Session(DateTimeOffset? expiration = null) =>
        new(new AwsCredentials("ASIAEXAMPLEKEY123456", "secret", "token", expiration ?? DateTimeOffset.UtcNow.AddHours(1), "test"),
            "arn:aws:sts::123456789012:assumed-role/Admin/s1", "AROAEXAMPLE:s1");
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
