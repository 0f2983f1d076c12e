using System.Text.Json;
using AwsConfigLsp.Aws;
using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server.TestProfile;

/// <summary>
/// Base of the "Test this profile" server tests: an in-memory server whose AWS environment (variables, home) the test
/// gives, so nothing reads the real ~/.aws or reaches the internet; a client that answers <c>awsconfig/mfaCode</c>.
/// </summary>
public abstract class TestProfileServerTest : IAsyncLifetime
{
    protected TempFolder Folder { get; } = new();
    protected LspTestClient Client { get; private set; } = null!;
    protected string ConfigUri => Folder.Uri("home/.aws/config");
    protected string CredentialsUri => Folder.Uri("home/.aws/credentials");
    protected string Home => Folder.Combine("home");

    /// <summary>The server's environment variables; set before <see cref="StartAsync"/>.</summary>
    protected Dictionary<string, string> Variables { get; } = new() { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" };

    protected TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    protected async Task StartAsync(object? capabilities = null, string? settings = null)
    {
        Directory.CreateDirectory(Home);
        var options = LspTestClient.Options(Folder.Combine("cli")) with
        {
            Aws = new AwsEnvironment(Variables, Home),
            AwsCallTimeout = CallTimeout,
            IamTimeout = TimeSpan.FromSeconds(3),
        };
        Client = LspTestClient.StartInMemory(options);
        Client.Settings = settings;
        await Client.InitializeAsync(capabilities ?? new { workspace = new { executeCommand = new { }, configuration = settings is not null } });
    }

    public virtual async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        Folder.Dispose();
    }

    /// <summary>Opens both files (the credentials file also written to disk, where the server reads a partner file).</summary>
    protected async Task OpenAsync(string config, string credentials = "")
    {
        Folder.Write("home/.aws/credentials", credentials);
        Folder.Write("home/.aws/config", config);
        await Client.OpenAsync(ConfigUri, config);
        await Client.NextDiagnosticsAsync(ConfigUri);
    }

    protected Task<JsonElement> TestAsync(string profile, string? uri = null, CancellationToken cancellationToken = default) =>
        Client.RequestAsync("workspace/executeCommand", new { command = "awsconfig.testProfile", arguments = new[] { new { profile, uri = uri ?? ConfigUri } } }, cancellationToken);

    protected Task<JsonElement> CodeLensAsync(string? uri = null) =>
        Client.RequestAsync("textDocument/codeLens", new { textDocument = new { uri = uri ?? ConfigUri } });

    /// <summary>Answers every MFA prompt with <paramref name="codes"/> in turn (null: cancel).</summary>
    protected void AnswerMfa(params string?[] codes)
    {
        var queue = new Queue<string?>(codes);
        Client.MfaCode = (_, _) => Task.FromResult(queue.Count > 0 ? queue.Dequeue() : null);
    }
}
