using System.Text;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using AwsConfigLsp.Tests.Fuzz;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Features;

/// <summary>
/// Completion of role ARNs, MFA devices and accounts on files with more values than a list holds
/// (<see cref="Completion.MaxItems"/>): the list is cut to the values that start with what was typed (or, for a short
/// bare word that starts none, those that hold it as a subsequence), the most used first with ties in case-insensitive
/// order, marked incomplete; with the value index the answer is the same.
/// </summary>
public sealed class LongValueListTests
{
    private static (ProfileModel Model, int Offset) Load(string config)
    {
        var offset = config.IndexOf("$0", StringComparison.Ordinal);
        var text = config.Remove(offset, 2);
        var model = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, "/c", SyntaxParser.Parse(text)), ConfigFile.Empty(ConfigFileKind.Credentials), null);
        return (model, offset);
    }

    private static CompletionResult Complete(ProfileModel model, int offset, bool withIndex)
    {
        var index = new ValueIndex();
        index.Follow(model);
        var result = Completion.Get(model, ConfigFileKind.Config, offset, withIndex ? new CompletionLookups(null) { Index = index } : null);
        return result;
    }

    /// <summary>300 roles in 300 accounts (role R{i} in account 1000000{i:D5}), the ones listed in <paramref name="popular"/> used by three profiles.</summary>
    private static string ManyRoles(string last, params int[] popular)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            var users = popular.Contains(i) ? 3 : 1;
            for (var u = 0; u < users; u++)
            {
                text.Append($"[profile r{i}-{u}]\nrole_arn = arn:aws:iam::1000000{i:D5}:role/R{i}\nsource_profile = base\nmfa_serial = arn:aws:iam::9000000{i:D5}:mfa/u{i}\n\n");
            }
        }
        return text + "[profile new]\n" + last;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_long_role_arn_list_is_cut_to_the_most_used_then_in_order(bool withIndex)
    {
        var (model, offset) = Load(ManyRoles("role_arn = arn:aws:$0\n", 250, 7));
        var result = Complete(model, offset, withIndex);

        Assert.True(result.IsIncomplete);
        var arns = result.Items.Where(item => item.Kind == CompletionKind.Arn).Select(item => item.Label).ToList();
        Assert.Equal(Completion.MaxItems, arns.Count);
        // The two used by three profiles first (in ordinal order), then the others in ordinal order.
        Assert.Equal("arn:aws:iam::100000000007:role/R7", arns[0]);
        Assert.Equal("arn:aws:iam::100000000250:role/R250", arns[1]);
        Assert.Equal(arns.Skip(2).Order(StringComparer.Ordinal), arns.Skip(2));
        Assert.Equal("arn:aws:iam::100000000000:role/R0", arns[2]);
        Assert.Equal("used by r7-0, r7-1, r7-2", result.Items[0].Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Values_that_only_contain_the_typed_letters_in_order_come_after_the_prefix_matches(bool withIndex)
    {
        // "R29": no ARN starts with it; the ARNs of R29, R290..R299 hold its letters in order (and many others do).
        var (model, offset) = Load(ManyRoles("role_arn = R29$0\n", 295));
        var result = Complete(model, offset, withIndex);

        var arns = result.Items.Where(item => item.Kind == CompletionKind.Arn).Select(item => item.Label).ToList();
        Assert.True(result.IsIncomplete);
        Assert.Equal("arn:aws:iam::100000000295:role/R295", arns[0]);
        Assert.Contains("arn:aws:iam::100000000029:role/R29", arns);
        // Case-insensitive, as fuzzy clients match: the "r" of "arn" counts.
        Assert.All(arns, arn => Assert.Matches("(?i)r.*2.*9", arn));
        Assert.DoesNotContain("arn:aws:iam::100000000005:role/R5", arns);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_long_source_profile_list_is_cut_to_the_profiles_starting_with_the_typed_text_in_order(bool withIndex)
    {
        // 305 profiles (r0-0 ... r299-0, r3-1, r3-2, r250-1, r250-2) and "new"; "R2" starts r2-0, r20-0 ... r299-0, r250-1, r250-2 (113).
        var (model, offset) = Load(ManyRoles("source_profile = R2$0\n", 3, 250));
        var result = Complete(model, offset, withIndex);

        Assert.True(result.IsIncomplete);
        var names = result.Items.Select(item => item.Label).ToList();
        Assert.Equal(113, names.Count);
        Assert.All(names, name => Assert.StartsWith("r2", name, StringComparison.Ordinal));
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        Assert.Equal(["r2-0", "r20-0", "r200-0"], names.Take(3));
        Assert.Contains("r250-2", names);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_new_arn_that_no_value_starts_with_gets_no_fuzzy_matches(bool withIndex)
    {
        // Every ARN holds "arn:aws:iam::1...:role/R" in order, and none starts with this: they would all be noise.
        var (model, offset) = Load(ManyRoles("role_arn = arn:aws:iam::100000000001:role/Rx$0\n"));
        var result = Complete(model, offset, withIndex);

        Assert.True(result.IsIncomplete);
        Assert.DoesNotContain(result.Items, item => item.Kind == CompletionKind.Arn);
        Assert.Contains(result.Items, item => item.IsSnippet);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_long_account_list_is_cut_to_the_accounts_starting_with_the_typed_digits(bool withIndex)
    {
        // 600 accounts (300 of roles, 300 of MFA devices); "arn:aws:iam::9" keeps the 300 of the devices, cut to 200.
        var (model, offset) = Load(ManyRoles("role_arn = arn:aws:iam::9$0\n", 3));
        var result = Complete(model, offset, withIndex);

        Assert.True(result.IsIncomplete);
        Assert.Equal(Completion.MaxItems, result.Items.Count);
        Assert.Equal("900000000003", result.Items[0].Label);
        Assert.Equal("r3-0, r3-1, r3-2", result.Items[0].Detail);
        Assert.All(result.Items, item => Assert.StartsWith("arn:aws:iam::9", item.InsertText, StringComparison.Ordinal));
        Assert.Equal(result.Items.Skip(1).Select(i => i.Label).Order(StringComparer.Ordinal), result.Items.Skip(1).Select(i => i.Label));
    }

    private static readonly Gen<string> Line = Gen.Frequency(
        (5, Gen.Int[0, 599].Select(i => $"role_arn = arn:aws:iam::{100000000000 + i % 260}:role/R{i}\n")),
        (3, Gen.Int[0, 599].Select(i => $"mfa_serial = arn:aws:iam::{900000000000 + i}:mfa/u{i}\n")),
        (2, Gen.Int[0, 299].Select(i => $"sso_account_id = {800000000000 + i}\n")),
        (2, Gen.Int[0, 99].Select(i => $"source_profile = p{i}\n")),
        (1, Gen.Const("\n")));

    /// <summary>Profiles p0, p1, ... (unique: a duplicate section would make the walk serve the file), each with a few lines.</summary>
    private static readonly Gen<string> File = Line.Array[1, 3].Array[500, 800]
        .Select(profiles => string.Concat(profiles.Select((lines, i) => $"[profile p{i}]\n" + string.Concat(lines))));

    private static int models;
    private static int indexedModels;

    /// <summary>
    /// Large random files (hundreds of values, so lists are cut) and random edits: completion of role ARNs, MFA devices
    /// and accounts with the index answers what the walk over every profile answers, at every value being typed.
    /// </summary>
    [Fact]
    public void Long_lists_with_the_index_answer_as_without_after_edits()
    {
        var edit = Gen.Select(Gen.UInt, Gen.UInt, Gen.OneOf(Line.Array[0, 3].Select(string.Concat), Gen.Int[0, 99].Select(i => $"[profile new{i}]\n")));
        var gen = Gen.Select(File, edit.Array[1, 4]);
        FuzzRunner.Run("long-value-lists", gen, input =>
        {
            var (text, edits) = input;
            var syntax = SyntaxParser.Parse(text);
            var file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax);
            var credentials = ConfigFile.Empty(ConfigFileKind.Credentials);
            var model = new ProfileModel(file, credentials, null);
            var index = new ValueIndex();
            Check(model, index);
            foreach (var (a, b, insert) in edits)
            {
                var start = (int)(a % (uint)(text.Length + 1));
                var end = start + (int)(b % (uint)(Math.Min(text.Length - start, 40) + 1));
                text = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                syntax = syntax.WithEdit(start, end, insert);
                file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: file);
                model = new ProfileModel(file, credentials, model);
                Check(model, index);
            }
        }, defaultCases: 20, input => $"{input.Item1.Length} chars, edits " + string.Join(", ", input.Item2.Select(e => $"({e.Item1}, {e.Item2}, {FuzzRunner.Escape(e.Item3)})")));
        // A duplicate section (an edit may make one) leaves the file to the walk: most models must be indexed.
        Assert.True(indexedModels * 2 > models, $"only {indexedModels} of {models} models were indexed");
    }

    private static void Check(ProfileModel model, ValueIndex index)
    {
        index.Follow(model);
        Interlocked.Increment(ref models);
        if (index.ProfilesWith(model, "role_arn", "x") is null) return; // a duplicate section: the walk serves it
        Interlocked.Increment(ref indexedModels);
        var text = model.Config.Syntax.Text;
        var random = new Random(text.Length);
        var cut = 0;
        foreach (var key in new[] { "role_arn = ", "mfa_serial = ", "sso_account_id = ", "source_profile = " })
        {
            // Ten values of the key, completed after 0 to 20 of their characters.
            for (int at = text.IndexOf(key, StringComparison.Ordinal), n = 0; at >= 0 && n < 10; at = text.IndexOf(key, at + 1, StringComparison.Ordinal), n++)
            {
                var valueStart = at + key.Length;
                var lineEnd = text.IndexOf('\n', valueStart);
                var offset = valueStart + random.Next((lineEnd < 0 ? text.Length : lineEnd) - valueStart + 1);
                offset = Math.Min(offset, valueStart + 20);
                var plain = Completion.Get(model, ConfigFileKind.Config, offset);
                var indexed = Completion.Get(model, ConfigFileKind.Config, offset, new CompletionLookups(null) { Index = index });
                Assert.Equal(plain.IsIncomplete, indexed.IsIncomplete);
                Assert.Equal(plain.Items.Select(i => (i.Label, i.Detail, i.Documentation)), indexed.Items.Select(i => (i.Label, i.Detail, i.Documentation)));
                if (plain.IsIncomplete) cut++;
            }
            Assert.True(cut > 0, $"no list of {key.TrimEnd(' ', '=')} was cut: the generated files are too small for this test");
            cut = 0;
        }
    }
}
