using System.Text;
using CsCheck;

namespace AwsConfigLsp.Tests.Fuzz;

/// <summary>
/// Texts a language server for AWS files can be handed: config-like files built from real keys and values, binary
/// garbage, huge lines, deep sub-property blocks, mixed line breaks, lone surrogates and NUL bytes, and the test
/// fixtures (real config and credentials files) mutated.
/// </summary>
public static class FuzzInputs
{
    private static readonly string[] Names = ["default", "a", "b", "dev", "prod", "base", "admin", "sso", "", " ", "日本", "x y", "\"q\""];

    private static readonly string[] Keys =
    [
        "region", "output", "role_arn", "source_profile", "credential_source", "mfa_serial", "external_id",
        "duration_seconds", "role_session_name", "web_identity_token_file", "credential_process", "sso_session",
        "sso_start_url", "sso_region", "sso_account_id", "sso_role_name", "sso_registration_scopes",
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "s3", "services", "endpoint_url",
        "max_attempts", "retry_mode", "cli_pager", "ca_bundle", "unknown_key", "Region", "REGION", "ſ", "İ",
    ];

    private static readonly string[] Values =
    [
        "us-east-1", "eu-west-1", "nowhere-1", "json", "yaml", "text", "arn:aws:iam::123456789012:role/r", "arn:aws:iam::123:role",
        "arn:aws:iam::123456789012:mfa/u", "arn:aws:iam::123456789012:user/u", "GAHT12345678", "Environment", "Ec2InstanceMetadata",
        "EcsContainer", "Bogus", "3600", "900", "43201", "0x10", "-1", "1_000", "https://d-123.awsapps.com/start", "a", "b", "dev",
        "prod", "base", "default", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "value # comment",
        "value ; comment", "", "  ", "\"quoted\"", "/tmp/token", "echo {}", "🚀", "\u00a0",
    ];

    private static readonly string[] Trivia = ["# comment", "; comment", "  # indented", "", "  ", "\t", "# awsconfig-disable-next-line unknown-key"];

    private static readonly string[] Breaks = ["\n", "\n", "\n", "\r\n", "\r"];

    /// <summary>Characters that matter to the parser, and a few that break naive code: NUL, lone surrogates, BOM, U+FFFF.</summary>
    private static readonly char[] Specials =
    [
        '[', ']', '=', ':', '#', ';', ' ', '\t', '\n', '\r', '\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFEFF', '\uFFFF',
        '\uFFFD', '\u00a0', '\u2028', '\u0085', '\u000b', '\u000c', '"', '\'', '\\', '/', 'a', 'z', '0', '9', '_', '-',
    ];

    private static readonly Gen<string> Name = Gen.OneOf(Names);

    private static readonly Gen<string> Header = Gen.Select(Gen.Int[0, 9], Name, (shape, name) => shape switch
    {
        0 => "[default]",
        1 or 2 or 3 => $"[profile {name}]",
        4 => $"[sso-session {name}]",
        5 => $"[services {name}]",
        6 => $"[{name}]",
        7 => $"[profile {name}] # trailing",
        8 => $"  [profile {name}]",
        _ => $"[profile {name}",
    });

    private static readonly Gen<string> Property = Gen.Select(Gen.OneOf(Keys), Gen.OneOf(Values), Gen.Int[0, 5], (key, value, shape) => shape switch
    {
        0 => $"{key}: {value}",
        1 => $"{key}={value}",
        2 => $"  {key} = {value}",
        _ => $"{key} = {value}",
    });

    private static readonly Gen<string> Line = Gen.Frequency(
        (3, Header), (8, Property), (2, Gen.OneOf(Trivia)),
        (2, Gen.Select(Gen.OneOf(Keys), Gen.OneOf(Values), (key, value) => $"    {key} = {value}")),
        (1, Gen.OneOf("junk", "= no key", "]", "[", "s3 =", "  continued", "\tdeeper", "[]", "[ ]")));

    /// <summary>Config-like text with mixed line breaks.</summary>
    public static readonly Gen<string> Structured = Gen.Select(Gen.Select(Line, Gen.OneOf(Breaks)).Array[0, 40], Gen.Bool, (lines, finalBreak) =>
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            text.Append(lines[i].Item1);
            if (i < lines.Length - 1 || finalBreak) text.Append(lines[i].Item2);
        }
        return text.ToString();
    });

    /// <summary>Any UTF-16 code units, weighted towards the parser's special characters.</summary>
    public static readonly Gen<string> Garbage = Gen.Frequency(
        (3, Gen.OneOf(Specials)),
        (1, Gen.Char),
        (1, Gen.Char['\0', '\u007f'])).Array[0, 400].Select(chars => new string(chars));

    /// <summary>Bytes read as the server and the CLI read a file: strict UTF-8 failing, then replacement characters.</summary>
    public static readonly Gen<string> BinaryFile = Gen.Byte.Array[0, 600].Select(bytes => Encoding.UTF8.GetString(bytes));

    /// <summary>One very long line in several shapes: a header, a key, a value, a comment, a sub-property.</summary>
    public static readonly Gen<string> HugeLine = Gen.Select(Gen.Int[0, 5], Gen.Int[10_000, 120_000], Gen.OneOf(Specials), (shape, length, c) =>
    {
        var run = new string(c == '\n' || c == '\r' ? 'x' : c, length);
        return shape switch
        {
            0 => $"[profile {run}]\nregion = us-east-1\n",
            1 => $"[profile a]\n{run} = v\n",
            2 => $"[profile a]\nrole_arn = {run}\nsource_profile = a\n",
            3 => $"# {run}",
            4 => $"[profile a]\ns3 =\n  {run} = 1\n",
            _ => run,
        };
    });

    /// <summary>A nested block whose lines indent deeper and deeper, or thousands of continuation lines.</summary>
    public static readonly Gen<string> DeepSubProperties = Gen.Select(Gen.Int[1, 3_000], Gen.Bool, Gen.OneOf(Breaks), (depth, increasing, lineBreak) =>
    {
        var text = new StringBuilder("[profile a]").Append(lineBreak).Append("s3 =").Append(lineBreak);
        for (var i = 1; i <= depth; i++)
        {
            text.Append(' ', increasing ? Math.Min(i, 500) : 2).Append(i % 7 == 0 ? "no delimiter" : $"k{i} = v{i}").Append(lineBreak);
        }
        return text.Append("region = us-east-1").Append(lineBreak).ToString();
    });

    /// <summary>Profiles chained through source_profile, up to far past the resolver's link limit, sometimes in a loop.</summary>
    public static readonly Gen<string> LongChain = Gen.Select(Gen.Int[1, 600], Gen.Int[0, 3], (count, shape) =>
    {
        var text = new StringBuilder(shape == 0 ? "" : "[profile p0]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n");
        for (var i = shape == 0 ? 0 : 1; i < count; i++)
        {
            var source = shape == 0 ? (i + 1) % count : i - 1;
            text.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\n");
            text.Append(shape == 3 && i % 50 == 0 ? "credential_source = Environment\n" : $"source_profile = p{source}\n");
        }
        return text.ToString();
    });

    /// <summary>The fixtures: real config and credentials files, parser snapshots and scenarios.</summary>
    public static readonly IReadOnlyList<string> Corpus = LoadCorpus();

    private enum Mutation { Insert, Delete, Duplicate, Replace, SwapLines, FlipBreaks, InsertSpecial, Truncate }

    /// <summary>A fixture with 1 to 8 mutations.</summary>
    public static readonly Gen<string> MutatedFixture = Gen.Select(
        Gen.Int[0, Math.Max(0, Corpus.Count - 1)],
        Gen.Select(Gen.Enum<Mutation>(), Gen.UInt, Gen.UInt, Garbage).Array[1, 8],
        (index, mutations) =>
        {
            var text = Corpus.Count == 0 ? "" : Corpus[index];
            foreach (var (kind, a, b, insert) in mutations) text = Mutate(text, kind, a, b, insert);
            return text;
        });

    /// <summary>Every kind of input, the structured and mutated ones most often.</summary>
    public static readonly Gen<string> AnyText = Gen.Frequency(
        (6, Structured), (5, MutatedFixture), (2, Garbage), (1, BinaryFile), (1, DeepSubProperties), (1, HugeLine), (1, LongChain));

    /// <summary>The same without the huge inputs, for properties that run many features per case.</summary>
    public static readonly Gen<string> SmallText = Gen.Frequency((6, Structured), (5, MutatedFixture), (2, Garbage), (1, BinaryFile));

    private static string Mutate(string text, Mutation kind, uint a, uint b, string insert)
    {
        var position = (int)(a % (uint)(text.Length + 1));
        var length = (int)(b % (uint)Math.Min(text.Length - position + 1, 64));
        switch (kind)
        {
            case Mutation.Insert:
                return text.Insert(position, insert.Length > 16 ? insert[..16] : insert);
            case Mutation.Delete:
                return text.Remove(position, length);
            case Mutation.Duplicate:
                return text.Insert(position, text.Substring(position, length));
            case Mutation.Replace:
                return text.Remove(position, length).Insert(position, insert.Length > 8 ? insert[..8] : insert);
            case Mutation.InsertSpecial:
                return text.Insert(position, Specials[(int)(b % (uint)Specials.Length)].ToString());
            case Mutation.Truncate:
                return text[..position];
            case Mutation.FlipBreaks:
                return Breaks[(int)(b % (uint)Breaks.Length)] switch
                {
                    "\r" => text.Replace("\r\n", "\n").Replace('\n', '\r'),
                    "\r\n" => text.Replace("\r\n", "\n").Replace("\n", "\r\n"),
                    _ => text.Replace("\r\n", "\n").Replace('\r', '\n'),
                };
            default:
                var lines = text.Split('\n');
                if (lines.Length < 2) return text;
                var i = (int)(a % (uint)lines.Length);
                var j = (int)(b % (uint)lines.Length);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return string.Join('\n', lines);
        }
    }

    private static List<string> LoadCorpus()
    {
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        if (!Directory.Exists(fixtures)) throw new DirectoryNotFoundException($"The test fixtures are missing: {fixtures}");
        return [.. Directory.EnumerateFiles(fixtures, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) is "config" or "credentials" || path.EndsWith(".ini", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => Encoding.UTF8.GetString(File.ReadAllBytes(path)))];
    }
}
