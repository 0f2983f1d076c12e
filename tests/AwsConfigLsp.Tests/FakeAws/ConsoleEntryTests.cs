using System.Diagnostics;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.FakeAws;

/// <summary>
/// The fakes as a process (<c>dotnet AwsConfigLsp.FakeAws.dll --scenario FILE</c>), as the editor end-to-end tests run
/// them: one JSON line of endpoints on stdout, then serving until stdin closes or SIGTERM.
/// </summary>
public sealed class ConsoleEntryTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private const string Scenario = """
        {
          "users": [{"account": "111111111111", "name": "alice", "mfa": true,
                     "accessKeyId": "AKIAFAKEALICE0000001", "secretAccessKey": "alicesecretalicesecretalicesecretalicese",
                     "mfaSecret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}],
          "roles": [{"arn": "arn:aws:iam::111111111111:role/admin", "trust": ["arn:aws:iam::111111111111:user/alice"], "requireMfa": true}],
          "instanceProfile": {"account": "111111111111", "roleName": "ec2-role"},
          "faults": {"GetSessionToken": "throttle"}
        }
        """;

    private Process Start(string scenarioText)
    {
        var scenario = folder.Write("scenario.json", scenarioText);
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AwsConfigLsp.FakeAws.dll"));
        startInfo.ArgumentList.Add("--scenario");
        startInfo.ArgumentList.Add(scenario);
        return Process.Start(startInfo)!;
    }

    private static async Task<JsonElement> Endpoints(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null) Assert.Fail("no endpoints line; stderr: " + await process.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(line!).RootElement;
    }

    [Fact]
    public async Task Scenario_ServesItsUsersAndRoles_AndStopsWhenStdinCloses()
    {
        using var process = Start(Scenario);
        try
        {
            var endpoints = await Endpoints(process);
            Assert.Equal(["sts", "iam", "imds", "ecsFullUri", "sso"], endpoints.EnumerateObject().Select(p => p.Name));
            var sts = endpoints.GetProperty("sts").GetString()!;
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", sts);

            using var http = new HttpClient();
            var code = await http.GetStringAsync($"{sts}/_fake/totp?serial=arn:aws:iam::111111111111:mfa/alice");
            Assert.Matches(@"^\d{6}$", code);

            using var client = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(
                new BasicAWSCredentials("AKIAFAKEALICE0000001", "alicesecretalicesecretalicesecretalicese"),
                new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { ServiceURL = sts, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            var response = await client.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = "arn:aws:iam::111111111111:role/admin", RoleSessionName = "editor",
                SerialNumber = "arn:aws:iam::111111111111:mfa/alice", TokenCode = code,
            });
            Assert.Equal("arn:aws:sts::111111111111:assumed-role/admin/editor", response.AssumedRoleUser.Arn);
            var throttled = await Assert.ThrowsAsync<Amazon.SecurityToken.AmazonSecurityTokenServiceException>(() => client.GetSessionTokenAsync(new GetSessionTokenRequest()));
            Assert.Equal("Throttling", throttled.ErrorCode);

            var token = await (await http.SendAsync(new HttpRequestMessage(HttpMethod.Put, endpoints.GetProperty("imds").GetString() + "/latest/api/token")
            {
                Headers = { { "X-aws-ec2-metadata-token-ttl-seconds", "60" } },
            })).Content.ReadAsStringAsync();
            using var roleRequest = new HttpRequestMessage(HttpMethod.Get, endpoints.GetProperty("imds").GetString() + "/latest/meta-data/iam/security-credentials/");
            roleRequest.Headers.Add("X-aws-ec2-metadata-token", token);
            Assert.Equal("ec2-role", await (await http.SendAsync(roleRequest)).Content.ReadAsStringAsync());

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public async Task Sigterm_StopsTheProcess()
    {
        using var process = Start("{}");
        try
        {
            await Endpoints(process);
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public async Task BadScenario_ExitsWithAClearMessage()
    {
        using var process = Start("""{"roles": [{"arn": "not-an-arn"}]}""");
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, process.ExitCode);
            Assert.Equal("fake-aws: bad scenario: 'not-an-arn' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)", (await process.StandardError.ReadToEndAsync()).Trim());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
