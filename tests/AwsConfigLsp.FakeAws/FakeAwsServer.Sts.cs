using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsConfigLsp.FakeAws;

public sealed partial class FakeAwsServer
{
    private const string InvalidToken = "The security token included in the request is invalid.";
    private const string InvalidMfaCode = "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
    private const string UnknownMfaDevice = "MultiFactorAuthentication failed, unable to validate MFA code. ";

    private HttpResponse StsError(CallContext context, int status, string code, string message, string type = "Sender")
    {
        context.ErrorCode = code;
        return Responses.XmlError(status, type, code, message, context.Endpoint == "iam" ? Responses.IamNamespace : Responses.StsNamespace);
    }

    private HttpResponse HandleSts(HttpRequest request, CallContext context)
    {
        if (request.Method is not ("POST" or "GET")) return StsError(context, 405, "InvalidAction", $"Method {request.Method} is not allowed.");
        var parameters = context.Parameters;
        switch (context.Action)
        {
            case "AssumeRoleWithWebIdentity":
                return AssumeRoleWithWebIdentity(parameters, context);
            case "AssumeRole" or "GetCallerIdentity" or "GetSessionToken":
                break;
            case "Unknown":
                return StsError(context, 400, "MissingAction", "Missing Action");
            default:
                return StsError(context, 400, "InvalidAction", $"Could not find operation {context.Action} for version 2011-06-15");
        }
        if (Authenticate(request, "sts", context, out var caller) is { } failure) return failure;
        var region = SigV4.Parse(request.Header("Authorization")!, out _)!.Region;
        if (DisabledRegions.Contains(region))
        {
            return StsError(context, 403, "RegionDisabledException",
                $"STS is not activated in this region for account:{caller!.Account}. Your account administrator can activate STS in this region using the IAM Console.");
        }
        return context.Action switch
        {
            "AssumeRole" => AssumeRole(parameters, caller!, context),
            "GetSessionToken" => GetSessionToken(parameters, caller!, context),
            _ => GetCallerIdentity(caller!),
        };
    }

    /// <summary>
    /// Checks the request's SigV4 signature as AWS does, in AWS's order: header shape, credential scope (service, region,
    /// terminator), date and clock skew, the access key, the session token and its expiry, then the signature itself.
    /// </summary>
    private HttpResponse? Authenticate(HttpRequest request, string service, CallContext context, out Principal? caller)
    {
        caller = null;
        var header = request.Header("Authorization");
        if (header is null) return StsError(context, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        var authorization = SigV4.Parse(header, out var problem);
        if (authorization is null) return StsError(context, 400, "IncompleteSignature", problem!);
        context.CallerAccessKeyId = authorization.AccessKeyId;
        if (authorization.Service != service)
        {
            return StsError(context, 403, "SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'. ");
        }
        var expectedRegion = service == "iam" ? IamRegion : Region;
        if (expectedRegion != "*" && authorization.Region != expectedRegion)
        {
            return StsError(context, 403, "SignatureDoesNotMatch", $"Credential should be scoped to a valid region. ");
        }
        if (authorization.Terminator != "aws4_request")
        {
            return StsError(context, 403, "SignatureDoesNotMatch", $"Credential should be scoped with a valid terminator: 'aws4_request', not '{authorization.Terminator}'. ");
        }
        var amzDateText = request.Header("X-Amz-Date") ?? request.Header("Date");
        if (!SigV4.TryParseAmzDate(amzDateText, out var signedAt))
        {
            return StsError(context, 400, "IncompleteSignature", $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={header}");
        }
        var amzDate = signedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (authorization.ScopeDate != amzDate[..8])
        {
            return StsError(context, 403, "SignatureDoesNotMatch",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.ScopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }
        var now = Now;
        string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (signedAt < now.AddMinutes(-15))
        {
            return StsError(context, 403, "SignatureDoesNotMatch", $"Signature expired: {amzDate} is now earlier than {Stamp(now.AddMinutes(-15))} ({Stamp(now)} - 15 min.)");
        }
        if (signedAt > now.AddMinutes(15))
        {
            return StsError(context, 403, "SignatureDoesNotMatch", $"Signature not yet current: {amzDate} is still later than {Stamp(now.AddMinutes(15))} ({Stamp(now)} + 15 min.)");
        }
        var principal = Lookup(authorization.AccessKeyId);
        if (principal is null) return StsError(context, 403, "InvalidClientTokenId", InvalidToken);
        if (principal is SessionState session)
        {
            var token = request.Header("X-Amz-Security-Token") ?? context.Parameters.GetValueOrDefault("SecurityToken");
            if (token != session.SessionToken) return StsError(context, 403, "InvalidClientTokenId", InvalidToken);
            if (session.Expiration <= now) return StsError(context, 400, "ExpiredToken", "The security token included in the request is expired");
        }
        if (!authorization.SignedHeaders.Contains("host"))
        {
            return StsError(context, 403, "SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        var canonicalRequest = SigV4.CanonicalRequest(request, authorization.SignedHeaders);
        var expected = SigV4.Signature(principal.SecretAccessKey, authorization, SigV4.StringToSign(amzDate, authorization.Scope, canonicalRequest));
        if (!string.Equals(expected, authorization.Signature, StringComparison.Ordinal))
        {
            return StsError(context, 403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        context.Signed = true;
        caller = principal;
        return null;
    }

    private static HttpResponse GetCallerIdentity(Principal caller) =>
        Responses.XmlResult("GetCallerIdentity", Responses.StsNamespace,
            $"    <Arn>{Responses.Escape(caller.Arn)}</Arn>\n    <UserId>{Responses.Escape(caller.UserId)}</UserId>\n    <Account>{caller.Account}</Account>\n");

    private static readonly Regex SessionNamePattern = new(@"^[\w+=,.@-]*$", RegexOptions.CultureInvariant);

    /// <summary>Smithy-style parameter validation, answered as <c>ValidationError</c> with AWS's "N validation error(s) detected" text.</summary>
    private static List<string> Validate(Dictionary<string, string> parameters, int minDuration, int maxDuration, params string[] required)
    {
        var errors = new List<string>();
        foreach (var name in required)
        {
            if (!parameters.ContainsKey(name))
            {
                errors.Add($"Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");
            }
        }
        if (parameters.TryGetValue("RoleSessionName", out var sessionName))
        {
            if (sessionName.Length is < 2 or > 64) errors.Add($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length {(sessionName.Length < 2 ? "greater than or equal to 2" : "less than or equal to 64")}");
            else if (!SessionNamePattern.IsMatch(sessionName)) errors.Add($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (parameters.TryGetValue("RoleArn", out var roleArn) && roleArn.Length < 20)
        {
            errors.Add($"Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
        }
        if (parameters.TryGetValue("DurationSeconds", out var durationText))
        {
            if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var duration) || duration < minDuration)
            {
                errors.Add($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {minDuration}");
            }
            else if (duration > maxDuration)
            {
                errors.Add($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to {maxDuration}");
            }
        }
        if (parameters.TryGetValue("TokenCode", out var tokenCode))
        {
            if (tokenCode.Length != 6) errors.Add($"Value '{tokenCode}' at 'tokenCode' failed to satisfy constraint: Member must have length {(tokenCode.Length < 6 ? "greater than or equal to 6" : "less than or equal to 6")}");
            else if (!tokenCode.All(char.IsAsciiDigit)) errors.Add($"Value '{tokenCode}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*");
        }
        if (parameters.TryGetValue("SerialNumber", out var serial) && serial.Length < 9)
        {
            errors.Add($"Value '{serial}' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9");
        }
        if (parameters.TryGetValue("ExternalId", out var externalId) && externalId.Length < 2)
        {
            errors.Add($"Value '{externalId}' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2");
        }
        return errors;
    }

    private HttpResponse ValidationError(CallContext context, List<string> errors) =>
        StsError(context, 400, "ValidationError",
            $"{errors.Count} validation error{(errors.Count == 1 ? "" : "s")} detected: {string.Join("; ", errors)}");

    private bool Trusts(RoleState role, Principal caller)
    {
        var callerArns = new List<string>();
        switch (caller)
        {
            case UserState user:
                callerArns.Add(user.Arn);
                break;
            case SessionState { Role: { } sessionRole }:
                callerArns.Add(sessionRole.Arn);
                break;
            case SessionState { User: { } sessionUser }:
                callerArns.Add(sessionUser.Arn);
                break;
        }
        return role.TrustedPrincipals.Any(principal =>
            principal == "*" || principal == caller.Account || principal == $"arn:{role.Partition}:iam::{caller.Account}:root" || callerArns.Contains(principal));
    }

    /// <summary>Checks SerialNumber + TokenCode when given: null when absent, true when valid, an error response otherwise.</summary>
    private HttpResponse? CheckMfa(Dictionary<string, string> parameters, Principal caller, CallContext context, out bool mfaPresent)
    {
        mfaPresent = caller is SessionState { MfaAuthenticated: true };
        var hasSerial = parameters.TryGetValue("SerialNumber", out var serial);
        var hasCode = parameters.TryGetValue("TokenCode", out var code);
        if (!hasSerial && !hasCode) return null;
        if (!hasSerial || !hasCode) return StsError(context, 403, "AccessDenied", UnknownMfaDevice);
        MfaDevice? device;
        lock (gate) device = devicesBySerial.GetValueOrDefault(serial!);
        // A user proves MFA with their own device; a role session (chaining with mfa_serial on the hop) with any device the fake knows.
        var owner = caller switch { UserState user => user, SessionState { User: { } user } => user, _ => null };
        if (device is null || (owner is not null && device.User != owner)) return StsError(context, 403, "AccessDenied", UnknownMfaDevice);
        var now = Now;
        var valid = FakeAws.Totp.Code(device.Secret, now) == code || FakeAws.Totp.Code(device.Secret, now.AddSeconds(-FakeAws.Totp.StepSeconds)) == code;
        if (!valid) return StsError(context, 403, "AccessDenied", InvalidMfaCode);
        mfaPresent = true;
        return null;
    }

    private HttpResponse AssumeRole(Dictionary<string, string> parameters, Principal caller, CallContext context)
    {
        var errors = Validate(parameters, 900, 43200, "RoleArn", "RoleSessionName");
        if (errors.Count > 0) return ValidationError(context, errors);
        var roleArn = parameters["RoleArn"];
        var notAuthorized = $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
        RoleState? role;
        lock (gate) role = rolesByArn.GetValueOrDefault(roleArn);
        if (role is null || !Trusts(role, caller)) return StsError(context, 403, "AccessDenied", notAuthorized);
        if (CheckMfa(parameters, caller, context, out var mfaPresent) is { } mfaFailure) return mfaFailure;
        if (role.RequireMfa && !mfaPresent) return StsError(context, 403, "AccessDenied", notAuthorized);
        if (role.ExternalId is { } externalId && parameters.GetValueOrDefault("ExternalId") != externalId) return StsError(context, 403, "AccessDenied", notAuthorized);
        var duration = parameters.TryGetValue("DurationSeconds", out var durationText) ? int.Parse(durationText, CultureInfo.InvariantCulture) : 3600;
        var chained = caller is SessionState { Role: not null };
        if (chained && duration > 3600)
        {
            return StsError(context, 400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (duration > role.MaxSessionDurationSeconds)
        {
            return StsError(context, 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        SessionState session;
        lock (gate) session = NewRoleSession(role, parameters["RoleSessionName"], Now.AddSeconds(duration), mfaPresent);
        return Responses.XmlResult("AssumeRole", Responses.StsNamespace, AssumedRoleUserXml(session) + CredentialsXml(session));
    }

    private HttpResponse AssumeRoleWithWebIdentity(Dictionary<string, string> parameters, CallContext context)
    {
        var errors = Validate(parameters, 900, 43200, "RoleArn", "RoleSessionName", "WebIdentityToken");
        if (errors.Count > 0) return ValidationError(context, errors);
        var roleArn = parameters["RoleArn"];
        string? tokenRole;
        RoleState? role;
        lock (gate)
        {
            tokenRole = webIdentityTokens.GetValueOrDefault(parameters["WebIdentityToken"]);
            role = rolesByArn.GetValueOrDefault(roleArn);
        }
        if (tokenRole is null)
        {
            return StsError(context, 400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }
        if (role is null || tokenRole != roleArn) return StsError(context, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        var duration = parameters.TryGetValue("DurationSeconds", out var durationText) ? int.Parse(durationText, CultureInfo.InvariantCulture) : 3600;
        if (duration > role.MaxSessionDurationSeconds)
        {
            return StsError(context, 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        SessionState session;
        lock (gate) session = NewRoleSession(role, parameters["RoleSessionName"], Now.AddSeconds(duration), false);
        return Responses.XmlResult("AssumeRoleWithWebIdentity", Responses.StsNamespace,
            "    <SubjectFromWebIdentityToken>fake-subject</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>\n"
            + AssumedRoleUserXml(session) + CredentialsXml(session) + "    <Provider>fake-oidc-provider</Provider>\n");
    }

    private HttpResponse GetSessionToken(Dictionary<string, string> parameters, Principal caller, CallContext context)
    {
        var errors = Validate(parameters, 900, 129600);
        if (errors.Count > 0) return ValidationError(context, errors);
        if (caller is not UserState user) return StsError(context, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials");
        if (CheckMfa(parameters, caller, context, out var mfaPresent) is { } mfaFailure) return mfaFailure;
        var duration = parameters.TryGetValue("DurationSeconds", out var durationText) ? int.Parse(durationText, CultureInfo.InvariantCulture) : 43200;
        var session = new SessionState
        {
            AccessKeyId = Ids.TemporaryKey(),
            SecretAccessKey = Ids.Secret(),
            SessionToken = Ids.SessionToken(),
            Account = user.Account,
            User = user,
            SessionName = user.UserName,
            Expiration = TruncateToSeconds(Now.AddSeconds(duration)),
            MfaAuthenticated = mfaPresent,
        };
        lock (gate) principalsByKey[session.AccessKeyId] = session;
        return Responses.XmlResult("GetSessionToken", Responses.StsNamespace, CredentialsXml(session));
    }

    private static string AssumedRoleUserXml(SessionState session) =>
        $"    <AssumedRoleUser>\n      <AssumedRoleId>{Responses.Escape(session.UserId)}</AssumedRoleId>\n      <Arn>{Responses.Escape(session.Arn)}</Arn>\n    </AssumedRoleUser>\n";

    private static string CredentialsXml(SessionState session) =>
        $"    <Credentials>\n      <AccessKeyId>{session.AccessKeyId}</AccessKeyId>\n      <SecretAccessKey>{Responses.Escape(session.SecretAccessKey)}</SecretAccessKey>\n"
        + $"      <SessionToken>{Responses.Escape(session.SessionToken)}</SessionToken>\n      <Expiration>{Iso8601(session.Expiration)}</Expiration>\n    </Credentials>\n";

    private HttpResponse HandleIam(HttpRequest request, CallContext context)
    {
        if (context.Action == "Unknown") return StsError(context, 400, "MissingAction", "Missing Action");
        if (context.Action != "ListMFADevices") return StsError(context, 400, "InvalidAction", $"Could not find operation {context.Action} for version 2010-05-08");
        if (Authenticate(request, "iam", context, out var caller) is { } failure) return failure;
        UserState? user;
        if (context.Parameters.TryGetValue("UserName", out var userName))
        {
            lock (gate) user = usersByArn.Values.FirstOrDefault(u => u.UserName == userName && u.Account == caller!.Account);
            if (user is null) return StsError(context, 404, "NoSuchEntity", $"The user with name {userName} cannot be found.");
        }
        else
        {
            user = caller switch { UserState u => u, SessionState { User: { } u } => u, _ => null };
            if (user is null) return StsError(context, 400, "ValidationError", "Must specify userName when calling with non-User credentials");
        }
        var members = new StringBuilder();
        if (user.Device is { } device)
        {
            members.Append($"      <member>\n        <UserName>{Responses.Escape(user.UserName)}</UserName>\n        <SerialNumber>{Responses.Escape(device.Serial)}</SerialNumber>\n        <EnableDate>{Iso8601(device.EnableDate)}</EnableDate>\n      </member>\n");
        }
        return Responses.XmlResult("ListMFADevices", Responses.IamNamespace,
            $"    <MFADevices>\n{members}    </MFADevices>\n    <IsTruncated>false</IsTruncated>\n");
    }
}
