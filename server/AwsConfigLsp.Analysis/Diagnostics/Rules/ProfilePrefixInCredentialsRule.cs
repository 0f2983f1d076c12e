using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// <c>[profile x]</c> in the credentials file: botocore takes credentials-file section names literally, so this defines
/// a profile named <c>profile x</c>, and <c>--profile x</c> does not find it (the AWS SDK for .NET would accept it). The
/// fix renames the section to <c>[x]</c> when no <c>[x]</c> exists there.
/// </summary>
public sealed class ProfilePrefixInCredentialsRule : IDiagnosticRule
{
    public string Code => DiagnosticCodes.ProfilePrefixInCredentials;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Warning;
    public string Summary => "`[profile NAME]` in the credentials file defines a profile literally named `profile NAME`; the credentials file has no prefix.";
    public string Wrong => "[profile dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    public string Right => "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    public ConfigFileKind ExampleFile => ConfigFileKind.Credentials;

    /// <summary>The name meant by <c>profile NAME</c>: the second shell word, or the rest of the name when it is not two words.</summary>
    internal static string? IntendedName(string rawName)
    {
        if (!rawName.StartsWith("profile", StringComparison.Ordinal) || rawName.Length <= "profile".Length || rawName["profile".Length] is not (' ' or '\t')) return null;
        if (SectionNames.Reads(rawName, "profile") is { Length: > 0 } word) return word;
        var rest = rawName["profile".Length..].Trim(' ', '\t');
        return rest.Length == 0 || rest.IndexOfAny(['"', '\'', '\\']) >= 0 ? null : rest;
    }

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var file = context.Model.Credentials;
        foreach (var section in file.Sections)
        {
            if (section.Role != SectionRole.Profile || section.RawName is not { } raw) continue;
            var name = IntendedName(raw);
            if (name is null) continue;
            // [DEFAULT] would turn the section into configparser's defaults, inherited by every profile.
            var taken = SectionNames.Exists(file, name) || name == "DEFAULT";
            var message = $"The credentials file takes section names literally: this defines a profile named `{raw}`, so `aws --profile {name}` does not use it."
                + (taken
                    ? $" {SectionNames.Header(name)} cannot be used here: " + (name == "DEFAULT" ? "it is configparser's defaults section." : "that section already exists in this file.")
                    : $" Write {SectionNames.Header(name)} (only the config file uses the `profile` prefix).");
            yield return new Diagnostic(Code, DefaultSeverity, new SourceLocation(file.Kind, section.NameSpan), message)
            {
                Fixes = taken ? [] : [new CodeFix($"Rename to {SectionNames.Header(name)}", [SectionNames.RenameHeader(section, name)], IsPreferred: true)],
            };
        }
    }
}
