using System.Text.Json;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using AwsConfigLsp.Tests.Support;
using Xunit;
using static AwsConfigLsp.Tests.Server.NavigationFixture;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// textDocument/definition, references, documentHighlight, prepareRename, rename and workspace/symbol over JSON-RPC,
/// across a config buffer and its credentials file (open, or only on disk). Expected ranges are computed from the
/// test's own text (<see cref="LspText"/>), in UTF-16 units, so names outside ASCII and CRLF line breaks are checked
/// against an independent count.
/// </summary>
public sealed class NavigationTests : InMemoryServerTest
{

    private async Task<(string Config, string Credentials)> OpenBothAsync(bool crlf = false, string config = Config, string credentials = Credentials)
    {
        if (crlf)
        {
            config = Crlf(config);
            credentials = Crlf(credentials);
        }
        await Client.OpenAsync(ConfigUri, config);
        await Client.OpenAsync(CredentialsUri, credentials, "awscredentials");
        return (config, credentials);
    }

    private Task<JsonElement> DefinitionAsync(string uri, object position) =>
        Client.RequestAsync("textDocument/definition", new { textDocument = new { uri }, position });

    private Task<JsonElement> ReferencesAsync(string uri, object position, bool includeDeclaration) =>
        Client.RequestAsync("textDocument/references", new { textDocument = new { uri }, position, context = new { includeDeclaration } });

    private Task<JsonElement> RenameAsync(string uri, object position, string newName) =>
        Client.RequestAsync("textDocument/rename", new { textDocument = new { uri }, position, newName });

    // ---- definition ----

    [Fact]
    public async Task Definition_S5SourceProfileDefault_JumpsToTheDefaultSectionsOfBothFiles()
    {
        // S5 as the user has it: [default] has a region in the config and the keys in the credentials file on disk.
        var s5 = Path.Combine(Baseline.FixturesFolder(), "Scenarios", "S5");
        var config = File.ReadAllText(Path.Combine(s5, "config"));
        var credentials = File.ReadAllText(Path.Combine(s5, "credentials"));
        Folder.Write("home/.aws/credentials", credentials);
        await Client.OpenAsync(ConfigUri, config);

        var locations = await DefinitionAsync(ConfigUri, LspText.AtIn(config, "source_profile = default", "default", 3));

        JsonAssert.Exact($$"""
            [
              { "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[default]", "default")}} },
              { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(credentials, "[default]", "default")}} }
            ]
            """, locations);
    }

    [Fact]
    public async Task Definition_SourceProfileDefinedOnlyInTheCredentialsFileOnDisk_JumpsIntoTheCredentialsFile()
    {
        var config = "[profile develop]\nrole_arn = arn:aws:iam::123456789012:role/develop\nsource_profile = default\n";
        Folder.Write("home/.aws/credentials", Credentials);
        await Client.OpenAsync(ConfigUri, config);

        // At the end of the value: a cursor that touches the name counts.
        var locations = await DefinitionAsync(ConfigUri, LspText.AtIn(config, "source_profile = default", "default", "default".Length));

        JsonAssert.Exact($$"""[{ "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(Credentials, "[default]", "default")}} }]""", locations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Definition_SourceProfileInTheCredentialsFile_JumpsToTheConfigHeaderInUtf16Units(bool crlf)
    {
        var (config, credentials) = await OpenBothAsync(crlf);

        // Between the surrogate pair's two units and "-ops" would split the emoji; 2 is right after it.
        var locations = await DefinitionAsync(CredentialsUri, LspText.AtIn(credentials, "source_profile = 😀-ops", "😀-ops", 2));

        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[profile 😀-ops]", "😀-ops")}} }]""", locations);
        JsonAssert.Subset("""[{ "range": { "start": { "character": 9 }, "end": { "character": 15 } } }]""", locations);
    }

    [Fact]
    public async Task Definition_SsoSessionValue_JumpsToItsSsoSessionSection()
    {
        var (config, _) = await OpenBothAsync();

        var locations = await DefinitionAsync(ConfigUri, LspText.AtIn(config, "sso_session = corp", "corp", 1));

        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[sso-session corp]", "corp")}} }]""", locations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Definition_OnAHeaderName_ReturnsThatHeader(bool crlf)
    {
        var (config, _) = await OpenBothAsync(crlf);

        var admin = await DefinitionAsync(ConfigUri, LspText.AtIn(config, "[profile 開発-admin]", "開発", 1));
        var session = await DefinitionAsync(ConfigUri, LspText.AtIn(config, "[sso-session corp]", "corp"));

        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[profile 開発-admin]", "開発-admin")}} }]""", admin);
        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[sso-session corp]", "corp")}} }]""", session);
    }

    [Fact]
    public async Task Definition_OnTheDefaultHeaderOfTheCredentialsFile_ReturnsBothSectionsThatDefineDefault()
    {
        var (config, credentials) = await OpenBothAsync();

        var locations = await DefinitionAsync(CredentialsUri, LspText.AtIn(credentials, "[default]", "default"));

        JsonAssert.Exact($$"""
            [
              { "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[default]", "default")}} },
              { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(credentials, "[default]", "default")}} }
            ]
            """, locations);
    }

    [Theory]
    [InlineData("region = ap-northeast-1", 12)] // another key's value
    [InlineData("role_arn = arn:aws:iam::123456789012:role/develop", 20)] // an ARN
    [InlineData("source_profile = default", 3)] // the key, not the value
    [InlineData("# S5: the CLI works", 10)] // a comment that names profiles
    [InlineData("sso_start_url = https://corp.awsapps.com/start", 30)]
    [InlineData("[profile develop]", 0)] // the bracket before "profile"
    public async Task Definition_AnywhereElse_ReturnsNothing(string context, int delta)
    {
        var (config, _) = await OpenBothAsync();

        JsonAssert.Exact("[]", await DefinitionAsync(ConfigUri, LspText.At(config, context, delta)));
    }

    // ---- references and highlights ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task References_OnAProfileHeader_FindEverySourceProfileThatNamesItInBothFiles(bool includeDeclaration)
    {
        var (config, credentials) = await OpenBothAsync();

        var references = await ReferencesAsync(CredentialsUri, LspText.AtIn(credentials, "[default]", "default", 2), includeDeclaration);

        var declarations = $$"""
            { "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[default]", "default")}} },
            { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(credentials, "[default]", "default")}} },
            """;
        JsonAssert.Exact($$"""
            [
              {{(includeDeclaration ? declarations : "")}}
              { "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "source_profile = default", "default")}} },
              { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(credentials, "source_profile = default", "default")}} }
            ]
            """, references);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task References_OnASourceProfileValue_FindTheHeaderAndEveryReferenceInBothFiles(bool crlf, bool includeDeclaration)
    {
        var (config, credentials) = await OpenBothAsync(crlf, Config + "[profile 🚀-deploy]\nrole_arn = arn:aws:iam::210987654321:role/deploy\nsource_profile = 😀-ops\n");

        var references = await ReferencesAsync(ConfigUri, LspText.AtIn(config, "source_profile = 😀-ops", "😀-ops", 3), includeDeclaration);

        var declaration = $$"""{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "[profile 😀-ops]", "😀-ops")}} },""";
        JsonAssert.Exact($$"""
            [
              {{(includeDeclaration ? declaration : "")}}
              { "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "source_profile = 😀-ops", "😀-ops")}} },
              { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(credentials, "source_profile = 😀-ops", "😀-ops")}} }
            ]
            """, references);
    }

    [Fact]
    public async Task References_OnAnSsoSessionHeader_FindTheProfilesThatUseIt()
    {
        var (config, _) = await OpenBothAsync();

        var references = await ReferencesAsync(ConfigUri, LspText.AtIn(config, "[sso-session corp]", "corp"), includeDeclaration: false);

        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "sso_session = corp", "corp")}} }]""", references);
    }

    [Fact]
    public async Task References_OnAnotherValue_ReturnsNothing()
    {
        var (config, _) = await OpenBothAsync();

        JsonAssert.Exact("[]", await ReferencesAsync(ConfigUri, LspText.At(config, "region = ap-northeast-1", 10), includeDeclaration: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DocumentHighlight_StaysInTheFile_DeclarationsAreWriteAndReferencesRead(bool crlf)
    {
        var (config, credentials) = await OpenBothAsync(crlf);

        var inConfig = await Client.RequestAsync("textDocument/documentHighlight",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "source_profile = default", "default") });
        var inCredentials = await Client.RequestAsync("textDocument/documentHighlight",
            new { textDocument = new { uri = CredentialsUri }, position = LspText.AtIn(credentials, "[default]", "default", 7) });

        JsonAssert.Exact($$"""
            [
              { "range": {{LspText.RangeIn(config, "[default]", "default")}}, "kind": 3 },
              { "range": {{LspText.RangeIn(config, "source_profile = default", "default")}}, "kind": 2 }
            ]
            """, inConfig);
        JsonAssert.Exact($$"""
            [
              { "range": {{LspText.RangeIn(credentials, "[default]", "default")}}, "kind": 3 },
              { "range": {{LspText.RangeIn(credentials, "source_profile = default", "default")}}, "kind": 2 }
            ]
            """, inCredentials);
    }

    // ---- prepareRename ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PrepareRename_OnAHeaderOrAReference_GivesTheNameRangeAndThePlainName(bool crlf)
    {
        var config = Config + "[profile \"my name\"]\nsource_profile = 😀-ops\nrole_arn = arn:aws:iam::123456789012:role/mine\n";
        (config, var credentials) = await OpenBothAsync(crlf, config);

        var header = await Client.RequestAsync("textDocument/prepareRename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "[profile 😀-ops]", "😀-ops", 3) });
        var reference = await Client.RequestAsync("textDocument/prepareRename",
            new { textDocument = new { uri = CredentialsUri }, position = LspText.AtIn(credentials, "source_profile = 😀-ops", "😀-ops") });
        var quoted = await Client.RequestAsync("textDocument/prepareRename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "[profile \"my name\"]", "name") });
        var session = await Client.RequestAsync("textDocument/prepareRename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "sso_session = corp", "corp") });

        JsonAssert.Exact($$"""{ "range": {{LspText.RangeIn(config, "[profile 😀-ops]", "😀-ops")}}, "placeholder": "😀-ops" }""", header);
        JsonAssert.Exact($$"""{ "range": {{LspText.RangeIn(credentials, "source_profile = 😀-ops", "😀-ops")}}, "placeholder": "😀-ops" }""", reference);
        // The range covers the quotes the rename replaces; the placeholder is the name the CLI reads.
        JsonAssert.Exact($$"""{ "range": {{LspText.RangeIn(config, "[profile \"my name\"]", "\"my name\"")}}, "placeholder": "my name" }""", quoted);
        JsonAssert.Exact($$"""{ "range": {{LspText.RangeIn(config, "sso_session = corp", "corp")}}, "placeholder": "corp" }""", session);
    }

    [Theory]
    [InlineData("region = ap-northeast-1", 12, "Only profile and sso-session names can be renamed.")]
    [InlineData("role_arn = arn:aws:iam::123456789012:role/develop", 2, "Only profile and sso-session names can be renamed.")]
    [InlineData("# S5", 2, "Only profile and sso-session names can be renamed.")]
    [InlineData("source_profile = nope", 18, "No profile named 'nope' is defined in these files.")]
    [InlineData("sso_session = gone", 15, "No sso-session named 'gone' is defined in these files.")]
    public async Task PrepareRename_Elsewhere_IsRefusedWithAPlainMessage(string context, int delta, string message)
    {
        var config = Config + "[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/orphan\nsource_profile = nope\n\n[profile orphan-sso]\nsso_session = gone\n";
        await OpenBothAsync(config: config);

        var error = await Client.RequestErrorAsync("textDocument/prepareRename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.At(config, context, delta) });

        Assert.Equal((-32803, message), (error.Code, error.Message));
    }

    // ---- rename ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rename_DefaultFromTheCredentialsFile_ChangesBothHeadersAndEveryReference(bool crlf)
    {
        var (config, credentials) = await OpenBothAsync(crlf);

        var edit = await RenameAsync(CredentialsUri, LspText.AtIn(credentials, "[default]", "default", 3), "base");

        JsonAssert.Exact($$"""
            {
              "changes": {
                "{{ConfigUri}}": [
                  { "range": {{LspText.RangeIn(config, "[default]", "default")}}, "newText": "profile base" },
                  { "range": {{LspText.RangeIn(config, "source_profile = default", "default")}}, "newText": "base" }
                ],
                "{{CredentialsUri}}": [
                  { "range": {{LspText.RangeIn(credentials, "[default]", "default")}}, "newText": "base" },
                  { "range": {{LspText.RangeIn(credentials, "source_profile = default", "default")}}, "newText": "base" }
                ]
              }
            }
            """, edit);
        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        var eol = crlf ? "\r\n" : "\n";
        Assert.Contains($"{eol}[profile base]{eol}region = ap-northeast-1{eol}", newConfig);
        Assert.StartsWith($"[base]{eol}aws_access_key_id", newCredentials);
        AssertSameChains(config, credentials, newConfig, newCredentials, "default", "base");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rename_ToANameWithSpaces_QuotesItInConfigHeadersOnly(bool crlf)
    {
        var (config, credentials) = await OpenBothAsync(crlf);

        // From the reference in the credentials file, with a name outside the BMP.
        var edit = await RenameAsync(CredentialsUri, LspText.AtIn(credentials, "source_profile = 😀-ops", "😀-ops", 2), "🚀 ops team");

        JsonAssert.Exact($$"""
            {
              "changes": {
                "{{ConfigUri}}": [{ "range": {{LspText.RangeIn(config, "[profile 😀-ops]", "😀-ops")}}, "newText": "\"🚀 ops team\"" }],
                "{{CredentialsUri}}": [{ "range": {{LspText.RangeIn(credentials, "source_profile = 😀-ops", "😀-ops")}}, "newText": "🚀 ops team" }]
              }
            }
            """, edit);
        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.Contains("[profile \"🚀 ops team\"]", newConfig);
        Assert.Contains("source_profile = 🚀 ops team", newCredentials);
        AssertSameChains(config, credentials, newConfig, newCredentials, "😀-ops", "🚀 ops team");
    }

    [Fact]
    public async Task Rename_DefaultToANameWithSpacesInBothFiles_QuotesTheConfigHeaderAndNotTheCredentialsOne()
    {
        var (config, credentials) = await OpenBothAsync();

        var edit = await RenameAsync(ConfigUri, LspText.AtIn(config, "source_profile = default", "default"), "my base");

        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.Contains("\n[profile \"my base\"]\nregion = ap-northeast-1\n", newConfig);
        Assert.Contains("source_profile = my base\n", newConfig);
        Assert.StartsWith("[my base]\n", newCredentials);
        Assert.Contains("source_profile = my base\n", newCredentials);
        AssertSameChains(config, credentials, newConfig, newCredentials, "default", "my base");
    }

    [Theory]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData(@"back\slash", @"'back\slash'")]
    public async Task Rename_ToNamesThatNeedQuoting_UsesQuotesShlexReadsBack(string newName, string header)
    {
        var (config, credentials) = await OpenBothAsync();

        var edit = await RenameAsync(ConfigUri, LspText.AtIn(config, "[profile 開発-admin]", "admin"), newName);

        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.Contains($"[profile {header}]", newConfig);
        Assert.Contains($"source_profile = {newName}\n", newConfig);
        AssertSameChains(config, credentials, newConfig, newCredentials, "開発-admin", newName);
    }

    [Fact]
    public async Task Rename_SsoSession_ChangesItsHeaderAndTheProfilesThatUseIt()
    {
        var (config, credentials) = await OpenBothAsync();

        var edit = await RenameAsync(ConfigUri, LspText.AtIn(config, "[sso-session corp]", "corp"), "corp-2");

        JsonAssert.Exact($$"""
            {
              "changes": {
                "{{ConfigUri}}": [
                  { "range": {{LspText.RangeIn(config, "[sso-session corp]", "corp")}}, "newText": "corp-2" },
                  { "range": {{LspText.RangeIn(config, "sso_session = corp", "corp")}}, "newText": "corp-2" }
                ]
              }
            }
            """, edit);
        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.Equal(Chains(Model(config, credentials), name => name, session => session == "corp" ? "corp-2" : session),
            Chains(Model(newConfig, newCredentials), name => name, session => session));
    }

    [Fact]
    public async Task Rename_ConfigDefaultWithNoCredentialsSection_BecomesAProfileHeader()
    {
        var config = "[default]\nregion = eu-west-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + SecretKey + "\n\n"
            + "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n";
        await Client.OpenAsync(ConfigUri, config);

        var edit = await RenameAsync(ConfigUri, LspText.AtIn(config, "[default]", "default"), "x");

        JsonAssert.Exact($$"""
            {
              "changes": {
                "{{ConfigUri}}": [
                  { "range": {{LspText.RangeIn(config, "[default]", "default")}}, "newText": "profile x" },
                  { "range": {{LspText.RangeIn(config, "source_profile = default", "default")}}, "newText": "x" }
                ]
              }
            }
            """, edit);
        var (newConfig, _) = Apply(edit, config, "");
        Assert.StartsWith("[profile x]\nregion = eu-west-1\n", newConfig);
        AssertSameChains(config, "", newConfig, "", "default", "x");
    }

    [Theory]
    [InlineData("develop", "'develop' already exists; renaming would merge two profiles.")]
    [InlineData("batch", "'batch' already exists; renaming would merge two profiles.")]
    [InlineData("it's \"x\"", "'it's \"x\"' has both kinds of quotes; the CLI could not read it back from a section header.")]
    [InlineData("two\nlines", "A name cannot span lines.")]
    [InlineData("cr\rname", "A name cannot span lines.")]
    [InlineData(" leading", "The CLI strips spaces around names; remove the leading or trailing whitespace.")]
    [InlineData("trailing\t", "The CLI strips spaces around names; remove the leading or trailing whitespace.")]
    [InlineData("", "The new name is empty.")]
    public async Task Rename_ToANameTheCliCannotReadBackOrThatExists_IsRefusedWithAPlainMessage(string newName, string message)
    {
        var (config, _) = await OpenBothAsync();

        var error = await Client.RequestErrorAsync("textDocument/rename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "[profile 😀-ops]", "ops"), newName });

        Assert.Equal((-32803, message), (error.Code, error.Message));
    }

    [Fact]
    public async Task Rename_ExistingSessionName_IsRefused()
    {
        var config = Config + "[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n";
        await OpenBothAsync(config: config);

        var error = await Client.RequestErrorAsync("textDocument/rename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.AtIn(config, "sso_session = corp", "corp"), newName = "other" });

        Assert.Equal((-32803, "'other' already exists; renaming would merge two sessions."), (error.Code, error.Message));
    }

    [Fact]
    public async Task Rename_CredentialsProfileToDEFAULT_IsRefusedBecauseConfigparserWouldTurnItIntoDefaults()
    {
        // [DEFAULT] in the credentials file is not a profile: configparser gives its keys to every other section.
        var (_, credentials) = await OpenBothAsync();

        var error = await Client.RequestErrorAsync("textDocument/rename",
            new { textDocument = new { uri = CredentialsUri }, position = LspText.AtIn(credentials, "[batch]", "batch"), newName = "DEFAULT" });

        Assert.Equal((-32803, "[DEFAULT] is the section of defaults that every section inherits, not a profile; choose another name."), (error.Code, error.Message));
    }

    [Fact]
    public async Task Rename_ConfigOnlyProfileToDEFAULT_IsAllowedBecauseTheHeaderIsProfileDEFAULT()
    {
        var (config, credentials) = await OpenBothAsync();

        var edit = await RenameAsync(ConfigUri, LspText.AtIn(config, "[profile develop]", "develop"), "DEFAULT");

        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.Contains("[profile DEFAULT]\n", newConfig);
        AssertSameChains(config, credentials, newConfig, newCredentials, "develop", "DEFAULT");
    }

    [Theory]
    [InlineData("[default]\nregion = eu-west-1\n\n[profile default]\nregion = us-east-1\n", "default")]
    [InlineData("[profile a]\nregion = eu-west-1\n\n[profile  \"a\"]\nregion = us-east-1\n", "a")]
    public async Task Rename_ProfileThatTwoConfigSectionsDefine_IsRefusedRatherThanWritingTheSameHeaderTwice(string config, string name)
    {
        // Renaming both headers would give two identical headers, and configparser rejects the whole file.
        await Client.OpenAsync(ConfigUri, config);

        var error = await Client.RequestErrorAsync("textDocument/rename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.At(config, "region = us-east-1", -3), newName = "x" });

        Assert.Equal((-32803, $"'{name}' is defined by 2 sections of the config file and the CLI reads only the last; remove the others before renaming."),
            (error.Code, error.Message));
    }

    [Fact]
    public async Task Rename_SourceProfileInheritedFromTheDefaultsSection_IsRenamedToo()
    {
        // configparser copies [DEFAULT]'s keys into every section, so both roles chain from base through that one line.
        var config = "[DEFAULT]\nsource_profile = base\n\n[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\n\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\n";
        var credentials = "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + SecretKey + "\n";
        await OpenBothAsync(config: config, credentials: credentials);

        var references = await ReferencesAsync(CredentialsUri, LspText.AtIn(credentials, "[base]", "base"), includeDeclaration: false);
        var edit = await RenameAsync(CredentialsUri, LspText.AtIn(credentials, "[base]", "base"), "root");

        JsonAssert.Exact($$"""[{ "uri": "{{ConfigUri}}", "range": {{LspText.RangeIn(config, "source_profile = base", "base")}} }]""", references);
        var (newConfig, newCredentials) = Apply(edit, config, credentials);
        Assert.StartsWith("[DEFAULT]\nsource_profile = root\n", newConfig);
        AssertSameChains(config, credentials, newConfig, newCredentials, "base", "root");
    }

    [Fact]
    public async Task Rename_OnSomethingThatIsNotAName_IsRefused()
    {
        var (config, _) = await OpenBothAsync();

        var error = await Client.RequestErrorAsync("textDocument/rename",
            new { textDocument = new { uri = ConfigUri }, position = LspText.At(config, "region = ap", 3), newName = "x" });

        Assert.Equal((-32803, "Only profile and sso-session names can be renamed."), (error.Code, error.Message));
    }

    // ---- workspace/symbol ----

    [Fact]
    public async Task WorkspaceSymbol_EmptyQuery_ListsProfilesOfBothFilesThenSessions()
    {
        var (config, credentials) = await OpenBothAsync();

        var symbols = await Client.RequestAsync("workspace/symbol", new { query = "" });

        string Symbol(string name, int kind, string container, string uri, string text, string context) =>
            $$"""{ "name": "{{name}}", "kind": {{kind}}, "containerName": "{{container}}", "location": { "uri": "{{uri}}", "range": {{LspText.RangeIn(text, context, name)}} } }""";
        JsonAssert.Exact($"""
            [
              {Symbol("default", 5, "profile", ConfigUri, config, "[default]")},
              {Symbol("develop", 5, "profile", ConfigUri, config, "[profile develop]")},
              {Symbol("開発-admin", 5, "profile", ConfigUri, config, "[profile 開発-admin]")},
              {Symbol("😀-ops", 5, "profile", ConfigUri, config, "[profile 😀-ops]")},
              {Symbol("sso-dev", 5, "profile", ConfigUri, config, "[profile sso-dev]")},
              {Symbol("batch", 5, "profile", CredentialsUri, credentials, "[batch]")},
              {Symbol("night-ops", 5, "profile", CredentialsUri, credentials, "[night-ops]")},
              {Symbol("temp", 5, "profile", CredentialsUri, credentials, "[temp]")},
              {Symbol("corp", 11, "sso-session", ConfigUri, config, "[sso-session corp]")}
            ]
            """, symbols);
    }

    [Theory]
    [InlineData("OPS", new[] { "😀-ops", "night-ops" })]
    [InlineData("開発", new[] { "開発-admin" })]
    [InlineData("co", new[] { "corp" })]
    [InlineData("dev", new[] { "develop", "sso-dev" })]
    [InlineData("nothing-like-this", new string[0])]
    public async Task WorkspaceSymbol_Query_FiltersByNameIgnoringCase(string query, string[] names)
    {
        await OpenBothAsync();

        var symbols = await Client.RequestAsync("workspace/symbol", new { query });

        Assert.Equal(names, symbols.EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task WorkspaceSymbol_OnlyTheConfigOpen_StillListsTheCredentialsFileOnDisk()
    {
        Folder.Write("home/.aws/credentials", Credentials);
        await Client.OpenAsync(ConfigUri, Config);

        var symbols = await Client.RequestAsync("workspace/symbol", new { query = "night" });

        JsonAssert.Exact($$"""
            [{ "name": "night-ops", "kind": 5, "containerName": "profile",
               "location": { "uri": "{{CredentialsUri}}", "range": {{LspText.RangeIn(Credentials, "[night-ops]", "night-ops")}} } }]
            """, symbols);
    }

    // ---- helpers ----

    /// <summary>Applies a rename's <c>changes</c> to both texts; a URI other than the two fails the test.</summary>
    private (string Config, string Credentials) Apply(JsonElement workspaceEdit, string config, string credentials)
    {
        foreach (var file in workspaceEdit.GetProperty("changes").EnumerateObject())
        {
            if (file.Name == ConfigUri) config = LspText.Apply(config, file.Value);
            else if (file.Name == CredentialsUri) credentials = LspText.Apply(credentials, file.Value);
            else Assert.Fail($"The edit changes {file.Name}, which is neither file.");
        }
        return (config, credentials);
    }

    internal static ProfileModel Model(string config, string credentials) => new(
        ConfigFile.Create(ConfigFileKind.Config, "/home/user/.aws/config", SyntaxParser.Parse(config)),
        ConfigFile.Create(ConfigFileKind.Credentials, "/home/user/.aws/credentials", SyntaxParser.Parse(credentials)));

    /// <summary>The renamed files resolve every profile as before, with <paramref name="oldName"/> read as <paramref name="newName"/>; no profile is lost or gained.</summary>
    private static void AssertSameChains(string config, string credentials, string newConfig, string newCredentials, string oldName, string newName)
    {
        var before = Model(config, credentials);
        var after = Model(newConfig, newCredentials);
        Assert.Empty(after.Config.Problems);
        Assert.Empty(after.Credentials.Problems);
        Assert.Contains(newName, after.Profiles.Keys);
        Assert.DoesNotContain(oldName, after.Profiles.Keys);
        Assert.Equal(Chains(before, name => name == oldName ? newName : name, session => session), Chains(after, name => name, session => session));
    }

    /// <summary>Every profile's chain (or error kind), one line each, sorted, with names mapped.</summary>
    private static string Chains(ProfileModel model, Func<string, string> profileName, Func<string, string> sessionName)
    {
        var lines = model.Profiles.Keys.Select(name =>
        {
            var resolution = model.Resolve(name);
            var hops = resolution.Chain.Select(hop =>
                $"{hop.Kind}:{profileName(hop.Profile)}:{hop.File}:{hop.RoleArn}:{hop.MfaSerial}:{(hop.SsoSession is null ? "" : sessionName(hop.SsoSession))}");
            return $"{profileName(name)} = {string.Join(" <- ", hops)}{(resolution.Error is { } error ? $" error {error.Kind}" : "")}";
        });
        return string.Join("\n", lines.Order(StringComparer.Ordinal));
    }
}
