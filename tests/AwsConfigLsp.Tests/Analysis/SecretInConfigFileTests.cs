using System.Text.Json;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>secret-in-config-file: static keys in the config file, and the fix that moves them (one edit over both files).</summary>
public class SecretInConfigFileTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void StaticKeysInTheConfigFileAreInformationAndTheValuesAreNeverShown()
    {
        var diagnostics = RuleCheck.Check($"""
            [default]
            region = us-east-1
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            #^^^^^^^^^^^^^^^^ info secret-in-config-file: they belong in the credentials file
            aws_secret_access_key = {Secret}
            #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
            aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE
            #^^^^^^^^^^^^^^^^ info secret-in-config-file
            aws_account_id = 111122223333
            """);
        Assert.All(diagnostics, d =>
        {
            Assert.DoesNotContain(Secret, d.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("AKIA", d.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("IQoJ", d.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void FixMovesTheKeysToANewSectionAtTheEndOfTheCredentialsFile()
    {
        const string config = "# work account\n[default]\nregion = us-east-1\n# keys of user ci\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + Secret + "\noutput = json\n";
        const string credentials = "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n";
        AssertStaticIn(BotocoreOracle.Resolve(config, credentials).Chain("default"), "default", "config");

        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, "secret-in-config-file");
        Assert.Equal("# work account\n[default]\nregion = us-east-1\n# keys of user ci\noutput = json\n", fixedConfig);
        Assert.Equal(credentials + "\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + Secret + "\n", fixedCredentials);
        RuleCheck.Check(fixedConfig, fixedCredentials);
        AssertStaticIn(BotocoreOracle.Resolve(fixedConfig, fixedCredentials).Chain("default"), "default", "credentials");
    }

    [Fact]
    public void FixAppendsToTheExistingSectionAfterItsLastProperty()
    {
        const string config = "[profile dev]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\nregion = eu-west-1\naws_secret_access_key = secret\naws_session_token = token\naws_account_id = 111122223333\n";
        const string credentials = "[dev]\nregion = eu-west-1\n# trailing comment of dev\n\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n";
        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, "secret-in-config-file");
        Assert.Equal("[profile dev]\nregion = eu-west-1\n", fixedConfig);
        Assert.Equal("[dev]\nregion = eu-west-1\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\naws_session_token = token\naws_account_id = 111122223333\n# trailing comment of dev\n\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n", fixedCredentials);
        RuleCheck.Check(fixedConfig, fixedCredentials);
        AssertStaticIn(BotocoreOracle.Resolve(fixedConfig, fixedCredentials).Chain("dev"), "dev", "credentials");
    }

    [Theory]
    [InlineData("", "[dev]\naws_access_key_id = A\naws_secret_access_key = s\n")]
    [InlineData("[other]\nregion = us-east-1", "[other]\nregion = us-east-1\n\n[dev]\naws_access_key_id = A\naws_secret_access_key = s\n")]
    [InlineData("[other]\nregion = us-east-1\n\n", "[other]\nregion = us-east-1\n\n[dev]\naws_access_key_id = A\naws_secret_access_key = s\n")]
    [InlineData("[other]\r\nregion = us-east-1\r\n", "[other]\r\nregion = us-east-1\r\n\r\n[dev]\r\naws_access_key_id = A\r\naws_secret_access_key = s\r\n")]
    [InlineData("[dev]", "[dev]\naws_access_key_id = A\naws_secret_access_key = s\n")]
    [InlineData("[dev]\r\n\r\n[x]\r\n", "[dev]\r\naws_access_key_id = A\r\naws_secret_access_key = s\r\n\r\n[x]\r\n")]
    public void FixKeepsTheCredentialsFileWellFormed(string credentials, string expected)
    {
        const string config = "[profile dev]\n  aws_access_key_id = A\naws_secret_access_key = s\n";
        var (fixedConfig, fixedCredentials) = RuleCheck.ApplyFix(config, credentials, "secret-in-config-file");
        Assert.Equal("[profile dev]\n", fixedConfig);
        Assert.Equal(expected, fixedCredentials);
        RuleCheck.Check(fixedConfig, fixedCredentials);
        AssertStaticIn(BotocoreOracle.Resolve(fixedConfig, fixedCredentials).Chain("dev"), "dev", "credentials");
    }

    [Fact]
    public void NoFixWhereMovingWouldChangeWhatTheCliDoes()
    {
        // credential_process beats config-file keys but loses to credentials-file keys (verified with botocore).
        const string config = "[profile dev]\ncredential_process = /bin/creds\naws_access_key_id = A\naws_secret_access_key = s\n";
        Assert.Equal("credential-process", BotocoreOracle.Resolve(config, "").Chain("dev").Single().GetProperty("kind").GetString());
        Assert.Equal("static", BotocoreOracle.Resolve("[profile dev]\ncredential_process = /bin/creds\n", "[dev]\naws_access_key_id = A\naws_secret_access_key = s\n").Chain("dev").Single().GetProperty("kind").GetString());

        var diagnostics = RuleCheck.Check("""
            [profile dev]
            credential_process = /bin/creds
            aws_access_key_id = A
            #^^^^^^^^^^^^^^^^ info secret-in-config-file: Here `credential_process` comes first, so these keys are never read
            aws_secret_access_key = s
            #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
            [profile shadowed]
            aws_access_key_id = A
            #^^^^^^^^^^^^^^^^ info secret-in-config-file: The credentials file's `[shadowed]` has an `aws_access_key_id`, so its keys are used and these are never read
            aws_secret_access_key = s
            #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
            [profile token-there]
            aws_access_key_id = A
            #^^^^^^^^^^^^^^^^ info secret-in-config-file
            aws_secret_access_key = s
            #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
            """, """
            [shadowed]
            aws_access_key_id = B
            aws_secret_access_key = t
            [token-there]
            aws_session_token = token
            """);
        Assert.All(diagnostics, d => Assert.Empty(d.Fixes));
    }

    [Fact]
    public void KeysOfASectionThatAnotherReplacesAreNotReported() => RuleCheck.Check("""
        [default]
         #^^^^^^ warning default-profile-shadowed
        aws_access_key_id = A
        aws_secret_access_key = s
        [profile default]
        region = us-east-1
        """);

    [Fact]
    public void TheTwoFileFixIsOfferedToEditorsOnlyWhenBothFilesHaveAUri()
    {
        var model = RuleCheck.Model("[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
        var diagnostic = DiagnosticEngine.Analyze(model).First(d => d.Code == "secret-in-config-file");
        string? Both(ConfigFileKind kind) => kind == ConfigFileKind.Config ? "file:///home/user/.aws/config" : "file:///home/user/.aws/credentials";
        string? ConfigOnly(ConfigFileKind kind) => kind == ConfigFileKind.Config ? "file:///home/user/.aws/config" : null;

        var lsp = LspConvert.ToLsp(diagnostic, model, Both);
        var action = CodeActions.ToLsp(diagnostic.Fixes.Single(), lsp, model, Both, documentChanges: false);
        Assert.Equal(["file:///home/user/.aws/config", "file:///home/user/.aws/credentials"], action!.Edit!.Changes!.Keys.Order(StringComparer.Ordinal));
        Assert.Null(CodeActions.ToLsp(diagnostic.Fixes.Single(), lsp, model, ConfigOnly, documentChanges: false));
        Assert.Null(CodeActions.FixAll([diagnostic], ConfigFileKind.Config, model, ConfigOnly, documentChanges: false));
    }

    private static void AssertStaticIn(IReadOnlyList<JsonElement> chain, string profile, string file)
    {
        var link = Assert.Single(chain);
        Assert.Equal("static", link.GetProperty("kind").GetString());
        Assert.Equal(profile, link.GetProperty("profile").GetString());
        Assert.Equal(file, link.GetProperty("file").GetString());
    }
}
