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

    [Fact]
    public void A_message_written_from_its_parts_longer_than_the_stack_buffer_is_written_whole()
    {
        // missing-mfa-serial's message is written from its parts; five long sibling names make it ~1,100 characters.
        var name = new string('n', 180);
        var config = "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
            + string.Concat(Enumerable.Range(0, 6).Select(i => $"[profile {name}-{i}]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/u\n"))
            + "[profile plain-é]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\n";
        var model = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(config)),
            ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse("")));
        var diagnostics = DiagnosticEngine.Analyze(model);
        var finding = Assert.Single(diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial);
        Assert.True(finding.MessageLength > 1000);
        Assert.Equal(finding.MessageLength, finding.Message.Length);
        Assert.StartsWith($"`plain-é` sends no MFA code, but the other role profiles with source_profile = base (`{name}-0`, ", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith($"`{name}-4` and 1 more) do (mfa_serial). If this role's trust policy requires MFA, STS answers AccessDenied without mentioning MFA.", finding.Message, StringComparison.Ordinal);
        const string uri = "file:///home/u/.aws/config";
        var expected = new PublishDiagnosticsParams(uri, [.. diagnostics.Select(d => LspConvert.ToLsp(d, model, _ => uri))]);
        var written = new DiagnosticsJson().Write(uri, null, ConfigFileKind.Config, diagnostics, model, uri, null);
        var text = System.Text.Encoding.UTF8.GetString(written.Utf8.Span);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(expected, LspJsonContext.Default.PublishDiagnosticsParams)), JsonNode.Parse(text)), text);
        Assert.Contains(finding.Message, JsonNode.Parse(text)!["diagnostics"]!.AsArray().Select(d => (string?)d!["message"]));
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

    /// <summary>
    /// A config of <paramref name="count"/> role profiles, each with a finding (a misspelt output), and independent of
    /// each other (roles of one source_profile are each other's siblings: an edit to one re-runs them all).
    /// </summary>
    private static string Roles(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $"[profile r{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\ncredential_source = Environment\noutput = jsn\n\n"));

    private sealed class Session(string config, DiagnosticsJson? writer = null)
    {
        private const string ConfigUri = "file:///home/u/.aws/config";
        private const string CredentialsUri = "file:///home/u/.aws/credentials";
        private ConfigFile configFile = ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(config));
        private readonly ConfigFile credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse("[base]\naws_access_key_id = A\naws_secret_access_key = B\n"));
        private ProfileModel? model;
        private AnalysisResult? analysis;

        public string Text { get; private set; } = config;

        public DiagnosticsJson Writer { get; } = writer ?? new();

        /// <summary>How the last publish's analysis ran (full or incremental, and why).</summary>
        public string Mode => analysis?.Mode ?? "";

        public void Edit(int start, int end, string insert)
        {
            Text = string.Concat(Text.AsSpan(0, start), insert, Text.AsSpan(end));
            configFile = ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", configFile.Syntax.WithEdit(start, end, insert), previous: configFile);
        }

        /// <summary>Publishes (incrementally analysed, through the kept writer) and checks it against a fresh writer's JSON of a fresh analysis.</summary>
        public RawJson Publish(bool release = true)
        {
            model = new ProfileModel(configFile, credentialsFile, model);
            analysis = DiagnosticEngine.Analyze(model, analysis, null);
            var written = Writer.Write(ConfigUri, 1, ConfigFileKind.Config, analysis.Diagnostics, model, ConfigUri, CredentialsUri);
            var scratch = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, "/c", SyntaxParser.Parse(Text)), credentialsFile);
            var fresh = new DiagnosticsJson().Write(ConfigUri, 1, ConfigFileKind.Config, DiagnosticEngine.Analyze(scratch), scratch, ConfigUri, CredentialsUri);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(fresh.Utf8.Span), System.Text.Encoding.UTF8.GetString(written.Utf8.Span));
            if (release) written.Release();
            return written;
        }
    }

    [Fact]
    public void Publishes_after_edits_are_written_into_the_array_of_the_last_one_around_it()
    {
        var session = new Session(Roles(300));
        session.Publish();
        var array = session.Writer.LastArray;
        var random = new Random(7);
        var wrapped = false;
        for (var edit = 0; edit < 60; edit++)
        {
            // Typing in a value, a line break before some findings (their line numbers change), a finding mended and
            // one made: each publish is copied from the last, mostly, through the same array.
            var text = session.Text;
            var at = text.IndexOf("output = jsn", random.Next(text.Length / 2), StringComparison.Ordinal);
            if (at < 0) at = text.IndexOf("output = jsn", StringComparison.Ordinal);
            switch (edit % 4)
            {
                case 0: session.Edit(at + 9, at + 12, "json"); break;
                case 1: session.Edit(at, at, "\n"); break;
                case 2: session.Edit(at + 9, at + 9, "x"); break;
                default: session.Edit(at + 12, at + 12, "\nregion = us-east-1"); break;
            }
            var written = session.Publish();
            wrapped |= !written.Second.IsEmpty;
            Assert.Same(array, session.Writer.LastArray);
        }
        Assert.True(wrapped, "no publish wrapped around the end of the array");
    }

    [Fact]
    public void A_first_publish_written_in_two_halves_is_the_one_written_whole_and_later_publishes_copy_from_it()
    {
        // Large first publishes write their second half on another thread, into the same array after room for the first,
        // with tables of their own appended after the first half's: the bytes must be those one writer makes, and the
        // publishes after edits, which copy items and patch their line numbers from those tables, must be too
        // (Session.Publish compares each with a fresh writer's).
        var session = new Session(Roles(300), new DiagnosticsJson { ParallelFrom = 64 });
        var first = session.Publish();
        Assert.True(first.Length > 10_000);
        var array = session.Writer.LastArray;
        var random = new Random(11);
        var copied = 0;
        for (var edit = 0; edit < 24; edit++)
        {
            var text = session.Text;
            var at = text.IndexOf("output = jsn", random.Next(text.Length), StringComparison.Ordinal);
            if (at < 0) at = text.IndexOf("output = jsn", StringComparison.Ordinal);
            switch (edit % 3)
            {
                case 0: session.Edit(at, at, "\n"); break;
                case 1: session.Edit(at + 9, at + 9, "x"); break;
                default: session.Edit(at + 9, at + 12, "json"); break;
            }
            session.Publish();
            copied += session.Writer.LastCopied;
            // The array of the first publish (its first half's room and the second half's) is the ring after it.
            Assert.Same(array, session.Writer.LastArray);
        }
        Assert.True(copied > 1000, $"only {copied} items were copied from earlier publishes");
    }

    [Fact]
    public void A_publish_that_outgrows_the_free_room_moves_to_an_array_of_its_own()
    {
        var session = new Session(Roles(20));
        session.Publish();
        var array = session.Writer.LastArray;

        // A paste of 400 more profiles with findings at the start: many times the last publish.
        session.Edit(0, 0, Roles(400).Replace("[profile r", "[profile pasted", StringComparison.Ordinal));
        session.Publish();

        Assert.NotSame(array, session.Writer.LastArray);
        session.Edit(0, 0, "\n");
        session.Publish();
    }

    [Fact]
    public void A_publish_that_grows_before_the_findings_it_copies_never_writes_over_them()
    {
        // Findings added near the end, one per publish (an invalid region in the last profiles), until the array has
        // less free room than three findings take...
        var session = new Session(Roles(100));
        var written = session.Publish();
        var array = session.Writer.LastArray;
        for (var n = 0; session.Writer.LastCapacity - written.Length > 600; n++)
        {
            Assert.True(n < 90, "the array never filled up");
            var header = $"[profile r{99 - n}]\n";
            var at = session.Text.IndexOf(header, StringComparison.Ordinal) + header.Length;
            session.Edit(at, at, $"region = nowhere-{n}\n");
            written = session.Publish();
            Assert.Same(array, session.Writer.LastArray);
        }

        // ... then three at the start, in one edit: the publish grows by more than the free room before the ninety-odd
        // findings it copies after them, so it must move to an array of its own before it reaches their bytes, not
        // write over them (Publish compares it with a fresh writer's).
        var from = session.Text.IndexOf("[profile r1]\n", StringComparison.Ordinal);
        var to = session.Text.IndexOf("[profile r4]\n", StringComparison.Ordinal);
        var edited = session.Text[from..to].Replace("credential_source = Environment\n", "credential_source = Environment\nregion = nowhere\n", StringComparison.Ordinal);
        session.Edit(from, to, edited);
        session.Publish();
        Assert.True(session.Writer.LastCopied > 90, $"copied {session.Writer.LastCopied}, encoded {session.Writer.LastEncoded}, analysis {session.Mode}");
        Assert.NotSame(array, session.Writer.LastArray);
    }

    [Fact]
    public void While_the_last_publish_is_being_sent_the_next_goes_elsewhere_and_leaves_its_bytes_alone()
    {
        var session = new Session(Roles(200));
        var sending = session.Publish(release: false);
        var sent = System.Text.Encoding.UTF8.GetString(sending.Utf8.Span);
        var array = session.Writer.LastArray;

        session.Edit(0, 0, "\n");
        session.Publish();

        Assert.NotSame(array, session.Writer.LastArray);
        Assert.Equal(sent, System.Text.Encoding.UTF8.GetString(sending.Utf8.Span));
        sending.Release();
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
