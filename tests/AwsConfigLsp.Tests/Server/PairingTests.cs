using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// A config buffer is analysed together with the credentials file beside it (and the reverse): open buffers win over
/// their files on disk, and the disk side is read again on save and on watched-file events.
/// </summary>
public sealed class PairingTests : IAsyncLifetime
{
    private const string RoleConfig = "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/role\nsource_profile = base\n";
    private const string BaseKeys = "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    private const string OtherKeys = "[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    private readonly TempFolder folder = new();
    private LspTestClient client = null!;
    private string configUri = null!;
    private string credentialsUri = null!;

    public async Task InitializeAsync()
    {
        // The editor's folder is an ".aws"-like folder that is not the CLI's own: pairing is by the sibling's name.
        client = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await client.InitializeAsync();
        configUri = folder.Uri("home/.aws/config");
        credentialsUri = folder.Uri("home/.aws/credentials");
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task OpenConfig_SourceWithKeysOnlyInTheCredentialsFileOnDisk_ResolvesWithoutDiagnostics()
    {
        folder.Write("home/.aws/credentials", BaseKeys);

        await client.OpenAsync(configUri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: null));
    }

    [Fact]
    public async Task OpenConfig_PartialKeysInTheCredentialsFileOnDisk_ArePublishedForTheCredentialsUri()
    {
        folder.Write("home/.aws/credentials", BaseKeys + "\n[half]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");

        await client.OpenAsync(configUri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        var published = await client.NextDiagnosticsAsync(credentialsUri);
        JsonAssert.Subset($$"""
            {
              "uri": "{{credentialsUri}}",
              "diagnostics": [{ "range": { "start": { "line": 5 } }, "code": "partial-static-credentials", "severity": 1 }]
            }
            """, published);
        Assert.False(published.TryGetProperty("version", out _), "A file that is not open has no version.");
    }

    [Fact]
    public async Task OpenCredentialsBuffer_WinsOverItsFileOnDisk_AndClosingItFallsBackToTheDisk()
    {
        folder.Write("home/.aws/credentials", OtherKeys);
        await client.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "range": { "start": { "line": 2, "character": 17 } }, "code": "source-profile-not-found" }]""",
            await client.NextDiagnosticsAsync(configUri, version: 1));
        await client.NextDiagnosticsAsync(credentialsUri, version: null);

        // The unsaved buffer has the keys the file on disk lacks.
        await client.OpenAsync(credentialsUri, BaseKeys, "ini", version: 3);

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: 3));

        await client.CloseAsync(credentialsUri);

        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: null));
    }

    [Fact]
    public async Task EditInTheCredentialsBuffer_RepublishesTheConfigBuffer()
    {
        await client.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));
        await client.OpenAsync(credentialsUri, OtherKeys, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: 1));

        await client.ChangeAsync(credentialsUri, 2, (0, 1, 0, 6, "base"));

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: 2));
    }

    [Fact]
    public async Task DidSave_ReadsThePartnerFileFromDiskAgain()
    {
        folder.Write("home/.aws/credentials", OtherKeys);
        await client.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));

        // Another program (aws configure) adds the source profile; the editor saves the config buffer.
        folder.Write("home/.aws/credentials", OtherKeys + "\n" + BaseKeys);
        await client.SaveAsync(configUri);

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
    }

    [Fact]
    public async Task DidChangeWatchedFiles_OnThePartner_Republishes()
    {
        folder.Write("home/.aws/credentials", OtherKeys);
        await client.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));
        await client.NextDiagnosticsAsync(credentialsUri, version: null);

        folder.Write("home/.aws/credentials", "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = credentialsUri, type = 2 } } });

        // The source now exists with only half of its keys: the error moves to the credentials file, where the key is.
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Subset("""[{ "code": "partial-static-credentials", "range": { "start": { "line": 1 } } }]""",
            await client.NextDiagnosticsAsync(credentialsUri, version: null));
    }

    [Fact]
    public async Task DidChangeWatchedFiles_CreatingThePartner_PublishesForIt()
    {
        await client.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await client.NextDiagnosticsAsync(configUri, version: 1));

        folder.Write("home/.aws/credentials", BaseKeys);
        await client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = credentialsUri, type = 1 } } });

        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(configUri, version: 1));
        JsonAssert.Exact("[]", await client.NextDiagnosticsAsync(credentialsUri, version: null));
    }

    [Fact]
    public async Task CliFiles_PairWithEachOtherWhateverTheirNames()
    {
        // AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE may name any two files.
        var options = new ServerOptions(
            new AwsFileLocations(folder.Combine("custom/my-config.ini"), folder.Combine("secrets/my-keys")), TimeSpan.FromMilliseconds(20));
        await using var cliClient = LspTestClient.StartInMemory(options);
        await cliClient.InitializeAsync();
        var keys = folder.Write("secrets/my-keys", BaseKeys);
        TempFolder.MakePrivate(keys);
        var uri = folder.Uri("custom/my-config.ini");

        await cliClient.OpenAsync(uri, RoleConfig, "ini");

        JsonAssert.Exact("[]", await cliClient.NextDiagnosticsAsync(uri, version: 1));
        JsonAssert.Exact("[]", await cliClient.NextDiagnosticsAsync(folder.Uri("secrets/my-keys"), version: null));
    }

    [Fact]
    public async Task InitializeWithDynamicWatchers_RegistersWatchersForBothFiles()
    {
        await using var watching = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        await watching.InitializeAsync(new { workspace = new { didChangeWatchedFiles = new { dynamicRegistration = true } } });

        var registration = await watching.NextRegistrationAsync();

        JsonAssert.Subset($$"""
            {
              "registrations": [{
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": [
                  { "globPattern": "**/.aws/config" },
                  { "globPattern": "**/.aws/credentials" },
                  { "globPattern": {{System.Text.Json.JsonSerializer.Serialize(folder.Combine("cli/config"))}} },
                  { "globPattern": {{System.Text.Json.JsonSerializer.Serialize(folder.Combine("cli/credentials"))}} }
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
        await using var refusing = LspTestClient.StartInMemory(LspTestClient.Options(folder.Combine("cli")));
        refusing.RefuseRegistrationsWith = errorCode;
        await refusing.InitializeAsync(new { workspace = new { didChangeWatchedFiles = new { dynamicRegistration = true } } });

        await refusing.NextRegistrationAsync();
        var log = await refusing.NextLogMessageAsync();

        JsonAssert.Subset("""{ "type": 3 }""", log);
        Assert.StartsWith("The client refused file watching (Dynamic registration is not supported.)", log.GetProperty("message").GetString());
        await refusing.OpenAsync(configUri, RoleConfig, "ini");
        JsonAssert.Subset("""[{ "code": "source-profile-not-found" }]""", await refusing.NextDiagnosticsAsync(configUri, version: 1));
    }
}
