using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>The foundation's chain rules, in the inline-annotation style.</summary>
public class ChainRuleTests
{
    [Fact]
    public void ALongLoopNamesEveryVisitedProfileInOrderAsBotocoreDoes()
    {
        // Five profiles: the walk keeps its first two visits in fields and the rest in a list; the message lists them all.
        var config = string.Concat("abcde".Select((name, i) =>
            $"[profile {name}]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = {"abcde"[(i + 1) % 5]}\n"));
        var resolution = AwsConfigLsp.Model.CredentialResolver.Resolve(RuleCheck.Model(config, ""), "a");
        // What `aws sts get-caller-identity --profile a` (botocore 1.43) prints for this file.
        Assert.Equal("Infinite loop in credential configuration detected. Attempting to load from profile a which has already been visited. "
            + "Visited profiles: ['a', 'b', 'c', 'd', 'e']", resolution.Error?.Message);
        Assert.Equal("Infinite loop in credential configuration detected. Attempting to load from profile c which has already been visited. "
            + "Visited profiles: ['c', 'd', 'e', 'a', 'b']", AwsConfigLsp.Model.CredentialResolver.Resolve(RuleCheck.Model(config, ""), "c").Error?.Message);
    }

    [Fact]
    public void LoopIsReportedOnEverySourceProfileLineOfTheCycle() => RuleCheck.Check("""
        [profile a]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = b
        #                ^ error source-profile-loop: Visited profiles: ['a', 'b']
        [profile b]
        role_arn = arn:aws:iam::111111111111:role/B
        source_profile = a
        #                ^ error source-profile-loop
        """);

    [Fact]
    public void CycleThroughAProfileWithStaticKeysEndsThereForItsDependantsButFailsForItself()
    {
        // botocore (verified): --profile a uses b's keys; --profile b assumes its role first (role_arn beats keys) and loops.
        RuleCheck.Check("""
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/A
            source_profile = b
            #                ^ error source-profile-loop: `aws --profile b` fails
            [profile b]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            #^^^^^^^^^^^^^^^^ info secret-in-config-file
            aws_secret_access_key = secret
            #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
            role_arn = arn:aws:iam::111111111111:role/B
            source_profile = a
            #                ^ error source-profile-loop: Visited profiles: ['b', 'a']
            """);
        Assert.Null(RuleCheck.Model("[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n[profile b]\naws_access_key_id = A\naws_secret_access_key = s\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n").Resolve("a").Error);
    }

    [Fact]
    public void SelfReferenceIsAllowedOnlyWithStaticKeys() => RuleCheck.Check("""
        [profile keys]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        #^^^^^^^^^^^^^^^^ info secret-in-config-file
        aws_secret_access_key = secret
        #^^^^^^^^^^^^^^^^^^^^ info secret-in-config-file
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = keys
        [profile nokeys]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = nokeys
        #                ^^^^^^ error source-profile-loop: Visited profiles: ['nokeys']
        """);

    [Fact]
    public void SourcesAreValidatedAsTheCliDoes() => RuleCheck.Check("""
        [profile both]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = default
        credential_source = Environment
        #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error conflicting-credential-sources
        [profile neither]
        role_arn = arn:aws:iam::111111111111:role/A
        #^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error role-without-source
        [profile lower]
        role_arn = arn:aws:iam::111111111111:role/A
        credential_source = environment
        #                   ^^^^^^^^^^^ error invalid-credential-source
        [profile missing]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = nowhere
        #                ^^^^^^^ error source-profile-not-found
        """, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n");

    [Fact]
    public void DuplicateKeyIsReportedWithTheFirstPlaceAndFixedByRemovingTheLaterLine()
    {
        const string config = "[default]\nregion = us-east-1\nRegion = eu-west-1\n    continued\noutput = json\n";
        var diagnostics = RuleCheck.Check("""
            [default]
            region = us-east-1
            Region = eu-west-1
            #^^^^^^^^^^^^^^^^^ error duplicate-key: appears twice
                continued
            output = json
            """);
        Assert.Single(diagnostics[0].Related);
        var (fixedConfig, _) = RuleCheck.ApplyFix(config, "", "duplicate-key");
        Assert.Equal("[default]\nregion = us-east-1\noutput = json\n", fixedConfig);
        RuleCheck.Check(fixedConfig);
    }
}
