using System.Text;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Cli;

/// <summary>
/// <c>check</c> and <c>resolve</c> as processes, on the inputs the server is abused with: binary garbage, invalid
/// UTF-8, NUL bytes, huge files, paths that are not files, bad arguments. Each exits 0, 1 or 2 with a message, never with
/// an unhandled exception.
/// </summary>
public sealed class CliAbuseTests : IDisposable
{
    private static readonly System.Text.RegularExpressions.Regex StackFrame = new(@"^\s+at \S+\(", System.Text.RegularExpressions.RegexOptions.Multiline);

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string, string> Inputs => new()
    {
        { "binary garbage", "garbage" },
        { "invalid UTF-8 and lone surrogates", "invalid-utf8" },
        { "NUL bytes in names and values", "nul" },
        { "a 50 MB file, mostly comments", "huge" },
        { "a 2 MB file of 20,000 profiles", "wide" },
        { "one 5 MB line", "long-line" },
        { "three thousand nested lines", "deep" },
        { "a loop of two thousand profiles", "loop" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task CheckAndResolve_OnHostileFiles_ExitWith0Or1AndAMessage(string description, string kind)
    {
        var (config, credentials) = Write(kind);
        foreach (var arguments in new[]
                 {
                     new[] { "check", "--config", config, "--credentials", credentials },
                     ["check", "--config", config, "--credentials", credentials, "--format", "sarif"],
                     ["resolve", "--all", "--config", config, "--credentials", credentials, "--format", "json"],
                     ["resolve", "a", "nosuch", "--config", config, "--credentials", credentials],
                 }.Where((_, index) => kind != "huge" || index is 0 or 2))
        {
            var (exitCode, stdout, stderr) = await RunAsync(arguments);

            var what = $"{description}: {string.Join(' ', arguments.Take(1).Concat(arguments.Where(a => a.StartsWith("--f", StringComparison.Ordinal) || a == "json" || a == "sarif")))}";
            Assert.True(exitCode is 0 or 1, $"{what} exited {exitCode}; stderr: {stderr}");
            Assert.False(string.IsNullOrWhiteSpace(stdout), $"{what} printed nothing.");
            AssertNoCrash(what, stderr);
        }
    }

    [Theory]
    [InlineData("a directory", "dir")]
    [InlineData("/dev/null", "/dev/null")]
    [InlineData("a file that cannot be read", "/proc/self/mem")]
    [InlineData("a missing file in a missing folder", "missing/deeper/config")]
    [InlineData("a path through a file", "file/config")]
    public async Task Check_OnPathsThatAreNotReadableFiles_ExitsWithAMessage(string description, string path)
    {
        Directory.CreateDirectory(folder.Combine("dir"));
        folder.Write("file", "x");
        var full = path.StartsWith('/') ? path : folder.Combine(path);

        foreach (var arguments in new[] { new[] { "check", "--config", full }, ["resolve", "--credentials", full, "--all"] })
        {
            var (exitCode, stdout, stderr) = await RunAsync(arguments);

            Assert.True(exitCode is 0 or 1 or 2, $"{description}: exit code {exitCode}");
            Assert.False(string.IsNullOrWhiteSpace(stdout + stderr), $"{description}: no message.");
            AssertNoCrash(description, stderr);
            if (exitCode == 2) Assert.Contains("error: cannot read ", stderr);
        }
    }

    [Theory]
    [InlineData("check", "--format")]
    [InlineData("check", "--format", "xml")]
    [InlineData("check", "--config")]
    [InlineData("check", "--config", "")]
    [InlineData("check", "--severity", "=")]
    [InlineData("check", "--severity", "x=loud")]
    [InlineData("check", "--disable")]
    [InlineData("check", "extra")]
    [InlineData("resolve", "--all", "a")]
    [InlineData("resolve", "--format", "sarif")]
    [InlineData("resolve", "--no-such-flag")]
    public async Task BadArguments_Exit2WithTheReasonAndUsage(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("Usage:", stderr);
        AssertNoCrash(string.Join(' ', arguments), stderr);
    }

    private (string Config, string Credentials) Write(string kind)
    {
        var random = new Random(kind.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        var config = folder.Combine($"{kind}/config");
        var credentials = folder.Combine($"{kind}/credentials");
        Directory.CreateDirectory(folder.Combine(kind));
        byte[] configBytes;
        byte[] credentialsBytes;
        switch (kind)
        {
            case "garbage":
                configBytes = new byte[200_000];
                random.NextBytes(configBytes);
                credentialsBytes = new byte[10_000];
                random.NextBytes(credentialsBytes);
                break;
            case "invalid-utf8":
                configBytes = [.. "[profile a]\nregion = "u8, 0xED, 0xA0, 0x80, 0xFF, .. "\n[profile \xC3(]\n"u8, 0xF0, 0x28, 0x8C, 0x28, .. "\n"u8];
                credentialsBytes = [.. "[a]\naws_access_key_id = \xC0\xAF\naws_secret_access_key = x\n"u8];
                break;
            case "nul":
                configBytes = Encoding.UTF8.GetBytes("[profile a\0b]\nregion = us-east-1\0\nrole_arn = \0\nsource_profile = a\0b\n\0\n");
                credentialsBytes = Encoding.UTF8.GetBytes("[a\0b]\naws_access_key_id = AKIA\0\naws_secret_access_key = \0\n");
                break;
            case "huge":
                var huge = new StringBuilder(52 * 1024 * 1024).Append("[profile a]\nregion = us-east-1\n\n[profile big]\n");
                while (huge.Length < 50 * 1024 * 1024) huge.Append("# ").Append('x', 97).Append('\n');
                huge.Append("region = eu-west-1\n");
                configBytes = Encoding.UTF8.GetBytes(huge.ToString());
                credentialsBytes = Encoding.UTF8.GetBytes("[a]\n" + huge.ToString(0, 5 * 1024 * 1024)[30..]);
                break;
            case "wide":
                // Generated configs are wide (every role sourcing one base profile); two hundred also form one long chain.
                var wide = new StringBuilder("[profile base]\ncredential_process = /bin/creds\n\n");
                for (var i = 0; i < 20_000; i++)
                {
                    var source = i is > 0 and < 200 ? $"p{i - 1}" : "base";
                    wide.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = {source}\nregion = us-east-1\n\n");
                }
                configBytes = Encoding.UTF8.GetBytes(wide.ToString());
                credentialsBytes = [];
                break;
            case "long-line":
                configBytes = Encoding.UTF8.GetBytes("[profile a]\nrole_arn = " + new string('x', 5 * 1024 * 1024) + "\nsource_profile = a\n");
                credentialsBytes = Encoding.UTF8.GetBytes("[a]\naws_access_key_id = " + new string('A', 1024 * 1024) + "\n");
                break;
            case "deep":
                var deep = new StringBuilder("[profile a]\ns3 =\n");
                for (var i = 1; i <= 3_000; i++) deep.Append(' ', 1 + i % 300).Append(i % 3 == 0 ? "no delimiter" : $"k{i} = v").Append('\n');
                configBytes = Encoding.UTF8.GetBytes(deep.ToString());
                credentialsBytes = [];
                break;
            default:
                var loop = new StringBuilder();
                for (var i = 0; i < 2_000; i++) loop.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p{(i + 1) % 2_000}\n");
                configBytes = Encoding.UTF8.GetBytes(loop.ToString());
                credentialsBytes = [];
                break;
        }
        File.WriteAllBytes(config, configBytes);
        File.WriteAllBytes(credentials, credentialsBytes);
        TempFolder.MakePrivate(credentials);
        return (config, credentials);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments)
    {
        using var process = ServerProcess.Start(folder.Combine("home"), folder.Path, null, arguments);
        process.Process.StandardInput.Close();
        var stdout = await process.Process.StandardOutput.ReadToEndAsync().WithTimeout(TimeSpan.FromSeconds(120), "the CLI's output");
        await process.Process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30), "the CLI process to end");
        return (process.Process.ExitCode, stdout, process.Stderr);
    }

    private static void AssertNoCrash(string what, string stderr)
    {
        Assert.False(stderr.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase), $"{what} crashed:\n{stderr}");
        Assert.DoesNotMatch(StackFrame, stderr);
    }
}
