using System.Text.RegularExpressions;
using AwsConfigLsp.Model.Catalog;
using Xunit;

namespace AwsConfigLsp.Tests.Catalog;

/// <summary>Every config key the shared conformance notes mention must be in the catalog.</summary>
public partial class SemanticsCoverageTests
{
    private const string RelativePath = "shared/conformance/SEMANTICS.md";

    /// <summary>Backquoted snake_case identifiers in SEMANTICS.md that are not config keys: botocore variables and functions.</summary>
    private static readonly HashSet<string> NotConfigKeys = new(StringComparer.Ordinal)
    {
        "config_file",        // botocore session variable (the path of the config file, from AWS_CONFIG_FILE)
        "credentials_file",   // botocore session variable (AWS_SHARED_CREDENTIALS_FILE)
        "sso_sessions",       // the key of botocore's parsed config that holds the sso-session sections
        "raw_config_parse",   // botocore function
        "sort_keys",          // json.dumps argument
    };

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex BackquotedSpan();

    [GeneratedRegex("^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"^([a-z][a-z0-9_]+)\s*(?:=|:\s)")]
    private static partial Regex KeyAssignment();

    private static string FindSemantics()
    {
        var (found, searched) = Support.SharedMaterial.Find("conformance/SEMANTICS.md", directory: false);
        return found ?? throw new FileNotFoundException(
            $"Could not find {RelativePath}. Looked in:\n  " + string.Join("\n  ", searched) + "\n" +
            "The shared conformance material must be checked out next to the repository (../shared/conformance/SEMANTICS.md), or next to the local repository this one was cloned from; this test refuses to pass without it.");
    }

    /// <summary>The config keys SEMANTICS.md names: backquoted snake_case identifiers, and the key of backquoted <c>key = value</c> lines.</summary>
    private static SortedSet<string> MentionedKeys(string text)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in BackquotedSpan().Matches(text))
        {
            var span = match.Groups[1].Value.Trim();
            if (SnakeCase().IsMatch(span))
                keys.Add(span);
            else if (KeyAssignment().Match(span) is { Success: true } assignment)
                keys.Add(assignment.Groups[1].Value);
        }
        keys.ExceptWith(NotConfigKeys);
        return keys;
    }

    [Fact]
    public void Every_key_in_SEMANTICS_md_is_in_the_catalog()
    {
        var path = FindSemantics();
        var keys = MentionedKeys(File.ReadAllText(path));

        // Guard against the extraction silently finding nothing.
        Assert.Contains("role_arn", keys);
        Assert.Contains("credential_source", keys);
        Assert.True(keys.Count >= 15, $"only {keys.Count} keys extracted from {path}: {string.Join(", ", keys)}");

        var missing = keys.Where(k => KeyCatalog.FindAnywhere(k).Count == 0).ToArray();
        Assert.True(missing.Length == 0,
            $"{path} mentions keys the catalog does not have: {string.Join(", ", missing)}. " +
            "Add them to KeyCatalog, or to NotConfigKeys in this test if they are not config keys.");
    }

    [Fact]
    public void Extraction_reads_identifiers_and_assignments()
    {
        var keys = MentionedKeys("`role_arn` and `use_fips_endpoint = yes` and `s3 = x` and `k =` and `config_file` and `a:b = c` and `Foo_Bar` and `cp:613` and `region: us-east-1`");
        Assert.Equal(["region", "role_arn", "s3", "use_fips_endpoint"], keys);
    }
}
