namespace AwsConfigLsp.Analysis.Diagnostics;

/// <summary>
/// Every diagnostic code. Codes are part of the product's interface (users filter and search them, `check --format json`
/// prints them): never rename or reuse one.
/// </summary>
public static class DiagnosticCodes
{
    public const string UnparsableFile = "unparsable-file";
    public const string SourceProfileLoop = "source-profile-loop";
    public const string SourceProfileNotFound = "source-profile-not-found";
    public const string ConflictingCredentialSources = "conflicting-credential-sources";
    public const string InvalidCredentialSource = "invalid-credential-source";
    public const string RoleWithoutSource = "role-without-source";
    public const string SourceProfileWithoutCredentials = "source-profile-without-credentials";
    public const string PartialStaticCredentials = "partial-static-credentials";
    public const string IncompleteSso = "incomplete-sso";
    public const string WebIdentityWithoutRoleArn = "web-identity-without-role-arn";
    public const string ProfileNotFound = "profile-not-found";
    public const string DuplicateSection = "duplicate-section";
    public const string DuplicateKey = "duplicate-key";
    public const string ProfilePrefixInCredentials = "profile-prefix-in-credentials";
    public const string MissingProfilePrefix = "missing-profile-prefix";
    public const string DroppedSection = "dropped-section";
    public const string DefaultProfileShadowed = "default-profile-shadowed";
    public const string UnknownKey = "unknown-key";
    public const string KeyInWrongSection = "key-in-wrong-section";
    public const string InlineCommentInValue = "inline-comment-in-value";
    public const string EmptyValue = "empty-value";
    public const string SecretInConfigFile = "secret-in-config-file";
    /// <summary>Reported when a rule itself fails: the server keeps going and says so.</summary>
    public const string InternalError = "internal-error";
    // Values and advice (issue 3).
    public const string InvalidRoleArn = "invalid-role-arn";
    public const string InvalidMfaSerial = "invalid-mfa-serial";
    public const string InvalidRegion = "invalid-region";
    public const string InvalidOutput = "invalid-output";
    public const string InvalidDurationSeconds = "invalid-duration-seconds";
    public const string MfaSerialIgnored = "mfa-serial-ignored";
    public const string MissingMfaSerial = "missing-mfa-serial";
    public const string SsoSessionNotFound = "sso-session-not-found";
    public const string UnusedSsoSession = "unused-sso-session";
    public const string SourceProfileChainTooDeep = "source-profile-chain-too-deep";
    public const string CredentialsFilePermissions = "credentials-file-permissions";
    // Test this profile (issue 5).
    public const string MfaProbablyRequired = "mfa-probably-required";

    /// <summary>The code for a resolution error kind of the model.</summary>
    public static string For(AwsConfigLsp.Model.ResolutionErrorKind kind) => kind switch
    {
        Model.ResolutionErrorKind.UnparsableFile => UnparsableFile,
        Model.ResolutionErrorKind.SourceProfileLoop => SourceProfileLoop,
        Model.ResolutionErrorKind.SourceProfileNotFound => SourceProfileNotFound,
        Model.ResolutionErrorKind.ConflictingCredentialSources => ConflictingCredentialSources,
        Model.ResolutionErrorKind.InvalidCredentialSource => InvalidCredentialSource,
        Model.ResolutionErrorKind.RoleWithoutSource => RoleWithoutSource,
        Model.ResolutionErrorKind.SourceProfileWithoutCredentials => SourceProfileWithoutCredentials,
        Model.ResolutionErrorKind.PartialStaticCredentials => PartialStaticCredentials,
        Model.ResolutionErrorKind.IncompleteSso => IncompleteSso,
        Model.ResolutionErrorKind.WebIdentityWithoutRoleArn => WebIdentityWithoutRoleArn,
        Model.ResolutionErrorKind.ProfileNotFound => ProfileNotFound,
        Model.ResolutionErrorKind.ChainTooDeep => SourceProfileChainTooDeep,
        _ => InternalError,
    };
}
