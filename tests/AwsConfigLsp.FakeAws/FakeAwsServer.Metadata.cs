using System.Globalization;
using System.Text.Json;

namespace AwsConfigLsp.FakeAws;

public sealed partial class FakeAwsServer
{
    private const string ImdsTokenPath = "/latest/api/token";
    private const string ImdsCredentialsPath = "/latest/meta-data/iam/security-credentials/";

    private static HttpResponse ImdsNotFound(CallContext context)
    {
        context.ErrorCode = "NotFound";
        return HttpResponse.Text(404, "text/html",
            "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html>\n<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\n");
    }

    /// <summary>IMDSv2 as EC2 serves it: a session token from <c>PUT /latest/api/token</c> (TTL header 1-21600 s), then the
    /// role name and the credentials JSON under <c>/latest/meta-data/iam/security-credentials/</c>.</summary>
    private HttpResponse HandleImds(HttpRequest request, CallContext context)
    {
        var now = Now;
        if (request.Method == "PUT")
        {
            if (request.Path != ImdsTokenPath) return ImdsNotFound(context);
            var ttlText = request.Header("X-aws-ec2-metadata-token-ttl-seconds");
            context.Parameters["ttl"] = ttlText ?? "";
            if (request.Header("X-Forwarded-For") is not null) return Responses.Plain(403, "Forbidden");
            if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl is < 1 or > 21600)
            {
                context.ErrorCode = "BadRequest";
                return Responses.Plain(400, "Bad Request");
            }
            var token = Ids.Opaque(56) + "==";
            lock (gate) imdsTokens[token] = now.AddSeconds(ttl);
            return Responses.Plain(200, token).With("X-aws-ec2-metadata-token-ttl-seconds", ttl.ToString(CultureInfo.InvariantCulture));
        }
        if (request.Method != "GET") return Responses.Plain(405, "Method Not Allowed");
        var sessionToken = request.Header("X-aws-ec2-metadata-token");
        bool tokenValid;
        lock (gate) tokenValid = sessionToken is not null && imdsTokens.TryGetValue(sessionToken, out var expires) && expires > now;
        if (!tokenValid && (sessionToken is not null || !ImdsV1Allowed))
        {
            context.ErrorCode = "Unauthorized";
            return HttpResponse.Text(401, "text/html", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>401 - Unauthorized</title></head><body><h1>401 - Unauthorized</h1></body></html>\n");
        }
        if (!request.Path.StartsWith(ImdsCredentialsPath.TrimEnd('/'), StringComparison.Ordinal)) return ImdsNotFound(context);
        (RoleState Role, SessionState Session)? profile;
        lock (gate) profile = instanceProfile;
        if (profile is null) return ImdsNotFound(context);
        var rest = request.Path.Length > ImdsCredentialsPath.Length ? request.Path[ImdsCredentialsPath.Length..].TrimEnd('/') : "";
        if (rest.Length == 0) return Responses.Plain(200, profile.Value.Role.Name);
        if (rest != profile.Value.Role.Name) return ImdsNotFound(context);
        var session = RefreshedSession(profile.Value.Session, refreshed => instanceProfile = (profile.Value.Role, refreshed));
        // EC2's own formatting: two-space indent, " : " separators.
        var body = "{\n"
            + "  \"Code\" : \"Success\",\n"
            + $"  \"LastUpdated\" : \"{Iso8601(session.Expiration.AddHours(-6))}\",\n"
            + "  \"Type\" : \"AWS-HMAC\",\n"
            + $"  \"AccessKeyId\" : \"{session.AccessKeyId}\",\n"
            + $"  \"SecretAccessKey\" : \"{session.SecretAccessKey}\",\n"
            + $"  \"Token\" : \"{session.SessionToken}\",\n"
            + $"  \"Expiration\" : \"{Iso8601(session.Expiration)}\"\n"
            + "}";
        return Responses.Plain(200, body);
    }

    /// <summary>A session in place of an expired one (EC2 and ECS rotate credentials before they expire).</summary>
    private SessionState RefreshedSession(SessionState session, Action<SessionState> store)
    {
        lock (gate)
        {
            if (session.Expiration > Now.AddMinutes(5)) return session;
            var refreshed = NewRoleSession(session.Role!, session.SessionName, Now.AddHours(6), false);
            store(refreshed);
            return refreshed;
        }
    }

    /// <summary>The ECS agent's credentials endpoint: JSON with RoleArn, AccessKeyId, SecretAccessKey, Token, Expiration;
    /// the <c>Authorization</c> header must match when a token was set.</summary>
    private HttpResponse HandleEcs(HttpRequest request, CallContext context)
    {
        (RoleState Role, SessionState Session, string? Token)? current;
        lock (gate) current = container;
        if (request.Method != "GET" || request.Path != ecsPath || current is null)
        {
            context.ErrorCode = "NotFound";
            return HttpResponse.Text(404, "application/json", "{\"code\":\"NotFound\",\"message\":\"Unable to find credentials\"}");
        }
        if (current.Value.Token is { } expectedToken && request.Header("Authorization") != expectedToken)
        {
            context.ErrorCode = "Unauthorized";
            return HttpResponse.Text(401, "application/json", "{\"code\":\"InvalidTokenException\",\"message\":\"Authorization token is invalid\"}");
        }
        var session = RefreshedSession(current.Value.Session, refreshed => container = (current.Value.Role, refreshed, current.Value.Token));
        var body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["RoleArn"] = current.Value.Role.Arn,
            ["AccessKeyId"] = session.AccessKeyId,
            ["SecretAccessKey"] = session.SecretAccessKey,
            ["Token"] = session.SessionToken,
            ["Expiration"] = Iso8601(session.Expiration),
        });
        return HttpResponse.Text(200, "application/json", body);
    }

    /// <summary>The SSO portal's GetRoleCredentials (REST-JSON): <c>GET /federation/credentials?role_name=&amp;account_id=</c>
    /// with <c>x-amz-sso_bearer_token</c>; expiration in epoch milliseconds.</summary>
    private HttpResponse HandleSso(HttpRequest request, CallContext context)
    {
        if (context.Action != "GetRoleCredentials" || request.Method != "GET")
        {
            context.ErrorCode = "UnknownOperationException";
            return Responses.JsonError(404, "UnknownOperationException", "Unknown operation");
        }
        var roleName = context.Parameters.GetValueOrDefault("role_name");
        var accountId = context.Parameters.GetValueOrDefault("account_id");
        var token = request.Header("x-amz-sso_bearer_token");
        if (roleName is null || accountId is null || token is null)
        {
            context.ErrorCode = "InvalidRequestException";
            return Responses.JsonError(400, "InvalidRequestException", "Missing required parameter");
        }
        HashSet<(string Account, string Role)>? access;
        lock (gate) access = ssoAccess.GetValueOrDefault(token);
        if (access is null)
        {
            context.ErrorCode = "UnauthorizedException";
            return Responses.JsonError(401, "UnauthorizedException", "Session token not found or invalid");
        }
        if (!access.Contains((accountId, roleName)))
        {
            context.ErrorCode = "ForbiddenException";
            return Responses.JsonError(403, "ForbiddenException", "No access");
        }
        SessionState session;
        lock (gate) session = NewRoleSession(rolesByArn[SsoRoleArn(accountId, roleName)], "user@example.com", Now.AddHours(1), false);
        var body = JsonSerializer.Serialize(new
        {
            roleCredentials = new
            {
                accessKeyId = session.AccessKeyId,
                secretAccessKey = session.SecretAccessKey,
                sessionToken = session.SessionToken,
                expiration = session.Expiration.ToUnixTimeMilliseconds(),
            },
        });
        return HttpResponse.Text(200, "application/json", body);
    }
}
