using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A config buffer is analysed together with the credentials file beside it (and the reverse): open buffers win over
/// their files on disk, and the disk side is read again on save and on watched-file events.
/// </summary>
public sealed class PairingTests : InMemoryServerTest
{
    private const string RoleConfig = "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/role\nsource_profile = base\n";
    private const string BaseKeys = "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    private const string OtherKeys = "[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";


    [Fact]
    public async Task OpenConfig_SourceWithKeysOnlyInTheCredentialsFileOnDisk_ResolvesWithoutDiagnostics()
    {
        Folder.Write("home/.aws/credentials", BaseKeys);

        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: null));
    }

    [Fact]
    public async Task OpenConfig_PartialKeysInTheCredentialsFileOnDisk_ArePublishedForTheCredentialsUri()
    {
        Folder.Write("home/.aws/credentials", BaseKeys + "\n[half]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");

        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        var published = await Client.NextDiagnosticsAsync(CredentialsUri);
        JsonAssert.Subset($$"""
            {
              "uri": "{{CredentialsUri}}",
              "diagnostics": [{ "range": { "start": { "line": 5 } }, "code": "partial-static-credentials", "severity": 1 }]
            }
            """, published);
        Assert.False(published.TryGetProperty("version", out _), "A file that is not open has no version.");
    }

    [Fact]
    public async Task OpenCredentialsBuffer_WinsOverItsFileOnDisk_AndClosingItFallsBackToTheDisk()
    {
        Folder.Write("home/.aws/credentials", OtherKeys);
        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "range": { "start": { "line": 2, "character": 17 } }, "code": "source-profile-not-found" }]""",
            await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        await Client.NextDiagnosticsAsync(CredentialsUri, version: null);

        // The unsaved buffer has the keys the file on disk lacks.
        await Client.OpenAsync(CredentialsUri, BaseKeys, "ini", version: 3);

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: 3));

        await Client.CloseAsync(CredentialsUri);

        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: null));
    }

    [Fact]
    public async Task EditInTheCredentialsBuffer_RepublishesTheConfigBuffer()
    {
        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        await Client.OpenAsync(CredentialsUri, OtherKeys, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: 1));

        await Client.ChangeAsync(CredentialsUri, 2, (0, 1, 0, 6, "base"));

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: 2));
    }

    [Fact]
    public async Task DidSave_ReadsThePartnerFileFromDiskAgain()
    {
        Folder.Write("home/.aws/credentials", OtherKeys);
        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));

        // Another program (aws configure) adds the source profile; the editor saves the config buffer.
        Folder.Write("home/.aws/credentials", OtherKeys + "\n" + BaseKeys);
        await Client.SaveAsync(ConfigUri);

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
    }

    [Fact]
    public async Task DidChangeWatchedFiles_OnThePartner_Republishes()
    {
        Folder.Write("home/.aws/credentials", OtherKeys);
        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        await Client.NextDiagnosticsAsync(CredentialsUri, version: null);

        Folder.Write("home/.aws/credentials", "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
        await Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = CredentialsUri, type = 2 } } });

        // The source now exists with only half of its keys: the error moves to the credentials file, where the key is.
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Subset("""[{ "code": "partial-static-credentials", "range": { "start": { "line": 1 } } }]""",
            await Client.NextDiagnosticsAsync(CredentialsUri, version: null));
    }

    [Fact]
    public async Task DidChangeWatchedFiles_CreatingThePartner_PublishesForIt()
    {
        await Client.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));

        Folder.Write("home/.aws/credentials", BaseKeys);
        await Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = CredentialsUri, type = 1 } } });

        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(ConfigUri, version: 1));
        JsonAssert.Exact("[]", await Client.NextDiagnosticsAsync(CredentialsUri, version: null));
    }

    [Fact]
    public async Task CliFiles_PairWithEachOtherWhateverTheirNames()
    {
        // AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE may name any two files.
        var options = new ServerOptions(
            new AwsFileLocations(Folder.Combine("custom/my-config.ini"), Folder.Combine("secrets/my-keys")), TimeSpan.FromMilliseconds(20));
        await using var cliClient = LspTestClient.StartInMemory(options);
        await cliClient.InitializeAsync();
        var keys = Folder.Write("secrets/my-keys", BaseKeys);
        TempFolder.MakePrivate(keys);
        var uri = Folder.Uri("custom/my-config.ini");

        await cliClient.OpenAsync(uri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await cliClient.NextDiagnosticsAsync(uri, version: 1));
        JsonAssert.Exact("[]", await cliClient.NextDiagnosticsAsync(Folder.Uri("secrets/my-keys"), version: null));
    }

    [Fact]
    public async Task InitializeWithDynamicWatchers_RegistersWatchersForBothFiles()
    {
        await using var watching = LspTestClient.StartInMemory(LspTestClient.Options(Folder.Combine("cli")));
        await watching.InitializeAsync(new { workspace = new { didChangeWatchedFiles = new { dynamicRegistration = true } } });

        var registration = await watching.NextRegistrationAsync();

        JsonAssert.Subset($$"""
            {
              "registrations": [{
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": [
                  { "globPattern": "**/.aws/config" },
                  { "globPattern": "**/.aws/credentials" },
                  { "globPattern": {{System.Text.Json.JsonSerializer.Serialize(Folder.Combine("cli/config"))}} },
                  { "globPattern": {{System.Text.Json.JsonSerializer.Serialize(Folder.Combine("cli/credentials"))}} }
                ] }
              }]
            }
            """, registration);
    }

    [Theory]
    [InlineData(-32601)] // A client without the method: StreamJsonRpc raises RemoteMethodNotFoundException.
    [InlineData(-32803)] // RequestFailed: StreamJsonRpc raises RemoteInvocationException.
    public async Task InitializeWithDynamicWatchers_ClientRefuses_LogsItAndCarriesOn(int errorCode)
    {
        await using var refusing = LspTestClient.StartInMemory(LspTestClient.Options(Folder.Combine("cli")));
        refusing.RefuseRegistrationsWith = errorCode;
        await refusing.InitializeAsync(new { workspace = new { didChangeWatchedFiles = new { dynamicRegistration = true } } });

        await refusing.NextRegistrationAsync();
        var log = await refusing.NextLogMessageAsync();

        JsonAssert.Subset("""{ "type": 3 }""", log);
        Assert.StartsWith("The client refused file watching (Dynamic registration is not supported.)", log.GetProperty("message").GetString());
        await refusing.OpenAsync(ConfigUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await refusing.NextDiagnosticsAsync(ConfigUri, version: 1));
    }
}
