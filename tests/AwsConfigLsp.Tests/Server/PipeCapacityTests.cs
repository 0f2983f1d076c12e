using System.IO.Pipes;
using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>The server's stdin and stdout pipes are enlarged on Linux (a huge didOpen or publish crosses them in fewer pieces).</summary>
public sealed class PipeCapacityTests
{
    [Fact]
    public void A_pipe_is_enlarged_to_the_wanted_capacity_on_linux()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        var descriptor = (int)pipe.SafePipeHandle.DangerousGetHandle();

        var capacity = PipeCapacity.TryEnlarge(descriptor);

        if (OperatingSystem.IsLinux()) Assert.True(capacity >= PipeCapacity.Wanted, $"capacity {capacity}");
        else Assert.Null(capacity);
    }

    [Fact]
    public void A_file_is_not_a_pipe_and_is_left_as_it_is()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = new FileStream(path, FileMode.Open);
            Assert.Null(PipeCapacity.TryEnlarge((int)file.SafeFileHandle.DangerousGetHandle()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
