using System.Text;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using AwsConfigLsp.Syntax;
using AwsConfigLsp.Tests.Support;
using Xunit;
using T = AwsConfigLsp.Features.SemanticTokenType;
using M = AwsConfigLsp.Features.SemanticTokenModifiers;

namespace AwsConfigLsp.Tests.Features;

public class SemanticTokensTests
{
    private static ConfigFile Parse(string text, ConfigFileKind kind = ConfigFileKind.Config) =>
        ConfigFile.Create(kind, null, SyntaxParser.Parse(text));

    /// <summary>Checks the tokens of <paramref name="input"/> (or of <paramref name="range"/> in it) as (text, type, modifiers), in order.</summary>
    private static void Check(string input, (string Text, T Type, M Modifiers)[] expected, ConfigFileKind kind = ConfigFileKind.Config, TextSpan? range = null)
    {
        var tokens = SemanticTokens.Get(Parse(input, kind), range);
        var actual = tokens.Select(t => (input.Substring(t.Start, t.Length), t.Type, t.Modifiers)).ToArray();
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Compares the tokens of <c>Fixtures/SemanticTokens/NAME.ini</c> with <c>NAME.tokens</c>, one token a line
    /// (<c>line:column text type.modifiers</c>, 1-based). <c>UPDATE_BASELINES=1</c> rewrites the expected file.
    /// </summary>
    private static void CheckBaseline(string name, ConfigFileKind kind)
    {
        var folder = Path.Combine(Baseline.FixturesFolder(), "SemanticTokens");
        var input = File.ReadAllText(Path.Combine(folder, name + ".ini"));
        var file = Parse(input, kind);
        var tokens = SemanticTokens.Get(file);
        AssertInDocumentOrderOnOneLine(input, tokens);
        var dump = new StringBuilder();
        foreach (var token in tokens)
        {
            var position = file.Syntax.LineIndex.GetPosition(token.Start);
            var modifiers = string.Concat(Enum.GetValues<M>().Where(m => m != M.None && token.Modifiers.HasFlag(m)).Select(m => "." + m));
            dump.Append($"{position.Line + 1}:{position.Character + 1} {input.Substring(token.Start, token.Length)} {token.Type}{modifiers}\n");
        }
        Baseline.AssertMatches(Path.Combine(folder, name + ".tokens"), dump.ToString());
    }

    private static void AssertInDocumentOrderOnOneLine(string input, IReadOnlyList<SemanticToken> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.True(tokens[i].Length > 0);
            Assert.DoesNotContain('\n', input.Substring(tokens[i].Start, tokens[i].Length));
            Assert.DoesNotContain('\r', input.Substring(tokens[i].Start, tokens[i].Length));
            if (i > 0) Assert.True(tokens[i - 1].End <= tokens[i].Start, $"token {i} overlaps or precedes the one before");
        }
    }

    [Fact]
    public void ConfigFixtureMatchesItsBaseline() => CheckBaseline("config", ConfigFileKind.Config);

    [Fact]
    public void CredentialsFixtureMatchesItsBaseline() => CheckBaseline("credentials", ConfigFileKind.Credentials);

    [Fact]
    public void HeadersSplitTheKindKeywordFromTheDeclaredName()
    {
        Check("[default]\n[profile dev]\n[profile \"my team\"] # why\n[sso-session corp]\n[services local]\n[profile default]\n",
        [
            ("default", T.Class, M.Declaration | M.DefaultLibrary),
            ("profile", T.Keyword, M.None), ("dev", T.Class, M.Declaration),
            ("profile", T.Keyword, M.None), ("\"my team\"", T.Class, M.Declaration), ("# why", T.Comment, M.None),
            ("sso-session", T.Keyword, M.None), ("corp", T.Namespace, M.Declaration),
            ("services", T.Keyword, M.None), ("local", T.Namespace, M.Declaration),
            ("profile", T.Keyword, M.None), ("default", T.Class, M.Declaration | M.DefaultLibrary),
        ]);
    }

    [Fact]
    public void SectionsTheCliDoesNotReadAsProfilesAreNamespaces()
    {
        Check("[DEFAULT]\n[plugins]\n[profile a b]\n[profilex]\n[ oddities ]\n",
        [
            ("DEFAULT", T.Namespace, M.None),
            ("plugins", T.Namespace, M.None),
            ("profile a b", T.Namespace, M.None),
            ("profilex", T.Namespace, M.None),
            ("oddities", T.Namespace, M.None),
        ]);
    }

    [Fact]
    public void CredentialsFileSectionsAreProfilesNamedLiterally()
    {
        Check("[default]\n[profile x]\nregion = us-east-1\nsso_session = corp\n",
        [
            ("default", T.Class, M.Declaration | M.DefaultLibrary),
            ("profile x", T.Class, M.Declaration),
            // botocore merges config-file keys found in the credentials file.
            ("region", T.Property, M.None), ("us-east-1", T.EnumMember, M.None),
            ("sso_session", T.Property, M.None), ("corp", T.Namespace, M.None),
        ], ConfigFileKind.Credentials);
    }

    [Fact]
    public void KeysAreAwsThirdPartyDeprecatedOrUnknown()
    {
        Check("[profile a]\nregion = us-east-1\ninclude_profile = b\ncsm_enabled = true\nregoin = x\n",
        [
            ("profile", T.Keyword, M.None), ("a", T.Class, M.Declaration),
            ("region", T.Property, M.None), ("us-east-1", T.EnumMember, M.None),
            ("include_profile", T.Property, M.ThirdParty), ("b", T.String, M.None),
            ("csm_enabled", T.Property, M.Deprecated), ("true", T.Keyword, M.None),
            ("regoin", T.Variable, M.None), ("x", T.String, M.None),
        ]);
    }

    [Fact]
    public void ValuesAreColouredByTheShapeTheirKeyExpects()
    {
        Check("[profile a]\nsource_profile = b\nsso_session = s\nservices = local\nretry_mode = adaptive\noutput = JSON\nmax_attempts = 3\nduration_seconds = soon\nparameter_validation = False\nsso_account_id = 111111111111\nsigv4a_signing_region_set = us-east-1,*\n",
        [
            ("profile", T.Keyword, M.None), ("a", T.Class, M.Declaration),
            ("source_profile", T.Property, M.None), ("b", T.Class, M.None),
            ("sso_session", T.Property, M.None), ("s", T.Namespace, M.None),
            ("services", T.Property, M.None), ("local", T.Namespace, M.None),
            ("retry_mode", T.Property, M.None), ("adaptive", T.EnumMember, M.None),
            // botocore compares output values exactly: a wrong value is a plain string.
            ("output", T.Property, M.None), ("JSON", T.String, M.None),
            ("max_attempts", T.Property, M.None), ("3", T.Number, M.None),
            ("duration_seconds", T.Property, M.None), ("soon", T.String, M.None),
            ("parameter_validation", T.Property, M.None), ("False", T.Keyword, M.None),
            ("sso_account_id", T.Property, M.None), ("111111111111", T.Number, M.None),
            ("sigv4a_signing_region_set", T.Property, M.None), ("us-east-1", T.EnumMember, M.None), ("*", T.EnumMember, M.None),
        ]);
    }

    [Fact]
    public void ArnsAreStringsWithTheirAccountAsANumber()
    {
        Check("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nazure_default_role_arn = arn:aws:iam::210987654321:role/X\nexternal_id = arn:aws:s3:::bucket\n",
        [
            ("profile", T.Keyword, M.None), ("a", T.Class, M.Declaration),
            ("role_arn", T.Property, M.None), ("arn:aws:iam::", T.String, M.None), ("123456789012", T.Number, M.None), (":role/Admin", T.String, M.None),
            ("azure_default_role_arn", T.Property, M.ThirdParty), ("arn:aws:iam::", T.String, M.None), ("210987654321", T.Number, M.None), (":role/X", T.String, M.None),
            ("external_id", T.Property, M.None), ("arn:aws:s3:::bucket", T.String, M.None),
        ]);
    }

    [Fact]
    public void SecretValuesAreMarkedSecretOnEveryLine()
    {
        Check("[default]\naws_secret_access_key = abc\naws_session_token = first\n  second\nazure_default_password = pw\n",
        [
            ("default", T.Class, M.Declaration | M.DefaultLibrary),
            ("aws_secret_access_key", T.Property, M.None), ("abc", T.String, M.Secret),
            ("aws_session_token", T.Property, M.None), ("first", T.String, M.Secret), ("second", T.String, M.Secret),
            ("azure_default_password", T.Property, M.ThirdParty), ("pw", T.String, M.Secret),
        ], ConfigFileKind.Credentials);
    }

    [Fact]
    public void SubPropertiesOfNestedBlocksAreKeysOfTheirBlock()
    {
        Check("[profile a]\ns3 =\n    addressing_style = path\n    # note\n    Addressing_Style = virtual\n[services s]\ns3 =\n  endpoint_url = http://localhost\n",
        [
            ("profile", T.Keyword, M.None), ("a", T.Class, M.Declaration),
            ("s3", T.Property, M.None),
            ("addressing_style", T.Property, M.None), ("path", T.EnumMember, M.None),
            ("# note", T.Comment, M.None),
            // Sub-property keys are case-sensitive to botocore.
            ("Addressing_Style", T.Variable, M.None), ("virtual", T.String, M.None),
            ("services", T.Keyword, M.None), ("s", T.Namespace, M.Declaration),
            ("s3", T.Property, M.None),
            ("endpoint_url", T.Property, M.None), ("http://localhost", T.String, M.None),
        ]);
    }

    [Fact]
    public void CommentsAndErrorLinesBeforeTheFirstHeader()
    {
        Check("# top\n  ; indented\nstray = key\n[default]\n",
        [
            ("# top", T.Comment, M.None), ("; indented", T.Comment, M.None),
            ("default", T.Class, M.Declaration | M.DefaultLibrary),
        ]);
    }

    [Fact]
    public void RangeReturnsOnlyTheTokensItOverlaps()
    {
        const string input = "[profile a]\nregion = us-east-1\n[profile b]\noutput = json\nregion = eu-west-1\n";
        var start = input.IndexOf("output", StringComparison.Ordinal);
        Check(input, [("output", T.Property, M.None), ("json", T.EnumMember, M.None)], range: new TextSpan(start, "output = json".Length));
    }

    [Fact]
    public void RangeOverAHugeFileMatchesTheFullTokensInThatRange()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            builder.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\nsource_profile = p{i + 1}\nregion = us-east-1\n\n");
        }
        var text = builder.ToString();
        var file = Parse(text);
        var full = SemanticTokens.Get(file);
        Assert.Equal(50_000 * 10, full.Count);

        var range = TextSpan.FromBounds(text.IndexOf("[profile p25000]", StringComparison.Ordinal), text.IndexOf("[profile p25010]", StringComparison.Ordinal));
        var inRange = SemanticTokens.Get(file, range);
        Assert.Equal(full.Where(t => t.Start < range.End && t.End > range.Start), inRange);
        Assert.Equal(100, inRange.Count);
    }

    [Fact]
    public void LegendListsTypesAndModifiersInTheEncodedOrder()
    {
        var legend = LspConvert.SemanticTokensLegend;
        Assert.Equal(["keyword", "class", "namespace", "property", "variable", "enumMember", "string", "number", "comment"], legend.TokenTypes);
        Assert.Equal(["declaration", "defaultLibrary", "deprecated", "thirdParty", "secret"], legend.TokenModifiers);
        Assert.Equal("class", legend.TokenTypes[(int)T.Class]);
        Assert.Equal((int)M.Secret, 1 << Array.IndexOf(legend.TokenModifiers, "secret"));
    }

    /// <summary>Decodes LSP's relative array into absolute (line, column, length, type, modifiers).</summary>
    private static List<(int Line, int Character, int Length, T Type, M Modifiers)> Decode(uint[] data)
    {
        Assert.Equal(0, data.Length % 5);
        var decoded = new List<(int, int, int, T, M)>();
        var line = 0;
        var character = 0;
        for (var i = 0; i < data.Length; i += 5)
        {
            line += (int)data[i];
            character = data[i] == 0 ? character + (int)data[i + 1] : (int)data[i + 1];
            decoded.Add((line, character, (int)data[i + 2], (T)data[i + 3], (M)data[i + 4]));
        }
        return decoded;
    }

    /// <summary>The text at a decoded position, reading lines as LSP does (UTF-16 columns; \r\n, \n and \r end lines).</summary>
    private static string TextAt(string input, int line, int character, int length)
    {
        var lines = input.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        return lines[line].Substring(character, length);
    }

    [Fact]
    public void EncodingRoundTripsWithCrlfAndNonAsciiNames()
    {
        // "é" is one UTF-16 unit and "😀" two: columns after them count UTF-16 code units, as LSP's default encoding does.
        const string input = "# é\r\n[profile café-😀]\r\nsource_profile = naïve-😀\r\nrole_arn = arn:aws:iam::123456789012:role/R\r\n";
        var file = Parse(input);
        var tokens = SemanticTokens.Get(file);
        var decoded = Decode(LspConvert.ToLsp(tokens, file.Syntax.LineIndex));

        Assert.Equal(
        [
            ("# é", T.Comment, M.None),
            ("profile", T.Keyword, M.None), ("café-😀", T.Class, M.Declaration),
            ("source_profile", T.Property, M.None), ("naïve-😀", T.Class, M.None),
            ("role_arn", T.Property, M.None), ("arn:aws:iam::", T.String, M.None), ("123456789012", T.Number, M.None), (":role/R", T.String, M.None),
        ], decoded.Select(d => (TextAt(input, d.Line, d.Character, d.Length), d.Type, d.Modifiers)).ToArray());
        Assert.Equal((2, 17, 8), (decoded[4].Line, decoded[4].Character, decoded[4].Length));
        // Same line: the start is relative to the previous token's start.
        var data = LspConvert.ToLsp(tokens, file.Syntax.LineIndex);
        Assert.Equal([0u, 13u, 12u, (uint)T.Number, 0u], data[(7 * 5)..(8 * 5)]);
    }

    [Fact]
    public void EncodingSplitsATokenThatCrossesLineBreaks()
    {
        const string input = "ab\r\ncd\nef";
        var file = Parse(input);
        var decoded = Decode(LspConvert.ToLsp([new SemanticToken(1, input.Length - 1, T.String)], file.Syntax.LineIndex));
        Assert.Equal([(0, 1, 1, T.String, M.None), (1, 0, 2, T.String, M.None), (2, 0, 2, T.String, M.None)], decoded);
    }
}
