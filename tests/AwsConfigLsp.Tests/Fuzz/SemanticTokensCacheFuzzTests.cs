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
        FuzzRunner.Run("semantic-tokens-cache", gen, input =>
        {
            var (text, edits, slice, credentials) = input;
            var kind = credentials ? ConfigFileKind.Credentials : ConfigFileKind.Config;
            var document = SyntaxParser.Parse(text);
            var file = ConfigFile.Create(kind, "/f", document);
            var cache = new SemanticTokensCache();
            var sent = Update(cache, file, slice, out var resultId);
            Assert.Equal(Plain(file), sent = cache.Full());
            foreach (var (a, b, insert) in edits)
            {
                // Sometimes a slice of an update ran before the edit arrived (the server yields between slices).
                if ((a & 1) == 1) cache.TryUpdate(file, slice, out _);
                var start = (int)(a % (uint)(text.Length + 1));
                var end = start + (int)(b % (uint)(Math.Min(text.Length - start, 40) + 1));
                text = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                document = document.WithEdit(start, end, insert);
                file = ConfigFile.Create(kind, "/f", document, previous: file);
                Update(cache, file, slice, out var newId);
                var expected = Plain(file);
                var delta = cache.Delta(resultId);
                Assert.NotNull(delta);
                var applied = sent.ToList();
                foreach (var (editStart, deleteCount, data) in delta.Reverse())
                {
                    applied.RemoveRange(editStart, deleteCount);
                    applied.InsertRange(editStart, data);
                }
                Assert.Equal(expected, applied);
                Assert.NotEqual(resultId, newId);
                (sent, resultId) = ([.. applied], newId);
            }
            // A result id the cache no longer holds gets no delta (the server then sends the whole file).
            Update(cache, file, slice, out _);
            Assert.Null(cache.Delta("stale"));
        }, defaultCases: 600, input => $"{FuzzRunner.Escape(input.Item1)} slice {input.Item3} kind {(input.Item4 ? "credentials" : "config")} edits "
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

    private static uint[] Plain(ConfigFile file) => LspConvert.ToLsp(SemanticTokens.Get(file), file.Syntax.LineIndex);
}
