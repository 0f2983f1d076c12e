using AwsConfigLsp.Analysis.Diagnostics;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>mfa-serial-ignored and missing-mfa-serial, with their fixes checked by the real botocore.</summary>
public class MfaRuleTests
{
    private const string Keys = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    private const string Alice = "arn:aws:iam::111111111111:mfa/alice";

    [Fact]
    public void TheRolesOfOneSourceShareTheTextOfTheirMissingMfaSerialFix()
    {
        // At 50k profiles ~10k roles get this finding: the fixes are kept once (as the device and the way the role's lines
        // are written), not per role, and their titles and lines are made when asked for.
        var config = $"[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = {Alice}\n"
            + string.Concat(Enumerable.Range(0, 3).Select(i => $"[profile r{i}]\nrole_arn = arn:aws:iam::222222222222:role/R{i}\nsource_profile = default\n"));

        var findings = DiagnosticEngine.Analyze(RuleCheck.Model(config, Keys)).Where(d => d.Code == DiagnosticCodes.MissingMfaSerial).ToList();
        var fixes = findings.Select(d => Assert.Single(d.Fixes)).ToList();

        // One set of choices for the three findings, each keeping only its place: right after its own role_arn line,
        // and preferred (one device).
        Assert.All(findings, d => Assert.Same(findings[0].Choices, d.Choices));
        for (var i = 0; i < 3; i++)
        {
            var roleLine = config.IndexOf($"role/R{i}\n", StringComparison.Ordinal) + $"role/R{i}\n".Length;
            Assert.Equal(roleLine, Assert.Single(fixes[i].Edits).Location.Span.Start);
            Assert.True(fixes[i].IsPreferred);
        }

        Assert.Equal(3, fixes.Count);
        Assert.All(fixes, fix => Assert.Equal($"Add mfa_serial = {Alice}", fix.Title));
        Assert.All(fixes, fix => Assert.Equal($"mfa_serial = {Alice}\n", Assert.Single(fix.Edits).NewText));
        // Made again on each read, the same.
        Assert.Equal(fixes.Select(fix => (fix.Title, fix.Edits[0].NewText)), findings.Select(d => (d.Fixes[0].Title, d.Fixes[0].Edits[0].NewText)));
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 6000)]
    public void AFullAnalysisFindsTheSameSiblingsAsTheRuleAskedSourceBySource(int threads, int roles)
    {
        // A full analysis takes each source's MFA-protected roles from one table made with the reference index (shared
        // by its threads, which a file of 4096 profiles or more gets); asked alone, the rule finds them source by source. Both must give the same
        // findings: the same roles, in model order (config first, then credentials-only profiles), the same devices.
        var devices = new[] { Alice, "arn:aws:iam::111111111111:mfa/bob", "arn:aws:iam::111111111111:mfa/carol" };
        var config = string.Concat(Enumerable.Range(0, roles).Select(i =>
            $"[profile r{i}]\nrole_arn = arn:aws:iam::222222222222:role/R{i}\nsource_profile = {(i % 3 == 0 ? "ops" : "default")}\n"
            + (i % 4 == 1 ? $"mfa_serial = {devices[i % devices.Length]}\n" : "")))
            + "[profile ops]\nrole_arn = arn:aws:iam::333333333333:role/Ops\nsource_profile = default\nmfa_serial = " + Alice + "\n"
            + "[profile web]\nrole_arn = arn:aws:iam::222222222222:role/Web\nweb_identity_token_file = /t\nsource_profile = default\nmfa_serial = " + Alice + "\n";
        var credentials = Keys
            + "[late-role]\nrole_arn = arn:aws:iam::222222222222:role/Late\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/dave\n"
            + "[late-plain]\nrole_arn = arn:aws:iam::222222222222:role/LatePlain\nsource_profile = default\n"
            + "[r5]\nmfa_serial = arn:aws:iam::111111111111:mfa/erin\n";
        var model = RuleCheck.Model(config, credentials);
        var saved = DiagnosticEngine.MaxParallelism;
        List<Diagnostic> full;
        try
        {
            DiagnosticEngine.MaxParallelism = threads;
            full = [.. DiagnosticEngine.Analyze(model).Where(d => d.Code == DiagnosticCodes.MissingMfaSerial)];
        }
        finally
        {
            DiagnosticEngine.MaxParallelism = saved;
        }
        var alone = new AwsConfigLsp.Analysis.Diagnostics.Rules.MissingMfaSerialRule().Analyze(new AnalysisContext(model)).ToList();

        static string Describe(Diagnostic d) => $"{d.Location} {d.Message} | {string.Join("; ", d.Related.Select(r => $"{r.Location} {r.Message}"))}"
            + $" | {string.Join("; ", d.Fixes.Select(f => $"{f.Title} {f.IsPreferred} {string.Join(",", f.Edits.Select(e => $"{e.Location} {e.NewText}"))}"))}";
        Assert.Equal(alone.Select(Describe).Order(StringComparer.Ordinal), full.Select(Describe).Order(StringComparer.Ordinal));
        // The roles without a device under both sources, and the credentials-only role: a real mix of findings.
        Assert.Contains(full, d => d.Message.StartsWith("`late-plain`", StringComparison.Ordinal));
        Assert.Contains(full, d => d.Message.StartsWith("`r0`", StringComparison.Ordinal) && d.Message.Contains("source_profile = ops", StringComparison.Ordinal));
        // r5 sends erin's device from the credentials file: named among default's siblings, in model order.
        var r2 = Assert.Single(full, d => d.Message.StartsWith("`r2`", StringComparison.Ordinal));
        Assert.Contains("(`r1`, `r5`, `r13`", r2.Message, StringComparison.Ordinal);
        Assert.Contains(r2.Fixes, f => f.Title.EndsWith("mfa/erin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void TheSharedInsertedLineIsTheLineInsertLineMakes(string newline)
    {
        // Built in a buffer and looked up (the shared path) or concatenated: the same text, whatever the role_arn line
        // looks like (indent, delimiter, continuation lines, the file's last line without a line break).
        var config = string.Join(newline,
            "[profile a]", "role_arn = arn:aws:iam::222222222222:role/A", "source_profile = default",
            "[profile b]", "  role_arn=arn:aws:iam::222222222222:role/B", "source_profile = default",
            "[profile c]", "role_arn\t:  arn:aws:iam::222222222222:role/C", "  continued", "source_profile = default",
            "[profile d]", "source_profile = default", "role_arn = arn:aws:iam::222222222222:role/D");
        var model = RuleCheck.Model(config, Keys);
        var context = new AnalysisContext(model);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            var profile = model.GetProfile(name)!;
            var roleArn = profile.Get(AwsConfigLsp.Model.Keys.RoleArn);
            var plain = RuleSupport.InsertLine(profile, roleArn, AwsConfigLsp.Model.Keys.MfaSerial, Alice);
            var shared = RuleSupport.InsertLine(profile, roleArn, AwsConfigLsp.Model.Keys.MfaSerial, Alice, context);
            Assert.Equal(plain, shared);
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void EachRoleOfASourceGetsTheLineInsertLineMakesForItsOwnFormat(string newline)
    {
        // The rule makes a source's choices once per way of writing the role_arn line (indent, delimiter, line break):
        // roles written differently get their own lines, roles written alike share them.
        var config = string.Join(newline,
            "[profile admin]", "role_arn = arn:aws:iam::222222222222:role/Admin", "source_profile = default", $"mfa_serial = {Alice}",
            "[profile a]", "role_arn = arn:aws:iam::222222222222:role/A", "source_profile = default",
            "[profile b]", "  role_arn=arn:aws:iam::222222222222:role/B", "source_profile = default",
            "[profile c]", "role_arn\t:  arn:aws:iam::222222222222:role/C", "  continued", "source_profile = default",
            "[profile e]", "role_arn = arn:aws:iam::222222222222:role/E", "source_profile = default",
            "[profile d]", "source_profile = default", "role_arn = arn:aws:iam::222222222222:role/D");
        var model = RuleCheck.Model(config, Keys);
        var findings = DiagnosticEngine.Analyze(model).Where(d => d.Code == DiagnosticCodes.MissingMfaSerial)
            .ToDictionary(d => d.Message[1..d.Message.IndexOf('`', 1)]);
        Assert.Equal(["a", "b", "c", "d", "e"], findings.Keys.Order());
        foreach (var (name, finding) in findings)
        {
            var profile = model.GetProfile(name)!;
            var expected = RuleSupport.InsertLine(profile, profile.Get(AwsConfigLsp.Model.Keys.RoleArn), AwsConfigLsp.Model.Keys.MfaSerial, Alice);
            Assert.Equal(expected, Assert.Single(Assert.Single(finding.Fixes).Edits));
        }
        Assert.Same(findings["a"].Choices, findings["e"].Choices);
        Assert.NotSame(findings["a"].Choices, findings["b"].Choices);
    }

    [Fact]
    public void MfaSerialOnAStaticSourceOfRolesIsReportedAsIgnored() => RuleCheck.Check("""
        [profile admin]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        [profile user]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        mfa_serial = arn:aws:iam::111111111111:mfa/bob
        #^^^^^^^^^ warning mfa-serial-ignored: `user` has no role_arn
        [profile dev]
        role_arn = arn:aws:iam::222222222222:role/Dev
        source_profile = user
        mfa_serial = arn:aws:iam::111111111111:mfa/bob
        [profile lonely]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        mfa_serial = arn:aws:iam::111111111111:mfa/carol
        [profile self-role]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        role_arn = arn:aws:iam::222222222222:role/Self
        source_profile = self-role
        mfa_serial = arn:aws:iam::111111111111:mfa/dave
        """, """
        [default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        mfa_serial = arn:aws:iam::111111111111:mfa/alice
        #^^^^^^^^^ warning mfa-serial-ignored: (`admin` sends none)
        """, options: RuleCheck.Without("secret-in-config-file"));

    [Fact]
    public async Task IgnoredMfaSerialMovesToTheRoleProfilesThatLackOneAndBotocoreThenSendsIt()
    {
        const string config = "[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\n\n"
            + "[profile audit]\nrole_arn = arn:aws:iam::333333333333:role/Audit\nsource_profile = default\nregion = eu-west-1\n";
        var credentials = Keys + $"mfa_serial = {Alice}\n";
        var before = await BotocoreChains.ResolveAsync(config, credentials);
        Assert.Null(BotocoreChains.MfaSerialOf(before, "admin"));

        var (fixedConfig, fixedCredentials) = FixCheck.Apply(config, credentials, DiagnosticCodes.MfaSerialIgnored);
        Assert.Equal("[profile admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\n" + $"mfa_serial = {Alice}\n" + "source_profile = default\n\n"
            + "[profile audit]\nrole_arn = arn:aws:iam::333333333333:role/Audit\n" + $"mfa_serial = {Alice}\n" + "source_profile = default\nregion = eu-west-1\n",
            fixedConfig);
        Assert.Equal(Keys, fixedCredentials);
        RuleCheck.Check(fixedConfig, fixedCredentials);

        var after = await BotocoreChains.ResolveAsync(fixedConfig, fixedCredentials);
        Assert.Equal(Alice, BotocoreChains.MfaSerialOf(after, "admin"));
        Assert.Equal(Alice, BotocoreChains.MfaSerialOf(after, "audit"));
    }

    [Fact]
    public async Task IgnoredMfaSerialMovesOnlyWhereMissingAndKeepsTheFilesStyle()
    {
        // CRLF, indented keys and `=` without spaces in the config; the other role already has its own device.
        const string config = "[profile admin]\r\n  role_arn=arn:aws:iam::222222222222:role/Admin\r\n  source_profile=base\r\n"
            + "[profile readonly]\r\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\r\nsource_profile = base\r\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\r\n"
            + "[profile base]\r\ncredential_process = /usr/local/bin/get-creds\r\nmfa_serial = " + Alice + "\r\nregion = us-east-1";
        RuleCheck.Check("""
            [profile admin]
              role_arn=arn:aws:iam::222222222222:role/Admin
            # ^^^^^^^^ information missing-mfa-serial: the other role profiles with source_profile = base (`readonly`)
              source_profile=base
            [profile readonly]
            role_arn = arn:aws:iam::222222222222:role/ReadOnly
            source_profile = base
            mfa_serial = arn:aws:iam::111111111111:mfa/bob
            [profile base]
            credential_process = /usr/local/bin/get-creds
            mfa_serial = arn:aws:iam::111111111111:mfa/alice
            #^^^^^^^^^ warning mfa-serial-ignored: (`admin` sends none)
            region = us-east-1
            """);
        var (fixedConfig, _) = FixCheck.Apply(config, "", DiagnosticCodes.MfaSerialIgnored, "Move mfa_serial to admin");
        Assert.Equal("[profile admin]\r\n  role_arn=arn:aws:iam::222222222222:role/Admin\r\n  mfa_serial=" + Alice + "\r\n  source_profile=base\r\n"
            + "[profile readonly]\r\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\r\nsource_profile = base\r\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\r\n"
            + "[profile base]\r\ncredential_process = /usr/local/bin/get-creds\r\nregion = us-east-1", fixedConfig);
        RuleCheck.Check(fixedConfig);

        var after = await BotocoreChains.ResolveAsync(fixedConfig, "");
        Assert.Equal(Alice, BotocoreChains.MfaSerialOf(after, "admin"));
        Assert.Equal("arn:aws:iam::111111111111:mfa/bob", BotocoreChains.MfaSerialOf(after, "readonly"));
    }

    [Fact]
    public void IgnoredMfaSerialIsOnlyRemovedWhenEveryRoleHasItsOwn()
    {
        const string config = "[profile readonly]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\n"
            + "[default]\ncredential_process = /usr/local/bin/get-creds\nmfa_serial = " + Alice + "\n";
        var diagnostic = Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(config, "")));
        Assert.Equal("Remove the ignored mfa_serial", Assert.Single(diagnostic.Fixes).Title);
        var (fixedConfig, _) = FixCheck.Apply(config, "", DiagnosticCodes.MfaSerialIgnored);
        Assert.Equal("[profile readonly]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\n"
            + "[default]\ncredential_process = /usr/local/bin/get-creds\n", fixedConfig);
    }

    [Fact]
    public void RoleProfileWithoutTheMfaSerialItsSiblingsUseIsReported() => RuleCheck.Check("""
        [profile prod]
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = default
        mfa_serial = arn:aws:iam::111111111111:mfa/alice
        [profile staging]
        role_arn = arn:aws:iam::333333333333:role/Admin
        #^^^^^^^ information missing-mfa-serial: `staging` sends no MFA code, but the other role profiles with source_profile = default (`prod`) do
        source_profile = default
        [profile other-source]
        role_arn = arn:aws:iam::444444444444:role/Admin
        source_profile = ci
        [profile instance]
        role_arn = arn:aws:iam::444444444444:role/Admin
        credential_source = Ec2InstanceMetadata
        [profile ci]
        credential_process = /usr/local/bin/get-creds
        """, Keys);

    [Fact]
    public async Task MissingMfaSerialFixAddsTheSiblingsDeviceAfterRoleArnAndBotocoreThenSendsIt()
    {
        const string config = "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = " + Alice + "\n\n"
            + "[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = default\n";
        var before = await BotocoreChains.ResolveAsync(config, Keys);
        Assert.Null(BotocoreChains.MfaSerialOf(before, "staging"));

        var diagnostic = Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(config, Keys)));
        Assert.True(Assert.Single(diagnostic.Fixes).IsPreferred);
        var (fixedConfig, fixedCredentials) = FixCheck.Apply(config, Keys, DiagnosticCodes.MissingMfaSerial);
        Assert.Equal("[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = " + Alice + "\n\n"
            + "[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nmfa_serial = " + Alice + "\nsource_profile = default\n", fixedConfig);
        RuleCheck.Check(fixedConfig, fixedCredentials);

        var after = await BotocoreChains.ResolveAsync(fixedConfig, fixedCredentials);
        Assert.Equal(Alice, BotocoreChains.MfaSerialOf(after, "staging"));
    }

    [Fact]
    public async Task SiblingsThatDisagreeGiveOneFixPerDeviceAndNoneIsPreferred()
    {
        const string config = "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\nsource_profile = default\nmfa_serial = " + Alice + "\n"
            + "[profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\n"
            + "[profile c]\nrole_arn = arn:aws:iam::222222222222:role/C\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\n"
            + "[profile d]\nrole_arn = arn:aws:iam::222222222222:role/D\nsource_profile = default";
        var diagnostic = Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(config, Keys)));
        Assert.Equal(DiagnosticCodes.MissingMfaSerial, diagnostic.Code);
        Assert.Equal([$"Add mfa_serial = {Alice}", "Add mfa_serial = arn:aws:iam::111111111111:mfa/bob"], diagnostic.Fixes.Select(f => f.Title));
        Assert.DoesNotContain(diagnostic.Fixes, f => f.IsPreferred);
        // One related place per device, at the first sibling that sends it (the message names all three).
        Assert.Equal(["`a` uses this MFA device", "`b` and 1 other role use this MFA device"], diagnostic.Related.Select(r => r.Message));
        Assert.Equal([3, 7], diagnostic.Related.Select(r => config[..r.Location.Span.Start].Count(c => c == '\n')));
        Assert.Contains("(`a`, `b`, `c`)", diagnostic.Message);

        // d's role_arn is not the last line: the inserted line goes right after it, before source_profile.
        var (fixedConfig, _) = FixCheck.Apply(config, Keys, DiagnosticCodes.MissingMfaSerial, "Add mfa_serial = arn:aws:iam::111111111111:mfa/bob");
        Assert.EndsWith("[profile d]\nrole_arn = arn:aws:iam::222222222222:role/D\nmfa_serial = arn:aws:iam::111111111111:mfa/bob\nsource_profile = default", fixedConfig);
        var after = await BotocoreChains.ResolveAsync(fixedConfig, Keys);
        Assert.Equal("arn:aws:iam::111111111111:mfa/bob", BotocoreChains.MfaSerialOf(after, "d"));
    }

    [Fact]
    public void SiblingsSharingADeviceGiveOneRelatedPlaceAndAtMostThreeDevicesArePointedAt()
    {
        static string Role(string name, string? device) => $"[profile {name}]\nrole_arn = arn:aws:iam::222222222222:role/{name}\nsource_profile = default\n"
            + (device is null ? "" : $"mfa_serial = {device}\n");
        var shared = Role("a", Alice) + Role("b", Alice) + Role("c", Alice) + Role("d", null);
        var finding = Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(shared, Keys)));
        Assert.Equal(["`a` and 2 other roles use this MFA device"], finding.Related.Select(r => r.Message));
        Assert.Contains("(`a`, `b`, `c`)", finding.Message);

        var devices = string.Concat(Enumerable.Range(1, 5).Select(i => Role($"r{i}", $"arn:aws:iam::111111111111:mfa/device{i}"))) + Role("x", null);
        finding = Assert.Single(DiagnosticEngine.Analyze(RuleCheck.Model(devices, Keys)));
        Assert.Equal(["`r1` uses this MFA device", "`r2` uses this MFA device", "`r3` uses this MFA device"], finding.Related.Select(r => r.Message));
        // The message still names all five, and a fix is offered for each device.
        Assert.Contains("(`r1`, `r2`, `r3`, `r4`, `r5`)", finding.Message);
        Assert.Equal(5, finding.Fixes.Length);
    }

    [Theory]
    [InlineData(DiagnosticCodes.MfaSerialIgnored)]
    [InlineData(DiagnosticCodes.MissingMfaSerial)]
    public void FixTurnsTheDocumentedWrongExampleIntoTheRightOne(string code)
    {
        var rule = DiagnosticEngine.Rules.Single(r => r.Code == code);
        var (fixedConfig, _) = FixCheck.Apply(rule.Wrong, "", code);
        Assert.Equal(rule.Right, fixedConfig);
    }

    [Fact]
    public void InsertingAfterTheLastLineOfAFileWithoutLineBreakBreaksItFirst()
    {
        const string config = "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\nsource_profile = default\nmfa_serial = " + Alice + "\n"
            + "[profile b]\nsource_profile = default\nrole_arn = arn:aws:iam::222222222222:role/B";
        var (fixedConfig, _) = FixCheck.Apply(config, Keys, DiagnosticCodes.MissingMfaSerial);
        Assert.EndsWith("[profile b]\nsource_profile = default\nrole_arn = arn:aws:iam::222222222222:role/B\nmfa_serial = " + Alice, fixedConfig);
    }
}
