using System.Text;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Features;

/// <summary>
/// Completion, data-driven: a fixture with the cursor at <c>$0</c> (both files when it has <c>//- config</c> and
/// <c>//- credentials</c> lines) and the expected items, one per line, in the order the server sorts them.
/// </summary>
public class CompletionTests
{
    /// <summary>
    /// Completes at <c>$0</c> and compares the items with <paramref name="expected"/>. Each item renders as
    /// <c>label [(snippet)] [(deprecated)] ; detail ; "inserted text" ; "replaced text"</c>; an expected line compares as many
    /// fields as it has, <c>...</c> stands for any number of items, and a first line <c>(incomplete)</c> expects a cut list.
    /// Every item must replace exactly what was typed: a span on the cursor line that ends at the cursor.
    /// </summary>
    private static CompletionResult Check(string fixture, string expected)
    {
        var (model, kind, offset) = Load(fixture);
        var result = Completion.Get(model, kind, offset);
        var text = model.GetFile(kind).Syntax.Text;
        var rendered = new List<string>();
        if (result.IsIncomplete) rendered.Add("(incomplete)");
        foreach (var item in result.Items)
        {
            var span = item.ReplaceSpan;
            var replaced = text.Substring(span.Start, span.Length);
            // Only a header snippet may also replace the ']' the editor closed after the cursor.
            var endsAtCursor = span.End == offset || item.IsSnippet && text[offset..span.End].Trim() == "]";
            Assert.True(span.Start <= offset && endsAtCursor && !replaced.Contains('\n') && !replaced.Contains('\r'),
                $"'{item.Label}' replaces {span}, not the typed prefix before the cursor at {offset}.");
            var label = item.Label + (item.IsSnippet ? " (snippet)" : "") + (item.Tags.HasFlag(CompletionTags.Deprecated) ? " (deprecated)" : "");
            rendered.Add($"{label} ; {item.Detail} ; {Quote(item.InsertText)} ; {Quote(replaced)}");
        }
        var expectedLines = expected.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
        Assert.True(Matches(expectedLines, 0, rendered, 0),
            $"Expected:\n{string.Join('\n', expectedLines)}\n\nActual:\n{string.Join('\n', rendered)}");
        return result;
    }

    private static string Quote(string text) => "\"" + text.Replace("\r", "\\r").Replace("\n", "\\n") + "\"";

    private static bool Matches(string[] expected, int e, List<string> actual, int a)
    {
        if (e == expected.Length) return a == actual.Count;
        if (expected[e].Trim() == "...")
        {
            for (var next = a; next <= actual.Count; next++)
            {
                if (Matches(expected, e + 1, actual, next)) return true;
            }
            return false;
        }
        return a < actual.Count && LineMatches(expected[e], actual[a]) && Matches(expected, e + 1, actual, a + 1);
    }

    private static bool LineMatches(string expected, string actual)
    {
        var expectedFields = expected.Split(';', StringSplitOptions.TrimEntries);
        var actualFields = actual.Split(';', StringSplitOptions.TrimEntries);
        return expectedFields.Length <= actualFields.Length && expectedFields.SequenceEqual(actualFields.Take(expectedFields.Length));
    }

    /// <summary>The model of a fixture, the file that holds <c>$0</c> and the cursor offset in it.</summary>
    private static (ProfileModel Model, ConfigFileKind Kind, int Offset) Load(string fixture)
    {
        var texts = new Dictionary<ConfigFileKind, string> { [ConfigFileKind.Config] = "", [ConfigFileKind.Credentials] = "" };
        if (!fixture.StartsWith("//- ", StringComparison.Ordinal))
        {
            texts[ConfigFileKind.Config] = fixture;
        }
        else
        {
            var current = ConfigFileKind.Config;
            var builder = new StringBuilder();
            foreach (var line in fixture.Split('\n'))
            {
                if (line.StartsWith("//- ", StringComparison.Ordinal))
                {
                    texts[current] += builder.ToString();
                    builder.Clear();
                    current = line.Trim() == "//- credentials" ? ConfigFileKind.Credentials : ConfigFileKind.Config;
                    continue;
                }
                builder.Append(line).Append('\n');
            }
            texts[current] += builder.ToString();
        }
        var kind = texts[ConfigFileKind.Config].Contains("$0") ? ConfigFileKind.Config : ConfigFileKind.Credentials;
        var offset = texts[kind].IndexOf("$0", StringComparison.Ordinal);
        Assert.True(offset >= 0, "The fixture has no $0 cursor.");
        texts[kind] = texts[kind].Remove(offset, 2);
        var model = new ProfileModel(
            ConfigFile.Create(ConfigFileKind.Config, "/home/u/.aws/config", SyntaxParser.Parse(texts[ConfigFileKind.Config])),
            ConfigFile.Create(ConfigFileKind.Credentials, "/home/u/.aws/credentials", SyntaxParser.Parse(texts[ConfigFileKind.Credentials])));
        return (model, kind, offset);
    }

    // ---- Keys ------------------------------------------------------------------------------

    [Fact]
    public void RoleProfileListsTheRoleKeysFirst()
    {
        Check("""
            [profile dev]
            role_arn = arn:aws:iam::111111111111:role/Dev
            $0
            """, """
            source_profile ; ProfileReference ; "source_profile = " ; ""
            credential_source ; Environment | Ec2InstanceMetadata | EcsContainer ; "credential_source = "
            mfa_serial
            external_id
            role_session_name
            duration_seconds
            web_identity_token_file
            aws_access_key_id
            ...
            region ; Region ; "region = " ; ""
            ...
            csm_enabled (deprecated)
            ...
            """);
    }

    [Fact]
    public void ProfileWithoutRoleArnKeepsTheCatalogOrderAndDeprecatedKeysLast()
    {
        Check("""
            [profile dev]
            reg$0
            """, """
            aws_access_key_id ; String ; "aws_access_key_id = " ; "reg"
            aws_secret_access_key
            aws_session_token
            aws_account_id
            role_arn
            source_profile
            ...
            aws_security_token (deprecated)
            ...
            """);
    }

    [Fact]
    public void KeysAlreadyInTheSectionAreNotOfferedAgain()
    {
        var result = Check("""
            [profile dev]
            region = eu-west-1
            output: json
            s3 =
              addressing_style = path
            $0
            """, """
            aws_access_key_id
            ...
            """);
        var labels = result.Items.Select(i => i.Label).ToHashSet();
        Assert.DoesNotContain("region", labels);
        Assert.DoesNotContain("output", labels);
        Assert.DoesNotContain("s3", labels);
        Assert.Contains("cli_pager", labels);
    }

    [Fact]
    public void TheKeyOnTheCursorLineIsNotCountedAsPresent()
    {
        // Retyping the key of an existing line: the line's own key is still offered, bare (its '=' is already there).
        Check("""
            [profile dev]
            outp$0 = json
            """, """
            ...
            output ; json | yaml | yaml-stream | text | table ; "output" ; "outp"
            ...
            """);
    }

    [Fact]
    public void EveryKeyItemCarriesTheCatalogDocumentation()
    {
        var result = Check("""
            [default]
            $0
            """, """
            aws_access_key_id
            ...
            """);
        Assert.All(result.Items, item =>
        {
            var entry = KeyCatalog.Find(item.Label, SectionContext.Profile);
            Assert.NotNull(entry);
            Assert.Equal(entry.Documentation, item.Documentation);
            Assert.Contains("Read by:", item.Documentation);
            Assert.Contains("Valid values:", item.Documentation);
        });
    }

    [Fact]
    public void SsoSessionSectionOffersOnlySessionKeys()
    {
        Check("""
            [sso-session corp]
            sso_region = us-east-1
            $0
            """, """
            sso_start_url ; Url ; "sso_start_url = " ; ""
            sso_registration_scopes ; List ; "sso_registration_scopes = "
            """);
    }

    [Fact]
    public void ServicesSectionOffersServiceIdentifiersAsBlocks()
    {
        Check("""
            [services local]
            s3 =
              endpoint_url = http://localhost:4566
            dyn$0
            """, """
            accessanalyzer (snippet) ; SubProperties ; "accessanalyzer =\n  endpoint_url = $0" ; "dyn"
            ...
            dynamodb (snippet) ; SubProperties ; "dynamodb =\n  endpoint_url = $0" ; "dyn"
            dynamodb_streams (snippet)
            ...
            """);
    }

    [Fact]
    public void ServiceBlockOffersEndpointUrl()
    {
        Check("""
            [services local]
            dynamodb =
              $0
            """, """
            endpoint_url ; Url ; "endpoint_url = " ; ""
            """);
    }

    [Fact]
    public void ServiceBlockWithEndpointUrlHasNothingLeft()
    {
        Check("""
            [services local]
            dynamodb =
              endpoint_url = http://localhost:8000
              $0
            """, "");
    }

    [Fact]
    public void S3BlockOffersTheS3SubKeysNotYetWritten()
    {
        var result = Check("""
            [default]
            s3 =
              addressing_style = path
              max_$0
            region = us-east-1
            """, """
            payload_signing_enabled ; Boolean ; "payload_signing_enabled = " ; "max_"
            use_accelerate_endpoint
            ...
            max_concurrent_requests ; Integer
            ...
            """);
        Assert.DoesNotContain(result.Items, i => i.Label is "addressing_style" or "region");
    }

    [Fact]
    public void S3SubKeyValueOffersItsValues()
    {
        Check("""
            [default]
            s3 =
              addressing_style = v$0
            """, """
            auto ; default ; "auto" ; "v"
            virtual
            path
            """);
    }

    [Fact]
    public void ALineAtTheKeyIndentationAfterABlockIsATopLevelKey()
    {
        var result = Check("""
            [default]
            s3 =
              addressing_style = path
            $0
            """, """
            aws_access_key_id
            ...
            """);
        Assert.Contains(result.Items, i => i.Label == "region");
        Assert.DoesNotContain(result.Items, i => i.Label is "s3" or "payload_signing_enabled");
    }

    [Fact]
    public void CredentialsFileOffersTheCredentialKeys()
    {
        Check("""
            //- credentials
            [dev]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            $0
            """, """
            aws_secret_access_key ; String ; "aws_secret_access_key = " ; ""
            aws_session_token
            aws_account_id
            aws_security_token (deprecated)
            """);
    }

    [Fact]
    public void NoCompletionInCommentsOrInsideAPlainValueContinuation()
    {
        Check("""
            [default]
            # reg$0
            """, "");
        Check("""
            [default]
            region = us-east-1
               $0
            """, "");
        Check("""
            [default]
            region us$0
            """, "");
    }

    // ---- Values ----------------------------------------------------------------------------

    [Fact]
    public void RoleArnOffersTheArnsOfBothFilesThenASnippet()
    {
        Check("""
            //- config
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/Admin
            source_profile = base
            [profile b]
            role_arn = arn:aws:iam::111111111111:role/Admin
            source_profile = base
            [profile c]
            role_arn = arn:aws:iam::222222222222:role/ReadOnly
            credential_source = Environment
            [profile new]
            role_arn = arn$0
            //- credentials
            [legacy]
            role_arn = arn:aws:iam::333333333333:role/Legacy
            source_profile = base
            """, """
            arn:aws:iam::111111111111:role/Admin ; used by a, b ; "arn:aws:iam::111111111111:role/Admin" ; "arn"
            arn:aws:iam::222222222222:role/ReadOnly ; used by c
            arn:aws:iam::333333333333:role/Legacy ; used by legacy
            arn:aws:iam::ACCOUNT:role/NAME (snippet) ; role ARN ; "arn:aws:iam::${1:account}:role/${2:name}" ; "arn"
            """);
    }

    [Fact]
    public void AfterArnAwsIamTheAccountsOfTheFilesAreOffered()
    {
        var result = Check("""
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/Admin
            source_profile = base
            mfa_serial = arn:aws:iam::999999999999:mfa/alice
            [profile b]
            role_arn = arn:aws:iam::111111111111:role/ReadOnly
            source_profile = base
            [profile sso]
            sso_session = corp
            sso_account_id = 222222222222
            sso_role_name = Admin
            [profile new]
            role_arn = arn:aws:iam::$0
            """, """
            111111111111 ; a, b ; "arn:aws:iam::111111111111:role/" ; "arn:aws:iam::"
            222222222222 ; sso ; "arn:aws:iam::222222222222:role/"
            999999999999 ; a ; "arn:aws:iam::999999999999:role/"
            """);
        // Clients match the typed "arn:aws:iam::" against the whole ARN, not against the label.
        Assert.All(result.Items, item => Assert.Equal(item.InsertText, item.FilterText));
    }

    [Fact]
    public void MfaSerialOffersTheDevicesOfProfilesWithTheSameSourceFirst()
    {
        Check("""
            [profile r1]
            role_arn = arn:aws:iam::111111111111:role/R1
            source_profile = alice
            mfa_serial = arn:aws:iam::999999999999:mfa/alice
            [profile r2]
            role_arn = arn:aws:iam::111111111111:role/R2
            source_profile = bob
            mfa_serial = arn:aws:iam::999999999999:mfa/bob
            [profile r3]
            role_arn = arn:aws:iam::222222222222:role/R3
            source_profile = bob
            mfa_serial = $0
            """, """
            arn:aws:iam::999999999999:mfa/bob ; used with source_profile bob ; "arn:aws:iam::999999999999:mfa/bob" ; ""
            arn:aws:iam::999999999999:mfa/alice ; used by r1
            arn:aws:iam::ACCOUNT:mfa/USER (snippet) ; MFA device ARN ; "arn:aws:iam::${1:account}:mfa/${2:user}"
            """);
    }

    [Fact]
    public void MfaSerialDerivesTheDeviceOfASourceNamedLikeTheUser()
    {
        // S2: the user "carol" signs in to the home account 999999999999, where every MFA device of the files lives.
        Check("""
            [profile r1]
            role_arn = arn:aws:iam::111111111111:role/R1
            source_profile = alice
            mfa_serial = arn:aws:iam::999999999999:mfa/alice
            [profile r2]
            role_arn = arn:aws:iam::222222222222:role/R2
            source_profile = carol
            mfa_serial = $0
            """, """
            arn:aws:iam::999999999999:mfa/carol ; MFA device of carol ; "arn:aws:iam::999999999999:mfa/carol" ; ""
            arn:aws:iam::999999999999:mfa/alice ; used by r1
            arn:aws:iam::ACCOUNT:mfa/USER (snippet)
            """);
    }

    [Fact]
    public void MfaSerialDerivesTheDeviceFromTheSourceAccountOrItsSignInIdentity()
    {
        Check("""
            //- config
            [profile r]
            role_arn = arn:aws:iam::111111111111:role/R
            source_profile = dev-simple-user
            mfa_serial = $0
            //- credentials
            [dev-simple-user]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            aws_account_id = 123456789012
            """, """
            arn:aws:iam::123456789012:mfa/dev-simple-user ; MFA device of dev-simple-user
            arn:aws:iam::ACCOUNT:mfa/USER (snippet)
            """);
        Check("""
            [profile console]
            login_session = arn:aws:iam::123456789012:user/dana
            [profile r]
            role_arn = arn:aws:iam::111111111111:role/R
            source_profile = console
            mfa_serial = $0
            """, """
            arn:aws:iam::123456789012:mfa/dana ; MFA device of dana
            arn:aws:iam::ACCOUNT:mfa/USER (snippet)
            """);
        // The name is known but not the account: a snippet for the account only.
        Check("""
            [profile r]
            role_arn = arn:aws:iam::111111111111:role/R
            source_profile = erin
            mfa_serial = $0
            """, """
            arn:aws:iam::ACCOUNT:mfa/erin (snippet) ; MFA device of erin ; "arn:aws:iam::${1:account}:mfa/erin"
            arn:aws:iam::ACCOUNT:mfa/USER (snippet)
            """);
    }

    [Fact]
    public void CredentialSourceOffersTheThreeCaseSensitiveValuesWithTheirMeaning()
    {
        var result = Check("""
            [profile dst-role]
            role_arn = arn:aws:iam::123456789012:role/some-role
            credential_source = $0
            """, """
            Environment ; environment variables ; "Environment" ; ""
            Ec2InstanceMetadata ; EC2 instance profile ; "Ec2InstanceMetadata"
            EcsContainer ; ECS task role ; "EcsContainer"
            """);
        Assert.All(result.Items, item => Assert.Contains("case-sensitively", item.Documentation));
    }

    [Fact]
    public void SourceProfileListsEveryOtherProfileWithItsKindAndLoopsLast()
    {
        Check("""
            //- config
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/A
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::111111111111:role/B
            source_profile = $0
            [profile sso]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = Admin
            [profile proc]
            credential_process = /opt/bin/creds
            [profile chained]
            role_arn = arn:aws:iam::111111111111:role/C
            source_profile = base
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            //- credentials
            [base]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            """, """
            sso ; sso ; "sso" ; ""
            proc ; credential-process
            chained ; assume-role
            base ; static
            a (deprecated) ; would create a loop
            """);
    }

    [Fact]
    public void SourceProfileFlagsACandidateWhoseChainAlreadyLoops()
    {
        Check("""
            [profile x]
            role_arn = arn:aws:iam::111111111111:role/X
            source_profile = y
            [profile y]
            role_arn = arn:aws:iam::111111111111:role/Y
            source_profile = x
            [profile keys]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            source_profile = keys
            [profile new]
            role_arn = arn:aws:iam::111111111111:role/New
            source_profile = $0
            """, """
            keys ; static
            x (deprecated) ; would create a loop
            y (deprecated) ; would create a loop
            """);
    }

    [Fact]
    public void SourceProfileFlagsLongChainsBackToTheProfileAndCirclesOfTheirOwn()
    {
        // c1 -> ... -> c6 -> new (back to the profile being edited); d1 -> d2 -> d3 -> d2 (a circle without it); e1 -> e2
        // -> base (ends in keys): only the last three are fine.
        Check("""
            [profile c1]
            role_arn = arn:aws:iam::111111111111:role/C1
            source_profile = c2
            [profile c2]
            role_arn = arn:aws:iam::111111111111:role/C2
            source_profile = c3
            [profile c3]
            role_arn = arn:aws:iam::111111111111:role/C3
            source_profile = c4
            [profile c4]
            role_arn = arn:aws:iam::111111111111:role/C4
            source_profile = c5
            [profile c5]
            role_arn = arn:aws:iam::111111111111:role/C5
            source_profile = c6
            [profile c6]
            role_arn = arn:aws:iam::111111111111:role/C6
            source_profile = new
            [profile d1]
            role_arn = arn:aws:iam::111111111111:role/D1
            source_profile = d2
            [profile d2]
            role_arn = arn:aws:iam::111111111111:role/D2
            source_profile = d3
            [profile d3]
            role_arn = arn:aws:iam::111111111111:role/D3
            source_profile = d2
            [profile e1]
            role_arn = arn:aws:iam::111111111111:role/E1
            source_profile = e2
            [profile e2]
            role_arn = arn:aws:iam::111111111111:role/E2
            source_profile = base
            [profile base]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            [profile new]
            role_arn = arn:aws:iam::111111111111:role/New
            source_profile = $0
            """, """
            e1 ; assume-role
            e2 ; assume-role
            base ; static
            c1 (deprecated) ; would create a loop
            c2 (deprecated) ; would create a loop
            c3 (deprecated) ; would create a loop
            c4 (deprecated) ; would create a loop
            c5 (deprecated) ; would create a loop
            c6 (deprecated) ; would create a loop
            d1 (deprecated) ; would create a loop
            d2 (deprecated) ; would create a loop
            d3 (deprecated) ; would create a loop
            """);
    }

    [Fact]
    public void SourceProfileOnAHugeFileIsFilteredAndCut()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 1000; i++) builder.Append($"[profile p{i}]\naws_access_key_id = AKIA{i}\naws_secret_access_key = s\n");
        builder.Append("[profile new]\nrole_arn = arn:aws:iam::111111111111:role/New\nsource_profile = p99$0\n");
        // Past MaxItems: the names that start with what was typed, in case-insensitive order.
        var result = Check(builder.ToString(), """
            (incomplete)
            p99 ; static ; "p99" ; "p99"
            p990
            p991
            ...
            p999
            """);
        Assert.Equal(11, result.Items.Count);
        var all = Check(builder.ToString().Replace("p99$0", "$0", StringComparison.Ordinal), """
            (incomplete)
            p0
            p1
            p10
            p100
            ...
            """);
        Assert.Equal(Completion.MaxItems, all.Items.Count);
        Assert.Equal(all.Items.Select(item => item.Label).Order(StringComparer.OrdinalIgnoreCase), all.Items.Select(item => item.Label));
        // A short word that starts no name: the names that hold it loosely, as fuzzy clients match.
        var loose = Check(builder.ToString().Replace("p99$0", "99$0", StringComparison.Ordinal), """
            (incomplete)
            p199
            p299
            ...
            """);
        Assert.All(loose.Items, item => Assert.Matches("9.*9", item.Label));
    }

    [Fact]
    public void SsoSessionOffersTheSessions()
    {
        Check("""
            [profile dev]
            sso_session = $0
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            [sso-session lab]
            sso_start_url = https://lab.awsapps.com/start
            """, """
            corp ; https://corp.awsapps.com/start ; "corp" ; ""
            lab ; https://lab.awsapps.com/start
            """);
    }

    [Fact]
    public void RegionOffersEveryPublicRegionWithItsName()
    {
        var result = Check("""
            [default]
            region = ap-n$0
            """, """
            us-east-1 ; US East (N. Virginia) ; "us-east-1" ; "ap-n"
            ...
            ap-northeast-1 ; Asia Pacific (Tokyo)
            ...
            """);
        Assert.Equal(Regions.All.Count(r => r.IsPublic), result.Items.Count);
        Assert.DoesNotContain(result.Items, i => i.Label.Contains("iso", StringComparison.Ordinal));
    }

    [Fact]
    public void OutputOffersItsFiveValues()
    {
        Check("""
            [default]
            output = $0
            """, """
            json ; default ; "json" ; ""
            yaml ; ; "yaml"
            yaml-stream
            text
            table
            """);
    }

    [Fact]
    public void EnumeratedSettingsOfferTheirValues()
    {
        Check("""
            [default]
            duration_seconds = $0
            """, """
            900 ; minimum: 15 minutes
            3600 ; default: 1 hour
            43200 ; maximum: 12 hours
            """);
        Check("""
            [default]
            sts_regional_endpoints = $0
            """, """
            regional ; default
            legacy ; ; "legacy"
            """);
        Check("""
            [default]
            retry_mode = st$0
            """, """
            legacy ; default ; "legacy" ; "st"
            standard
            adaptive
            """);
        Check("""
            [default]
            use_fips_endpoint = $0
            """, """
            true
            false
            """);
    }

    [Fact]
    public void AValueRightAfterTheDelimiterGetsASpace()
    {
        Check("""
            [default]
            output =$0
            """, """
            json ; default ; " json" ; ""
            ...
            """);
    }

    [Fact]
    public void ListValuesCompleteTheItemUnderTheCursor()
    {
        Check("""
            [default]
            auth_scheme_preference = sigv4a, si$0
            """, """
            sigv4 ; ; "sigv4" ; "si"
            sigv4a
            httpBearerAuth
            """);
    }

    // ---- Section headers -------------------------------------------------------------------

    [Fact]
    public void AfterABracketTheHeaderKindsAndRoleProfileSnippetsAreOffered()
    {
        Check("""
            [profile a]
            region = us-east-1

            [$0
            """, """
            profile ; [profile NAME] ; "profile " ; ""
            sso-session ; [sso-session NAME] ; "sso-session "
            services ; [services NAME] ; "services "
            default ; [default] ; "default]"
            profile … (new role profile) (snippet) ; role_arn + source_profile ; "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\n"
            profile … (new role profile with MFA) (snippet) ; role_arn + source_profile + mfa_serial ; "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\nmfa_serial = arn:aws:iam::${5:account}:mfa/${6:user}\n"
            """);
    }

    [Fact]
    public void AHeaderSnippetReplacesTheBracketTheEditorClosed()
    {
        Check("""
            [default]
            [pro$0]
            """, """
            profile ; [profile NAME] ; "profile " ; "pro"
            sso-session
            services
            profile … (new role profile) (snippet) ; role_arn + source_profile ; "profile ${1:name}]\nrole_arn = arn:aws:iam::${2:account}:role/${3:role}\nsource_profile = ${4:default}\n" ; "pro]"
            profile … (new role profile with MFA) (snippet)
            """);
    }

    [Fact]
    public void CredentialsHeadersAreProfileNames()
    {
        Check("""
            //- credentials
            [ci$0
            """, """
            default ; [default] ; "default]" ; "ci"
            new profile with static keys (snippet) ; [NAME] + aws_access_key_id + aws_secret_access_key ; "${1:ci}]\naws_access_key_id = ${2}\naws_secret_access_key = ${3}\n" ; "ci"
            """);
    }

    [Fact]
    public void NoHeaderCompletionOnceTheNameIsBeingTypedOrTheHeaderIsClosed()
    {
        Check("[profile $0", "");
        Check("[profile a]$0\n", "");
    }

    // ---- Offsets ---------------------------------------------------------------------------

    [Fact]
    public void CrlfFilesCompleteKeysAndValues()
    {
        Check("[profile a]\r\nrole_arn = arn:aws:iam::111111111111:role/A\r\nsou$0\r\n[profile b]\r\n", """
            source_profile ; ProfileReference ; "source_profile = " ; "sou"
            ...
            """);
        Check("[profile a]\r\noutput = ta$0\r\nregion = us-east-1\r\n", """
            json ; default ; "json" ; "ta"
            ...
            table
            """);
    }

    [Fact]
    public void NonAsciiProfileNamesAreReplacedByUtf16Spans()
    {
        var result = Check("""
            [profile café-東京]
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = secret
            [profile 🚀rocket]
            role_arn = arn:aws:iam::111111111111:role/R
            source_profile = base
            [profile new]
            role_arn = arn:aws:iam::111111111111:role/New
            source_profile = 🚀r$0
            """, """
            café-東京 ; static ; "café-東京" ; "🚀r"
            🚀rocket ; fails: source-profile-not-found ; "🚀rocket" ; "🚀r"
            """);
        // "🚀r" is three UTF-16 code units: a surrogate pair and a letter.
        Assert.All(result.Items, item => Assert.Equal(3, item.ReplaceSpan.Length));
    }

    // ---- Cost ------------------------------------------------------------------------------

    [Fact]
    public void KeyCompletionDoesNotAllocateInProportionToTheFile()
    {
        static (ProfileModel Model, int Offset) Build(int profiles)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < profiles; i++) builder.Append($"[profile p{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\nsource_profile = base\n");
            builder.Append("[profile last]\nrole_arn = arn:aws:iam::111111111111:role/Last\n");
            var offset = builder.Length;
            builder.Append("\n[profile after]\nregion = us-east-1\n");
            var model = new ProfileModel(ConfigFile.Create(ConfigFileKind.Config, null, SyntaxParser.Parse(builder.ToString())), ConfigFile.Empty(ConfigFileKind.Credentials));
            return (model, offset);
        }
        static long Allocated(ProfileModel model, int offset)
        {
            Completion.Get(model, ConfigFileKind.Config, offset);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = Completion.Get(model, ConfigFileKind.Config, offset);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal("source_profile", result.Items[0].Label);
            return allocated;
        }
        var small = Build(10);
        var large = Build(20_000);
        var smallBytes = Allocated(small.Model, small.Offset);
        var largeBytes = Allocated(large.Model, large.Offset);
        Assert.True(largeBytes < smallBytes + 4096, $"Key completion allocated {largeBytes} bytes on 20,000 profiles and {smallBytes} on 10.");
    }
}
