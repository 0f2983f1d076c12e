using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AwsConfigLsp.FakeAws;

/// <summary>
/// Loopback fakes of the AWS endpoints a credential chain talks to, speaking the real wire protocols so that real
/// clients (the AWS CLI, AWSSDK) work against them: STS and IAM Query APIs with full SigV4 verification, IMDSv2, the
/// ECS container credentials endpoint and the SSO portal's GetRoleCredentials. Every endpoint listens on 127.0.0.1 on
/// its own free port. Thread-safe; faults can be injected per endpoint or per action.
/// </summary>
public sealed partial class FakeAwsServer : IAsyncDisposable, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Principal> principalsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserState> usersByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MfaDevice> devicesBySerial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleState> rolesByArn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> webIdentityTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string Account, string Role)>> ssoAccess = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaultEntry> faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> imdsTokens = new(StringComparer.Ordinal);
    private readonly List<FakeCall> calls = [];
    private readonly HashSet<(string Serial, string Code, long Step)> usedMfaCodes = [];
    private readonly HttpServer sts, iam, imds, ecs, sso;
    private readonly string ecsPath = "/v2/credentials/" + Guid.NewGuid().ToString("D");
    private (RoleState Role, SessionState Session)? instanceProfile;
    private (RoleState Role, SessionState Session, string? Token)? container;

    private FakeAwsServer()
    {
        sts = new HttpServer((request, cancellation) => HandleAsync("sts", request, cancellation));
        iam = new HttpServer((request, cancellation) => HandleAsync("iam", request, cancellation));
        imds = new HttpServer((request, cancellation) => HandleAsync("imds", request, cancellation));
        ecs = new HttpServer((request, cancellation) => HandleAsync("ecs", request, cancellation));
        sso = new HttpServer((request, cancellation) => HandleAsync("sso", request, cancellation));
    }

    /// <summary>Starts every endpoint on 127.0.0.1, each on a free port.</summary>
    public static FakeAwsServer Start() => new();

    /// <summary>STS Query API (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity, GetSessionToken), for
    /// <c>AWS_ENDPOINT_URL_STS</c> or an SDK's ServiceURL. <c>GET /_fake/totp?serial=ARN</c> answers the current MFA code.</summary>
    public string StsUrl => sts.BaseUrl;
    /// <summary>IAM Query API (ListMFADevices); requests are signed for service <c>iam</c> in <see cref="IamRegion"/>.</summary>
    public string IamUrl => iam.BaseUrl;
    /// <summary>IMDSv2 base URL, for <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.</summary>
    public string ImdsUrl => imds.BaseUrl;
    /// <summary>The full URL for <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>.</summary>
    public string EcsFullUri => ecs.BaseUrl + ecsPath;
    /// <summary>SSO portal base URL (what AWSSDK.SSO's ServiceURL or botocore's SSO endpoint would be).</summary>
    public string SsoUrl => sso.BaseUrl;

    /// <summary>The region STS requests must be signed for (credential scope); <c>"*"</c> accepts any.</summary>
    public string Region { get; set; } = "us-east-1";
    /// <summary>The region IAM requests must be signed for (IAM is global: us-east-1); <c>"*"</c> accepts any.</summary>
    public string IamRegion { get; set; } = "us-east-1";
    /// <summary>The clock for expirations, TOTP and the SigV4 15-minute skew check.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>Whether IMDS answers GETs without a session token (IMDSv1); false by default, as on instances that require v2.</summary>
    public bool ImdsV1Allowed { get; set; }
    /// <summary>Regions in which STS is not activated: requests signed for them get <c>RegionDisabledException</c>.</summary>
    public ISet<string> DisabledRegions { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether a TOTP code that already passed is refused when used again (AWS accepts each code once); off by
    /// default, so tests that assume twice within 30 s need no waiting.</summary>
    public bool RejectReusedMfaCodes { get; set; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Requests received so far, in order of completion.</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (gate) return [.. calls];
        }
    }

    /// <summary>
    /// Adds an IAM user <c>arn:aws:iam::ACCOUNT:user/NAME</c> with an access key (random unless given) and, with
    /// <paramref name="mfaDevice"/>, a virtual MFA device <c>arn:aws:iam::ACCOUNT:mfa/NAME</c> whose TOTP secret is random
    /// unless given in base32.
    /// </summary>
    public FakeUser AddUser(string account, string userName, bool mfaDevice = false,
        string? accessKeyId = null, string? secretAccessKey = null, string? mfaSecretBase32 = null)
    {
        var user = new UserState
        {
            Account = account,
            UserName = userName,
            UserArn = $"arn:aws:iam::{account}:user/{userName}",
            UniqueId = Ids.UserId(),
            AccessKeyId = accessKeyId ?? Ids.LongTermKey(),
            SecretAccessKey = secretAccessKey ?? Ids.Secret(),
        };
        lock (gate)
        {
            if (principalsByKey.ContainsKey(user.AccessKeyId)) throw new ArgumentException($"access key {user.AccessKeyId} is already in use");
            principalsByKey[user.AccessKeyId] = user;
            usersByArn[user.Arn] = user;
            if (mfaDevice || mfaSecretBase32 is not null)
            {
                var device = new MfaDevice
                {
                    Serial = $"arn:aws:iam::{account}:mfa/{userName}",
                    Secret = mfaSecretBase32 is null ? RandomNumberGenerator.GetBytes(20) : FakeAws.Totp.FromBase32(mfaSecretBase32),
                    User = user,
                    EnableDate = Now.AddDays(-30),
                };
                user.Device = device;
                devicesBySerial[device.Serial] = device;
            }
        }
        return ToFakeUser(user);
    }

    private static FakeUser ToFakeUser(UserState user) => new(user.Arn, user.AccessKeyId, user.SecretAccessKey, user.Device?.Serial)
    {
        Account = user.Account,
        UserName = user.UserName,
        MfaSecretBase32 = user.Device is { } device ? FakeAws.Totp.ToBase32(device.Secret) : null,
    };

    /// <summary>
    /// Adds a role (or replaces its settings). A trusted principal is a user ARN, a role ARN (any session of that role),
    /// <c>arn:aws:iam::ACCOUNT:root</c> or a bare account id (any principal of that account), or <c>*</c>.
    /// <paramref name="requireMfa"/> is the trust policy condition <c>aws:MultiFactorAuthPresent</c>; <paramref name="externalId"/>
    /// the condition <c>sts:ExternalId</c>.
    /// </summary>
    public FakeRole AddRole(string roleArn, IEnumerable<string> trustedPrincipalArns, bool requireMfa = false,
        int maxSessionDurationSeconds = 3600, string? externalId = null)
    {
        lock (gate)
        {
            var role = GetOrCreateRole(roleArn);
            role.TrustedPrincipals.Clear();
            role.TrustedPrincipals.AddRange(trustedPrincipalArns);
            role.RequireMfa = requireMfa;
            role.MaxSessionDurationSeconds = maxSessionDurationSeconds;
            role.ExternalId = externalId;
        }
        return new FakeRole(roleArn);
    }

    private RoleState GetOrCreateRole(string roleArn)
    {
        if (rolesByArn.TryGetValue(roleArn, out var existing)) return existing;
        var parsed = RoleState.ParseArn(roleArn) ?? throw new ArgumentException($"'{roleArn}' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
        var role = new RoleState { Arn = roleArn, Partition = parsed.Partition, Account = parsed.Account, Name = parsed.Name, RoleId = Ids.RoleId() };
        rolesByArn[roleArn] = role;
        return role;
    }

    /// <summary>The current code of an MFA device (RFC 6238: HMAC-SHA1, 30 s, 6 digits), or the code at <paramref name="at"/>.</summary>
    public string Totp(string mfaSerial, DateTimeOffset? at = null)
    {
        MfaDevice device;
        lock (gate)
        {
            if (!devicesBySerial.TryGetValue(mfaSerial, out device!)) throw new ArgumentException($"no MFA device {mfaSerial}");
        }
        return FakeAws.Totp.Code(device.Secret, at ?? Now);
    }

    /// <summary>A 6-digit code that is not valid for the device now (for wrong-code tests).</summary>
    public string WrongTotp(string mfaSerial)
    {
        var valid = new[] { Totp(mfaSerial, Now.AddSeconds(-FakeAws.Totp.StepSeconds)), Totp(mfaSerial), Totp(mfaSerial, Now.AddSeconds(FakeAws.Totp.StepSeconds)) };
        for (var candidate = 0; ; candidate++)
        {
            var code = ((int.Parse(valid[1], CultureInfo.InvariantCulture) + 500_000 + candidate) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            if (!valid.Contains(code)) return code;
        }
    }

    /// <summary>
    /// Issues temporary credentials for a session of <paramref name="roleArn"/> directly (as if some earlier AssumeRole
    /// had), valid for <paramref name="validFor"/>; a negative span gives already expired credentials (ExpiredToken).
    /// </summary>
    public FakeCredentials IssueRoleSession(string roleArn, TimeSpan validFor, string sessionName = "fake-session", bool mfaAuthenticated = false)
    {
        lock (gate)
        {
            return NewRoleSession(GetOrCreateRole(roleArn), sessionName, Now + validFor, mfaAuthenticated).ToCredentials();
        }
    }

    /// <summary>IMDSv2 serves credentials of a session of <c>arn:aws:iam::ACCOUNT:role/ROLENAME</c> (the instance profile's role).</summary>
    public FakeCredentials SetInstanceProfile(string account, string roleName)
    {
        lock (gate)
        {
            var role = GetOrCreateRole($"arn:aws:iam::{account}:role/{roleName}");
            var session = NewRoleSession(role, "i-0123456789abcdef0", Now.AddHours(6), false);
            instanceProfile = (role, session);
            return session.ToCredentials();
        }
    }

    /// <summary>The ECS endpoint (<see cref="EcsFullUri"/>) serves credentials of a session of the role; with
    /// <paramref name="authorizationToken"/>, requests must carry it as <c>Authorization</c> header.</summary>
    public FakeCredentials SetContainerCredentials(string account, string roleName, string? authorizationToken = null)
    {
        lock (gate)
        {
            var role = GetOrCreateRole($"arn:aws:iam::{account}:role/{roleName}");
            var session = NewRoleSession(role, "0123456789abcdef0123456789abcdef", Now.AddHours(6), false);
            container = (role, session, authorizationToken);
            return session.ToCredentials();
        }
    }

    /// <summary>AssumeRoleWithWebIdentity accepts <paramref name="token"/> for <paramref name="roleArn"/> (and only that role).</summary>
    public FakeRole AddWebIdentityToken(string token, string roleArn)
    {
        lock (gate)
        {
            GetOrCreateRole(roleArn);
            webIdentityTokens[token] = roleArn;
        }
        return new FakeRole(roleArn);
    }

    /// <summary>GetRoleCredentials with <paramref name="accessToken"/> gives credentials of a session of the permission set's
    /// role in <paramref name="accountId"/> (<see cref="SsoRoleArn"/>).</summary>
    public void AddSsoAccess(string accessToken, string accountId, string roleName)
    {
        lock (gate)
        {
            GetOrCreateRole(SsoRoleArn(accountId, roleName));
            if (!ssoAccess.TryGetValue(accessToken, out var set)) ssoAccess[accessToken] = set = [];
            set.Add((accountId, roleName));
        }
    }

    /// <summary>The IAM role IAM Identity Center creates for a permission set, as real SSO sessions show it:
    /// <c>arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NAME_HEX</c>.</summary>
    public static string SsoRoleArn(string accountId, string roleName) =>
        $"arn:aws:iam::{accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{roleName}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(roleName)))[..16]}";

    /// <summary>
    /// Injects a fault for an endpoint (<c>sts</c>, <c>iam</c>, <c>imds</c>, <c>ecs</c>, <c>sso</c>) or an action
    /// (<c>AssumeRole</c>, <c>GetCallerIdentity</c>, <c>ListMFADevices</c>, <c>GetRoleCredentials</c>, IMDS <c>GetToken</c> ...);
    /// an action's fault wins over its endpoint's. <see cref="FakeFault.None"/> removes it.
    /// </summary>
    public void SetFault(string endpointOrAction, FakeFault fault) => SetFault(endpointOrAction, fault, null);

    /// <summary>As <see cref="SetFault(string, FakeFault)"/>, for the next <paramref name="times"/> requests only (null: until removed).</summary>
    public void SetFault(string endpointOrAction, FakeFault fault, int? times)
    {
        lock (gate)
        {
            if (fault.Kind == FakeFaultKind.None) faults.Remove(endpointOrAction);
            else faults[endpointOrAction] = new FaultEntry(fault, times);
        }
    }

    private FakeFault TakeFault(string endpoint, string action)
    {
        lock (gate)
        {
            foreach (var key in new[] { action, endpoint })
            {
                if (!faults.TryGetValue(key, out var entry)) continue;
                if (entry.Remaining is { } remaining)
                {
                    if (remaining <= 1) faults.Remove(key);
                    else entry.Remaining = remaining - 1;
                }
                return entry.Fault;
            }
        }
        return FakeFault.None;
    }

    private SessionState NewRoleSession(RoleState role, string sessionName, DateTimeOffset expiration, bool mfa)
    {
        var session = new SessionState
        {
            AccessKeyId = Ids.TemporaryKey(),
            SecretAccessKey = Ids.Secret(),
            SessionToken = Ids.SessionToken(),
            Account = role.Account,
            Role = role,
            SessionName = sessionName,
            Expiration = TruncateToSeconds(expiration),
            MfaAuthenticated = mfa,
        };
        principalsByKey[session.AccessKeyId] = session;
        return session;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    internal static string Iso8601(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class CallContext(string endpoint)
    {
        public string Endpoint { get; } = endpoint;
        public string Action { get; set; } = "Unknown";
        public string? CallerAccessKeyId { get; set; }
        public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);
        public string? ErrorCode { get; set; }
        public bool Signed { get; set; }
    }

    private async Task<HttpResponse?> HandleAsync(string endpoint, HttpRequest request, CancellationToken cancellation)
    {
        if (endpoint == "sts" && request.Path == "/_fake/totp") return TotpHelper(request);
        var context = new CallContext(endpoint);
        IdentifyAction(endpoint, request, context);
        var fault = TakeFault(endpoint, context.Action);
        HttpResponse? response;
        switch (fault.Kind)
        {
            case FakeFaultKind.Hang:
                Record(request, context, 0);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellation);
                }
                catch (OperationCanceledException)
                {
                }
                return null;
            case FakeFaultKind.CloseConnection:
                Record(request, context, 0);
                return null;
            case FakeFaultKind.Slow:
                await Task.Delay(fault.Delay, cancellation);
                response = Answer(endpoint, request, context);
                break;
            case FakeFaultKind.None:
                response = Answer(endpoint, request, context);
                break;
            default:
                response = FaultResponse(endpoint, fault.Kind, context);
                break;
        }
        Record(request, context, response.Status);
        return response;
    }

    private HttpResponse Answer(string endpoint, HttpRequest request, CallContext context)
    {
        try
        {
            return endpoint switch
            {
                "sts" => HandleSts(request, context),
                "iam" => HandleIam(request, context),
                "imds" => HandleImds(request, context),
                "ecs" => HandleEcs(request, context),
                _ => HandleSso(request, context),
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            context.ErrorCode = "InternalFailure";
            return Responses.XmlError(500, "Receiver", "InternalFailure", "fake: " + e.Message, Responses.StsNamespace);
        }
    }

    private void Record(HttpRequest request, CallContext context, int status)
    {
        var call = new FakeCall(context.Endpoint, context.Action, context.CallerAccessKeyId, new Dictionary<string, string>(context.Parameters), status)
        {
            ErrorCode = context.ErrorCode,
            Signed = context.Signed,
            Headers = request.Headers,
        };
        lock (gate) calls.Add(call);
    }

    private static void IdentifyAction(string endpoint, HttpRequest request, CallContext context)
    {
        switch (endpoint)
        {
            case "sts" or "iam":
                if (request.Header("Authorization") is { } authorization && SigV4.Parse(authorization, out _) is { } parsed)
                {
                    context.CallerAccessKeyId = parsed.AccessKeyId;
                }
                foreach (var (key, value) in Responses.QueryParameters(request))
                {
                    if (key == "Action") context.Action = value;
                    else if (key != "Version") context.Parameters[key] = value;
                }
                break;
            case "imds":
                context.Action = request.Method == "PUT" ? "GetToken"
                    : request.Path.TrimEnd('/') == "/latest/meta-data/iam/security-credentials" ? "GetRoleName"
                    : request.Path.StartsWith("/latest/meta-data/iam/security-credentials/", StringComparison.Ordinal) ? "GetCredentials"
                    : "Unknown";
                break;
            case "ecs":
                context.Action = "GetCredentials";
                break;
            default:
                context.Action = request.Path == "/federation/credentials" ? "GetRoleCredentials" : "Unknown";
                foreach (var (key, value) in Responses.ParseForm(request.Query)) context.Parameters[key] = value;
                break;
        }
    }

    private HttpResponse FaultResponse(string endpoint, FakeFaultKind kind, CallContext context)
    {
        var xml = endpoint is "sts" or "iam";
        var ns = endpoint == "iam" ? Responses.IamNamespace : Responses.StsNamespace;
        switch (kind)
        {
            case FakeFaultKind.ServerError:
                context.ErrorCode = "InternalFailure";
                return xml ? Responses.XmlError(500, "Receiver", "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", ns)
                    : endpoint == "imds" ? Responses.Plain(500, "Internal Server Error")
                    : Responses.JsonError(500, "InternalServerException", "An internal error occurred");
            case FakeFaultKind.Throttle:
                context.ErrorCode = xml ? "Throttling" : "TooManyRequestsException";
                return xml ? Responses.XmlError(400, "Sender", "Throttling", "Rate exceeded", ns)
                    : endpoint == "imds" ? Responses.Plain(429, "Too Many Requests")
                    : Responses.JsonError(429, "TooManyRequestsException", "Rate exceeded");
            case FakeFaultKind.MalformedXml:
                return xml
                    ? HttpResponse.Text(200, "text/xml", $"<{context.Action}Response xmlns=\"{ns}\">\n  <{context.Action}Result>\n    <Credentials>\n      <AccessKeyId>ASIA")
                    : HttpResponse.Text(200, endpoint == "imds" ? "text/plain" : "application/json", "{\"AccessKeyId\": \"ASIA");
            default: // AccessDenied
                context.ErrorCode = "AccessDenied";
                var caller = context.CallerAccessKeyId is { } key && Lookup(key) is { } principal ? principal.Arn : "anonymous";
                var service = endpoint == "iam" ? "iam" : "sts";
                return xml
                    ? Responses.XmlError(403, "Sender", "AccessDenied", $"User: {caller} is not authorized to perform: {service}:{context.Action} because no identity-based policy allows the {service}:{context.Action} action", ns)
                    : Responses.JsonError(403, "ForbiddenException", "No access");
        }
    }

    private Principal? Lookup(string accessKeyId)
    {
        lock (gate) return principalsByKey.GetValueOrDefault(accessKeyId);
    }

    private HttpResponse TotpHelper(HttpRequest request)
    {
        var serial = Responses.ParseForm(request.Query).FirstOrDefault(p => p.Key == "serial").Value;
        try
        {
            return Responses.Plain(200, Totp(serial ?? ""));
        }
        catch (ArgumentException e)
        {
            return Responses.Plain(404, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(
            sts.DisposeAsync().AsTask(), iam.DisposeAsync().AsTask(), imds.DisposeAsync().AsTask(),
            ecs.DisposeAsync().AsTask(), sso.DisposeAsync().AsTask(), DisposeTlsAsync());
        tlsCertificate?.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
