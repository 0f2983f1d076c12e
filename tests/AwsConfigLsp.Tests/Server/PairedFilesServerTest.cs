using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// Base of server tests that edit a config and its credentials file in an ".aws"-like folder of a temporary home that
/// is not the CLI's own (the server's CLI paths point elsewhere), so the two pair as sibling files. Starts an
/// in-memory server per test and shuts it down after.
/// </summary>
public abstract class PairedFilesServerTest : IAsyncLifetime
{
    protected TempFolder Folder { get; } = new();
    protected LspTestClient Client { get; private set; } = null!;
    protected string ConfigUri { get; private set; } = null!;
    protected string CredentialsUri { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Client = LspTestClient.StartInMemory(LspTestClient.Options(Folder.Combine("cli")));
        await Client.InitializeAsync();
        ConfigUri = Folder.Uri("home/.aws/config");
        CredentialsUri = Folder.Uri("home/.aws/credentials");
    }

    public virtual async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Folder.Dispose();
    }
}
