using System.Text.Json;
using System.Text.Json.Serialization;
using AwsConfigLsp.Server.Protocol;
using StreamJsonRpc;

namespace AwsConfigLsp.Tests.Support;

/// <summary>
/// The test clients' formatter: StreamJsonRpc's own System.Text.Json formatter (reflection allowed here), so the
/// server's <see cref="LspMessageFormatter"/> is checked against an independent implementation of the wire format.
/// </summary>
public static class ClientFormatter
{
    public static SystemTextJsonFormatter Create()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        formatter.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        formatter.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, LspJsonContext.Default);
        return formatter;
    }
}
