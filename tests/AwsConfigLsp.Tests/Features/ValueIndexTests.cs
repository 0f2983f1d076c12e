using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Features;

/// <summary>
/// The value index keeps no copy of what each section gave it: a section's uses are read again from the section when
/// a later version replaces it. These are the two ways of catching up that do not follow the file's change history:
/// a version with no history back to the one indexed (a reopened document), and an index emptied by a [DEFAULT]
/// section and built again. Each must leave exactly the index a fresh build of the same model gives. And a first
/// build's sorted lists: case-insensitive order, then ordinal, with each value's users.
/// </summary>
public sealed class ValueIndexTests
{
    private const string Config = """
        [profile base]
        mfa_serial = arn:aws:iam::111111111111:mfa/alice

        [profile a]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = base

        [profile b]
        role_arn = arn:aws:iam::333333333333:role/Admin
        source_profile = base
        mfa_serial = arn:aws:iam::111111111111:mfa/alice

        """;

    private static readonly string[] SortedKeys = [Keys.RoleArn, Keys.MfaSerial, ValueIndex.AnyAccount, ValueIndex.ProfileNames];

    private static ProfileModel Model(DocumentSyntax config, ConfigFile? previous = null, ProfileModel? previousModel = null) =>
        new(ConfigFile.Create(ConfigFileKind.Config, "/c", config, previous: previous),
            previousModel?.Credentials ?? ConfigFile.Create(ConfigFileKind.Credentials, "/k", SyntaxParser.Parse("[base]\naws_access_key_id = AKIAEXAMPLE\n")),
            previousModel);

    /// <summary>Every sorted list (values and user counts) and the users of every value, as a fresh index has them.</summary>
    private static void AssertSameAsFresh(ValueIndex index, ProfileModel model)
    {
        Assert.True(index.Update(model));
        var fresh = new ValueIndex();
        Assert.True(fresh.Update(model));
        foreach (var key in SortedKeys)
        {
            var (expected, actual) = (fresh.SortedOf(key)!, index.SortedOf(key)!);
            Assert.Equal(expected.Values.Zip(expected.Users), actual.Values.Zip(actual.Users));
            foreach (var value in expected.Values) Assert.Equal(fresh.UsersOf(key, value).Order(), index.UsersOf(key, value).Order());
        }
        foreach (var value in new[] { "base", "a", "b", "c" })
        {
            Assert.Equal(fresh.UsersOf(Keys.SourceProfile, value).Order(), index.UsersOf(Keys.SourceProfile, value).Order());
        }
    }

    /// <summary>The config above, its model and an index up to it.</summary>
    private static (DocumentSyntax Syntax, ProfileModel Model, ValueIndex Index) Indexed()
    {
        var syntax = SyntaxParser.Parse(Config);
        var model = Model(syntax);
        var index = new ValueIndex();
        Assert.True(index.Update(model));
        return (syntax, model, index);
    }

    [Fact]
    public void A_version_without_history_back_to_the_indexed_one_is_caught_up_by_section_identity()
    {
        var (syntax, model, index) = Indexed();

        // Profile a's role and source change, profile b goes, c comes: a new file (no `previous`) over the edited syntax,
        // which shares the untouched sections' syntax with the indexed one.
        var start = Config.IndexOf("[profile a]", StringComparison.Ordinal);
        var edited = syntax.WithEdit(start, Config.Length, "[profile a]\nrole_arn = arn:aws:iam::444444444444:role/Ops\nsource_profile = c\n\n[profile c]\nmfa_serial = arn:aws:iam::555555555555:mfa/bob\n");
        var next = Model(edited);

        AssertSameAsFresh(index, next);
        Assert.Empty(index.UsersOf(Keys.RoleArn, "arn:aws:iam::333333333333:role/Admin"));
        Assert.Equal(["a"], index.UsersOf(Keys.SourceProfile, "c"));
        Assert.Equal(["base"], index.UsersOf(Keys.MfaSerial, "arn:aws:iam::111111111111:mfa/alice"));
    }

    [Fact]
    public void A_credentials_file_reread_from_scratch_while_the_config_stays_brings_the_sorted_lists_up_to_it()
    {
        var (_, model, index) = Indexed();

        // The credentials file alone is new (no history back to the indexed one, e.g. changed on disk): the sorted lists
        // must be rebuilt from it although the config's side had nothing to do.
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k",
            SyntaxParser.Parse("[base]\naws_access_key_id = AKIAEXAMPLE\n\n[Zed]\nmfa_serial = arn:aws:iam::666666666666:mfa/zed\n"));
        var next = new ProfileModel(model.Config, credentials, model);

        AssertSameAsFresh(index, next);
        Assert.Contains("Zed", index.SortedOf(ValueIndex.ProfileNames)!.Values);
        Assert.Contains("arn:aws:iam::666666666666:mfa/zed", index.SortedOf(Keys.MfaSerial)!.Values);
    }

    [Fact]
    public void An_index_emptied_by_a_DEFAULT_section_is_built_again_without_what_it_had()
    {
        var (syntax, model, index) = Indexed();

        // [DEFAULT] on top (the index stops serving) and profile b's role removed meanwhile; then [DEFAULT] goes again.
        var withDefaults = syntax.WithEdit(0, 0, "[DEFAULT]\nregion = us-east-1\n\n");
        var roleLine = "role_arn = arn:aws:iam::333333333333:role/Admin\n";
        var shift = "[DEFAULT]\nregion = us-east-1\n\n".Length;
        var withoutRole = withDefaults.WithEdit(shift + Config.IndexOf(roleLine, StringComparison.Ordinal), shift + Config.IndexOf(roleLine, StringComparison.Ordinal) + roleLine.Length, "");
        var unindexable = Model(withoutRole, model.Config, model);
        Assert.False(index.Update(unindexable));
        var back = Model(withoutRole.WithEdit(0, shift, ""), unindexable.Config, unindexable);

        AssertSameAsFresh(index, back);
        Assert.Empty(index.UsersOf(Keys.RoleArn, "arn:aws:iam::333333333333:role/Admin"));
        Assert.Equal(["b", "base"], index.UsersOf(Keys.MfaSerial, "arn:aws:iam::111111111111:mfa/alice").Order());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1500)]
    public void A_built_index_lists_values_ignoring_case_then_ordinally_with_their_users(int fillers)
    {
        // Names and ARNs whose ordinal order differs from the case-insensitive one; with 1500 more profiles the first
        // build reserves its tables from the sections' keys first.
        var text = new System.Text.StringBuilder();
        foreach (var (name, role) in new[] { ("beta", "Zeta"), ("Alpha", "alpha"), ("alpha", "Beta"), ("Gamma", "beta"), ("gamma", "alpha") })
        {
            text.Append($"[profile {name}]\nrole_arn = arn:aws:iam::222222222222:role/{role}\ncredential_source = Environment\n\n");
        }
        for (var i = 0; i < fillers; i++) text.Append($"[profile f{i:D4}]\nregion = us-east-1\n\n");
        var model = Model(SyntaxParser.Parse(text.ToString()));
        var index = new ValueIndex();
        Assert.True(index.Update(model));

        var names = index.SortedOf(ValueIndex.ProfileNames)!;
        Assert.Equal(["Alpha", "alpha", "base", "beta", "Gamma", "gamma"], names.Values.Where(name => !name.StartsWith('f')).ToArray());
        Assert.Equal(names.Values.Order(ValueIndex.ValueOrder), names.Values);
        var roles = index.SortedOf(Keys.RoleArn)!;
        Assert.Equal(
            ["arn:aws:iam::222222222222:role/alpha", "arn:aws:iam::222222222222:role/Beta", "arn:aws:iam::222222222222:role/beta", "arn:aws:iam::222222222222:role/Zeta"],
            roles.Values);
        Assert.Equal([2, 1, 1, 1], roles.Users);
        Assert.Equal((0, 1), roles.PrefixRange("ARN:AWS:IAM::222222222222:ROLE/A"));
        // The five above, the credentials file's `base`, the fillers.
        Assert.Equal(fillers + 6, names.Values.Count);
    }
}
