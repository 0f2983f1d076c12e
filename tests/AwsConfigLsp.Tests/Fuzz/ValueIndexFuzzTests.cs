using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>
/// The value index against the walk over every profile it replaces: after any sequence of edits to both files (models
/// built incrementally, the index updated by edited section), hover and completion answer exactly what they answer
/// without the index, at every place in the files; definitions and references are those a walk of every section finds.
/// </summary>
public sealed class ValueIndexFuzzTests
{
    private static readonly string[] Arns =
        ["arn:aws:iam::111111111111:role/A", "arn:aws:iam::111111111111:role/B", "arn:aws:iam::222222222222:role/A", "arn:aws:iam::333333333333:mfa/u", "arn:aws:iam:::role/x"];

    private static readonly Gen<string> Line = Gen.Frequency((60, Gen.OneOf(
        Gen.Int[0, 59].Select(i => $"[profile p{i % 10}{i / 10}]\n"), Gen.Int[0, 59].Select(i => $"[p{i % 10}{i / 10}]\n"), Gen.Int[0, 9].Select(i => $"[sso-session s{i}]\n"),
        Gen.Int[0, Arns.Length - 1].Select(i => $"role_arn = {Arns[i]}\n"), Gen.Int[0, Arns.Length - 1].Select(i => $"mfa_serial = {Arns[i]}\n"),
        Gen.Int[0, 9].Select(i => $"source_profile = p{i}0\n"), Gen.Int[0, 2].Select(i => $"sso_session = s{i}\n"), Gen.Const("sso_account_id = 111111111111\n"),
        Gen.Const("services = svc\n"), Gen.Const("role_arn = \n"), Gen.Const("  continued\n"), Gen.Const("# comment\n"), Gen.Const("\n"))),
        (1, Gen.Const("[DEFAULT]\n")));

    private static int checks;
    private static int indexed;

    private static readonly Gen<string> File = Line.Array[0, 30].Select(lines => string.Concat(lines));

    [Fact]
    public void HoverAndCompletion_WithTheIndex_AnswerAsWithout_AfterEverySequenceOfEdits()
    {
        var edit = Gen.Select(Gen.Bool, Gen.UInt, Gen.UInt, Line.Array[0, 2].Select(lines => string.Concat(lines)));
        var gen = Gen.Select(File, File, edit.Array[1, 6]);
        FuzzRunner.Run("value-index", gen, input =>
        {
            var (configText, credentialsText, edits) = input;
            var configSyntax = SyntaxParser.Parse(configText);
            var credentialsSyntax = SyntaxParser.Parse(credentialsText);
            var config = ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax);
            var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax);
            var model = new ProfileModel(config, credentials, null);
            var index = new ValueIndex();
            Check(model, index);
            foreach (var (inConfig, a, b, insert) in edits)
            {
                var text = inConfig ? configText : credentialsText;
                var start = (int)(a % (uint)(text.Length + 1));
                var end = start + (int)(b % (uint)(Math.Min(text.Length - start, 30) + 1));
                if (inConfig)
                {
                    configText = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                    configSyntax = configSyntax.WithEdit(start, end, insert);
                    config = ConfigFile.Create(ConfigFileKind.Config, "/c", configSyntax, previous: config);
                }
                else
                {
                    credentialsText = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                    credentialsSyntax = credentialsSyntax.WithEdit(start, end, insert);
                    credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", credentialsSyntax, previous: credentials);
                }
                model = new ProfileModel(config, credentials, model);
                Check(model, index);
            }
        }, defaultCases: 250, input => $"{FuzzRunner.Escape(input.Item1)} / {FuzzRunner.Escape(input.Item2)} edits "
                                      + string.Join(", ", input.Item3.Select(e => $"({e.Item1}, {e.Item2}, {e.Item3}, {FuzzRunner.Escape(e.Item4)})")));
        // The generator must mostly give files the index serves, or this test would compare the walk with itself.
        Assert.True(indexed * 2 > checks, $"only {indexed} of {checks} models were indexed");
    }

    /// <summary>
    /// Files of thousands of profiles that share a few values: each value's users span several of the index's chunks of
    /// pairs, and pastes of ~200 sections (below the bulk threshold) grow one chunk past its split. After every edit the
    /// index's users of each value and its sorted lists equal a walk of the sections.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void UsersAndSortedLists_OnLargeFiles_EqualAWalk_AfterEdits(int seed)
    {
        var random = new Random(seed);
        string[] roles = ["arn:aws:iam::111111111111:role/A", "arn:aws:iam::222222222222:role/B", "arn:aws:iam::111111111111:role/C"];
        // Pasted profiles are named q...: their pairs sort after the others of their value, into the same chunk.
        string Profile(int i, int role, string prefix = "p") => $"[profile {prefix}{i}]\nrole_arn = {roles[role]}\nsource_profile = src{role}\n";
        var next = 0;
        var text = string.Concat(Enumerable.Range(0, 2500).Select(_ => Profile(next++, random.Next(roles.Length))));
        var syntax = SyntaxParser.Parse(text);
        var config = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", SyntaxParser.Parse(""));
        var model = new ProfileModel(config, credentials, null);
        var index = new ValueIndex();
        for (var step = 0; step < 24; step++)
        {
            // A paste of ~200 profiles of one role at one place, or the removal of a run of sections, or a role changed.
            var starts = syntax.Sections.Count;
            var at = syntax.GetSectionStart(random.Next(1, starts));
            int start = at, end = at;
            string insert;
            switch (step % 3)
            {
                case 0:
                    var role = random.Next(roles.Length);
                    insert = string.Concat(Enumerable.Range(0, random.Next(150, 250)).Select(_ => Profile(next++, role, "q")));
                    break;
                case 1:
                    var first = random.Next(1, starts - 60);
                    (start, end) = (syntax.GetSectionStart(first), syntax.GetSectionStart(first + random.Next(1, 60)));
                    insert = "";
                    break;
                default:
                    var line = text.IndexOf("role_arn = ", at, StringComparison.Ordinal);
                    if (line < 0) goto case 0;
                    (start, end) = (line, text.IndexOf('\n', line));
                    insert = $"role_arn = {roles[random.Next(roles.Length)]}";
                    break;
            }
            text = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
            syntax = syntax.WithEdit(start, end, insert);
            config = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: config);
            model = new ProfileModel(config, credentials, model);
            index.Follow(model);
            Assert.NotNull(index.SortedOf("role_arn"));

            foreach (var (key, values) in new[] { ("role_arn", roles), ("source_profile", new[] { "src0", "src1", "src2" }) })
            {
                foreach (var value in values)
                {
                    var walked = model.Profiles.Values.Where(profile => profile.Get(key)?.Value == value).Select(profile => profile.Name).Order(StringComparer.Ordinal);
                    Assert.Equal(walked, index.UsersOf(key, value).Order(StringComparer.Ordinal));
                }
            }
            var sorted = index.SortedOf("role_arn")!;
            var counted = model.Profiles.Values.Select(profile => profile.Get("role_arn")?.Value).OfType<string>()
                .GroupBy(value => value).Select(group => (group.Key, group.Count())).OrderBy(pair => pair.Key, ValueIndex.ValueOrder);
            Assert.Equal(counted, sorted.Values.Zip(sorted.Users));
        }

        // Every section removed, a hundred at a time (no bulk update): no pair may be left behind.
        while (syntax.Sections.Count > 1)
        {
            var cut = Math.Min(syntax.Sections.Count - 1, 100);
            var end = cut + 1 < syntax.Sections.Count ? syntax.GetSectionStart(cut + 1) : syntax.Length;
            text = text[end..];
            syntax = syntax.WithEdit(0, end, "");
            config = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: config);
            model = new ProfileModel(config, credentials, model);
            index.Follow(model);
            Assert.NotNull(index.SortedOf("role_arn"));
        }
        Assert.All(roles, role => Assert.Empty(index.UsersOf("role_arn", role)));
        Assert.Empty(index.SortedOf("role_arn")!.Values);
    }

    [Fact]
    public void References_ThroughTheIndex_ComeInFileOrder_AfterAnEditAddsAnEarlierOne()
    {
        // The index learns of "top" last, but its source_profile is written first in the file.
        var text = "[profile base]\n[profile a]\nsource_profile = base\n[profile b]\nsource_profile = base\n";
        var syntax = SyntaxParser.Parse(text);
        var config = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax);
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", SyntaxParser.Parse("[a]\nsource_profile = base\n"));
        var model = new ProfileModel(config, credentials, null);
        var index = new ValueIndex();
        index.Follow(model);
        Assert.NotNull(index.WritersOf("source_profile", "base"));
        var insert = "[profile top]\nsource_profile = base\n";
        syntax = syntax.WithEdit(0, 0, insert);
        text = insert + text;
        model = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: config), credentials, model);
        index.Follow(model);

        var found = Navigation.References(model, NamedEntityKind.Profile, "base", includeDeclarations: false, index);

        Assert.Equal([(ConfigFileKind.Config, "top"), (ConfigFileKind.Config, "a"), (ConfigFileKind.Config, "b"), (ConfigFileKind.Credentials, "a")],
            found.Select(o => (o.Location.File, model.GetFile(o.Location.File).Sections[model.GetFile(o.Location.File).Syntax.FindSectionIndex(o.Location.Span.Start)].EntityName)));
        Assert.All(found, o => Assert.Equal("base", model.GetFile(o.Location.File).Syntax.Text.Substring(o.Location.Span.Start, o.Location.Span.Length)));
    }

    private static void Check(ProfileModel model, ValueIndex index)
    {
        // As the server does: the index catches up with the model when a question needs it.
        index.Follow(model);
        var usable = index.ProfilesWith(model, "role_arn", "x") is not null;
        Interlocked.Increment(ref checks);
        if (usable) Interlocked.Increment(ref indexed);
        Assert.Equal(new[] { model.Config, model.Credentials }.All(file => file.DefaultsSections.Count == 0
            && !file.Problems.Any(problem => problem.Kind == FileProblemKind.DuplicateSection)), usable);
        // Definition and references: from the tables and the index as from a walk of every section of both files.
        var names = Enumerable.Range(0, 60).Select(i => $"p{i % 10}{i / 10}").Concat(Enumerable.Range(0, 10).Select(i => $"s{i}"));
        foreach (var name in names)
        {
            var kind = name[0] == 'p' ? NamedEntityKind.Profile : NamedEntityKind.SsoSession;
            var (role, key) = kind == NamedEntityKind.Profile ? (SectionRole.Profile, "source_profile") : (SectionRole.SsoSession, "sso_session");
            var files = kind == NamedEntityKind.Profile ? new[] { model.Config, model.Credentials } : [model.Config];
            var declared = files.SelectMany(file => file.Sections).Where(s => s.Role == role && s.EntityName == name)
                .Select(s => (s.File.Kind, s.EntityNameSpan)).ToList();
            var written = new[] { model.Config, model.Credentials }.SelectMany(file => file.Sections)
                .Where(s => s.Role is SectionRole.Profile or SectionRole.Defaults)
                .SelectMany(s => s.OwnProperties.Where(p => p.Key == key && p.Value == name && p.ValueSpan.Length > 0).Select(p => (s.File.Kind, p.ValueSpan)));
            var entity = new NamedEntityAt(kind, name, new SourceLocation(ConfigFileKind.Config, default), false);
            Assert.Equal(declared, Navigation.Definitions(model, entity).Select(l => (l.File, l.Span)));
            Assert.Equal(declared.Concat(written), Navigation.References(model, kind, name, includeDeclarations: true, index).Select(o => (o.Location.File, o.Location.Span)));
            Assert.Equal(written, Navigation.References(model, kind, name, includeDeclarations: false).Select(o => (o.Location.File, o.Location.Span)));
        }
        if (!usable) return;
        foreach (var kind in new[] { ConfigFileKind.Config, ConfigFileKind.Credentials })
        {
            var length = model.GetFile(kind).Syntax.Length;
            for (var offset = 0; offset <= length; offset++)
            {
                Assert.Equal(Hover.Get(model, kind, offset)?.Markdown, Hover.Get(model, kind, offset, index)?.Markdown);
                var plain = Completion.Get(model, kind, offset);
                var indexed = Completion.Get(model, kind, offset, new CompletionLookups(null) { Index = index });
                Assert.Equal(plain.IsIncomplete, indexed.IsIncomplete);
                Assert.Equal(plain.Items.Select(i => (i.Label, i.Detail, i.Documentation)), indexed.Items.Select(i => (i.Label, i.Detail, i.Documentation)));
            }
        }
    }
}
