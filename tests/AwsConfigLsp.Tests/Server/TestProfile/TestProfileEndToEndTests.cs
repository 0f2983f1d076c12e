using System.Text.Json;
using AwsConfigLsp.FakeAws;
using AwsConfigLsp.Tests.Support;
using StreamJsonRpc;
using Xunit;

namespace AwsConfigLsp.Tests.Server.TestProfile;

/// <summary>
/// "Test this profile" end to end: the real server over LSP, a client that answers <c>awsconfig/mfaCode</c>, and the
/// loopback AWS fakes (STS, IAM, IMDS, ECS, SSO) the server reaches through AWS_ENDPOINT_URL_STS and friends. The
/// scenario files are the checked-in fixtures of SCENARIOS.md (Fixtures/Scenarios/Sn).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestProfileEndToEndTests : TestProfileServerTest
{
    private readonly FakeAwsServer fake = FakeAwsServer.Start();

    private const string FixtureKey = "AKIAIOSFODNN7EXAMPLE";
    private const string FixtureSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await fake.DisposeAsync();
    }

    private static string Fixture(string scenario, string file) => File.ReadAllText(Path.Combine(Baseline.FixturesFolder(), "Scenarios", scenario, file));

    // The tested profiles of the fixtures set no region of their own (the [default] one is not inherited), so botocore
    // signs for us-east-1.
    private async Task StartScenarioAsync(string scenario, object? capabilities = null, string? settings = null, string region = "us-east-1")
    {
        fake.Region = region;
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        Variables["AWS_ENDPOINT_URL_IAM"] = fake.IamUrl;
        await StartAsync(capabilities, settings);
        await OpenAsync(Fixture(scenario, "config"), Fixture(scenario, "credentials"));
    }

    private void AnswerWithTotp(string serial) => Client.MfaCode = (_, _) => Task.FromResult<string?>(fake.Totp(serial));

    private static string[] Actions(JsonElement result) => [.. result.GetProperty("hops").EnumerateArray().Select(h => h.GetProperty("action").GetString()!)];

    [Fact]
    public async Task S1_AccessDenied_without_mfa_serial_gets_the_hint_the_diagnostic_and_a_fix_that_works()
    {
        var user = fake.AddUser("111111111111", "user-kawahara", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::222222222222:role/role-kawahara", [user.Arn], requireMfa: true);
        await StartScenarioAsync("S1");

        var result = await TestAsync("role-kawahara");

        Assert.False(result.GetProperty("ok").GetBoolean());
        var error = result.GetProperty("error");
        Assert.Equal("AccessDenied", error.GetProperty("code").GetString());
        Assert.Contains("is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/role-kawahara", error.GetProperty("message").GetString());
        Assert.StartsWith("the role's trust policy probably requires MFA (aws:MultiFactorAuthPresent)", error.GetProperty("hint").GetString());
        Assert.Empty(Client.MfaRequests);
        Assert.Equal(["static-keys", "assume-role"], Actions(result));

        // The diagnostic on role-kawahara's role_arn line (line 7), with the source user's device as the preferred fix.
        var diagnostics = (await Client.NextDiagnosticsAsync(ConfigUri)).GetProperty("diagnostics");
        var diagnostic = diagnostics.EnumerateArray().Single(d => d.GetProperty("code").GetString() == "mfa-probably-required");
        Assert.Equal(7, diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        Assert.Contains("aws:MultiFactorAuthPresent", diagnostic.GetProperty("message").GetString());
        var actions = await Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = ConfigUri },
            range = diagnostic.GetProperty("range"),
            context = new { diagnostics = new[] { diagnostic } },
        });
        // missing-mfa-serial (the sibling role-kawahara-mfa has a device) offers the same edit; take the test's own fix.
        var fix = actions.EnumerateArray().Single(a => a.GetProperty("title").GetString() == "Add mfa_serial = arn:aws:iam::111111111111:mfa/user-kawahara"
            && a.GetProperty("diagnostics")[0].GetProperty("code").GetString() == "mfa-probably-required");
        Assert.True(fix.GetProperty("isPreferred").GetBoolean());
        var edit = fix.GetProperty("edit").GetProperty("changes").GetProperty(ConfigUri)[0];
        Assert.Equal("mfa_serial = arn:aws:iam::111111111111:mfa/user-kawahara\n", edit.GetProperty("newText").GetString());

        // Apply it as the editor would: the diagnostic goes away, and the test now asks for the code and succeeds.
        var range = edit.GetProperty("range");
        await Client.ChangeAsync(ConfigUri, 2, (range.GetProperty("start").GetProperty("line").GetInt32(), range.GetProperty("start").GetProperty("character").GetInt32(),
            range.GetProperty("end").GetProperty("line").GetInt32(), range.GetProperty("end").GetProperty("character").GetInt32(), edit.GetProperty("newText").GetString()!));
        var after = await Client.NextDiagnosticsAsync(ConfigUri, version: 2);
        Assert.DoesNotContain(after.EnumerateArray(), d => d.GetProperty("code").GetString() == "mfa-probably-required");

        AnswerWithTotp(user.MfaSerial!);
        var retried = await TestAsync("role-kawahara");
        Assert.True(retried.GetProperty("ok").GetBoolean(), retried.GetRawText());
        Assert.StartsWith("arn:aws:sts::222222222222:assumed-role/role-kawahara/awsconfig-lsp-", retried.GetProperty("identity").GetProperty("arn").GetString());
        Assert.Equal("arn:aws:iam::111111111111:mfa/user-kawahara", Assert.Single(Client.MfaRequests).GetProperty("mfaSerial").GetString());
    }

    [Fact]
    public async Task S1_without_a_sibling_the_mfa_arn_comes_from_the_users_devices()
    {
        var user = fake.AddUser("111111111111", "user-kawahara", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::222222222222:role/role-kawahara", [user.Arn], requireMfa: true);
        fake.Region = "*";
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        Variables["AWS_ENDPOINT_URL_IAM"] = fake.IamUrl;
        await StartAsync();
        await OpenAsync("[profile only]\nrole_arn = arn:aws:iam::222222222222:role/role-kawahara\nsource_profile = user-kawahara\n", Fixture("S1", "credentials"));

        await TestAsync("only");

        var diagnostics = (await Client.NextDiagnosticsAsync(ConfigUri)).GetProperty("diagnostics");
        var diagnostic = diagnostics.EnumerateArray().Single(d => d.GetProperty("code").GetString() == "mfa-probably-required");
        Assert.Contains("arn:aws:iam::111111111111:user/user-kawahara", diagnostic.GetProperty("message").GetString());
        Assert.Contains(fake.Calls, c => c.Action == "ListMFADevices" && c.CallerAccessKeyId == FixtureKey && c.Status == 200);
        var actions = await Client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri = ConfigUri }, range = diagnostic.GetProperty("range"), context = new { diagnostics = new[] { diagnostic } } });
        Assert.Contains(actions.EnumerateArray(), a => a.GetProperty("title").GetString() == $"Add mfa_serial = {user.MfaSerial}");
    }

    [Fact]
    public async Task Edits_while_a_test_waits_for_its_mfa_code_do_not_change_what_the_test_read()
    {
        var user = fake.AddUser("123456789012", "dev-simple-user", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::123456789012:role/role-a", [user.Arn], requireMfa: true);
        // Nobody may assume role-b: STS answers AccessDenied and the test looks for the mfa_serial role-b might need.
        fake.AddRole("arn:aws:iam::123456789012:role/role-b", []);
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        fake.Region = "*";
        await StartAsync();
        const string config = "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/role-a\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/dev-simple-user\n\n"
            + "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/role-b\nsource_profile = a\n";
        await OpenAsync(config, Fixture("S2", "credentials"));
        var edited = false;
        Client.MfaCode = async (_, _) =>
        {
            // While the prompt is open the user goes on typing: a profile sourcing a with its own mfa_serial, and lines
            // inserted above everything (each edit followed by a hover, which builds the new model at once).
            await Client.ChangeAsync(ConfigUri, 2, (8, 0, 8, 0, "[profile sib]\nrole_arn = arn:aws:iam::123456789012:role/role-c\nsource_profile = a\nmfa_serial = arn:aws:iam::123456789012:mfa/other\n"));
            // The hovers' answers are not awaited here (the client is inside the server's request): the server handles
            // them, in order, before this answer.
            _ = Client.RequestAsync("textDocument/hover", new { textDocument = new { uri = ConfigUri }, position = new { line = 8, character = 2 } });
            await Client.ChangeAsync(ConfigUri, 3, (0, 0, 0, 0, "# notes\n# more notes\n"));
            _ = Client.RequestAsync("textDocument/hover", new { textDocument = new { uri = ConfigUri }, position = new { line = 3, character = 2 } });
            edited = true;
            return fake.Totp(user.MfaSerial!);
        };

        var result = await TestAsync("b");

        Assert.True(edited);
        Assert.Equal(["static-keys", "assume-role", "assume-role"], Actions(result));
        Assert.Equal("AccessDenied", result.GetProperty("error").GetProperty("code").GetString());
        // The diagnostic lands on role-b's role_arn where it is now (two lines lower), and offers only the devices the
        // files named when the test started (none, no IAM user) - not sib's, which was typed during the test.
        JsonElement diagnostic;
        do
        {
            var published = await Client.NextDiagnosticsAsync(ConfigUri);
            diagnostic = published.GetProperty("diagnostics").EnumerateArray().FirstOrDefault(d => d.GetProperty("code").GetString() == "mfa-probably-required");
        }
        while (diagnostic.ValueKind == JsonValueKind.Undefined);
        Assert.Equal(8, diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
        var actions = await Client.RequestAsync("textDocument/codeAction", new { textDocument = new { uri = ConfigUri }, range = diagnostic.GetProperty("range"), context = new { diagnostics = new[] { diagnostic } } });
        Assert.DoesNotContain(actions.EnumerateArray(), a => a.TryGetProperty("diagnostics", out var of) && of[0].GetProperty("code").GetString() == "mfa-probably-required");
    }

    [Fact]
    public async Task S2_prompts_once_reports_progress_and_shows_who_you_become()
    {
        var user = fake.AddUser("123456789012", "dev-simple-user", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::123456789012:role/dev-simple-role", [user.Arn], requireMfa: true);
        await StartScenarioAsync("S2", new { window = new { workDoneProgress = true }, workspace = new { executeCommand = new { } } });
        AnswerWithTotp(user.MfaSerial!);

        var result = await TestAsync("dev");

        JsonAssert.Exact("""
            {"profile": "dev", "ok": true,
             "identity": {"account": "123456789012", "arn": "<any>", "userId": "<any>"},
             "hops": [
               {"profile": "default", "action": "static-keys", "roleArn": null, "mfaSerial": null, "ok": true, "ms": "<any>", "error": null},
               {"profile": "dev", "action": "assume-role", "roleArn": "arn:aws:iam::123456789012:role/dev-simple-role",
                "mfaSerial": "arn:aws:iam::123456789012:mfa/dev-simple-user", "ok": true, "ms": "<any>", "error": null}],
             "error": null}
            """, result);
        var arn = result.GetProperty("identity").GetProperty("arn").GetString()!;
        Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/dev-simple-role/awsconfig-lsp-", arn);
        JsonAssert.Exact("""{"profile": "dev", "mfaSerial": "arn:aws:iam::123456789012:mfa/dev-simple-user", "attempt": 1}""", Assert.Single(Client.MfaRequests));
        var assumeRole = Assert.Single(fake.Calls, c => c.Action == "AssumeRole");
        Assert.Equal(user.MfaSerial, assumeRole.Parameters["SerialNumber"]);
        Assert.Matches("^[0-9]{6}$", assumeRole.Parameters["TokenCode"]);

        var message = await Client.NextShownMessageAsync();
        Assert.Equal(3, message.GetProperty("type").GetInt32());
        Assert.Equal($"Profile dev: you are {arn} (account 123456789012).", message.GetProperty("message").GetString());

        var kinds = Client.Progress.Select(p => p.GetProperty("value").GetProperty("kind").GetString()).ToList();
        Assert.Equal("begin", kinds[0]);
        Assert.Equal("end", kinds[^1]);
        Assert.Equal(3, kinds.Count(k => k == "report"));
        Assert.Contains(Client.Progress, p => p.GetProperty("value").TryGetProperty("message", out var m) && m.GetString() == "dev: assume-role");
    }

    [Fact]
    public async Task S3_a_five_hop_chain_asks_once_and_a_second_run_not_at_all()
    {
        var user = fake.AddUser("222222222222", "User1", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::111111111111:role/RoleA", [user.Arn], requireMfa: true);
        fake.AddRole("arn:aws:iam::111111111111:role/RoleB", ["arn:aws:iam::111111111111:role/RoleA"]);
        fake.AddRole("arn:aws:iam::333333333333:role/RoleC", ["arn:aws:iam::111111111111:role/RoleB"]);
        fake.AddRole("arn:aws:iam::444444444444:role/RoleD", ["arn:aws:iam::333333333333:role/RoleC"]);
        fake.AddRole("arn:aws:iam::555555555555:role/RoleE", ["arn:aws:iam::444444444444:role/RoleD"]);
        await StartScenarioAsync("S3", region: "us-east-1");
        AnswerWithTotp(user.MfaSerial!);

        var first = await TestAsync("role-e");

        Assert.True(first.GetProperty("ok").GetBoolean(), first.GetRawText());
        Assert.Equal(["static-keys", "assume-role", "assume-role", "assume-role", "assume-role", "assume-role"], Actions(first));
        Assert.StartsWith("arn:aws:sts::555555555555:assumed-role/RoleE/", first.GetProperty("identity").GetProperty("arn").GetString());
        Assert.Equal("role-a", Assert.Single(Client.MfaRequests).GetProperty("profile").GetString());
        Assert.Equal(5, fake.Calls.Count(c => c.Action == "AssumeRole"));

        var lenses = await CodeLensAsync();
        var roleELenses = lenses.EnumerateArray().Where(l => l.GetProperty("command").GetProperty("arguments")[0].GetProperty("profile").GetString() == "role-e").ToList();
        Assert.Equal(["Test this profile", "Clear cached session"], roleELenses.Select(l => l.GetProperty("command").GetProperty("title").GetString()));

        var second = await TestAsync("role-e");
        Assert.True(second.GetProperty("ok").GetBoolean());
        Assert.Equal(["cached-session"], Actions(second));
        Assert.Single(Client.MfaRequests);
        Assert.Equal(5, fake.Calls.Count(c => c.Action == "AssumeRole"));

        // Clear cached session: the next test walks (and asks) again.
        var clear = roleELenses[1].GetProperty("command");
        await Client.RequestAsync("workspace/executeCommand", new { command = clear.GetProperty("command").GetString(), arguments = clear.GetProperty("arguments") });
        lenses = await CodeLensAsync();
        Assert.DoesNotContain(lenses.EnumerateArray(), l => l.GetProperty("command").GetProperty("title").GetString() == "Clear cached session"
            && l.GetProperty("command").GetProperty("arguments")[0].GetProperty("profile").GetString() == "role-e");
        var third = await TestAsync("role-e");
        Assert.True(third.GetProperty("ok").GetBoolean());
        Assert.Equal(2, Client.MfaRequests.Count);
    }

    [Fact]
    public async Task S3_results_messages_and_logs_hold_no_secret()
    {
        var user = fake.AddUser("222222222222", "User1", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::111111111111:role/RoleA", [user.Arn], requireMfa: true);
        fake.AddRole("arn:aws:iam::111111111111:role/RoleB", ["arn:aws:iam::111111111111:role/RoleA"], maxSessionDurationSeconds: 7200);
        await StartScenarioAsync("S3", region: "us-east-1");
        AnswerWithTotp(user.MfaSerial!);

        var ok = await TestAsync("role-b");
        var okMessage = await Client.NextShownMessageAsync();
        fake.SetFault("GetCallerIdentity", new FakeFault(FakeFaultKind.AccessDenied, TimeSpan.Zero));
        await Client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.clearCachedSession", arguments = new[] { new { profile = "role-b", uri = ConfigUri } } });
        var failed = await TestAsync("role-b");
        var failedMessage = await Client.NextShownMessageAsync();

        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.GetRawText());
        Assert.False(failed.GetProperty("ok").GetBoolean());
        // Every secret the walk handled: the fixture's keys and every session token and key STS issued.
        var secrets = new List<string> { FixtureKey, FixtureSecret };
        secrets.AddRange(fake.Calls.SelectMany(c => c.Headers).Where(h => h.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        secrets.AddRange(fake.Calls.Where(c => c.CallerAccessKeyId is not null).Select(c => c.CallerAccessKeyId!));
        Assert.True(secrets.Count > 4);
        var logs = new List<string>();
        while (Client.UnreadLogMessages > 0) logs.Add((await Client.NextLogMessageAsync()).GetRawText());
        foreach (var text in new[] { ok.GetRawText(), okMessage.GetRawText(), failed.GetRawText(), failedMessage.GetRawText() }.Concat(logs))
        {
            foreach (var secret in secrets) Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task S4_all_three_credential_sources()
    {
        fake.AddRole("arn:aws:iam::123456789012:role/some-role", ["arn:aws:iam::123456789012:root"]);
        fake.SetInstanceProfile("123456789012", "instance-role");
        fake.SetContainerCredentials("123456789012", "task-role", authorizationToken: "container-token-123");
        var environmentUser = fake.AddUser("123456789012", "env-user");
        Variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fake.ImdsUrl;
        Variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fake.EcsFullUri;
        Variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token-123";
        Variables["AWS_ACCESS_KEY_ID"] = environmentUser.AccessKeyId;
        Variables["AWS_SECRET_ACCESS_KEY"] = environmentUser.SecretAccessKey;
        await StartScenarioAsync("S4", region: "us-east-1");

        foreach (var (profile, action) in new[] { ("dst-role", "instance-metadata"), ("from-environment", "environment"), ("from-container", "container") })
        {
            var result = await TestAsync(profile);
            Assert.True(result.GetProperty("ok").GetBoolean(), result.GetRawText());
            Assert.Equal([action, "assume-role"], Actions(result));
            Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/some-role/", result.GetProperty("identity").GetProperty("arn").GetString());
            // The three profiles assume the same role with the same arguments: one session in the CLI's cache keying.
            await Client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.clearCachedSession", arguments = new[] { new { profile, uri = ConfigUri } } });
        }
        Assert.Contains(fake.Calls, c => c.Endpoint == "imds" && c.Action == "GetToken");
        Assert.Contains(fake.Calls, c => c.Endpoint == "ecs" && c.Status == 200);
        Assert.Contains(fake.Calls, c => c.Action == "AssumeRole" && c.CallerAccessKeyId == environmentUser.AccessKeyId);
    }

    [Fact]
    public async Task S4_instance_metadata_turned_off_is_explained()
    {
        Variables["AWS_EC2_METADATA_DISABLED"] = "true";
        await StartScenarioAsync("S4", region: "us-east-1");
        var result = await TestAsync("dst-role");
        Assert.Equal("MetadataDisabled", result.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(fake.Calls, c => c.Endpoint == "imds");
    }

    [Fact]
    public async Task S5_a_wrong_code_is_asked_again_and_three_wrong_codes_fail_clearly()
    {
        var user = fake.AddUser("987654321098", "developer", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::123456789012:role/develop", [user.Arn], requireMfa: true);
        await StartScenarioAsync("S5");
        var answers = 0;
        Client.MfaCode = (_, _) => Task.FromResult<string?>(++answers == 1 ? fake.WrongTotp(user.MfaSerial!) : fake.Totp(user.MfaSerial!));

        var result = await TestAsync("develop");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetRawText());
        Assert.Equal([1, 2], Client.MfaRequests.Select(r => r.GetProperty("attempt").GetInt32()));
        Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/develop/", result.GetProperty("identity").GetProperty("arn").GetString());

        await Client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.clearCachedSession", arguments = new[] { new { profile = "develop", uri = ConfigUri } } });
        Client.MfaCode = (_, _) => Task.FromResult<string?>(fake.WrongTotp(user.MfaSerial!));
        var wrong = await TestAsync("develop");
        var error = wrong.GetProperty("error");
        Assert.Equal("InvalidMfaCode", error.GetProperty("code").GetString());
        Assert.Equal("The MFA code for arn:aws:iam::987654321098:mfa/developer was not accepted (AssumeRole arn:aws:iam::123456789012:role/develop).", error.GetProperty("message").GetString());
        Assert.Equal(5, Client.MfaRequests.Count);
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_is_cancelled_at_once_and_other_requests_are_answered_meanwhile()
    {
        fake.AddUser("123456789012", "dev-simple-user", accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.SetFault("AssumeRole", FakeFault.Hang);
        await StartScenarioAsync("S2");
        AnswerMfa("123456");
        var id = await Client.SendRawRequestAsync("workspace/executeCommand",
            new { command = "awsconfig.testProfile", arguments = new[] { new { profile = "dev", uri = ConfigUri } } });
        // The fake records a hanging request when it arrives: the walk now waits for an answer that never comes.
        await WaitForAsync(() => fake.Calls.Any(c => c.Action == "AssumeRole" && c.Status == 0));
        // The walk waits for STS: the server still answers.
        var symbols = await Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = ConfigUri } });
        Assert.Equal(2, symbols.GetArrayLength());
        await Client.NotifyAsync("$/cancelRequest", new { id });

        // The server answers the cancelled request with RequestCancelled (LSP -32800) at once, not after the 10 s limit.
        var started = DateTime.UtcNow;
        var response = await Client.ResponseAsync(id);
        Assert.Equal(-32800, response.Error?.Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        // And the server is fine afterwards.
        Assert.Equal(JsonValueKind.Array, (await CodeLensAsync()).ValueKind);
    }

    public static TheoryData<string, string> ServiceErrors => new()
    {
        { "throttled", "Throttling" },
        { "expired", "ExpiredToken" },
        { "unknown-key", "InvalidClientTokenId" },
        { "wrong-secret", "SignatureDoesNotMatch" },
        { "chained-too-long", "DurationTooLong" },
        { "over-role-maximum", "DurationTooLong" },
        { "region-disabled", "RegionDisabled" },
    };

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task Service_errors_are_explained_with_a_hint(string situation, string code)
    {
        var user = fake.AddUser("111111111111", "alice", accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::222222222222:role/first", [user.Arn], maxSessionDurationSeconds: 3600);
        fake.AddRole("arn:aws:iam::222222222222:role/second", ["arn:aws:iam::222222222222:role/first"], maxSessionDurationSeconds: 43200);
        var expired = fake.IssueRoleSession("arn:aws:iam::222222222222:role/first", TimeSpan.FromMinutes(-5));
        fake.Region = "*";
        fake.DisabledRegions.Add("ap-east-1");
        if (situation == "throttled") fake.SetFault("AssumeRole", FakeFault.Throttle);
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        await StartAsync();
        var credentials = situation switch
        {
            "expired" => $"[default]\naws_access_key_id = {expired.AccessKeyId}\naws_secret_access_key = {expired.SecretAccessKey}\naws_session_token = {expired.SessionToken}\n",
            "unknown-key" => "[default]\naws_access_key_id = AKIAUNKNOWNKEY000000\naws_secret_access_key = x\n",
            "wrong-secret" => $"[default]\naws_access_key_id = {FixtureKey}\naws_secret_access_key = not-the-secret\n",
            _ => $"[default]\naws_access_key_id = {FixtureKey}\naws_secret_access_key = {FixtureSecret}\n",
        };
        var config = situation switch
        {
            "chained-too-long" => "[profile first]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\n\n[profile target]\nrole_arn = arn:aws:iam::222222222222:role/second\nsource_profile = first\nduration_seconds = 7200\n",
            "over-role-maximum" => "[profile target]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\nduration_seconds = 7200\n",
            "region-disabled" => "[profile target]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\nregion = ap-east-1\n",
            _ => "[profile target]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\n",
        };
        await OpenAsync(config, credentials);

        var result = await TestAsync("target");

        var error = result.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("hint").GetString()), result.GetRawText());
        Assert.DoesNotContain(FixtureSecret, result.GetRawText());
        Assert.DoesNotContain(expired.SessionToken, result.GetRawText());
        Assert.DoesNotContain(expired.SecretAccessKey, result.GetRawText());
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_times_out()
    {
        fake.AddUser("123456789012", "dev-simple-user", accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.SetFault("AssumeRole", FakeFault.Hang);
        CallTimeout = TimeSpan.FromMilliseconds(500);
        await StartScenarioAsync("S2");
        AnswerMfa("123456");

        var result = await TestAsync("dev");

        var error = result.GetProperty("error");
        Assert.Equal("Timeout", error.GetProperty("code").GetString());
        Assert.Equal($"AssumeRole for profile dev: {fake.StsUrl} did not answer within 0.5 s.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Sso_and_web_identity_bases()
    {
        fake.Region = "*";
        fake.AddSsoAccess("sso-access-token-1", "123456789012", "Developer");
        fake.AddWebIdentityToken("web-identity-token-1", "arn:aws:iam::123456789012:role/web-role");
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        Variables["AWS_ENDPOINT_URL_SSO"] = fake.SsoUrl;
        await StartAsync();
        Folder.Write("home/token", "web-identity-token-1");
        var config = $"""
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile web]
role_arn = arn:aws:iam::123456789012:role/web-role
web_identity_token_file = {Folder.Combine("home/token")}
""";
        await OpenAsync(config);

        var missing = await TestAsync("sso");
        Assert.Equal("SsoTokenMissing", missing.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("aws sso login --profile sso", missing.GetProperty("error").GetProperty("message").GetString());

        Folder.Write("home/.aws/sso/cache/" + AwsConfigLsp.Aws.SsoProvider.CacheFileName(new AwsConfigLsp.Model.ChainHop("sso", AwsConfigLsp.Model.CredentialKind.Sso) { SsoSession = "corp" }),
            $$"""{"accessToken": "sso-access-token-1", "expiresAt": "{{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""");
        var sso = await TestAsync("sso");
        Assert.True(sso.GetProperty("ok").GetBoolean(), sso.GetRawText());
        Assert.Equal(["sso"], Actions(sso));
        Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer", sso.GetProperty("identity").GetProperty("arn").GetString());

        var web = await TestAsync("web");
        Assert.True(web.GetProperty("ok").GetBoolean(), web.GetRawText());
        Assert.Equal(["assume-role-with-web-identity"], Actions(web));
        Assert.DoesNotContain("web-identity-token-1", web.GetRawText());
    }

    [Fact]
    public async Task Sharing_with_the_cli_writes_its_cache_and_hover_and_lenses_tell_about_it()
    {
        var user = fake.AddUser("123456789012", "dev-simple-user", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::123456789012:role/dev-simple-role", [user.Arn], requireMfa: true);
        await StartScenarioAsync("S2", settings: """{"shareCliCache": true}""");
        AnswerWithTotp(user.MfaSerial!);

        var result = await TestAsync("dev");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetRawText());
        var key = AwsConfigLsp.Aws.CliCache.Key("arn:aws:iam::123456789012:role/dev-simple-role", user.MfaSerial, null, null, null);
        var path = Path.Combine(Home, ".aws", "cli", "cache", key + ".json");
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var hover = await Client.RequestAsync("textDocument/hover", new { textDocument = new { uri = ConfigUri }, position = new { line = 7, character = 12 } });
        var markdown = hover.GetProperty("contents").GetProperty("value").GetString()!;
        Assert.Contains("The AWS CLI holds a cached session for this role until", markdown);
        Assert.Contains($"rm {path}", markdown);

        var lens = (await CodeLensAsync()).EnumerateArray().Single(l => l.GetProperty("command").GetProperty("command").GetString() == "awsconfig.clearCliCache");
        await Client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.clearCliCache", arguments = lens.GetProperty("command").GetProperty("arguments") });
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mfa_serial_completion_lists_the_users_devices_after_an_explicit_request_or_with_live_lookups(bool liveLookups)
    {
        var user = fake.AddUser("111111111111", "user-kawahara", mfaDevice: true, accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        Variables["AWS_ENDPOINT_URL_IAM"] = fake.IamUrl;
        await StartAsync(settings: liveLookups ? """{"liveLookups": true}""" : "{}");
        await OpenAsync("[profile only]\nrole_arn = arn:aws:iam::222222222222:role/role-kawahara\nsource_profile = user-kawahara\nmfa_serial = \n", Fixture("S1", "credentials"));
        Task<JsonElement> CompleteAsync(int triggerKind) => Client.RequestAsync("textDocument/completion", new
        {
            textDocument = new { uri = ConfigUri },
            position = new { line = 3, character = 13 },
            context = triggerKind == 1 ? (object)new { triggerKind } : new { triggerKind, triggerCharacter = " " },
        });
        bool Lists(JsonElement completion) => completion.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("label").GetString() == user.MfaSerial);

        // Typing (trigger character): no IAM call unless live look-ups are on; never an answer that waits for one.
        var typed = await CompleteAsync(2);
        Assert.False(Lists(typed));
        Assert.Equal(liveLookups, typed.GetProperty("isIncomplete").GetBoolean());
        if (!liveLookups)
        {
            Assert.DoesNotContain(fake.Calls, c => c.Action == "ListMFADevices");
            var invoked = await CompleteAsync(1);
            Assert.False(Lists(invoked));
            Assert.True(invoked.GetProperty("isIncomplete").GetBoolean());
        }
        await WaitForAsync(() => fake.Calls.Any(c => c.Action == "ListMFADevices" && c.Status == 200));
        await WaitForAsync(() => Lists(CompleteAsync(2).GetAwaiter().GetResult()));
        var item = (await CompleteAsync(2)).GetProperty("items").EnumerateArray().First(i => i.GetProperty("label").GetString() == user.MfaSerial);
        Assert.Equal("MFA device of the user of user-kawahara (IAM)", item.GetProperty("detail").GetString());
        Assert.Single(fake.Calls, c => c.Action == "ListMFADevices");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + LspTestClient.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not become true");
            await Task.Delay(10);
        }
    }

    public static TheoryData<string> StsFaults => new() { "500", "throttle", "malformed" };

    /// <summary>STS failing: the user sees ok=false, a message and a hint (no stack trace, no exception type, no
    /// secret), and the fake saw a single AssumeRole (no retry storm).</summary>
    [Theory]
    [MemberData(nameof(StsFaults))]
    public async Task Sts_failing_is_explained_once_without_retries(string fault)
    {
        var user = fake.AddUser("111111111111", "alice", accessKeyId: FixtureKey, secretAccessKey: FixtureSecret);
        fake.AddRole("arn:aws:iam::222222222222:role/first", [user.Arn], maxSessionDurationSeconds: 3600);
        fake.Region = "*";
        fake.SetFault("AssumeRole", fault switch
        {
            "500" => FakeFault.ServerError,
            "throttle" => FakeFault.Throttle,
            _ => FakeFault.MalformedXml,
        });
        Variables["AWS_ENDPOINT_URL_STS"] = fake.StsUrl;
        CallTimeout = TimeSpan.FromSeconds(3);
        await StartAsync();
        await OpenAsync("[profile target]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\n",
            $"[default]\naws_access_key_id = {FixtureKey}\naws_secret_access_key = {FixtureSecret}\n");

        var result = await TestAsync("target");

        AssertCleanFailure(result);
        Assert.Equal(1, fake.Calls.Count(c => c.Action == "AssumeRole"));
    }

    [Fact]
    public async Task Connection_refused_is_explained_at_once()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Variables["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{port}";
        CallTimeout = TimeSpan.FromSeconds(3);
        await StartAsync();
        await OpenAsync("[profile target]\nrole_arn = arn:aws:iam::222222222222:role/first\nsource_profile = default\n",
            $"[default]\naws_access_key_id = {FixtureKey}\naws_secret_access_key = {FixtureSecret}\n");

        var result = await TestAsync("target");

        AssertCleanFailure(result);
        Assert.Contains($"127.0.0.1:{port}", result.GetProperty("error").GetProperty("message").GetString());
    }

    private static void AssertCleanFailure(JsonElement result)
    {
        Assert.False(result.GetProperty("ok").GetBoolean(), result.GetRawText());
        var error = result.GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message), result.GetRawText());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("hint").GetString()), result.GetRawText());
        var text = result.GetRawText();
        Assert.DoesNotContain(" at ", text.Replace("at once", ""));
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(FixtureSecret, text);
    }
}
