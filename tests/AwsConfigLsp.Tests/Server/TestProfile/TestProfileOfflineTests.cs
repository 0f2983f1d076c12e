using System.Text.Json;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server.TestProfile;

/// <summary>"Test this profile" where no AWS endpoint answers: lenses, arguments, MFA prompt handling, local failures.</summary>
public sealed class TestProfileOfflineTests : TestProfileServerTest
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private const string Credentials = $"""
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = {Secret}
""";

    private const string Config = """
[profile role]
role_arn = arn:aws:iam::222222222222:role/Admin
source_profile = default
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile broken]
role_arn = arn:aws:iam::222222222222:role/Admin

[profile plain]
region = eu-west-1

[profile proc]
credential_process = sh -c 'echo "the vault is sealed" >&2; exit 7'
""";

    public override async Task InitializeAsync()
    {
        // Port 1 on loopback: nothing listens, so any call fails at once with "connection refused".
        Variables["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:1";
        await StartAsync();
        await OpenAsync(Config, Credentials);
    }

    [Fact]
    public async Task Lenses_sit_above_every_profile_with_a_chain()
    {
        var lenses = await CodeLensAsync();
        JsonAssert.Exact("""
            [
              {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 14}},
               "command": {"title": "Test this profile", "command": "awsconfig.testProfile", "arguments": [{"profile": "role", "uri": "URI"}]}},
              {"range": {"start": {"line": 11, "character": 0}, "end": {"line": 11, "character": 14}},
               "command": {"title": "Test this profile", "command": "awsconfig.testProfile", "arguments": [{"profile": "proc", "uri": "URI"}]}}
            ]
            """.Replace("URI", ConfigUri), lenses);
        var credentialLenses = await CodeLensAsync(CredentialsUri);
        Assert.Empty(credentialLenses.EnumerateArray());
        await Client.OpenAsync(CredentialsUri, Credentials);
        credentialLenses = await CodeLensAsync(CredentialsUri);
        Assert.Equal("default", credentialLenses[0].GetProperty("command").GetProperty("arguments")[0].GetProperty("profile").GetString());
    }

    [Fact]
    public async Task The_commands_are_advertised_and_bad_arguments_are_refused()
    {
        await using var other = LspTestClient.StartInMemory(LspTestClient.Options(Folder.Combine("cli2")));
        var initialize = await other.InitializeAsync();
        var commands = initialize.GetProperty("capabilities").GetProperty("executeCommandProvider").GetProperty("commands").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("awsconfig.testProfile", commands);
        Assert.Contains("awsconfig.clearCachedSession", commands);
        Assert.Contains("awsconfig.fixCredentialsPermissions", commands);
        Assert.False(initialize.GetProperty("capabilities").GetProperty("codeLensProvider").GetProperty("resolveProvider").GetBoolean());

        var missing = await Client.RequestErrorAsync("workspace/executeCommand", new { command = "awsconfig.testProfile", arguments = Array.Empty<object>() });
        Assert.Equal(-32602, missing.Code);
        Assert.Contains("{\"profile\": NAME, \"uri\": URI}", missing.Message);
        var unknown = await Client.RequestErrorAsync("workspace/executeCommand", new { command = "awsconfig.testProfile", arguments = new[] { new { profile = "nope", uri = ConfigUri } } });
        Assert.Equal(-32602, unknown.Code);
        Assert.Contains("no profile nope", unknown.Message);
    }

    [Fact]
    public async Task A_cancelled_prompt_stops_the_test_before_any_call()
    {
        AnswerMfa((string?)null);
        var result = await TestAsync("role");

        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("Cancelled", result.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("identity").ValueKind);
        var request = Assert.Single(Client.MfaRequests);
        JsonAssert.Exact("""{"profile": "role", "mfaSerial": "arn:aws:iam::111111111111:mfa/alice", "attempt": 1}""", request);
        var message = await Client.NextShownMessageAsync();
        Assert.Equal(2, message.GetProperty("type").GetInt32());
        Assert.Equal("Profile role: test cancelled.", message.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Codes_that_are_not_six_digits_are_refused_before_any_call()
    {
        AnswerMfa("12345", "abcdef", "1234567");
        var result = await TestAsync("role");

        var error = result.GetProperty("error");
        // Not "ConnectionFailed": nothing was sent to the (closed) endpoint.
        Assert.Equal("InvalidMfaCode", error.GetProperty("code").GetString());
        Assert.Contains("Nothing was sent to AWS", error.GetProperty("message").GetString());
        Assert.Equal([1, 2, 3], Client.MfaRequests.Select(r => r.GetProperty("attempt").GetInt32()));
        var hops = result.GetProperty("hops");
        Assert.Equal(["static-keys", "assume-role"], hops.EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.True(hops[0].GetProperty("ok").GetBoolean());
        Assert.False(hops[1].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_closed_endpoint_is_explained_and_no_secret_leaks()
    {
        AnswerMfa("123456");
        var result = await TestAsync("role");

        var error = result.GetProperty("error");
        Assert.Equal("ConnectionFailed", error.GetProperty("code").GetString());
        Assert.Contains("http://127.0.0.1:1", error.GetProperty("message").GetString());
        Assert.Contains("AWS_ENDPOINT_URL_STS", error.GetProperty("hint").GetString());
        var message = await Client.NextShownMessageAsync();
        Assert.Equal(1, message.GetProperty("type").GetInt32());
        Assert.DoesNotContain("\n", message.GetProperty("message").GetString()!);
        foreach (var text in new[] { result.GetRawText(), message.GetRawText() })
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text);
        }
    }

    [Fact]
    public async Task A_failing_credential_process_says_what_it_wrote()
    {
        var result = await TestAsync("proc");

        JsonAssert.Exact("""
            {"profile": "proc", "ok": false, "identity": null,
             "hops": [{"profile": "proc", "action": "credential-process", "roleArn": null, "mfaSerial": null, "ok": false, "ms": "<any>",
                       "error": {"code": "ProcessFailed", "message": "credential_process of profile proc exited with code 7: the vault is sealed.",
                                 "hint": "run the credential_process command of profile proc in a terminal to see what it does"}}],
             "error": {"code": "ProcessFailed", "message": "credential_process of profile proc exited with code 7: the vault is sealed.",
                       "hint": "run the credential_process command of profile proc in a terminal to see what it does"}}
            """, result);
    }

    [Fact]
    public async Task A_profile_the_cli_cannot_resolve_is_not_walked()
    {
        var result = await TestAsync("broken");
        Assert.Equal("ResolutionError", result.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Partial credentials found in assume-role", result.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(result.GetProperty("hops").EnumerateArray());
    }
}
