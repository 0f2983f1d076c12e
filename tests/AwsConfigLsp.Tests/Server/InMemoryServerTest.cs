using AwsConfigLsp.Tests.Support;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// Base of server tests: a temporary folder and an in-memory server (its CLI paths point into the folder's <c>cli</c>
/// subfolder), started and initialized before each test and shut down after. <see cref="ConfigUri"/> and
/// <see cref="CredentialsUri"/> name a config and credentials pair in an ".aws"-like folder that is not the CLI's own,
/// so the two pair as sibling files.
/// </summary>
public abstract class InMemoryServerTest : IAsyncLifetime
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
