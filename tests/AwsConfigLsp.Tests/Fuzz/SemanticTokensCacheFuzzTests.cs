using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>
/// The server's per-section semantic token cache against the plain computation: after any sequence of edits (the model
/// built incrementally, as the server builds it), its whole-file tokens equal <see cref="SemanticTokens.Get"/> encoded by
/// <see cref="LspConvert.ToLsp"/>, and applying its delta to the previous result gives the same array, whatever slice
/// size the update is cut into.
/// </summary>
public sealed class SemanticTokensCacheFuzzTests
{
    private static readonly Gen<string> Insert = Gen.OneOf(
        Gen.Const(""), Gen.Const("x"), Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("[profile p]\n"), Gen.Const("region = eu-west-1\n"),
        Gen.Const("role_arn = arn:aws:iam::123456789012:role/r\n"), Gen.Const("# note\n"), Gen.Const("  nested = 1\n"),
        Gen.Const("[sso-session s]\nsso_region = us-east-1\n"), Gen.Const("s3 =\n  max_concurrent_requests = 10\n"), Gen.Const("="));

    [Fact]
    public void Cache_FullAndDelta_EqualThePlainTokens_AfterEverySequenceOfEdits()
    {
        var gen = Gen.Select(FuzzInputs.SmallText, Gen.Select(Gen.UInt, Gen.UInt, Insert).Array[1, 8], Gen.Int[1, 6], Gen.Bool);
        Check("semantic-tokens-cache", gen, cases: 600);
    }

    /// <summary>Files of hundreds to thousands of sections: several chunks, whose token counts the cache keeps per chunk.</summary>
    private static readonly Gen<string> LargeText = Gen.Select(Gen.Int[300, 1500], Gen.Int[0, 3], (sections, shape) =>
        string.Concat(Enumerable.Range(0, sections).Select(i => ((i + shape) % 4) switch
        {
            0 => $"[profile p{i}]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/r{i}\n",
            1 => $"[profile q{i}]\n# note\n\n",
            2 => $"[sso-session s{i}]\nsso_region = us-east-1\n",
            _ => $"[profile e{i}]\n",
        })));

    [Fact]
    public void Cache_FullAndDelta_OnFilesOfManyChunks_EqualThePlainTokens_AfterEverySequenceOfEdits()
    {
        var gen = Gen.Select(LargeText, Gen.Select(Gen.UInt, Gen.UInt, Insert).Array[1, 6], Gen.Int[1, 400], Gen.Bool);
        Check("semantic-tokens-cache-large", gen, cases: 40);
    }

    [Fact]
    public void Cache_AnUpdateCutShortByItsBudget_FollowsAnEditThatRemovesSectionsBeforeIt()
    {
        var text = string.Concat(Enumerable.Range(0, 600).Select(i => $"[profile p{i}]\nregion = eu-west-1\n"));
        var document = SyntaxParser.Parse(text);
        var file = ConfigFile.Create(ConfigFileKind.Config, "/f", document);
        var cache = new SemanticTokensCache();
        Update(cache, file, 10_000, out var resultId);
        var sent = cache.Full();

        // Three new sections inside section 500 (four to tokenize), and the update gets through one of them...
        var at = text.IndexOf("[profile p500]\nregion", StringComparison.Ordinal) + "[profile p500]\n".Length;
        (text, document) = (text.Insert(at, "[profile a]\n[profile b]\n[profile c]\n"), document.WithEdit(at, at, "[profile a]\n[profile b]\n[profile c]\n"));
        file = ConfigFile.Create(ConfigFileKind.Config, "/f", document, previous: file);
        Assert.False(cache.TryUpdate(file, 1, out _));
        // ...when an edit removes sections 10 and 11, before them.
        var from = text.IndexOf("[profile p10]", StringComparison.Ordinal);
        var to = text.IndexOf("[profile p12]", StringComparison.Ordinal);
        (text, document) = (text.Remove(from, to - from), document.WithEdit(from, to, ""));
        file = ConfigFile.Create(ConfigFileKind.Config, "/f", document, previous: file);
        Update(cache, file, 1, out _);

        var applied = Apply(sent, cache.Delta(resultId)!);
        Assert.Equal(Plain(file), applied);
        Assert.Equal(Plain(file), cache.Full());
    }

    /// <summary>
    /// The cache packs each integer in as few bytes as it needs (7 bits a byte): integers of one, two, three and more
    /// bytes (a token 300 lines into its section, at column 200, 70,000 characters long) come back whole, in the
    /// whole-file answer, its JSON and a delta that re-sends the section.
    /// </summary>
    [Fact]
    public void Cache_IntegersOfEverySize_ComeBackWhole()
    {
        var blankLines = new string('\n', 300);
        var text = $"[profile wide]\n{blankLines}region = eu-west-1\n{new string(' ', 190)}output = json\n"
            + $"role_arn = arn:aws:iam::123456789012:role/{new string('r', 70_000)}\n[profile next]\nregion = us-east-1\n";
        var document = SyntaxParser.Parse(text);
        var file = ConfigFile.Create(ConfigFileKind.Config, "/f", document);
        var cache = new SemanticTokensCache();
        Update(cache, file, 10, out var resultId);
        var sent = cache.Full();
        var plain = Plain(file);
        Assert.Equal(plain, sent);
        Assert.Equal(plain, Json(cache.FullJson()));
        // The sizes this test is about: a line delta past 127, a column past 127, a length past 16383.
        Assert.Contains(plain.Where((_, i) => i % 5 == 0), line => line > 127);
        Assert.Contains(plain.Where((_, i) => i % 5 == 1), column => column > 127);
        Assert.Contains(plain.Where((_, i) => i % 5 == 2), length => length > 16_383);

        var at = text.IndexOf("region = eu-west-1", StringComparison.Ordinal);
        document = document.WithEdit(at, at, "x");
        file = ConfigFile.Create(ConfigFileKind.Config, "/f", document, previous: file);
        Update(cache, file, 10, out _);
        var applied = Apply(sent, cache.Delta(resultId)!);
        Assert.Equal(Plain(file), applied);
    }

    private static void Check(string name, Gen<(string, (uint, uint, string)[], int, bool)> gen, int cases)
    {
        FuzzRunner.Run(name, gen, input =>
        {
            var (text, edits, slice, credentials) = input;
            var kind = credentials ? ConfigFileKind.Credentials : ConfigFileKind.Config;
            var document = SyntaxParser.Parse(text);
            var file = ConfigFile.Create(kind, "/f", document);
            var cache = new SemanticTokensCache();
            var sent = Update(cache, file, slice, out var resultId);
            Assert.Equal(Plain(file), sent = cache.Full());
            for (var k = 0; k < edits.Length; k++)
            {
                var (a, b, insert) = edits[k];
                var start = (int)(a % (uint)(text.Length + 1));
                var end = start + (int)(b % (uint)(Math.Min(text.Length - start, 40) + 1));
                text = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                document = document.WithEdit(start, end, insert);
                file = ConfigFile.Create(kind, "/f", document, previous: file);
                if ((a & 1) == 1 && k < edits.Length - 1)
                {
                    // Sometimes the next edit arrives after one slice of this one's update (the server yields between
                    // slices): the update goes on from there with the newer text, and the delta spans both edits.
                    cache.TryUpdate(file, slice, out _);
                    continue;
                }
                Update(cache, file, slice, out var newId);
                var expected = Plain(file);
                var delta = cache.Delta(resultId);
                Assert.NotNull(delta);
                var applied = Apply(sent, delta);
                Assert.Equal(expected, applied);
                Assert.NotEqual(resultId, newId);
                (sent, resultId) = ([.. applied], newId);
                // The whole file as the server sends it: written into the JSON from the sections, not from an array.
                Assert.Equal(expected, Json(cache.FullJson()));
            }
            // A result id the cache no longer holds gets no delta (the server then sends the whole file).
            Update(cache, file, slice, out _);
            Assert.Null(cache.Delta("stale"));
        }, defaultCases: cases, input => $"{FuzzRunner.Escape(input.Item1)} slice {input.Item3} kind {(input.Item4 ? "credentials" : "config")} edits "
                                      + string.Join(", ", input.Item2.Select(e => $"({e.Item1}, {e.Item2}, {FuzzRunner.Escape(e.Item3)})")));
    }

    private static uint[] Update(SemanticTokensCache cache, ConfigFile file, int slice, out string resultId)
    {
        var rounds = 0;
        while (!cache.TryUpdate(file, slice, out resultId))
        {
            Assert.True(++rounds < 10_000, "the cache never finished updating");
        }
        return [];
    }

    /// <summary>A delta's edits applied to the tokens the client had, as a client applies them (last edit first).</summary>
    private static List<uint> Apply(uint[] sent, (int Start, int DeleteCount, uint[] Data)[] delta)
    {
        var applied = sent.ToList();
        foreach (var (editStart, deleteCount, data) in delta.Reverse())
        {
            applied.RemoveRange(editStart, deleteCount);
            applied.InsertRange(editStart, data);
        }
        return applied;
    }

    private static uint[] Json(TokenStream stream)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer)) stream.WriteTo(writer);
        return System.Text.Json.JsonSerializer.Deserialize<uint[]>(buffer.WrittenSpan)!;
    }

    private static uint[] Plain(ConfigFile file) => LspConvert.ToLsp(SemanticTokens.Get(file), file.Syntax.LineIndex);
}
