using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>
/// IAM Identity Center: the access token <c>aws sso login</c> left in <c>~/.aws/sso/cache</c> (file name: SHA-1 of the
/// <c>sso_session</c> name, or of the start URL for the legacy keys), then <c>GetRoleCredentials</c> through AWSSDK.SSO.
/// The server never logs in itself: a missing or expired token says which command to run.
/// </summary>
public sealed class SsoProvider(AwsEnvironment environment, TimeSpan timeout)
{
    public static string CacheFileName(ChainHop hop) => Sha1.HexOf(hop.SsoSession ?? hop.SsoStartUrl ?? "") + ".json";

    public async Task<AwsCredentials> GetAsync(ChainHop hop, ServiceEndpoint endpoint, string testedProfile, CancellationToken cancellationToken)
    {
        var token = ReadToken(hop, testedProfile);
        var request = new GetRoleCredentialsRequest { AccessToken = token, AccountId = hop.SsoAccountId, RoleName = hop.SsoRoleName };
        var config = SdkCalls.Configure(new AmazonSSOConfig(), endpoint, timeout);
        using var client = new AmazonSSOClient(new AnonymousAWSCredentials(), config);
        GetRoleCredentialsResponse response;
        try
        {
            response = await SdkCalls.RunAsync(endpoint, timeout, t => client.GetRoleCredentialsAsync(request, t), cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException exception) when (exception.Code is "UnauthorizedException")
        {
            throw AwsCallException.Local("SsoTokenExpired",
                $"IAM Identity Center refused the cached token of {Describe(hop)}: the session has expired or was revoked. Run: aws sso login --profile {testedProfile}");
        }
        var credentials = response.RoleCredentials;
        if (credentials?.AccessKeyId is null || credentials.SecretAccessKey is null)
        {
            throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", "GetRoleCredentials answered without credentials.");
        }
        DateTimeOffset? expiration = credentials.Expiration is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, expiration,
            $"IAM Identity Center role {hop.SsoRoleName} in account {hop.SsoAccountId}");
    }

    /// <summary>The cached access token, or a message that says to log in.</summary>
    public string ReadToken(ChainHop hop, string testedProfile)
    {
        var path = Path.Combine(environment.SsoCacheDirectory, CacheFileName(hop));
        var login = $"Run: aws sso login --profile {testedProfile}";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw AwsCallException.Local("SsoTokenMissing", $"No IAM Identity Center login found for {Describe(hop)} (no token in ~/.aws/sso/cache). {login}");
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("accessToken", out var accessToken) && accessToken.ValueKind == JsonValueKind.String
                && root.TryGetProperty("expiresAt", out var expiresAt) && expiresAt.ValueKind == JsonValueKind.String)
            {
                var expiry = ParseExpiry(expiresAt.GetString()!);
                if (expiry is null || expiry <= environment.Now)
                {
                    throw AwsCallException.Local("SsoTokenExpired", $"The IAM Identity Center login for {Describe(hop)} has expired. {login}");
                }
                return accessToken.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        throw AwsCallException.Local("SsoTokenMissing", $"The cached IAM Identity Center token for {Describe(hop)} is unreadable. {login}");
    }

    public static DateTimeOffset? ParseExpiry(string text)
    {
        var normalized = text.EndsWith("UTC", StringComparison.Ordinal) ? text[..^3] + "Z" : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }

    private static string Describe(ChainHop hop) => hop.SsoSession is { } session ? $"sso-session {session}" : $"start URL {hop.SsoStartUrl}";

}
