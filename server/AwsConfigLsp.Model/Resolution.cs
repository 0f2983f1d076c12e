using System.Collections.Immutable;

namespace AwsConfigLsp.Model;

/// <summary>Where one link of a credential chain gets its credentials.</summary>
public enum CredentialKind
{
    /// <summary><c>aws_access_key_id</c> / <c>aws_secret_access_key</c> in one of the files.</summary>
    Static,
    /// <summary>An STS AssumeRole call (<c>role_arn</c>).</summary>
    AssumeRole,
    /// <summary><c>credential_source</c>: the environment, the EC2 instance profile or the ECS container role.</summary>
    CredentialSource,
    /// <summary><c>credential_process</c>: an external command.</summary>
    CredentialProcess,
    /// <summary>IAM Identity Center (<c>sso_session</c> or the legacy <c>sso_start_url</c> keys).</summary>
    Sso,
    /// <summary><c>web_identity_token_file</c> with <c>role_arn</c> (AssumeRoleWithWebIdentity).</summary>
    WebIdentity,
    /// <summary><c>login_session</c> (<c>aws login</c>).</summary>
    Login,
    /// <summary>Nothing in the files: the CLI falls through to container and instance metadata.</summary>
    None,
}

/// <summary>Why the CLI fails for a profile. Each maps to one stable diagnostic code in Analysis.</summary>
public enum ResolutionErrorKind
{
    UnparsableFile,
    SourceProfileLoop,
    SourceProfileNotFound,
    ConflictingCredentialSources,
    InvalidCredentialSource,
    RoleWithoutSource,
    SourceProfileWithoutCredentials,
    PartialStaticCredentials,
    IncompleteSso,
    WebIdentityWithoutRoleArn,
    ProfileNotFound,
    /// <summary>A source_profile chain longer than botocore's recursion can follow (RecursionError).</summary>
    ChainTooDeep,
}

/// <summary>One link of a chain, from the base to the selected profile.</summary>
public sealed record ChainHop(string Profile, CredentialKind Kind)
{
    /// <summary>For <see cref="CredentialKind.Static"/>: the file whose keys the CLI uses.</summary>
    public ConfigFileKind? File { get; init; }
    public string? RoleArn { get; init; }
    public string? MfaSerial { get; init; }
    public string? ExternalId { get; init; }
    public long? DurationSeconds { get; init; }
    public string? RoleSessionName { get; init; }
    public string? CredentialSource { get; init; }
    public string? CredentialProcess { get; init; }
    public string? SsoSession { get; init; }
    public string? SsoStartUrl { get; init; }
    public string? SsoRegion { get; init; }
    public string? SsoAccountId { get; init; }
    public string? SsoRoleName { get; init; }
    public string? WebIdentityTokenFile { get; init; }
    /// <summary>The line that makes this link (the <c>role_arn</c> line of a hop, the access key line of a static base...).</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>The error the CLI raises, in botocore's words, and where in the files it comes from.</summary>
public sealed record ResolutionError(ResolutionErrorKind Kind, string Message)
{
    /// <summary>The line that causes the error (null when no single line does, e.g. a profile that does not exist).</summary>
    public SourceLocation? Location { get; init; }
    /// <summary>Other lines involved (the other <c>source_profile</c> lines of a loop).</summary>
    public ImmutableArray<SourceLocation> Related { get; init; } = [];
    /// <summary>For a loop, every <c>source_profile</c> line of the cycle.</summary>
    public ImmutableArray<SourceLocation> CycleLocations { get; init; } = [];
}

/// <summary>The chain the CLI would walk for a profile (base first), or the error it raises.</summary>
public sealed record Resolution(string Profile, ImmutableArray<ChainHop> Chain, ResolutionError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>What <see cref="CredentialResolver.Check"/> finds: the error the CLI raises, or how many links the chain has.</summary>
public readonly record struct ResolutionCheck(ResolutionError? Error, int ChainLength)
{
    public bool Succeeded => Error is null;
}
