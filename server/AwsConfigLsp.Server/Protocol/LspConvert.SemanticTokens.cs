using AwsConfigLsp.Features;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Server.Protocol;

public static partial class LspConvert
{
    /// <summary>
    /// The legend sent in <c>semanticTokensProvider</c>: token type <c>i</c> is <see cref="SemanticTokenType"/> value
    /// <c>i</c>, modifier bit <c>i</c> is <see cref="SemanticTokenModifiers"/> bit <c>i</c>. <c>thirdParty</c> and
    /// <c>secret</c> are custom modifiers; clients that do not know them style the token by its type alone.
    /// </summary>
    public static SemanticTokensLegend SemanticTokensLegend { get; } = new(
        [.. Enum.GetValues<SemanticTokenType>().Select(TokenTypeName)],
        [.. Enum.GetValues<SemanticTokenModifiers>().Where(m => m != SemanticTokenModifiers.None).Select(TokenModifierName)]);

    private static string TokenTypeName(SemanticTokenType type) => type switch
    {
        SemanticTokenType.Keyword => "keyword",
        SemanticTokenType.Class => "class",
        SemanticTokenType.Namespace => "namespace",
        SemanticTokenType.Property => "property",
        SemanticTokenType.Variable => "variable",
        SemanticTokenType.EnumMember => "enumMember",
        SemanticTokenType.String => "string",
        SemanticTokenType.Number => "number",
        SemanticTokenType.Comment => "comment",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string TokenModifierName(SemanticTokenModifiers modifier) => modifier switch
    {
        SemanticTokenModifiers.Declaration => "declaration",
        SemanticTokenModifiers.DefaultLibrary => "defaultLibrary",
        SemanticTokenModifiers.Deprecated => "deprecated",
        SemanticTokenModifiers.ThirdParty => "thirdParty",
        SemanticTokenModifiers.Secret => "secret",
        _ => throw new ArgumentOutOfRangeException(nameof(modifier)),
    };

    /// <summary>
    /// LSP's relative encoding: five integers per token (line delta, start delta on the same line, length, type,
    /// modifier bits), columns in UTF-16 code units. A token that crosses a line break is split into one token per line.
    /// </summary>
    public static uint[] ToLsp(IReadOnlyList<SemanticToken> tokens, LineIndex lineIndex)
    {
        var data = new List<uint>(tokens.Count * 5);
        var previousLine = 0;
        var previousCharacter = 0;
        // Tokens come in document order, several per line: look a line up once and reuse it for the tokens on it.
        var line = -1;
        var lineStart = 0;
        var lineContentEnd = -1;
        foreach (var token in tokens)
        {
            if (line < 0 || token.Start < lineStart || token.Start >= lineContentEnd)
            {
                var position = lineIndex.GetPosition(token.Start);
                line = position.Line;
                lineStart = token.Start - position.Character;
                lineContentEnd = lineIndex.GetLineContentEnd(lineStart);
            }
            if (token.End <= lineContentEnd)
            {
                Append(line, token.Start - lineStart, token.Length, token);
                continue;
            }
            var lastLine = lineIndex.GetPosition(token.End).Line;
            for (var current = line; current <= lastLine; current++)
            {
                var currentStart = current == line ? lineStart : lineIndex.GetLineStart(current);
                var segmentStart = Math.Max(currentStart, token.Start);
                var segmentEnd = Math.Min(lineIndex.GetLineContentEnd(currentStart), token.End);
                if (segmentEnd > segmentStart) Append(current, segmentStart - currentStart, segmentEnd - segmentStart, token);
            }
            // The next token starts a fresh lookup.
            line = -1;
        }
        return [.. data];

        void Append(int line, int character, int length, SemanticToken token)
        {
            data.Add((uint)(line - previousLine));
            data.Add((uint)(line == previousLine ? character - previousCharacter : character));
            data.Add((uint)length);
            data.Add((uint)token.Type);
            data.Add((uint)token.Modifiers);
            previousLine = line;
            previousCharacter = character;
        }
    }
}
