using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// Static keys in the config file: botocore reads them (its config-file provider, after <c>credential_process</c>), but
/// they belong in the credentials file, which <c>aws configure</c> writes and tools treat as the secret one. The fix is
/// one edit over both files: the lines leave the config section, and join the credentials file's <c>[NAME]</c> section
/// after its last property, or a new <c>[NAME]</c> section at the end. It is offered only where the move keeps what the
/// CLI does. Messages never show the values.
/// </summary>
public sealed class SecretInConfigFileRule : ISectionRule
{
    public string Code => DiagnosticCodes.SecretInConfigFile;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Information;
    public string Summary => "Static credentials in the config file work, but belong in the credentials file.";
    public string Wrong => "[default]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    public string Right => "[default]\nregion = us-east-1\n";

    /// <summary>The keys reported: what botocore's static providers read as credentials.</summary>
    private static readonly string[] StaticKeys = [Keys.AccessKeyId, Keys.SecretAccessKey, Keys.SessionToken, Keys.SecurityToken];

    /// <summary>The keys moved: the static keys and the account ID the same providers attach to them.</summary>
    private static readonly string[] MovedKeys = [.. StaticKeys, "aws_account_id"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllSections(this, context);

    // The fix is offered only while both files parse.
    public bool ReadsFileProblems => true;

    public IEnumerable<Diagnostic> AnalyzeSection(AnalysisContext context, SectionEntry section)
    {
        // No iterator for the common section (no static key): this runs for every section.
        if (section.File.Kind != ConfigFileKind.Config || section.Role != SectionRole.Profile || section.EntityName is null) return [];
        var properties = section.OwnProperties;
        for (var i = 0; i < properties.Count; i++)
        {
            if (StaticKeys.Contains(properties[i].Key)) return Secrets(context, section);
        }
        return [];
    }

    private IEnumerable<Diagnostic> Secrets(AnalysisContext context, SectionEntry section)
    {
        var model = context.Model;
        var config = model.Config;
        {
            if (section.File.Kind != ConfigFileKind.Config || section.Role != SectionRole.Profile || section.EntityName is not { } name) yield break;
            // A section that another one replaces is ignored whole (default-profile-shadowed says so).
            if (config.Profiles.GetValueOrDefault(name) != section) yield break;
            if (!section.OwnProperties.Any(p => StaticKeys.Contains(p.Key))) yield break;
            var reported = section.OwnProperties.Where(p => StaticKeys.Contains(p.Key)).ToList();

            var (fix, why) = Move(model, section, name);
            var message = "Static credentials in the config file: the AWS CLI reads them, but they belong in the credentials file (~/.aws/credentials), which `aws configure` writes and which tools and people treat as the secret one."
                + (why is null ? "" : " " + why);
            foreach (var property in reported)
            {
                yield return new Diagnostic(Code, DefaultSeverity, property.KeyLocation, message) { Fixes = fix is null ? [] : [fix] };
            }
        }
    }

    /// <summary>The fix, or why there is none (or why the keys do nothing here).</summary>
    private static (CodeFix? Fix, string? Why) Move(ProfileModel model, SectionEntry section, string name)
    {
        var config = model.Config;
        var credentials = model.Credentials;
        var target = credentials.Profiles.GetValueOrDefault(name);
        var profile = model.GetProfile(name)!;
        if (target is not null && target.Has(Keys.AccessKeyId))
        {
            return (null, $"The credentials file's `[{name}]` has an `aws_access_key_id`, so its keys are used and these are never read.");
        }
        if ((profile.Get(Keys.CredentialProcess) ?? profile.Get(Keys.LoginSession)) is { } earlier)
        {
            return (null, $"Here `{earlier.Key}` comes first, so these keys are never read; in the credentials file they would win over it.");
        }
        if (config.IsUnreadable || credentials.IsUnreadable || name == "DEFAULT"
            || target is not null && MovedKeys.Any(target.Has)
            || new[] { config, credentials }.SelectMany(f => f.Sections).Any(s => s.Role == SectionRole.Defaults && s.OwnProperties.Any(p => MovedKeys.Contains(p.Key))))
        {
            return (null, null);
        }

        var newline = SectionNames.Newline(credentials, config);
        var moved = section.OwnProperties.Where(p => MovedKeys.Contains(p.Key)).ToList();
        var lines = string.Concat(moved.Select(p => LinesOf(p, newline)));
        var edits = ImmutableArray.CreateBuilder<FileEdit>();
        edits.AddRange(moved.Select(p => new FileEdit(new SourceLocation(ConfigFileKind.Config, SectionNames.WholeLines(p)), "")));

        var text = credentials.Syntax.Text;
        if (target is not null)
        {
            var after = target.OwnProperties.Count > 0
                ? SectionNames.WholeLines(target.OwnProperties[^1]).End
                : target.Syntax.Header!.Value.FullSpan.End + target.Start;
            var prefix = after > 0 && text[after - 1] is '\n' or '\r' ? "" : newline;
            edits.Add(new FileEdit(new SourceLocation(ConfigFileKind.Credentials, new Syntax.TextSpan(after, 0)), prefix + lines));
        }
        else
        {
            edits.Add(new FileEdit(new SourceLocation(ConfigFileKind.Credentials, new Syntax.TextSpan(text.Length, 0)), Separator(text, newline) + $"[{name}]" + newline + lines));
        }
        return (new CodeFix("Move the static credentials to the credentials file", edits.ToImmutable(), IsPreferred: true), null);
    }

    /// <summary>The property's lines as they will stand in the credentials file: no indentation, the file's line breaks.</summary>
    private static string LinesOf(PropertyEntry property, string newline)
    {
        var text = property.Section.Syntax.GetText(property.Syntax.PropertyFullSpan).TrimStart(' ', '\t');
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd('\n').Replace("\n", newline, StringComparison.Ordinal);
        return text + newline;
    }

    /// <summary>What goes before a new section at the end of <paramref name="text"/>: a line break if the last line has none, and a blank line.</summary>
    private static string Separator(string text, string newline)
    {
        if (text.Length == 0) return "";
        if (text[^1] is not ('\n' or '\r')) return newline + newline;
        var body = text.TrimEnd('\n', '\r');
        var lastLine = body[(body.LastIndexOfAny(['\n', '\r']) + 1)..];
        var endsWithBlankLine = body.Length < text.Length - newline.Length || lastLine.Trim().Length == 0;
        return endsWithBlankLine ? "" : newline;
    }
}
