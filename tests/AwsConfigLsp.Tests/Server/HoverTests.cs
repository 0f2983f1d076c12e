using System.Text.Json;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// textDocument/hover over JSON-RPC: a profile's resolved chain (S3), the CLI's error when it fails, how to use the
/// profile and the SDK caveats (S5), facts about ARN values, and never a secret.
/// </summary>
public sealed class HoverTests : InMemoryServerTest
{
    private static readonly string ScenariosFolder = Path.Combine(Baseline.FixturesFolder(), "Scenarios");


    /// <summary>Opens a scenario's config as a buffer, with its credentials file on disk beside it.</summary>
    private async Task<(string Config, string Credentials)> OpenScenarioAsync(string scenario, bool crlf = false)
    {
        var config = File.ReadAllText(Path.Combine(ScenariosFolder, scenario, "config"));
        var credentials = File.ReadAllText(Path.Combine(ScenariosFolder, scenario, "credentials"));
        if (crlf) config = NavigationFixture.Crlf(config);
        Folder.Write("home/.aws/credentials", credentials);
        await Client.OpenAsync(ConfigUri, config);
        return (config, credentials);
    }

    private Task<JsonElement> HoverAsync(string uri, object position) =>
        Client.RequestAsync("textDocument/hover", new { textDocument = new { uri }, position });

    /// <summary>How hovers show the credentials file: its path, with the home folder as <c>~</c>.</summary>
    private string CredentialsPath => ChainFormatter.DisplayPath(ConfigFile.Empty(ConfigFileKind.Credentials, Folder.Combine("home/.aws/credentials")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hover_S3RoleBHeader_ShowsTheResolvedChainHowToUseItAndTheCaveats(bool crlf)
    {
        var (config, _) = await OpenScenarioAsync("S3", crlf);

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "[profile role-b]", "role-b", 2));

        var markdown = $"""
            **Profile `role-b`**

            Credential chain, from the base to this profile:

            1. `default`: static keys in {CredentialsPath}
            2. `role-a`: AssumeRole `RoleA` in account `111111111111` · MFA `arn:aws:iam::222222222222:mfa/User1`
            3. `role-b`: AssumeRole `RoleB` in account `111111111111`

            `role-b <- role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys, {CredentialsPath})`

            **Use it:** `aws sts get-caller-identity --profile role-b` · `export AWS_PROFILE=role-b`

            - JavaScript SDK v2 reads roles from `~/.aws/config` only with `AWS_SDK_LOAD_CONFIG=1` (else: *Missing credentials in config*).
            - MFA: the CLI prompts for the code; SDKs need an MFA callback, and the .NET SDK refuses MFA role profiles in its default chain.

            """.ReplaceLineEndings("\n");
        JsonAssert.Exact($$"""
            {
              "contents": { "kind": "markdown", "value": {{JsonSerializer.Serialize(markdown)}} },
              "range": {{LspText.RangeIn(config, "[profile role-b]", "role-b")}}
            }
            """, hover);
    }

    [Fact]
    public async Task Hover_OnTheBracketsOfAProfileHeader_CoversTheWholeHeader()
    {
        var (config, _) = await OpenScenarioAsync("S3");

        var hover = await HoverAsync(ConfigUri, LspText.At(config, "[profile role-b]", 0));

        JsonAssert.Subset($$"""{ "range": {{LspText.RangeOf(config, "[profile role-b]")}} }""", hover);
        Assert.StartsWith("**Profile `role-b`**\n", Markdown(hover));
    }

    [Fact]
    public async Task Hover_S3SourceProfileValue_ShowsTheChainOfTheProfileItNames()
    {
        var (config, _) = await OpenScenarioAsync("S3");

        // source_profile = role-b in [profile role-c]: the hover is about role-b, over the value.
        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "source_profile = role-b", "role-b", 6));

        JsonAssert.Subset($$"""{ "contents": { "kind": "markdown" }, "range": {{LspText.RangeIn(config, "source_profile = role-b", "role-b")}} }""", hover);
        var markdown = Markdown(hover);
        Assert.StartsWith("**Profile `role-b`**\n", markdown);
        Assert.Contains($"`role-b <- role-a (MFA arn:aws:iam::222222222222:mfa/User1) <- default (static keys, {CredentialsPath})`", markdown);
    }

    [Fact]
    public async Task Hover_ProfileInALoop_ShowsTheCliErrorAndNoChain()
    {
        var (config, _) = await OpenScenarioAsync("S3");

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "[profile loop-x]", "loop-x"));

        Assert.Equal("""
            **Profile `loop-x`**

            **The AWS CLI fails:** `source-profile-loop`: Infinite loop in credential configuration detected. Attempting to load from profile loop-x which has already been visited. Visited profiles: ['loop-x', 'loop-y', 'loop-z']

            **Use it:** `aws sts get-caller-identity --profile loop-x` · `export AWS_PROFILE=loop-x`

            """.ReplaceLineEndings("\n"), Markdown(hover));
    }

    [Fact]
    public async Task Hover_SourceProfileThatDoesNotExist_ShowsTheCliError()
    {
        var config = "[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/orphan\nsource_profile = nope\n";
        await Client.OpenAsync(ConfigUri, config);

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "source_profile = nope", "nope"));
        var orphan = await HoverAsync(ConfigUri, LspText.AtIn(config, "[profile orphan]", "orphan"));

        Assert.StartsWith("**Profile `nope`**\n\n**The AWS CLI fails:** `", Markdown(hover));
        Assert.Contains("nope", Markdown(hover).Split('\n')[2]);
        Assert.Contains("**The AWS CLI fails:** `source-profile-not-found`: ", Markdown(orphan));
    }

    [Fact]
    public async Task Hover_S5Develop_ShowsTheMfaChainAndTheJavaScriptSdkV2Caveat()
    {
        var (config, _) = await OpenScenarioAsync("S5");

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "[profile develop]", "develop", 7));

        var markdown = Markdown(hover);
        Assert.Contains($"`develop (MFA arn:aws:iam::987654321098:mfa/developer) <- default (static keys, {CredentialsPath})`", markdown);
        Assert.Contains("**Use it:** `aws sts get-caller-identity --profile develop` · `export AWS_PROFILE=develop`\n", markdown);
        Assert.Contains("- JavaScript SDK v2 reads roles from `~/.aws/config` only with `AWS_SDK_LOAD_CONFIG=1` (else: *Missing credentials in config*).\n", markdown);
    }

    [Fact]
    public async Task Hover_S5SourceProfileDefault_ShowsTheKeysInTheCredentialsFileWithoutTheSdkCaveat()
    {
        var (config, _) = await OpenScenarioAsync("S5");

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "source_profile = default", "default"));

        Assert.Equal($"""
            **Profile `default`**

            Credential chain, from the base to this profile:

            1. `default`: static keys in {CredentialsPath}

            `default (static keys, {CredentialsPath})`

            **Use it:** `aws sts get-caller-identity --profile default` · `export AWS_PROFILE=default`

            """.ReplaceLineEndings("\n"), Markdown(hover));
    }

    [Fact]
    public async Task Hover_NamesOutsideAscii_HaveUtf16RangesAndTheirChain()
    {
        var config = NavigationFixture.Crlf(NavigationFixture.Config);
        await Client.OpenAsync(ConfigUri, config);
        await Client.OpenAsync(CredentialsUri, NavigationFixture.Credentials, "awscredentials");

        var header = await HoverAsync(ConfigUri, LspText.AtIn(config, "[profile 😀-ops]", "ops"));
        var value = await HoverAsync(ConfigUri, LspText.AtIn(config, "source_profile = 開発-admin", "admin"));

        JsonAssert.Subset($$"""{ "range": {{LspText.RangeIn(config, "[profile 😀-ops]", "😀-ops")}} }""", header);
        Assert.Contains("`😀-ops <- 開発-admin <- develop (MFA arn:aws:iam::987654321098:mfa/developer) <- default (static keys, ", Markdown(header));
        Assert.Contains("`aws sts get-caller-identity --profile 😀-ops` · `export AWS_PROFILE=😀-ops`", Markdown(header));
        JsonAssert.Subset($$"""{ "range": {{LspText.RangeIn(config, "source_profile = 開発-admin", "開発-admin")}} }""", value);
        Assert.StartsWith("**Profile `開発-admin`**\n", Markdown(value));
    }

    [Fact]
    public async Task Hover_ProfileNameWithSpaces_QuotesItInTheShellCommands()
    {
        var config = "[profile \"my team\"]\nrole_arn = arn:aws:iam::123456789012:role/team\ncredential_source = Environment\n";
        await Client.OpenAsync(ConfigUri, config);

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "\"my team\"", "team"));

        Assert.Contains("**Use it:** `aws sts get-caller-identity --profile 'my team'` · `export AWS_PROFILE='my team'`\n", Markdown(hover));
    }

    [Fact]
    public async Task Hover_RoleArnValue_ShowsTheAccountAndTheProfilesThatShareIt()
    {
        var config = """
            [profile admin]
            role_arn = arn:aws:iam::111111111111:role/Admin
            source_profile = base

            [profile admin-again]
            role_arn = arn:aws:iam::111111111111:role/Admin
            source_profile = base

            [profile reader]
            role_arn = arn:aws:iam::111111111111:role/Reader
            source_profile = base

            [profile elsewhere]
            role_arn = arn:aws:iam::999999999999:role/Admin
            source_profile = base

            [profile sso-same-account]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = Admin

            """;
        await Client.OpenAsync(ConfigUri, config);

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "role_arn = arn:aws:iam::111111111111:role/Admin", "111111111111"));

        JsonAssert.Exact($$"""
            {
              "contents": { "kind": "markdown", "value": "**Role ARN** in account `111111111111`\n\nOther profiles in this account: `admin-again`, `reader`, `sso-same-account`\n\nAlso used by: `admin-again`\n" },
              "range": {{LspText.RangeIn(config, "role_arn = arn:aws:iam::111111111111:role/Admin", "arn:aws:iam::111111111111:role/Admin")}}
            }
            """, hover);
    }

    [Fact]
    public async Task Hover_MfaSerialValue_ShowsTheDeviceAccount()
    {
        var (config, _) = await OpenScenarioAsync("S3");

        var hover = await HoverAsync(ConfigUri, LspText.AtIn(config, "mfa_serial = arn:aws:iam::222222222222:mfa/User1", "mfa/User1"));

        Assert.Equal("**MFA device** in account `222222222222`\n", Markdown(hover));
    }

    [Theory]
    [InlineData("# S5", 3)]
    [InlineData("region = ap-northeast-1", 8)] // the blank between delimiter and value
    public async Task Hover_AnywhereElse_ReturnsNull(string context, int delta)
    {
        var (config, _) = await OpenScenarioAsync("S5");

        var hover = await HoverAsync(ConfigUri, LspText.At(config, context, delta));

        Assert.Equal(JsonValueKind.Null, hover.ValueKind);
    }

    [Fact]
    public async Task Hover_EveryPositionOfBothFiles_NeverShowsASecret()
    {
        // S3 keeps a secret key in the config itself ([profile keyed]); the credentials file adds a session token.
        var (s3Config, s3Credentials) = (File.ReadAllText(Path.Combine(ScenariosFolder, "S3", "config")), File.ReadAllText(Path.Combine(ScenariosFolder, "S3", "credentials")));
        var config = s3Config + "\n" + NavigationFixture.Config;
        var credentials = s3Credentials.Replace("[default]", "[s3-default]") + "\n" + NavigationFixture.Credentials;
        var secrets = new[] { NavigationFixture.SecretKey, NavigationFixture.SessionToken, "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY" };
        Assert.All(secrets, secret => Assert.Contains(secret, config + credentials));
        await Client.OpenAsync(ConfigUri, config);
        await Client.OpenAsync(CredentialsUri, credentials, "awscredentials");

        var positions = new List<(string Uri, int Line, int Character)>();
        foreach (var (uri, text) in new[] { (ConfigUri, config), (CredentialsUri, credentials) })
        {
            var lines = text.Split('\n');
            for (var line = 0; line < lines.Length; line++)
            {
                for (var character = 0; character <= lines[line].Length; character++) positions.Add((uri, line, character));
            }
        }
        // In batches, as an editor asks while the pointer moves: thousands of requests at once would measure the test
        // machine's load against each request's timeout, not what a hover shows.
        var results = new List<JsonElement>();
        foreach (var batch in positions.Chunk(256))
        {
            results.AddRange(await Task.WhenAll(batch.Select(at => HoverAsync(at.Uri, new { line = at.Line, character = at.Character }))));
        }

        var shown = results.Where(r => r.ValueKind != JsonValueKind.Null).Select(r => r.GetRawText()).ToList();
        Assert.Contains(shown, text => text.Contains("Credential chain"));
        Assert.Contains(shown, text => text.Contains("**Role ARN**"));
        foreach (var secret in secrets)
        {
            var leak = shown.FirstOrDefault(text => text.Contains(secret, StringComparison.Ordinal) || text.Contains(secret[..12], StringComparison.Ordinal));
            Assert.True(leak is null, $"A hover shows a secret: {leak}");
        }
    }

    private static string Markdown(JsonElement hover)
    {
        Assert.Equal("markdown", hover.GetProperty("contents").GetProperty("kind").GetString());
        return hover.GetProperty("contents").GetProperty("value").GetString()!;
    }
}
