using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// Every version of a file and of the model stays valid and unchanged after newer versions are built from it: a reader
/// of an older version (a background analysis, "Test this profile") sees exactly that version, whatever the editor
/// does meanwhile.
/// </summary>
public sealed class PersistentModelTests
{
    private const string ConfigPath = "/home/u/.aws/config";
    private const string CredentialsPath = "/home/u/.aws/credentials";

    [Fact]
    public async Task A_reader_of_an_old_version_sees_exactly_that_version_while_1000_edits_build_newer_ones()
    {
        var (configText, credentialsText) = Generate(2000);
        var config = SyntaxParser.Parse(configText);
        var credentials = SyntaxParser.Parse(credentialsText);
        var configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config);
        var credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials);
        var model = new ProfileModel(configFile, credentialsFile, null);
        // A few edits first, so that the version read below is itself an incremental one.
        var random = new Random(7);
        for (var i = 0; i < 5; i++) (config, configFile, credentials, credentialsFile, model) = Edit(random, config, configFile, credentials, credentialsFile, model);
        var old = model;
        var expected = Dump(old);
        Assert.Equal(Dump(FromScratch(config.Text, credentials.Text)), expected);
        var expectedDiagnostics = Render(DiagnosticEngine.Analyze(FromScratch(config.Text, credentials.Text)));
        Assert.NotEmpty(expectedDiagnostics);

        using var done = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var seen = Dump(old);
                if (seen != expected) return FirstDifference(expected, seen);
                Interlocked.Increment(ref reads);
            }
            return null;
        }, TaskCreationOptions.LongRunning);
        // The analysis reads positions through the entries (SectionEntry.Start): inside the old version's read scope
        // they are that version's, whatever was built since.
        var analyses = 0;
        var analyser = Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                string seen;
                using (old.Read()) seen = Render(DiagnosticEngine.Analyze(old, null, null).Diagnostics);
                if (seen != expectedDiagnostics) return FirstDifference(expectedDiagnostics, seen);
                Interlocked.Increment(ref analyses);
            }
            return null;
        }, TaskCreationOptions.LongRunning);

        var incremental = 0;
        var edits = 0;
        // At least 1000 edits, and on until both readers went through the old version twice while edits ran (a loaded
        // machine may not schedule them for a while).
        for (; (edits < 1000 || Volatile.Read(ref reads) < 2 || Volatile.Read(ref analyses) < 2) && !reader.IsCompleted && !analyser.IsCompleted; edits++)
        {
            (config, configFile, credentials, credentialsFile, model) = Edit(random, config, configFile, credentials, credentialsFile, model);
            if (configFile.Change is not null && credentialsFile.Change is not null) incremental++;
        }
        done.Cancel();
        var difference = await reader;
        var analysisDifference = await analyser;

        Assert.True(difference is null, $"the old version changed under its reader after {reads} reads: {difference}");
        Assert.True(analysisDifference is null, $"the analysis of the old version changed after {analyses} analyses: {analysisDifference}");
        Assert.True(reads >= 2, $"the reader read the old version only {reads} times");
        Assert.True(analyses >= 2, $"the old version was analysed only {analyses} times");
        Assert.True(incremental > edits / 2, $"only {incremental} of {edits} edits built incrementally");
        Assert.Equal(expected, Dump(old));
        Assert.Equal(Dump(FromScratch(config.Text, credentials.Text)), Dump(model));
    }

    [Fact]
    public void An_analysis_of_an_old_version_reads_that_version_on_every_thread_and_the_next_one_goes_on_from_it()
    {
        // Large enough for the full analysis to split the sections and profiles over several threads.
        var (configText, credentialsText) = Generate(6000);
        var config = SyntaxParser.Parse(configText);
        var credentials = SyntaxParser.Parse(credentialsText);
        var configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config);
        var credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials);
        var model = new ProfileModel(configFile, credentialsFile, null);
        var random = new Random(11);
        for (var i = 0; i < 3; i++) (config, configFile, credentials, credentialsFile, model) = Edit(random, config, configFile, credentials, credentialsFile, model);
        var old = model;
        var expected = Render(DiagnosticEngine.Analyze(FromScratch(config.Text, credentials.Text)));

        // Newer versions, as the editor's keystrokes build them while the analysis of the old one waits or runs: the
        // first one moves every section of both files.
        config = config.WithEdit(0, 0, "# moved\n");
        configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config, previous: configFile);
        credentials = credentials.WithEdit(0, 0, "\n");
        credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials, previous: credentialsFile);
        model = new ProfileModel(configFile, credentialsFile, model);
        Assert.NotNull(configFile.Change);
        Assert.NotNull(credentialsFile.Change);
        // Then a value made invalid in the middle of the file, and a profile added at its end.
        var value = config.Text.IndexOf("region = eu-west-1", config.Text.Length / 2, StringComparison.Ordinal) + "region = ".Length;
        config = config.WithEdit(value, value, "x");
        configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config, previous: configFile);
        model = new ProfileModel(configFile, credentialsFile, model);
        config = config.WithEdit(config.Length, config.Length, "[profile added]\noutput = jsn\n");
        configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config, previous: configFile);
        model = new ProfileModel(configFile, credentialsFile, model);
        Assert.NotNull(configFile.Change);

        var parallelism = DiagnosticEngine.MaxParallelism;
        AnalysisResult ofOld;
        try
        {
            DiagnosticEngine.MaxParallelism = 4;
            // No read scope here: the engine reads the version it analyses (on its worker threads too).
            ofOld = DiagnosticEngine.Analyze(old, null, null);
            Assert.StartsWith("full", ofOld.Mode);
            Assert.Equal(expected, Render(ofOld.Diagnostics));
        }
        finally
        {
            DiagnosticEngine.MaxParallelism = parallelism;
        }
        ofOld.Commit();

        // The result of the old version is a sound base: the analysis of the newest one goes on from it.
        var ofNew = DiagnosticEngine.Analyze(model, ofOld, null);
        Assert.StartsWith("incremental", ofNew.Mode);
        Assert.Equal(Render(DiagnosticEngine.Analyze(FromScratch(config.Text, credentials.Text))), Render(ofNew.Diagnostics));
    }

    [Fact]
    public void A_reused_section_has_each_versions_position_in_that_version()
    {
        const string text = "[profile a]\nregion = us-east-1\n[profile b]\nregion = eu-west-1\n";
        var syntax = SyntaxParser.Parse(text);
        var first = ConfigFile.Create(ConfigFileKind.Config, null, syntax);
        var b = first.Profiles["b"];
        var second = ConfigFile.Create(ConfigFileKind.Config, null, syntax.WithEdit(0, 0, "[profile new]\noutput = json\n"), previous: first);

        Assert.NotNull(second.Change);
        Assert.Same(b, second.Profiles["b"]);
        Assert.Equal(2, first.IndexOf(b));
        Assert.Equal(text.IndexOf("[profile b]", StringComparison.Ordinal), first.StartOf(b));
        Assert.Equal(3, second.IndexOf(b));
        Assert.Equal("[profile new]\noutput = json\n".Length + text.IndexOf("[profile b]", StringComparison.Ordinal), second.StartOf(b));
        // The entry's own position is that of the newest version holding it, or of the version the thread reads.
        Assert.Equal(second.StartOf(b), b.Start);
        Assert.Same(second, b.File);
        var firstModel = new ProfileModel(first, ConfigFile.Empty(ConfigFileKind.Credentials));
        using (firstModel.Read())
        {
            Assert.Same(first, b.File);
            Assert.Equal(2, b.SectionIndex);
            Assert.Equal(first.StartOf(b), b.Start);
            Assert.Equal(text.IndexOf("region = eu", StringComparison.Ordinal), b.Get("region")!.KeySpan.Start);
            // Another thread is not in the scope.
            var elsewhere = -1;
            var thread = new Thread(() => elsewhere = b.Start);
            thread.Start();
            thread.Join();
            Assert.Equal(second.StartOf(b), elsewhere);
        }
        Assert.Equal(second.StartOf(b), b.Start);
        // The old version keeps its tables.
        Assert.Equal(["a", "b"], first.ProfileOrder);
        Assert.Equal(["new", "a", "b"], second.ProfileOrder);
        Assert.False(first.Profiles.ContainsKey("new"));
        Assert.Equal(3, first.Sections.Count);
        Assert.Equal(-1, first.IndexOf(second.Profiles["new"]));
    }

    [Fact]
    public void A_chunked_list_spliced_at_random_equals_a_list_and_keeps_its_earlier_versions()
    {
        Gen.Select(Gen.Int[0, 2000], Gen.Select(Gen.Int[0, 3000], Gen.Int[0, 300], Gen.Int[0, 600]).Array[1, 30]).Sample((size, splices) =>
        {
            var list = Enumerable.Range(0, size).ToList();
            var chunked = ChunkedList<int>.Create(list);
            var next = size;
            var versions = new List<(ChunkedList<int>, int[])> { (chunked, [.. list]) };
            foreach (var (at, remove, insert) in splices)
            {
                var index = at % (list.Count + 1);
                var count = Math.Min(remove, list.Count - index);
                var inserted = Enumerable.Range(next, insert).ToList();
                next += insert;
                list.RemoveRange(index, count);
                list.InsertRange(index, inserted);
                chunked = chunked.Splice(index, count, inserted);
                versions.Add((chunked, [.. list]));
            }
            foreach (var (version, items) in versions)
            {
                Assert.Equal(items.Length, version.Count);
                Assert.Equal(items, version);
                for (var i = 0; i < items.Length; i++) Assert.Equal(items[i], version[i]);
            }
        }, iter: 200);
    }

    [Fact]
    public void A_name_table_changed_at_random_equals_a_dictionary_and_keeps_its_earlier_versions()
    {
        Gen.Select(Gen.Int[0, 3000], Gen.Select(Gen.Int[0, 4000], Gen.Bool).Array[0, 40].Array[1, 10]).Sample((size, batches) =>
        {
            var builder = new PersistentMap<string>.Builder(size);
            var dictionary = new Dictionary<string, string>();
            for (var i = 0; i < size; i++)
            {
                builder.Set("p" + i, "v" + i);
                dictionary["p" + i] = "v" + i;
            }
            var map = builder.ToMap(null);
            // Made before the changes: the first version's list stays that version's.
            var firstList = map.ValueList;
            var versions = new List<(PersistentMap<string>, Dictionary<string, string>)> { (map, new(dictionary)) };
            var round = 0;
            foreach (var batch in batches)
            {
                round++;
                var changes = batch.Select(change => new KeyValuePair<string, string?>("p" + change.Item1, change.Item2 ? null : "w" + round)).ToList();
                foreach (var (key, value) in changes)
                {
                    if (value is null) dictionary.Remove(key);
                    else dictionary[key] = value;
                }
                map = map.With(changes, null);
                versions.Add((map, new(dictionary)));
            }
            foreach (var (version, expected) in versions)
            {
                Assert.Equal(expected.Count, version.Count);
                Assert.Equal(expected.OrderBy(p => p.Key), version.OrderBy(p => p.Key));
                foreach (var (key, value) in expected) Assert.Equal(value, version[key]);
                Assert.False(version.ContainsKey("absent"));
                Assert.Equal(version.Values, version.ValueList);
            }
            Assert.Equal(versions[0].Item2.Values.Order(), firstList.Order());
        }, iter: 100);
    }

    [Fact]
    public void A_name_table_made_from_distinct_names_on_one_or_two_threads_equals_one_built_name_by_name()
    {
        Gen.Select(Gen.Int[0, 6000], Gen.Bool).Sample((size, parallel) =>
        {
            var names = Enumerable.Range(0, size).Select(i => $"profile-{i * 7919 % 10007}").ToArray();
            var values = names.Select(name => "value of " + name).ToArray();
            var built = new PersistentMap<string>.Builder(size);
            for (var i = 0; i < size; i++) built.Set(names[i], values[i]);
            var expected = built.ToMap(names);
            var map = PersistentMap<string>.FromDistinct(names, values, names, parallel);
            Assert.Equal(size, map.Count);
            Assert.Same(values, map.ValueList);
            Assert.Equal(expected.Values, map.Values);
            Assert.Equal(expected.Keys, map.Keys);
            foreach (var name in names) Assert.Equal("value of " + name, map[name]);
            Assert.False(map.ContainsKey("absent"));
            // Later versions share the table's buckets and leave it as it was.
            if (size > 0)
            {
                var changed = map.With([new(names[0], null), new("added", "a")], null);
                Assert.Equal(size, changed.Count);
                Assert.False(changed.ContainsKey(names[0]));
                Assert.Equal("value of " + names[0], map[names[0]]);
                Assert.False(map.ContainsKey("added"));
            }
        }, iter: 60);
    }

    [Fact]
    public void A_name_table_refuses_a_name_given_twice_and_a_value_count_that_does_not_match()
    {
        string[] names = ["a", "b", "a"];
        Assert.Contains("'a' is given twice", Assert.Throws<ArgumentException>(() => PersistentMap<string>.FromDistinct(names, ["1", "2", "3"], names, parallel: false)).Message);
        Assert.Throws<ArgumentException>(() => PersistentMap<string>.FromDistinct(["a"], [], ["a"], parallel: false));
    }

    [Fact]
    public void A_large_pair_whose_profile_table_is_built_on_two_threads_lists_the_profiles_in_botocores_order()
    {
        // Above ProfileModel.ParallelProfiles the profiles are made and hashed on two threads: the config's profiles in
        // file order, then those only in the credentials file, each with both its sections.
        var count = ProfileModel.ParallelProfiles + 500;
        var (configText, credentialsText) = Generate(count);
        var model = FromScratch(configText, credentialsText);
        var expected = model.Config.ProfileOrder.Concat(model.Credentials.ProfileOrder.Where(name => !model.Config.Profiles.ContainsKey(name))).ToList();
        Assert.Equal(count + 1, model.Config.ProfileOrder.Count);
        Assert.Equal(expected, model.ProfileList.Select(profile => profile.Name));
        Assert.Equal(expected, model.Profiles.Keys);
        Assert.Equal("only-credentials", model.ProfileList[^1].Name);
        Assert.Null(model.ProfileList[^1].ConfigSection);
        var p10 = model.GetProfile("p10")!;
        Assert.Same(p10, model.ProfileList[expected.IndexOf("p10")]);
        Assert.NotNull(p10.ConfigSection);
        Assert.Equal("secret10", p10.Get(Keys.SecretAccessKey)!.Value.Value);
        Assert.Null(model.GetProfile("p11")!.CredentialsSection);
    }

    [Fact]
    public void A_file_whose_sections_are_read_on_two_threads_is_the_file_read_on_one()
    {
        // Large files read their sections in two halves at once; the result must be what one thread reads, whatever the
        // file holds: repeated keys and sections (the build reads the file again on one thread), [DEFAULT] once or twice,
        // [default] beside [profile default], text before the first header, nested blocks and continuation lines.
        string[] pieces =
        [
            "[profile a]\nregion = eu-west-1\n", "[profile b]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = a\n",
            "[profile a]\noutput = json\n", "[DEFAULT]\nregion = us-east-2\n", "[default]\nregion = us-east-1\n",
            "[profile default]\noutput = text\n", "[sso-session s]\nsso_region = us-east-1\n", "[services dev]\ns3 =\n  addressing_style = path\n",
            "region = us-west-2\nregion = eu-north-1\n", "Region = x\n", "  continued\n", "; comment\n", "\n", "junk line\n",
            "[profile \"spaced name\"]\nregion = ap-south-1\n", "[plugins]\ncli_legacy_plugin_path = /x\n", "[profile]\n",
        ];
        var random = new Random(11);
        var fellBack = 0;
        for (var iteration = 0; iteration < 400; iteration++)
        {
            var text = new StringBuilder(random.Next(3) == 0 ? "preamble = 1\n" : "");
            var count = random.Next(1, 14);
            for (var i = 0; i < count; i++)
            {
                var piece = pieces[random.Next(pieces.Length)];
                // Mostly distinct names, so that most files take the two-thread path to its end.
                text.Append(random.Next(4) == 0 ? piece : piece.Replace("[profile a]", $"[profile a{i}]", StringComparison.Ordinal));
            }
            foreach (var kind in new[] { ConfigFileKind.Config, ConfigFileKind.Credentials })
            {
                var syntax = SyntaxParser.Parse(text.ToString());
                var path = kind == ConfigFileKind.Config ? ConfigPath : CredentialsPath;
                var one = ConfigFile.Create(kind, path, syntax, readInParallel: false);
                var two = ConfigFile.Create(kind, path, syntax, readInParallel: true);
                var empty = ConfigFile.Create(kind == ConfigFileKind.Config ? ConfigFileKind.Credentials : ConfigFileKind.Config,
                    kind == ConfigFileKind.Config ? CredentialsPath : ConfigPath, SyntaxParser.Parse(""));
                var (expected, actual) = kind == ConfigFileKind.Config
                    ? (Dump(new ProfileModel(one, empty)), Dump(new ProfileModel(two, empty)))
                    : (Dump(new ProfileModel(empty, one)), Dump(new ProfileModel(empty, two)));
                Assert.True(expected == actual, $"{text}\n--- one thread:\n{expected}\n--- two threads:\n{actual}");
                Assert.Equal(one.HasEntityDuplicates, two.HasEntityDuplicates);
                if (one.Problems.Any(problem => problem.Kind == FileProblemKind.DuplicateSection)) fellBack++;
            }
        }
        // Both paths of the two-thread build were taken.
        Assert.InRange(fellBack, 50, 750);
    }

    private static (DocumentSyntax, ConfigFile, DocumentSyntax, ConfigFile, ProfileModel) Edit(Random random,
        DocumentSyntax config, ConfigFile configFile, DocumentSyntax credentials, ConfigFile credentialsFile, ProfileModel model)
    {
        string[] inserts = ["x", "\n", " ", "=", "1", "[profile fresh" + random.Next(1_000_000) + "]\n", "region = eu-west-1\n", "]", "[", "#",
            "source_profile = p3\n", "[sso-session s" + random.Next(1_000_000) + "]\nsso_region = us-east-1\n", "  k = v\n", ""];
        var onCredentials = random.Next(5) == 0;
        var target = onCredentials ? credentials : config;
        var start = random.Next(target.Length + 1);
        var end = Math.Min(target.Length, start + (random.Next(3) == 0 ? random.Next(40) : 0));
        var edited = target.WithEdit(start, end, inserts[random.Next(inserts.Length)]);
        if (onCredentials)
        {
            credentials = edited;
            credentialsFile = ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, credentials, previous: credentialsFile);
        }
        else
        {
            config = edited;
            configFile = ConfigFile.Create(ConfigFileKind.Config, ConfigPath, config, previous: configFile);
        }
        return (config, configFile, credentials, credentialsFile, new ProfileModel(configFile, credentialsFile, model));
    }

    private static ProfileModel FromScratch(string config, string credentials) => new(
        ConfigFile.Create(ConfigFileKind.Config, ConfigPath, SyntaxParser.Parse(config)),
        ConfigFile.Create(ConfigFileKind.Credentials, CredentialsPath, SyntaxParser.Parse(credentials)));

    private static (string Config, string Credentials) Generate(int count)
    {
        var config = new StringBuilder("# generated\n[default]\nregion = us-east-1\n\n");
        var credentials = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            config.Append("[profile p").Append(i).Append("]\n");
            switch (i % 4)
            {
                case 0: config.Append("region = eu-west-1\noutput = json\n"); break;
                case 1: config.Append("role_arn = arn:aws:iam::111111111111:role/R").Append(i).Append("\nsource_profile = p").Append(i - 1).Append('\n'); break;
                case 2: config.Append("sso_session = s").Append(i / 100).Append("\nsso_account_id = 111111111111\nsso_role_name = R\n"); break;
                default: config.Append("s3 =\n  max_concurrent_requests = 20\n; a comment\n"); break;
            }
            if (i % 100 == 0) config.Append("[sso-session s").Append(i / 100).Append("]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n");
            if (i % 10 == 0)
            {
                credentials.Append("[p").Append(i).Append("]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret").Append(i).Append('\n');
            }
        }
        credentials.Append("[only-credentials]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
        return (config.ToString(), credentials.ToString());
    }

    /// <summary>Everything a reader of this version can see, positions read through the version itself.</summary>
    private static string Dump(ProfileModel model)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { model.Config, model.Credentials })
        {
            text.Append("file ").Append(file.Kind).Append(' ').Append(file.Syntax.Length).Append(" unreadable=").Append(file.IsUnreadable).Append('\n');
            foreach (var problem in file.Problems) text.Append(" problem ").Append(problem).Append('\n');
            for (var index = 0; index < file.Sections.Count; index++)
            {
                var section = file.Sections[index];
                var start = file.StartOf(section);
                text.Append(" section ").Append(file.IndexOf(section)).Append(' ').Append(start).Append(' ').Append(section.Role)
                    .Append(" [").Append(section.RawName).Append("] ").Append(section.EntityName).Append(' ')
                    .Append(ReferenceEquals(section.Syntax, file.Syntax.Sections[index])).Append('\n');
                foreach (var (key, property) in section.Properties)
                {
                    text.Append("  ").Append(key).Append('=').Append(property.Value).Append(' ')
                        .Append(property.Syntax.KeySpan.Shift(file.StartOf(property.Section))).Append('\n');
                }
                foreach (var property in section.OwnProperties) text.Append("  own ").Append(property.Key).Append(' ').Append(property.Syntax.Span.Shift(start)).Append('\n');
            }
            text.Append(" profiles ").Append(string.Join(",", file.Profiles.Select(p => p.Key + "@" + file.StartOf(p.Value)))).Append(' ').Append(file.Profiles.Count).Append('\n');
            text.Append(" order ").Append(string.Join(",", file.ProfileOrder)).Append('\n');
            text.Append(" sessions ").Append(string.Join(",", file.SsoSessions.Select(p => p.Key + "@" + file.StartOf(p.Value)))).Append('\n');
            text.Append(" services ").Append(string.Join(",", file.Services.Select(p => p.Key + "@" + file.StartOf(p.Value)))).Append('\n');
        }
        foreach (var (name, profile) in model.Profiles)
        {
            text.Append("profile ").Append(name).Append(' ')
                .Append(profile.ConfigSection is { } c ? model.Config.StartOf(c) : -1).Append(' ')
                .Append(profile.CredentialsSection is { } k ? model.Credentials.StartOf(k) : -1).Append(' ')
                .Append(profile.Get("region")?.Value).Append('\n');
        }
        text.Append("count ").Append(model.Profiles.Count).Append('\n');
        return text.ToString();
    }

    private static string Render(IReadOnlyList<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d =>
        $"{d.Code} {d.Severity} {d.Location} {d.Message} | {string.Join(";", d.Related.Select(r => r.Location + r.Message))} | "
        + string.Join(";", d.Fixes.Select(f => f.Title + ":" + string.Join(",", f.Edits.Select(e => e.Location + "=" + e.NewText))))));

    private static string FirstDifference(string expected, string seen)
    {
        var at = 0;
        while (at < expected.Length && at < seen.Length && expected[at] == seen[at]) at++;
        var from = Math.Max(0, at - 80);
        return $"expected ...{expected[from..Math.Min(expected.Length, at + 80)]}... but saw ...{seen[from..Math.Min(seen.Length, at + 80)]}...";
    }
}
