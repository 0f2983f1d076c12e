namespace AwsConfigLsp.Tests.Server;

/// <summary>
/// S5 (SCENARIOS.md) grown with names that are not ASCII: <c>[default]</c> is in both files (region in the config,
/// keys in the credentials file), <c>develop</c> is S5's MFA role, <c>開発-admin</c> (BMP, one UTF-16 unit a
/// character) and <c>😀-ops</c> (a surrogate pair) chain from it, and the credentials file has roles of its own that
/// name <c>default</c> and <c>😀-ops</c>, so references cross the files both ways.
/// </summary>
internal static class NavigationFixture
{
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLETOKENdoNotShowMe";

    public const string Config = """
        # S5: the CLI works with --profile develop; an SDK needs AWS_SDK_LOAD_CONFIG=1 and AWS_PROFILE=develop.
        [default]
        region = ap-northeast-1

        [profile develop]
        role_arn = arn:aws:iam::123456789012:role/develop
        source_profile = default
        mfa_serial = arn:aws:iam::987654321098:mfa/developer

        [profile 開発-admin]
        role_arn = arn:aws:iam::123456789012:role/admin
        source_profile = develop

        [profile 😀-ops]
        role_arn = arn:aws:iam::210987654321:role/ops
        source_profile = 開発-admin

        [profile sso-dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = Dev

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1

        """;

    public const string Credentials = $"""
        [default]
        aws_access_key_id = AKIAIOSFODNN7EXAMPLE
        aws_secret_access_key = {SecretKey}

        [batch]
        role_arn = arn:aws:iam::123456789012:role/batch
        source_profile = default

        [night-ops]
        role_arn = arn:aws:iam::210987654321:role/night
        source_profile = 😀-ops

        [temp]
        aws_access_key_id = ASIAIOSFODNN7EXAMPLE
        aws_secret_access_key = {SecretKey}
        aws_session_token = {SessionToken}

        """;

    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n");
}
