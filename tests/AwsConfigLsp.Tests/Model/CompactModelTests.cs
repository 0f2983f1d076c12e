using System.Text;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// The model keeps its tables compactly (a list per section instead of a dictionary, keys lower-cased through a shared
/// pool, entity names cut from the header without shlex when it is plain, tables of names updated in place after a
/// header edit). Each of these must read exactly as the straightforward version configparser and botocore describe.
/// </summary>
public sealed class CompactModelTests
{
    private static readonly Gen<string> Key = Gen.OneOf(
        Gen.Const("region"), Gen.Const("Region"), Gen.Const("REGION"), Gen.Const("output"), Gen.Const("role_arn"),
        Gen.Const("source_profile"), Gen.Const("İd"), Gen.Const("ΣΑΣ"), Gen.Const("key_ß"), Gen.String[Gen.Char["aAzZ_-İΣ"], 1, 6]);

    private static readonly Gen<string> Header = Gen.OneOf(
        Gen.Const("[default]"), Gen.Const("[DEFAULT]"), Gen.Const("[profile a]"), Gen.Const("[profile  a]"), Gen.Const("[profile 'a b']"),
        Gen.Const("[profile \"x\"]"), Gen.Const("[profile a\\ b]"), Gen.Const("[profile\ta]"), Gen.Const("[profile a b]"), Gen.Const("[profile]"),
        Gen.Const("[sso-session s]"), Gen.Const("[services x]"), Gen.Const("[profilex]"), Gen.Const("[plugins]"),
        Gen.String[Gen.Char["ab '\"\\\t"], 0, 6].Select(name => "[profile " + name + "]"));

    private static readonly Gen<string> Line = Gen.Frequency(
        (2, Header),
        (6, Gen.Select(Key, Gen.OneOf("us-east-1", "", "a", "x y"), (key, value) => key + " = " + value)),
        (1, Gen.OneOf("  continued", "# c", "")));

    private static readonly Gen<string> Text = Line.Array[0, 14].Select(lines => string.Join("\n", lines) + "\n");

    [Fact]
    public void Section_properties_read_as_configparser_reads_them()
    {
        Text.Sample(text =>
        {
            var file = ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(text));
            var defaults = new List<PropertyEntry>();
            foreach (var section in file.Sections.Where(s => s.Role == SectionRole.Defaults))
            {
                defaults.AddRange(section.OwnProperties.Where(p => section.Get(p.Key) == p));
            }
            var keysByName = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var section in file.Sections)
            {
                // configparser: a repeated key in a named section (or in an earlier section of the same name) is an
                // error and the first one counts; before any header, the last one would; [DEFAULT]'s keys are
                // inherited where the section has none of its own.
                var expected = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal);
                var seen = section.RawName is { } raw ? keysByName.TryGetValue(raw, out var set) ? set : keysByName[raw] = [] : null;
                foreach (var property in section.OwnProperties)
                {
                    Assert.Equal(PythonCompat.Lower(section.Syntax.GetText(property.Syntax.KeySpan)), property.Key);
                    if (seen is null) expected[property.Key] = property;
                    else if (seen.Add(property.Key)) expected.Add(property.Key, property);
                }
                if (section.Role is not (SectionRole.Defaults or SectionRole.Preamble))
                {
                    foreach (var inherited in defaults) expected.TryAdd(inherited.Key, inherited);
                }
                Assert.Equal(expected.Select(p => (p.Key, p.Value)), section.Properties.Select(p => (p.Key, p.Value)));
                Assert.Equal(expected.Count, section.Properties.Count);
                foreach (var (key, property) in expected)
                {
                    Assert.Equal(property, section.Get(key));
                    Assert.True(section.Properties.TryGetValue(key, out var found) && found == property);
                }
                Assert.Null(section.Get("no-such-key"));
            }
        }, iter: 2000);
    }

    [Fact]
    public void Entity_names_are_the_second_shell_word_of_the_header()
    {
        Header.Sample(header =>
        {
            var file = ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(header + "\n"));
            var section = file.Sections[^1];
            var name = section.RawName!;
            var words = PythonCompat.ShlexSplit(name);
            string? expected = name switch
            {
                "DEFAULT" => null,
                "default" => "default",
                _ when name.StartsWith("profile", StringComparison.Ordinal) || name.StartsWith("sso-session", StringComparison.Ordinal)
                    || name.StartsWith("services", StringComparison.Ordinal) => words is { Count: 2 } ? words[1] : null,
                _ => null,
            };
            Assert.Equal(expected, section.EntityName);
        }, iter: 2000);
    }

    [Fact]
    public void Values_of_many_sections_are_their_text()
    {
        // Short values are shared between sections; each must still read as its own line's text.
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++) text.Append("[profile p").Append(i).Append("]\nregion = r").Append(i % 97).Append("\noutput = json\n");
        var file = ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(text.ToString()));
        for (var i = 0; i < 3000; i++)
        {
            var profile = file.Profiles["p" + i];
            Assert.Equal("r" + (i % 97), profile.Get("region")?.Value);
            Assert.Equal("json", profile.Get("output")?.Value);
        }
    }

    [Fact]
    public void A_replaced_section_keeps_the_file_and_place_it_had()
    {
        var text = "[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\n[profile c]\noutput = json\n";
        var syntax = SyntaxParser.Parse(text);
        var file = ConfigFile.Create(ConfigFileKind.Config, null, syntax);
        var at = text.IndexOf("[profile b]", StringComparison.Ordinal);
        var edited = ConfigFile.Create(ConfigFileKind.Config, null, syntax.WithEdit(at, text.Length, "[profile c]\noutput = json\n"), previous: file);

        var removed = Assert.Single(edited.Change!.Sections!.Removed, s => s.EntityName == "b");
        Assert.Same(file, removed.File);
        Assert.Equal(at, removed.Start);
        Assert.Equal(2, removed.SectionIndex);
        Assert.Equal(at, edited.Profiles["c"].Start);
        Assert.Same(edited, edited.Profiles["a"].File);
        Assert.False(edited.Profiles.ContainsKey("b"));
    }

    private static readonly Gen<string> Names = Gen.Int[0, 30].Select(i => "p" + i);

    /// <summary>A file of distinct profiles in both files; edits rename, insert, delete and swap whole sections.</summary>
    [Fact]
    public void Tables_of_names_after_header_edits_equal_a_build_from_scratch()
    {
        var spliced = 0;
        var gen = Gen.Select(Names.HashSet[1, 12], Names.HashSet[0, 6], Gen.Select(Gen.Int[0, 4], Gen.Int[0, 100], Names, Gen.Bool).Array[1, 10]);
        gen.Sample((configNames, credentialsNames, edits) =>
        {
            static string Render(IEnumerable<string> names, bool config) =>
                string.Concat(names.Select(n => (config ? "[profile " + n + "]\n" : "[" + n + "]\n") + "region = us-east-1\n"));
            var configText = Render(configNames, true);
            var credentialsText = Render(credentialsNames, false);
            var syntax = SyntaxParser.Parse(configText);
            var credentials = ConfigFile.Create(ConfigFileKind.Credentials, null, SyntaxParser.Parse(credentialsText));
            var file = ConfigFile.Create(ConfigFileKind.Config, null, syntax);
            var model = new ProfileModel(file, credentials, null);
            foreach (var (kind, position, name, flag) in edits)
            {
                var sections = syntax.Sections;
                var index = 1 + position % Math.Max(1, sections.Length - 1);
                if (index >= sections.Length) index = sections.Length - 1;
                var start = syntax.GetSectionStart(index);
                var section = sections[index];
                switch (kind)
                {
                    case 0 when section.Header is { } header:
                        // Type in the name.
                        syntax = syntax.WithEdit(start + header.NameSpan.End, start + header.NameSpan.End, flag ? "x" : name);
                        break;
                    case 1:
                        syntax = syntax.WithEdit(start, start, "[profile " + name + "]\noutput = json\n");
                        break;
                    case 2:
                        syntax = syntax.WithEdit(start, start + section.Length, "");
                        break;
                    case 3 when index + 1 < sections.Length:
                        // Swap two neighbours.
                        var next = sections[index + 1];
                        syntax = syntax.WithEdit(start, start + section.Length + next.Length, string.Concat(next.Text, section.Text));
                        break;
                    default:
                        syntax = syntax.WithEdit(start, start + section.Length, "[profile " + name + "]\n");
                        break;
                }
                file = ConfigFile.Create(ConfigFileKind.Config, null, syntax, previous: file);
                model = new ProfileModel(file, credentials, model);
                if (file.Change?.Sections is { NamesChanged: true }) Interlocked.Increment(ref spliced);
                var scratch = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(syntax.Text)), credentials);
                Assert.Equal(Dump(scratch), Dump(model));
            }
        }, iter: 1500);
        // The edits must exercise the in-place update of the tables, not only the fallback to a full build.
        Assert.True(spliced > 1500, $"only {spliced} incremental builds changed names");
    }

    private static string Dump(ProfileModel model)
    {
        var text = new StringBuilder();
        var file = model.Config;
        foreach (var problem in file.Problems) text.Append("problem ").Append(problem).Append('\n');
        foreach (var section in file.Sections)
        {
            text.Append("section ").Append(section.SectionIndex).Append(' ').Append(section.Start).Append(" [").Append(section.RawName).Append("] ")
                .Append(section.EntityName).Append(" file=").Append(ReferenceEquals(section.File, file)).Append('\n');
        }
        text.Append("profiles ").Append(string.Join(",", file.Profiles.Select(p => p.Key + "@" + p.Value.Start))).Append('\n');
        text.Append("order ").Append(string.Join(",", file.ProfileOrder)).Append('\n');
        foreach (var (name, profile) in model.Profiles)
        {
            text.Append("profile ").Append(name).Append(' ').Append(profile.ConfigSection?.Start).Append(' ').Append(profile.CredentialsSection?.Start)
                .Append(' ').Append(profile.Get("region")?.Value).Append(profile.Get("output")?.Value).Append('\n');
        }
        return text.ToString();
    }
}
