using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// The server builds each version of a file and of the model from the one before (reusing untouched sections and
/// profiles). After any sequence of edits to either file, that model and its diagnostics must be exactly those of a
/// model built from scratch from the same text.
/// </summary>
public sealed class IncrementalModelTests
{
    private static readonly Gen<string> Line = Gen.Frequency(
        (3, Gen.OneOf("[default]", "[profile a]", "[profile b]", "[profile c]", "[profile d e]", "[a]", "[b]", "[DEFAULT]",
            "[sso-session s]", "[sso-session t]", "[services x]", "[plugins]", "[profile \"q r\"]", "[unclosed")),
        (6, Gen.OneOf("region = us-east-1", "region = us-eest-1", "output = jsn", "role_arn = arn:aws:iam::111111111111:role/R",
            "role_arn = nope", "source_profile = a", "source_profile = b", "source_profile = c", "source_profile = zz",
            "mfa_serial = arn:aws:iam::111111111111:mfa/u", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "sso_session = s", "sso_session = u",
            "sso_start_url = https://x.awsapps.com/start", "sso_region = us-east-1", "sso_account_id = 111111111111",
            "sso_role_name = R", "duration_seconds = 7200", "duration_seconds = x", "credential_source = Ec2InstanceMetadata",
            "regoin = x", "Region = us-west-2", "empty =", "output = json # c", "s3 =", "services = x", "sso_region = nowhere")),
        (2, Gen.OneOf("  max_concurrent_requests = 20", "  endpoint_url = http://x", "  continued")),
        (2, Gen.OneOf("# comment", "; awsconfig-disable-next-line invalid-region", "", "junk")));

    private static readonly Gen<string> Text = Line.Array[0, 25].Select(lines => string.Concat(lines.Select(l => l + "\n")));

    private static readonly Gen<string> Inserted = Gen.OneOf("", "x", "\n", " ", "=", "[profile a]\n", "[profile z]\n", "region = us-east-1\n",
        "source_profile = a\n", "mfa_serial = arn:aws:iam::111111111111:mfa/v\n", "]", "[", "#", "a", "[DEFAULT]\nregion = eu-west-1\n",
        "role_arn = arn:aws:iam::1:role/X\n", "sso_session = t\n", "  k = v\n");

    private sealed record Edit(bool Credentials, int Position, int Length, string Text);

    private static readonly Gen<Edit> EditGen = Gen.Select(Gen.Bool, Gen.Int[0, 100_000], Gen.Int[0, 12], Inserted,
        (credentials, position, length, text) => new Edit(credentials, position, length, text));

    /// <summary>What happens to the analysis after an edit: it completes, is cancelled (at its first check or at some time), or completes and is thrown away.</summary>
    private enum Interruption { None, CancelledAtOnce, CancelledLater, Abandoned }

    private static readonly Gen<(Edit Edit, Interruption Interruption, int Spin)> InterruptedEditGen = Gen.Select(EditGen,
        Gen.Frequency((4, Gen.Const(Interruption.None)), (2, Gen.Const(Interruption.CancelledAtOnce)), (1, Gen.Const(Interruption.CancelledLater)), (2, Gen.Const(Interruption.Abandoned))),
        Gen.Int[0, 20_000]);

    [Fact]
    public void Incremental_analysis_after_cancelled_or_abandoned_analyses_equals_a_full_analysis()
    {
        var incrementalAnalyses = 0;
        var interrupted = 0;
        Gen.Select(Text, Text, InterruptedEditGen.Array[1, 12]).Sample((configText, credentialsText, edits) =>
        {
            var pair = new EditedPair(configText, credentialsText);
            var model = pair.Model;
            // The last completed (and kept) analysis, as the server's chain keeps it.
            var completed = DiagnosticEngine.Analyze(model, null, null);
            foreach (var (edit, interruption, spin) in edits)
            {
                pair.Apply(edit);
                model = pair.Model;

                switch (interruption)
                {
                    case Interruption.CancelledAtOnce:
                    case Interruption.CancelledLater:
                        using (var cancellation = new CancellationTokenSource())
                        {
                            if (interruption == Interruption.CancelledAtOnce) cancellation.Cancel();
                            else _ = Task.Run(() => { Thread.SpinWait(spin); cancellation.Cancel(); });
                            try
                            {
                                completed = DiagnosticEngine.Analyze(model, completed, null, cancellation.Token);
                                completed.Commit();
                            }
                            catch (OperationCanceledException)
                            {
                                Interlocked.Increment(ref interrupted);
                            }
                        }
                        // The next edit's analysis starts from the last completed one.
                        continue;
                    case Interruption.Abandoned:
                        DiagnosticEngine.Analyze(model, completed, null).Abandon();
                        Interlocked.Increment(ref interrupted);
                        continue;
                }
                var scratch = pair.FromScratch();
                var expected = Render(DiagnosticEngine.Analyze(scratch));
                completed = DiagnosticEngine.Analyze(model, completed, null);
                completed.Commit();
                if (completed.Mode.StartsWith("incremental", StringComparison.Ordinal)) Interlocked.Increment(ref incrementalAnalyses);
                Assert.Equal(expected, Render(completed.Diagnostics));
            }
        }, iter: 300, seed: null);
        Assert.True(interrupted > 300, $"only {interrupted} interrupted analyses");
        Assert.True(incrementalAnalyses > 200, $"only {incrementalAnalyses} incremental analyses");
    }

    [Fact]
    public void Incremental_model_and_analysis_equal_a_model_and_analysis_built_from_scratch()
    {
        var reused = 0;
        var incrementalAnalyses = 0;
        var shifted = 0;
        var copied = 0;
        var spliced = 0;
        var patched = 0;
        Gen.Select(Text, Text, EditGen.Array[1, 12]).Sample((configText, credentialsText, edits) =>
        {
            var pair = new EditedPair(configText, credentialsText);
            // One writer per file across the versions, as the server keeps one per URI.
            DiagnosticsJson[] writers = [new(), new()];
            var model = pair.Model;
            var analysis = DiagnosticEngine.Analyze(model, null, null);
            foreach (var edit in edits)
            {
                var editedFile = pair.Apply(edit);
                model = pair.Model;
                if (editedFile.Change is not null) Interlocked.Increment(ref reused);

                var scratch = pair.FromScratch();
                Assert.Equal(Dump(scratch), Dump(model));
                var expected = Render(DiagnosticEngine.Analyze(scratch));
                Assert.Equal(expected, Render(DiagnosticEngine.Analyze(model)));
                // Incremental analysis from the previous version's result: the same diagnostics.
                analysis = DiagnosticEngine.Analyze(model, analysis, null);
                if (analysis.Mode.StartsWith("incremental", StringComparison.Ordinal)) Interlocked.Increment(ref incrementalAnalyses);
                if (analysis.Mode.Contains("(spliced:", StringComparison.Ordinal)) Interlocked.Increment(ref spliced);
                for (var i = 0; i < analysis.Diagnostics.Count; i++)
                {
                    if (analysis.Diagnostics.GetShifted(i).Moved) Interlocked.Increment(ref shifted);
                }
                // The publish JSON reads moved findings shifted, without building them: the same bytes as for a
                // fresh full analysis (written by a fresh writer, as a fresh server would).
                var full = DiagnosticEngine.Analyze(scratch);
                foreach (var kind in new[] { ConfigFileKind.Config, ConfigFileKind.Credentials })
                {
                    var fresh = Json(new DiagnosticsJson(), kind, full, scratch);
                    // The kept writer skips some versions, as the server publishes after a burst of edits: what it
                    // copies must hold across several edits at different places.
                    if ((edit.Position & 3) != 0 || edit == edits[^1])
                    {
                        Assert.Equal(fresh, Json(writers[(int)kind], kind, analysis.Diagnostics, model));
                        Interlocked.Add(ref copied, writers[(int)kind].LastCopied);
                        Interlocked.Add(ref patched, writers[(int)kind].LastPatched);
                    }
                    // ... which is the JSON of the LSP objects (written by hand, not by the serializer).
                    var lsp = new PublishDiagnosticsParams("file:///" + kind, [.. full.Where(d => d.Location.File == kind)
                        .Select(d => LspConvert.ToLsp(d, scratch, k => "file:///" + k))]) { Version = 3 };
                    var serialized = System.Text.Json.JsonSerializer.Serialize(lsp, LspJsonContext.Default.PublishDiagnosticsParams);
                    Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(serialized), System.Text.Json.Nodes.JsonNode.Parse(fresh)),
                        $"expected {serialized}\nwritten {fresh}");
                }
                Assert.Equal(expected, Render(analysis.Diagnostics));
            }
        }, iter: 300, seed: null);
        // The generated edits must exercise the incremental path, not only the fallback to a full build.
        Assert.True(reused > 300, $"only {reused} incremental builds");
        Assert.True(incrementalAnalyses > 300, $"only {incrementalAnalyses} incremental analyses");
        // ... most of them splicing the findings of the units they re-ran into the kept ones (not the full merge).
        Assert.True(spliced > incrementalAnalyses / 2, $"only {spliced} of {incrementalAnalyses} incremental analyses spliced");
        // ... and findings kept with a shift (not copied) when text before them changed.
        Assert.True(shifted > 300, $"only {shifted} shifted findings");
        // ... and the kept writer copied the JSON of kept findings whose lines and columns did not change.
        Assert.True(copied > 300, $"only {copied} diagnostics copied from the publish before");
        // ... some of them with their line numbers changed (a line break typed before them).
        Assert.True(patched > 100, $"only {patched} diagnostics copied with new line numbers");
    }

    // Rules that read other sections' names (dropped-section's fix must not target a taken name) or whether a file
    // parses (secret-in-config-file's fix is offered only then) change their findings in sections the edit did not touch.
    [Theory]
    [InlineData("[profile a b]\nregion = us-east-1\n\n[profile m]\nregion = us-east-1\n\n[profile n]\nregion = us-east-1\n\n[profile x]\nregion = us-east-1\n",
        "[profile x]", "[profile \"a b\"]", "already exists")]
    [InlineData("[profile p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\n[profile q]\nregion = us-east-1\n", "region = us-east-1", "junk", "")]
    public void An_edit_elsewhere_updates_findings_that_read_other_names_or_whether_the_file_parses(string configText, string find, string replace, string expectedAfter)
    {
        var pair = new EditedPair(configText, "");
        var before = DiagnosticEngine.Analyze(pair.Model, null, null);
        pair.Apply(new Edit(false, configText.IndexOf(find, StringComparison.Ordinal), find.Length, replace));
        var after = DiagnosticEngine.Analyze(pair.Model, before, null);
        Assert.StartsWith("incremental", after.Mode, StringComparison.Ordinal);
        var expected = Render(DiagnosticEngine.Analyze(pair.FromScratch()));
        Assert.Equal(expected, Render(after.Diagnostics));
        var finding = Assert.Single(after.Diagnostics, d => d.Code is DiagnosticCodes.DroppedSection or DiagnosticCodes.SecretInConfigFile);
        // The finding in the untouched section changed: its fix is gone (and says why, for dropped-section).
        Assert.Empty(finding.Fixes);
        Assert.Contains(expectedAfter, finding.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Assert.Single(before.Diagnostics, d => d.Code == finding.Code).Fixes);
    }

    // missing-mfa-serial reads which siblings send an MFA code from the reference index, which an edit of a sibling's
    // mfa_serial line must update: removing it from both siblings ends the finding, adding one back brings it back.
    [Fact]
    public void Removing_and_adding_a_siblings_mfa_serial_updates_the_finding_of_the_role_without_one()
    {
        const string config = "[profile base]\nregion = us-east-1\n\n"
            + "[profile r1]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/one\n\n"
            + "[profile r2]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/two\n\n"
            + "[profile r3]\nrole_arn = arn:aws:iam::111111111111:role/C\nsource_profile = base\n";
        var pair = new EditedPair(config, "");
        var result = DiagnosticEngine.Analyze(pair.Model, null, null);
        Assert.Contains("`r1`, `r2`", Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial).Message, StringComparison.Ordinal);
        var text = config;
        void Edit(string find, string replace, int findings, string? names)
        {
            var at = text.IndexOf(find, StringComparison.Ordinal);
            text = string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
            pair.Apply(new Edit(false, at, find.Length, replace));
            result = DiagnosticEngine.Analyze(pair.Model, result, null);
            Assert.StartsWith("incremental", result.Mode, StringComparison.Ordinal);
            Assert.Equal(Render(DiagnosticEngine.Analyze(pair.FromScratch())), Render(result.Diagnostics));
            var found = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.MissingMfaSerial).ToList();
            Assert.Equal(findings, found.Count);
            if (names is not null) Assert.Contains(names, found.Single(d => d.Message.StartsWith("`r3`", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        }

        // r1 sends none: it and r3 are the roles without one, r2 the sibling with one.
        Edit("mfa_serial = arn:aws:iam::111111111111:mfa/one\n", "", 2, "(`r2`)");
        // Neither sibling sends one: no finding.
        Edit("mfa_serial = arn:aws:iam::111111111111:mfa/two\n", "", 0, null);
        // r1's device back: r2 and r3 are told of it.
        Edit("role/A\n", "role/A\nmfa_serial = arn:aws:iam::111111111111:mfa/one\n", 2, "(`r1`)");
    }

    // A kept finding whose related place lies before a typed line break and whose own place lies after it: the
    // publish copies its JSON, moving only the line numbers of the places after the break.
    [Fact]
    public void A_line_break_between_a_finding_and_its_related_place_moves_only_the_lines_after_it()
    {
        const string config = "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/u\n\n"
            + "[profile filler]\nregion = us-east-1\n\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\n";
        var pair = new EditedPair(config, "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        var writer = new DiagnosticsJson();
        var analysis = DiagnosticEngine.Analyze(pair.Model, null, null);
        var finding = Assert.Single(analysis.Diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial);
        Assert.Contains(finding.Related, related => related.Location.Span.Start < config.IndexOf("[profile filler]", StringComparison.Ordinal));
        Json(writer, ConfigFileKind.Config, analysis.Diagnostics, pair.Model);

        pair.Apply(new Edit(false, config.IndexOf("region = us-east-1", StringComparison.Ordinal), 0, "\n"));
        analysis = DiagnosticEngine.Analyze(pair.Model, analysis, null);
        Assert.Contains("(spliced:", analysis.Mode, StringComparison.Ordinal);
        var copied = Json(writer, ConfigFileKind.Config, analysis.Diagnostics, pair.Model);
        Assert.True(writer.LastPatched > 0, "the finding was not copied with new line numbers");
        var scratch = pair.FromScratch();
        Assert.Equal(Json(new DiagnosticsJson(), ConfigFileKind.Config, DiagnosticEngine.Analyze(scratch), scratch), copied);
        // The kept finding's fix (its line is made when read, at the place the finding keeps) moved with it.
        Assert.Equal(Render(DiagnosticEngine.Analyze(scratch)), Render(analysis.Diagnostics));
        var fix = Assert.Single(Assert.Single(analysis.Diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial).Fixes);
        var text = pair.Model.Config.Syntax.Text.ToString();
        Assert.Equal(text.IndexOf("source_profile = base\n", text.IndexOf("[profile b]", StringComparison.Ordinal), StringComparison.Ordinal),
            Assert.Single(fix.Edits).Location.Span.Start);
    }

    [Fact]
    public void An_edit_to_a_role_re_runs_its_siblings_but_not_the_other_profiles_of_its_sso_session()
    {
        var config = new StringBuilder("[profile base]\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n");
        config.Append("[profile a]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\nregion = us-east-1\n\n");
        config.Append("[profile b]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = base\n\n");
        for (var i = 0; i < 50; i++) config.Append($"[profile s{i}]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n\n");
        var text = config.ToString();
        var pair = new EditedPair(text, "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        var analysis = DiagnosticEngine.Analyze(pair.Model, null, null);
        Assert.DoesNotContain(analysis.Diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial);

        // a (a role of base) gets an MFA device: b, its sibling through source_profile = base, is now told it sends none.
        var line = text.IndexOf("region = us-east-1\n\n[profile b]", StringComparison.Ordinal);
        pair.Apply(new Edit(false, line, "region = us-east-1".Length, "mfa_serial = arn:aws:iam::111111111111:mfa/u"));
        analysis = DiagnosticEngine.Analyze(pair.Model, analysis, null);
        Assert.StartsWith("incremental", analysis.Mode, StringComparison.Ordinal);
        Assert.Equal(Render(DiagnosticEngine.Analyze(pair.FromScratch())), Render(analysis.Diagnostics));
        Assert.Contains("`b` sends no MFA code", Assert.Single(analysis.Diagnostics, d => d.Code == DiagnosticCodes.MissingMfaSerial).Message, StringComparison.Ordinal);

        // An edit in one SSO profile re-runs that profile, not the 49 others that name the same sso-session.
        var at = pair.Model.Profiles["s7"].ConfigSection!.Start + "[profile s7]\nsso_session = corp\nsso_account_id = 11111111111".Length;
        pair.Apply(new Edit(false, at, 1, "2"));
        analysis = DiagnosticEngine.Analyze(pair.Model, analysis, null);
        Assert.Equal(Render(DiagnosticEngine.Analyze(pair.FromScratch())), Render(analysis.Diagnostics));
        Assert.Matches(@"^incremental: \d+ sections, 1 profiles", analysis.Mode);
    }

    /// <summary>A config of <paramref name="profiles"/> profiles with random keys (sources, sessions, errors of every kind), and its credentials.</summary>
    /// <summary>Both files of a pair as the server edits them: syntax edited in place, files and model built incrementally.</summary>
    private sealed class EditedPair
    {
        private const string ConfigPath = "/home/u/.aws/config";
        private const string CredentialsPath = "/home/u/.aws/credentials";
        private DocumentSyntax config;
        private DocumentSyntax credentials;
        private ConfigFile configFile;
        private ConfigFile credentialsFile;

        public EditedPair(string configText, string credentialsText)
        {
            config = SyntaxParser.Parse(configText);
            credentials = SyntaxParser.Parse(credentialsText);
            configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config);
            credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials);
            Model = new ProfileModel(configFile, credentialsFile, null);
        }

        public ProfileModel Model { get; private set; }

        /// <summary>Applies the edit to its file (positions wrap around the file) and builds the next model; returns the edited file.</summary>
        public ConfigFile Apply(Edit edit)
        {
            var target = edit.Credentials ? credentials : config;
            var start = edit.Position % (target.Length + 1);
            var end = Math.Min(target.Length, start + edit.Length);
            var edited = target.WithEdit(start, end, edit.Text);
            if (edit.Credentials)
            {
                credentials = edited;
                credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials, previous: credentialsFile);
            }
            else
            {
                config = edited;
                configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config, previous: configFile);
            }
            Model = new ProfileModel(configFile, credentialsFile, Model);
            return edit.Credentials ? credentialsFile : configFile;
        }

        /// <summary>The same texts parsed and modelled from scratch.</summary>
        public ProfileModel FromScratch() => new(
            ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(config.Text)),
            ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, SyntaxParser.Parse(credentials.Text)));
    }

    private static (string Config, string Credentials) LargePair(int seed, int profiles)
    {
        var random = new Random(seed);
        var keys = new[]
        {
            "region = us-east-1", "region = us-eest-1", "output = jsn", "output = json # c", "role_arn = arn:aws:iam::111111111111:role/R",
            "role_arn = nope", "mfa_serial = arn:aws:iam::111111111111:mfa/u", "mfa_serial = x", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "sso_start_url = https://x.awsapps.com/start", "sso_region = us-east-1", "sso_account_id = 111111111111", "sso_role_name = R",
            "duration_seconds = 7200", "duration_seconds = 99999", "credential_source = Ec2InstanceMetadata", "credential_source = Nope",
            "regoin = x", "empty =", "s3 =", "  max_concurrent_requests = 20", "web_identity_token_file = /t", "credential_process = /bin/x",
            "; awsconfig-disable-next-line invalid-region", "junk",
        };
        var config = new StringBuilder("[default]\nregion = eu-west-1\n");
        var credentials = new StringBuilder();
        for (var i = 0; i < profiles; i++)
        {
            config.Append(random.Next(50) switch { 0 => $"[p{i}]\n", 1 => $"[sso-session s{i}]\n", 2 => $"[profile p{i} x]\n", _ => $"[profile p{i}]\n" });
            for (var k = random.Next(5); k > 0; k--) config.Append(keys[random.Next(keys.Length)]).Append('\n');
            if (random.Next(3) == 0) config.Append("source_profile = p").Append(random.Next(profiles)).Append('\n');
            if (random.Next(20) == 0) config.Append("sso_session = s").Append(random.Next(profiles)).Append('\n');
            if (random.Next(10) == 0)
            {
                credentials.Append("[p").Append(i).Append("]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
                if (random.Next(2) == 0) credentials.Append("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
            }
        }
        return (config.ToString(), credentials.ToString());
    }

    [Fact]
    public void The_reference_index_of_a_large_model_read_on_two_threads_is_the_one_read_on_one_in_profile_order()
    {
        var (configText, credentialsText) = LargePair(5, 12_000);
        var model = new ProfileModel(
            ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(configText)),
            ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse(credentialsText)));
        static string Dump(ReferenceIndex index) => string.Join("\n",
            index.RolesBySource.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"roles of {pair.Key}: {string.Join(",", pair.Value)}")
                .Concat(index.ProfilesBySession.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"users of {pair.Key}: {string.Join(",", pair.Value)}"))
                .Concat(index.SourceOf.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} -> {pair.Value}"))
                .Concat(index.SessionOf.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} => {pair.Value}")));
        var parallelism = DiagnosticEngine.MaxParallelism;
        ReferenceIndex sequential, parallel;
        try
        {
            DiagnosticEngine.MaxParallelism = 1;
            sequential = ReferenceIndex.Build(model);
            DiagnosticEngine.MaxParallelism = 4;
            parallel = ReferenceIndex.Build(model);
        }
        finally
        {
            DiagnosticEngine.MaxParallelism = parallelism;
        }

        Assert.Equal(Dump(sequential), Dump(parallel));
        // Every role with a source and every user of a session, each once (read from the model here).
        var roles = model.ProfileList.Where(profile => profile.Has(Keys.RoleArn) && !profile.Has(Keys.WebIdentityTokenFile) && profile.Has(Keys.SourceProfile)).Select(profile => profile.Name).ToList();
        Assert.True(roles.Count > 300, $"only {roles.Count} roles with a source");
        Assert.Equal(roles, model.ProfileList.Select(profile => profile.Name).Where(parallel.SourceOf.ContainsKey));
        Assert.Equal(model.ProfileList.Count(profile => profile.Has(Keys.SsoSession)), parallel.SessionOf.Count);
    }

    [Fact]
    public void A_full_analysis_on_several_threads_equals_the_analysis_on_one()
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var (configText, credentialsText) = LargePair(seed, 12_000);
            var model = new ProfileModel(
                ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(configText)),
                ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse(credentialsText)));
            var parallelism = DiagnosticEngine.MaxParallelism;
            string sequential, parallel;
            try
            {
                DiagnosticEngine.MaxParallelism = 1;
                sequential = Render(DiagnosticEngine.Analyze(model));
                DiagnosticEngine.MaxParallelism = 4;
                var result = DiagnosticEngine.Analyze(model, null, null);
                parallel = Render(result.Diagnostics);
                Assert.True(result.Diagnostics.Count > 5000, $"only {result.Diagnostics.Count} diagnostics");
            }
            finally
            {
                DiagnosticEngine.MaxParallelism = parallelism;
            }
            Assert.Equal(sequential, parallel);
        }
    }

    [Fact]
    public void An_edit_inside_one_profile_reuses_every_other_section_and_profile()
    {
        var text = "[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\nsource_profile = a\n[profile c]\noutput = json\n";
        var syntax = SyntaxParser.Parse(text);
        var file = ConfigFile.Create(ConfigFileKind.Config, null, syntax);
        var model = new ProfileModel(file, ConfigFile.Empty(ConfigFileKind.Credentials), null);
        var (a, c) = (model.GetProfile("a")!, model.GetProfile("c")!);

        var at = text.IndexOf("us-east-1\nsource", StringComparison.Ordinal);
        var edited = ConfigFile.Create(ConfigFileKind.Config, null, syntax.WithEdit(at, at + "us-east-1".Length, "eu-west-1"), previous: file);
        var next = new ProfileModel(edited, model.Credentials, model);

        Assert.NotNull(edited.Change);
        Assert.Same(a, next.GetProfile("a"));
        Assert.Same(c, next.GetProfile("c"));
        Assert.Equal("eu-west-1", next.GetProfile("b")!.Get("region")?.Value);
        Assert.Equal(text.IndexOf("[profile c]", StringComparison.Ordinal), next.GetProfile("c")!.ConfigSection!.Start);
    }

    private static string Dump(ProfileModel model)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            text.Append("file ").Append(file.Kind).Append(" unreadable=").Append(file.IsUnreadable).Append('\n');
            foreach (var problem in file.Problems) text.Append(" problem ").Append(problem).Append('\n');
            foreach (var section in file.Sections)
            {
                text.Append(" section ").Append(section.SectionIndex).Append(' ').Append(section.Start).Append(' ').Append(section.Role)
                    .Append(" [").Append(section.RawName).Append("] ").Append(section.EntityName).Append(" file=").Append(ReferenceEquals(section.File, file)).Append('\n');
                foreach (var (key, property) in section.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append("  ").Append(key).Append('=').Append(property.Value).Append(' ').Append(property.KeySpan).Append(' ')
                        .Append(property.Section.Start).Append(property.SubProperties is null ? "" : " nested").Append('\n');
                }
                foreach (var property in section.OwnProperties) text.Append("  own ").Append(property.Key).Append(' ').Append(property.LineSpan).Append('\n');
            }
            text.Append(" profiles ").Append(string.Join(",", file.Profiles.Select(p => p.Key + "@" + p.Value.Start))).Append('\n');
            text.Append(" order ").Append(string.Join(",", file.ProfileOrder)).Append('\n');
            text.Append(" sessions ").Append(string.Join(",", file.SsoSessions.Select(p => p.Key + "@" + p.Value.Start))).Append('\n');
            text.Append(" services ").Append(string.Join(",", file.Services.Select(p => p.Key + "@" + p.Value.Start))).Append('\n');
        }
        foreach (var (name, profile) in model.Profiles)
        {
            text.Append("profile ").Append(name).Append(' ').Append(profile.ConfigSection?.Start).Append(' ').Append(profile.CredentialsSection?.Start).Append('\n');
        }
        return text.ToString();
    }

    private static string Json(DiagnosticsJson writer, ConfigFileKind kind, IReadOnlyList<Diagnostic> diagnostics, ProfileModel model)
    {
        var written = writer.Write("file:///" + kind, 3, kind, diagnostics, model, "file:///" + ConfigFileKind.Config, "file:///" + ConfigFileKind.Credentials);
        var text = System.Text.Encoding.UTF8.GetString(written.Utf8.Span);
        written.Release();
        return text;
    }

    private static string Render(IReadOnlyList<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d =>
        $"{d.Code} {d.Severity} {d.Location} {d.Message} | {string.Join(";", d.Related.Select(r => r.Location + r.Message))} | "
        + string.Join(";", d.Fixes.Select(f => f.Title + ":" + string.Join(",", f.Edits.Select(e => e.Location + "=" + e.NewText))))));
}
