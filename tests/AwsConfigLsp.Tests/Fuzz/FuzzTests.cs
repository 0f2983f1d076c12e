using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Cli;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;
using AwsConfigLsp.Tests.Syntax;
using CsCheck;
using Xunit;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>
/// Property tests over every layer with random and mutated inputs (<see cref="FuzzInputs"/>): nothing throws, printing
/// the tree gives the input back, incremental parsing equals full parsing, positions round-trip through the
/// <see cref="LineIndex"/>, every rule and feature answers with spans inside the file. CI runs the small default counts
/// below with a fixed seed (about 30 s in all); <c>scripts/fuzz</c> runs many more (<see cref="FuzzRunner"/>).
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void Parser_NeverThrows_AndPrintingTheTreeGivesTheInputBack()
    {
        FuzzRunner.Run("parser", FuzzInputs.AnyText, text =>
        {
            var document = SyntaxParser.Parse(text);

            Assert.Equal(text, document.Text);
            Assert.Equal(text.Length, document.Length);
            Assert.Equal(text, string.Concat(document.Sections.Select(section => section.ToString())));
            foreach (var section in document.Sections) AssertLinesCoverSection(section);
            foreach (var error in document.Errors()) AssertInside(error.Span, text.Length);
            Assert.NotEmpty(SyntaxTreePrinter.Print(document));
        }, defaultCases: 3_000, FuzzRunner.Escape);
    }

    [Fact]
    public void IncrementalParse_EqualsFullParse_AfterEverySequenceOfEdits()
    {
        var gen = Gen.Select(FuzzInputs.SmallText, Gen.Select(Gen.UInt, Gen.UInt, Edit).Array[1, 6]);
        FuzzRunner.Run("incremental", gen, input =>
        {
            var (text, edits) = input;
            var document = SyntaxParser.Parse(text);
            foreach (var (a, b, insert) in edits)
            {
                var start = (int)(a % (uint)(text.Length + 1));
                var end = start + (int)(b % (uint)(Math.Min(text.Length - start, 40) + 1));
                text = string.Concat(text.AsSpan(0, start), insert, text.AsSpan(end));
                document = document.WithEdit(start, end, insert);

                Assert.Equal(text, document.Text);
                Assert.Equal(SyntaxTreePrinter.Print(SyntaxParser.Parse(text)), SyntaxTreePrinter.Print(document));
            }
            NaiveLines.AssertLineIndexMatches(document);
        }, defaultCases: 2_000, input => $"{FuzzRunner.Escape(input.Item1)} edits {string.Join(", ", input.Item2.Select(e => $"({e.Item1}, {e.Item2}, {FuzzRunner.Escape(e.Item3)})"))}");
    }

    [Fact]
    public void LineIndex_PositionsRoundTrip_AndOutOfRangePositionsClamp()
    {
        var gen = Gen.Select(FuzzInputs.SmallText, Gen.Int.Array[8], (text, probes) => (text, probes));
        FuzzRunner.Run("line-index", gen, input =>
        {
            var (text, probes) = input;
            var document = SyntaxParser.Parse(text);
            var lineIndex = document.LineIndex;
            NaiveLines.AssertLineIndexMatches(document);
            for (var offset = 0; offset <= text.Length; offset++)
            {
                var position = lineIndex.GetPosition(offset);
                var insideCrLf = offset > 0 && offset < text.Length && text[offset - 1] == '\r' && text[offset] == '\n';
                if (!insideCrLf) Assert.Equal(offset, lineIndex.GetOffset(position));
                Assert.Equal(position, LspConvert.ToPosition(lineIndex, offset) is var lsp ? new LinePosition(lsp.Line, lsp.Character) : default);
            }
            // Any position, however wrong, maps into the document.
            for (var i = 0; i + 1 < probes.Length; i += 2)
            {
                var offset = lineIndex.GetOffset(new LinePosition(probes[i], probes[i + 1]));
                Assert.InRange(offset, 0, text.Length);
                Assert.InRange(lineIndex.GetOffset(new LinePosition(Math.Abs(probes[i] % (lineIndex.LineCount + 2)), probes[i + 1])), 0, text.Length);
            }
            Assert.InRange(lineIndex.GetLineStart(int.MaxValue), 0, text.Length);
            Assert.InRange(lineIndex.GetOffset(new LinePosition(int.MaxValue, int.MaxValue)), 0, text.Length);
            Assert.InRange(lineIndex.GetOffset(new LinePosition(int.MinValue, int.MinValue)), 0, text.Length);
        }, defaultCases: 1_500, input => FuzzRunner.Escape(input.text));
    }

    [Fact]
    public void ResolutionCheck_FindsWhatTheFullResolutionFinds()
    {
        // What the rules ask of every profile (no links made) against the resolution hover and the CLI command show.
        var config = Gen.Frequency((4, FuzzInputs.AnyText), (1, FuzzInputs.LongChain));
        var gen = Gen.Select(config, FuzzInputs.SmallText, Gen.Bool, (config, credentials, ignore) => (config, credentials, ignore));
        FuzzRunner.Run("resolution-check", gen, input =>
        {
            var model = ModelOf(input.config, input.credentials);
            foreach (var name in model.Profiles.Keys.Append("no-such-profile"))
            {
                var full = CredentialResolver.Resolve(model, name, input.ignore);
                var check = CredentialResolver.Check(model, name, input.ignore);
                Assert.Equal(full.Error?.Kind, check.Error?.Kind);
                Assert.Equal(full.Error?.Message, check.Error?.Message);
                Assert.Equal(full.Error?.Location, check.Error?.Location);
                Assert.Equal(full.Succeeded ? full.Chain.Length : 0, check.ChainLength);
                // Only the last links made (what the duration rule asks): the same walk, error and length, and those
                // links equal to the full resolution's.
                foreach (var hops in (ReadOnlySpan<int>)[0, 1, 2, 3])
                {
                    var last = CredentialResolver.ResolveLast(model, name, hops, input.ignore);
                    Assert.Equal(full.Error?.Kind, last.Error?.Kind);
                    Assert.Equal(full.Error?.Message, last.Error?.Message);
                    Assert.Equal(full.Error?.Location, last.Error?.Location);
                    Assert.Equal(full.Error?.Related.ToArray(), last.Error?.Related.ToArray());
                    Assert.Equal(full.Chain.Length, last.Chain.Length);
                    var made = Math.Min(hops, full.Chain.Length);
                    Assert.Equal(full.Chain[^made..].ToArray(), last.Chain[^made..].ToArray());
                }
            }
        }, defaultCases: 1_000, input => FuzzRunner.Escape(input.config) + " | " + FuzzRunner.Escape(input.credentials));
    }

    [Fact]
    public void ModelAndEveryRule_NeverThrow_AndPointInsideTheFiles()
    {
        var gen = Gen.Select(FuzzInputs.AnyText, FuzzInputs.SmallText, Gen.Bool, (config, credentials, swap) => swap ? (credentials, config) : (config, credentials));
        FuzzRunner.Run("model-and-rules", gen, input =>
        {
            var model = ModelOf(input.Item1, input.Item2);
            foreach (var name in model.Profiles.Keys)
            {
                var resolution = model.Resolve(name);
                Assert.NotNull(ChainFormatter.FormatText(resolution, model));
                Assert.NotNull(CliApp.ToOutput(resolution));
                foreach (var hop in resolution.Chain) Assert.NotNull(ChainFormatter.Details(hop, model));
            }
            var context = new AnalysisContext(model, new FileFacts { CredentialsFileMode = UnixFileMode.OtherRead | UnixFileMode.UserRead });
            foreach (var rule in DiagnosticEngine.Rules)
            {
                // Each rule on its own, so a failure shows the rule's own exception rather than an internal-error diagnostic.
                foreach (var diagnostic in rule.Analyze(context).ToList()) AssertInside(model, diagnostic);
            }
            var all = DiagnosticEngine.Analyze(model, facts: context.Facts);
            Assert.DoesNotContain(all, diagnostic => diagnostic.Code == DiagnosticCodes.InternalError);
            foreach (var diagnostic in all)
            {
                Assert.NotNull(LspConvert.ToLsp(diagnostic, model, kind => $"file:///fuzz/{kind}"));
                foreach (var fix in diagnostic.Fixes)
                {
                    // The fix applies: its edits do not overlap, and the edited file parses back to what it prints.
                    foreach (var group in fix.Edits.GroupBy(edit => edit.Location.File))
                    {
                        var text = model.GetFile(group.Key).Syntax.Text;
                        var changes = group.Select(edit => new TextChange(edit.Location.Span, edit.NewText)).OrderBy(change => change.Span.Start).ToList();
                        for (var i = 1; i < changes.Count; i++) Assert.True(changes[i - 1].Span.End <= changes[i].Span.Start, $"Overlapping edits in fix '{fix.Title}'.");
                        var fixedText = Formatting.Apply(text, changes);
                        Assert.Equal(fixedText, SyntaxParser.Parse(fixedText).Text);
                    }
                }
            }
            foreach (var kind in new[] { ConfigFileKind.Config, ConfigFileKind.Credentials })
            {
                // Null when nothing in the file has a fix.
                var fixAll = CodeActions.FixAll(all, kind, model, k => $"file:///fuzz/{k}", documentChanges: true);
                Assert.True(fixAll is null || fixAll.Edit is not null);
            }
        }, defaultCases: 1_500, input => $"config {FuzzRunner.Escape(input.Item1)}\ncredentials {FuzzRunner.Escape(input.Item2)}");
    }

    [Fact]
    public void Features_AtRandomOffsets_NeverThrow_AndAnswerInsideTheFile()
    {
        var gen = Gen.Select(FuzzInputs.SmallText, FuzzInputs.SmallText, Gen.UInt.Array[1, 12], Gen.Bool,
            (config, credentials, offsets, inCredentials) => (config, credentials, offsets, inCredentials));
        FuzzRunner.Run("features", gen, input =>
        {
            var model = ModelOf(input.config, input.credentials);
            var kind = input.inCredentials ? ConfigFileKind.Credentials : ConfigFileKind.Config;
            var file = model.GetFile(kind);
            var length = file.Syntax.Length;
            foreach (var raw in input.offsets)
            {
                var offset = (int)(raw % (uint)(length + 1));
                var completion = Completion.Get(model, kind, offset);
                foreach (var item in completion.Items)
                {
                    AssertInside(item.ReplaceSpan, length);
                    Assert.NotNull(LspConvert.ToLsp(item, file.Syntax.LineIndex));
                }
                if (Hover.Get(model, kind, offset) is { } hover)
                {
                    AssertInside(hover.Span, length);
                    Assert.False(string.IsNullOrWhiteSpace(hover.Markdown));
                }
                if (Navigation.FindAt(model, kind, offset) is { } entity)
                {
                    foreach (var location in Navigation.Definitions(model, entity)) AssertInside(model, location);
                    foreach (var occurrence in Navigation.References(model, entity.Kind, entity.Name, includeDeclarations: true)) AssertInside(model, occurrence.Location);
                    var (renamable, _) = Navigation.PrepareRename(model, kind, offset);
                    if (renamable is not null)
                    {
                        foreach (var edit in Navigation.Rename(model, renamable, "renamed").Edits) AssertInside(model, edit.Location);
                    }
                }
                var range = TextSpan.FromBounds(Math.Min(offset, length / 2), Math.Max(offset, length / 2));
                foreach (var token in SemanticTokens.Get(file, range)) AssertInside(new TextSpan(token.Start, token.Length), length);
                foreach (var change in Formatting.Format(file, range)) AssertInside(change.Span, length);
            }
            var tokens = SemanticTokens.Get(file);
            foreach (var token in tokens) AssertInside(new TextSpan(token.Start, token.Length), length);
            Assert.Equal(0, LspConvert.ToLsp(tokens, file.Syntax.LineIndex).Length % 5);
            foreach (var symbol in DocumentSymbols.Get(file)) AssertInside(symbol.Span, length);
            foreach (var folding in FoldingRanges.Get(file)) Assert.InRange(folding.Start, 0, folding.End);
            foreach (var (_, _, location) in Navigation.Search(model, "a")) AssertInside(model, location);
            foreach (var name in model.Profiles.Keys.Take(20)) Assert.False(string.IsNullOrEmpty(Hover.ProfileMarkdown(model, name)));

            var formatted = Formatting.Format(file);
            var changes = formatted.OrderBy(change => change.Span.Start).ToList();
            for (var i = 1; i < changes.Count; i++) Assert.True(changes[i - 1].Span.End <= changes[i].Span.Start, "Formatting edits overlap.");
            Formatting.Apply(file.Syntax.Text, formatted);
        }, defaultCases: 1_000, input => $"config {FuzzRunner.Escape(input.config)}\ncredentials {FuzzRunner.Escape(input.credentials)}\noffsets {string.Join(",", input.offsets)} in {(input.inCredentials ? "credentials" : "config")}");
    }

    /// <summary>Text inserted by an edit: mostly small pieces that matter to the parser, sometimes garbage.</summary>
    private static readonly Gen<string> Edit = Gen.Frequency(
        (6, Gen.OneOf("", "x", " ", "\t", "\n", "\r", "\r\n", "[", "]", "=", ":", "#", "\0", "\uD800", "\uDC00", "\uFEFF",
            "[profile z]\n", "\n[default]\n", "a = b\n", "  k = v\n", "s3 =\n  a = b\n", "\n  ")),
        (1, FuzzInputs.Garbage.Select(text => text.Length > 20 ? text[..20] : text)));

    internal static ProfileModel ModelOf(string config, string credentials) => new(
        ConfigFile.Create(ConfigFileKind.Config, "/fuzz/config", SyntaxParser.Parse(config), hasUndecodableBytes: config.Contains('\uFFFD')),
        ConfigFile.Create(ConfigFileKind.Credentials, "/fuzz/credentials", SyntaxParser.Parse(credentials)));

    private static void AssertLinesCoverSection(SectionSyntax section)
    {
        var lines = new List<LineSyntax>();
        if (section.Header is { } header) lines.Add(header);
        foreach (var item in section.Items)
        {
            lines.Add(item);
            if (item.AsProperty is { } property) lines.AddRange(property.Lines);
        }
        var position = 0;
        foreach (var line in lines.OrderBy(line => line.FullSpan.Start))
        {
            Assert.Equal(position, line.FullSpan.Start);
            position = line.FullSpan.End;
        }
        Assert.Equal(section.Length, position);
    }

    private static void AssertInside(TextSpan span, int length)
    {
        Assert.True(span.Start >= 0 && span.Length >= 0 && span.End <= length, $"Span {span} is outside a text of {length} characters.");
    }

    private static void AssertInside(ProfileModel model, SourceLocation location) => AssertInside(location.Span, model.GetFile(location.File).Syntax.Length);

    private static void AssertInside(ProfileModel model, Diagnostic diagnostic)
    {
        AssertInside(model, diagnostic.Location);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        foreach (var related in diagnostic.Related) AssertInside(model, related.Location);
        foreach (var edit in diagnostic.Fixes.SelectMany(fix => fix.Edits)) AssertInside(model, edit.Location);
    }
}
