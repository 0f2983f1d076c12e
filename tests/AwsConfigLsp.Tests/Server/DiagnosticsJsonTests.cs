using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// The server writes publishDiagnostics params itself (DiagnosticsJson); what the client receives must be exactly the
/// JSON of the LSP objects LspConvert builds, and incremental analyses must stay incremental under equal facts.
/// </summary>
public sealed class DiagnosticsJsonTests
{
    private const string Config = """
        [profile base]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        [profile a]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = base
        mfa_serial = arn:aws:iam::111111111111:mfa/u
        [profile b]
        role_arn = arn:aws:iam::111111111111:role/B
        source_profile = base
        region = us-eest-1
        output = "quoted" "text" \ é
        duration_seconds = 1h
        [profile c]
        source_profile = missing
        role_arn = arn:aws:iam::111111111111:role/C
        """;

    private const string Credentials = "[base]\naws_secret_access_key = x\n[profile d]\naws_access_key_id = A\n";

    private static ProfileModel Model() => new(
        ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(Config)),
        ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse(Credentials)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Written_params_equal_the_serialized_lsp_objects(bool credentialsHasUri)
    {
        var model = Model();
        var diagnostics = DiagnosticEngine.Analyze(model);
        Assert.Contains(diagnostics, d => !d.Related.IsEmpty);
        const string configUri = "file:///home/u/.aws/config";
        string? credentialsUri = credentialsHasUri ? "file:///home/u/.aws/credentials" : null;
        var writer = new DiagnosticsJson();
        foreach (var (kind, version) in new[] { (ConfigFileKind.Config, (int?)7), (ConfigFileKind.Credentials, null) })
        {
            var uri = kind == ConfigFileKind.Config ? configUri : "file:///home/u/.aws/credentials";
            var expected = new PublishDiagnosticsParams(uri, [.. diagnostics.Where(d => d.Location.File == kind)
                .Select(d => LspConvert.ToLsp(d, model, k => k == ConfigFileKind.Config ? configUri : credentialsUri))]) { Version = version };
            Assert.NotEmpty(expected.Diagnostics);
            var expectedJson = JsonSerializer.Serialize(expected, LspJsonContext.Default.PublishDiagnosticsParams);
            // Twice: the second write copies every diagnostic from the first and encodes no message.
            for (var round = 0; round < 2; round++)
            {
                var written = writer.Write(uri, version, kind, diagnostics, model, configUri, credentialsUri);
                var text = System.Text.Encoding.UTF8.GetString(written.Utf8.Span);
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), JsonNode.Parse(text)), $"expected {expectedJson}\nwritten {text}");
                // The writer reuses the buffer of a released publish.
                written.Release();
            }
            Assert.Equal(0, writer.LastEncoded);
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(400)]
    public void The_first_publish_is_written_into_one_buffer_of_about_its_size(int folderLength)
    {
        // Long URIs (repeated by every related place) and long messages: the buffer is sized from them, not grown.
        var model = Model();
        var diagnostics = DiagnosticEngine.Analyze(model);
        Assert.Contains(diagnostics, d => !d.Related.IsEmpty);
        var folder = new string('x', folderLength);
        var configUri = $"file:///home/{folder}/.aws/config";
        var credentialsUri = $"file:///home/{folder}/.aws/credentials";
        var writer = new DiagnosticsJson();

        var written = writer.Write(configUri, 1, ConfigFileKind.Config, diagnostics, model, configUri, credentialsUri);

        Assert.InRange(writer.LastCapacity, written.Utf8.Length, written.Utf8.Length * 3 / 2 + 4096);
    }

    [Fact]
    public void No_diagnostics_write_an_empty_list_without_a_model()
    {
        var written = new DiagnosticsJson().Write("file:///x", null, ConfigFileKind.Config, [], null, null, null);
        Assert.Equal("""{"uri":"file:///x","diagnostics":[]}""", System.Text.Encoding.UTF8.GetString(written.Utf8.Span));
    }

    [Fact]
    public void Facts_with_equal_mfa_outcomes_keep_the_next_analysis_incremental()
    {
        static FileFacts Facts() => new()
        {
            MfaOutcomes = [new MfaTestOutcome("a", "arn:aws:iam::111111111111:role/A", "text", ["arn:aws:iam::111111111111:mfa/u"], null)],
        };
        Assert.Equal(Facts(), Facts());
        Assert.NotEqual(Facts(), Facts() with { MfaOutcomes = [] });
        Assert.NotEqual(Facts(), new FileFacts { MfaOutcomes = [Facts().MfaOutcomes[0] with { CandidateSerials = ImmutableArray<string>.Empty }] });

        var model = Model();
        var first = DiagnosticEngine.Analyze(model, null, DiagnosticOptions.Default, facts: Facts());
        var text = model.Config.Syntax;
        var at = Config.IndexOf("us-eest-1", StringComparison.Ordinal);
        var edited = ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", text.WithEdit(at, at + 9, "us-east-1"), previous: model.Config);
        var next = new ProfileModel(edited, model.Credentials, model);
        var second = DiagnosticEngine.Analyze(next, first, DiagnosticOptions.Default, facts: Facts());
        Assert.StartsWith("incremental", second.Mode, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRegion);
    }
}
