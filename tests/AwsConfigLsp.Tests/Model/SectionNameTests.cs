using System.Text;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// A section's raw name (<c>profile NAME</c>) is read in place: building the model, the full analysis, the value index,
/// semantic tokens and document symbols make no string of it for a plain header (3.9 MiB at 50k profiles), and give the
/// same results as when it is made.
/// </summary>
public sealed class SectionNameTests
{
    private static string Config()
    {
        var text = new StringBuilder("[default]\nregion = us-east-1\n\n[plugins]\nendpoint = awscli_plugin_endpoint\n\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n\n[services dev]\ns3 =\n  endpoint_url = http://localhost:4566\n\n");
        text.Append("[profile \"quoted name\"]\nregion = eu-west-1\n\n[profile two  blanks]\nregion = eu-west-1\n\n[profile]\nregion = eu-west-1\n\n");
        for (var i = 0; i < 300; i++)
        {
            text.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::{100000000000 + i}:role/R\nsource_profile = {(i == 0 ? "default" : $"p{i - 1}")}\noutput = jsn\n\n");
        }
        return text.ToString();
    }

    [Fact]
    public void Reading_a_config_makes_no_string_of_a_plain_header()
    {
        var config = ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(Config()));
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse("[base]\naws_access_key_id = A\n"));
        var model = new ProfileModel(config, credentials);

        var diagnostics = DiagnosticEngine.Analyze(model);
        new ValueIndex().Update(model);
        var tokens = SemanticTokens.Get(config);
        var symbols = DocumentSymbols.Get(config);

        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.DroppedSection);
        Assert.NotEmpty(tokens);
        Assert.NotEmpty(symbols);
        var made = config.Sections.Where(section => section.Syntax.NameMade).Select(section => section.Syntax.Name).ToList();
        // [plugins] (no entity name: kept by raw name), the headers botocore drops (their messages quote them) and the
        // quoted one (shlex splits it); never a plain `profile pN`.
        Assert.Equal(["plugins", "profile \"quoted name\"", "profile two  blanks", "profile"], made);
    }
}
