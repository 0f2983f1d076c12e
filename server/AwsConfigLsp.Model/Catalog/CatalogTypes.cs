using System.Globalization;
using System.Text;

namespace AwsConfigLsp.Model.Catalog;

/// <summary>Where a key may appear. A key can have several places.</summary>
[Flags]
public enum KeyScope
{
    None = 0,

    /// <summary>Top level of <c>[default]</c> or <c>[profile NAME]</c> in the config file.</summary>
    Profile = 1 << 0,

    /// <summary>Top level of a section of the credentials file (where the key belongs, not merely tolerated).</summary>
    CredentialsFile = 1 << 1,

    /// <summary>Top level of <c>[sso-session NAME]</c>.</summary>
    SsoSession = 1 << 2,

    /// <summary>Top level of <c>[services NAME]</c>: the service identifiers (<c>s3 =</c>, <c>dynamodb =</c>).</summary>
    ServicesSection = 1 << 3,

    /// <summary>Under a service identifier inside <c>[services NAME]</c> (<c>endpoint_url</c>).</summary>
    ServiceBlock = 1 << 4,

    /// <summary>Under <c>s3 =</c> in a profile.</summary>
    S3Block = 1 << 5,

    /// <summary>Under <c>api_versions =</c> in a profile: botocore service names.</summary>
    ApiVersionsBlock = 1 << 6,

    /// <summary>The AWS CLI's <c>[plugins]</c> section.</summary>
    Plugins = 1 << 7,

    /// <summary>The AWS CLI v1 <c>[preview]</c> section.</summary>
    Preview = 1 << 8,
}

/// <summary>Which tools read a key from the shared files.</summary>
[Flags]
public enum KeyReaders
{
    None = 0,
    AwsCliV1 = 1 << 0,
    AwsCliV2 = 1 << 1,

    /// <summary>botocore used directly (boto3 and everything built on it).</summary>
    Botocore = 1 << 2,

    /// <summary>The other AWS SDKs (Java, Go, JavaScript, .NET, Ruby, Rust, PHP, C++, Kotlin, Swift), not necessarily all of them.</summary>
    OtherSdks = 1 << 3,

    AwsCli = AwsCliV1 | AwsCliV2,

    /// <summary>Only the Python stack: botocore, boto3 and both CLIs (which are built on botocore).</summary>
    BotocoreOnly = AwsCli | Botocore,

    All = AwsCli | Botocore | OtherSdks,
}

/// <summary>How a key is treated in the credentials file.</summary>
public enum CredentialsFileSupport
{
    /// <summary>The key belongs in the credentials file.</summary>
    Expected,

    /// <summary>The key belongs in the config file, but botocore (and so the AWS CLI) still reads it from the credentials file because it merges both files per profile; most other SDKs do not.</summary>
    MergedByBotocore,

    /// <summary>The key is not read from the credentials file at all.</summary>
    NotRead,
}

/// <summary>The shape of a key's value.</summary>
public enum ValueKind
{
    String,
    Boolean,
    Integer,

    /// <summary>One of <see cref="ValueSpec.Values"/>.</summary>
    Enum,
    Url,
    Region,

    /// <summary>Comma-separated region codes (<c>*</c> allowed).</summary>
    RegionList,

    /// <summary>A file path (<c>~</c> is expanded by botocore).</summary>
    Path,

    /// <summary>A command line, split like a shell would but run without a shell.</summary>
    Command,

    /// <summary><c>arn:PARTITION:iam::ACCOUNT:role/PATH/NAME</c>, see <see cref="RoleArn"/>.</summary>
    RoleArn,

    /// <summary>A virtual or U2F MFA device ARN or a hardware device serial, see <see cref="MfaSerial"/>.</summary>
    MfaSerial,

    /// <summary>Any ARN, see <see cref="Arn"/>.</summary>
    Arn,

    /// <summary>A 12-digit AWS account ID.</summary>
    AccountId,

    /// <summary>The name of another profile.</summary>
    ProfileReference,

    /// <summary>The name of an <c>[sso-session NAME]</c> section.</summary>
    SsoSessionReference,

    /// <summary>The name of a <c>[services NAME]</c> section.</summary>
    ServicesReference,

    /// <summary>A byte size: an integer or a number with a <c>KB</c>/<c>MB</c>/<c>GB</c>/<c>TB</c> suffix (<c>8MB</c>).</summary>
    Size,

    /// <summary>A rate: bytes per second as an integer, or a number with a <c>B/s</c> or <c>b/s</c> suffix (<c>50MB/s</c>).</summary>
    Rate,

    /// <summary>A comma-separated list; <see cref="ValueSpec.Values"/> are the known items, when the list is closed.</summary>
    List,

    /// <summary>A nested block: the value is empty and the following indented lines are <c>key = value</c> sub-properties.</summary>
    SubProperties,

    /// <summary>An API version date such as <c>2015-03-01</c>.</summary>
    ApiVersion,
}

/// <summary>What a key's value may be. Built with the static factories.</summary>
public sealed record ValueSpec
{
    private ValueSpec(ValueKind kind) => Kind = kind;

    public ValueKind Kind { get; }

    /// <summary>For <see cref="ValueKind.Enum"/>, the accepted values; for <see cref="ValueKind.List"/>, the known items; otherwise values worth offering in completion.</summary>
    public IReadOnlyList<string> Values { get; private init; } = [];

    /// <summary>Whether <see cref="Values"/> must match exactly (botocore compares them as given).</summary>
    public bool CaseSensitive { get; private init; } = true;

    /// <summary>For <see cref="ValueKind.Integer"/>, the inclusive bounds.</summary>
    public long? Min { get; private init; }

    public long? Max { get; private init; }

    /// <summary>For <see cref="ValueKind.List"/>: whether items outside <see cref="Values"/> are errors.</summary>
    public bool IsClosedList { get; private init; }

    public static ValueSpec String(params string[] suggestions) => new(ValueKind.String) { Values = suggestions };
    public static readonly ValueSpec Boolean = new(ValueKind.Boolean) { Values = ["true", "false"], CaseSensitive = false };
    public static ValueSpec Integer(long? min = null, long? max = null) => new(ValueKind.Integer) { Min = min, Max = max };
    public static ValueSpec Enum(params string[] values) => new(ValueKind.Enum) { Values = values };
    public static ValueSpec EnumIgnoreCase(params string[] values) => new(ValueKind.Enum) { Values = values, CaseSensitive = false };
    public static ValueSpec ClosedList(params string[] items) => new(ValueKind.List) { Values = items, IsClosedList = true };
    public static ValueSpec OpenList(params string[] knownItems) => new(ValueKind.List) { Values = knownItems };
    public static ValueSpec Of(ValueKind kind) => new(kind);

    /// <summary>Whether <paramref name="value"/> is one of <see cref="Values"/> under this spec's case rule.</summary>
    public bool IsAllowedValue(string value) =>
        Values.Contains(value, CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

    /// <summary>A short markdown description of the accepted values.</summary>
    public string Describe() => Kind switch
    {
        ValueKind.Boolean => "`true` or `false`",
        ValueKind.Integer when Min is not null && Max is not null => string.Create(CultureInfo.InvariantCulture, $"an integer from {Min} to {Max}"),
        ValueKind.Integer when Min is not null => string.Create(CultureInfo.InvariantCulture, $"an integer of at least {Min}"),
        ValueKind.Integer => "an integer",
        ValueKind.Enum => "one of " + Join(Values) + (CaseSensitive ? " (case-sensitive)" : " (case-insensitive)"),
        ValueKind.List when IsClosedList => "a comma-separated list of " + Join(Values),
        ValueKind.List when Values.Count > 0 => "a comma-separated list, such as " + Join(Values),
        ValueKind.List => "a comma-separated list",
        ValueKind.Url => "a URL with scheme and host (`https://...`)",
        ValueKind.Region => "an AWS Region code such as `us-east-1`",
        ValueKind.RegionList => "a comma-separated list of Region codes (`*` for all)",
        ValueKind.Path => "a file path",
        ValueKind.Command => "a command line",
        ValueKind.RoleArn => "an IAM role ARN, `arn:aws:iam::123456789012:role/NAME`",
        ValueKind.MfaSerial => "an MFA device ARN (`arn:aws:iam::123456789012:mfa/NAME`) or a hardware device serial number",
        ValueKind.Arn => "an ARN",
        ValueKind.AccountId => "a 12-digit AWS account ID",
        ValueKind.ProfileReference => "the name of another profile",
        ValueKind.SsoSessionReference => "the name of an `[sso-session NAME]` section",
        ValueKind.ServicesReference => "the name of a `[services NAME]` section",
        ValueKind.Size => "a size in bytes, or with a `KB`, `MB`, `GB` or `TB` suffix",
        ValueKind.Rate => "bytes per second, or a rate such as `10MB/s` or `100Mb/s`",
        ValueKind.SubProperties => "an empty value followed by indented `key = value` lines",
        ValueKind.ApiVersion => "an API version date such as `2015-03-01`",
        _ => Values.Count > 0 ? "a string, such as " + Join(Values) : "a string",
    };

    private static string Join(IReadOnlyList<string> values) => string.Join(", ", values.Select(v => "`" + v + "`"));
}

/// <summary>One key of the shared config/credentials files.</summary>
public sealed class KeyEntry
{
    public required string Name { get; init; }
    public required KeyScope Scopes { get; init; }
    public required ValueSpec Value { get; init; }
    public required KeyReaders ReadBy { get; init; }

    /// <summary>What the key does, in markdown (one or two sentences).</summary>
    public required string Summary { get; init; }

    /// <summary>The value used when the key is absent, in markdown; null when there is none.</summary>
    public string? Default { get; init; }

    /// <summary>An example, as the lines of a config or credentials file.</summary>
    public required string Example { get; init; }

    /// <summary>Environment variables that set the same thing, highest precedence first.</summary>
    public IReadOnlyList<string> EnvironmentVariables { get; init; } = [];

    /// <summary>Values of this key must never be shown or logged.</summary>
    public bool IsSecret { get; init; }

    /// <summary>Still read, but superseded; <see cref="Notes"/> says by what.</summary>
    public bool IsDeprecated { get; init; }

    /// <summary>Differences between tools, caveats.</summary>
    public string? Notes { get; init; }

    /// <summary>True for entries the catalog makes up for open-ended slots (a service identifier it does not list, a plugin name, a preview command): the key is accepted, nothing more is known.</summary>
    public bool IsGeneric { get; init; }

    public bool IsValidIn(KeyScope scope) => (Scopes & scope) != 0;

    /// <summary>How the credentials file treats the key. The AWS CLI reads its own keys (<c>output</c>, <c>cli_pager</c>) through botocore's merged profile map, so they count as merged too.</summary>
    public CredentialsFileSupport CredentialsFile =>
        IsValidIn(KeyScope.CredentialsFile) ? CredentialsFileSupport.Expected
        : IsValidIn(KeyScope.Profile) && (ReadBy & (KeyReaders.Botocore | KeyReaders.AwsCli)) != 0 ? CredentialsFileSupport.MergedByBotocore
        : CredentialsFileSupport.NotRead;

    /// <summary>A short line for completion lists.</summary>
    public string Detail => Value.Kind == ValueKind.Enum ? string.Join(" | ", Value.Values) : Value.Kind.ToString();

    /// <summary>Markdown for hover: one paragraph (what, valid values, default, readers) and an example.</summary>
    public string Documentation => _documentation ??= Render();

    private string? _documentation;

    public override string ToString() => Name;

    private string Render()
    {
        var sb = new StringBuilder();
        sb.Append("**`").Append(Name).Append("`**: ").Append(Summary.TrimEnd());
        if (IsDeprecated) sb.Append(" *Deprecated.*");
        if (IsSecret) sb.Append(" *Secret: never share this value.*");
        sb.Append(" Valid values: ").Append(Value.Describe()).Append('.');
        sb.Append(" Default: ").Append(Default ?? "none").Append('.');
        if (EnvironmentVariables.Count > 0)
            sb.Append(" Environment variable: ").Append(string.Join(", ", EnvironmentVariables.Select(v => "`" + v + "`"))).Append('.');
        sb.Append(" Read by: ").Append(DescribeReaders(ReadBy)).Append('.');
        if (Notes is not null) sb.Append(' ').Append(Notes.TrimEnd());
        sb.Append("\n\n```ini\n").Append(Example.TrimEnd()).Append("\n```");
        return sb.ToString();
    }

    /// <summary>"AWS CLI v1 and v2, botocore/boto3, other AWS SDKs" and the like.</summary>
    public static string DescribeReaders(KeyReaders readers)
    {
        var parts = new List<string>();
        if ((readers & KeyReaders.AwsCli) == KeyReaders.AwsCli) parts.Add("AWS CLI v1 and v2");
        else if ((readers & KeyReaders.AwsCliV2) != 0) parts.Add("AWS CLI v2");
        else if ((readers & KeyReaders.AwsCliV1) != 0) parts.Add("AWS CLI v1");
        if ((readers & KeyReaders.Botocore) != 0) parts.Add("botocore/boto3");
        if ((readers & KeyReaders.OtherSdks) != 0) parts.Add("other AWS SDKs");
        return parts.Count == 0 ? "no AWS tool" : string.Join(", ", parts);
    }
}

/// <summary>The kind of section a key sits in.</summary>
public enum SectionKind
{
    /// <summary><c>[default]</c> or <c>[profile NAME]</c> in the config file.</summary>
    Profile,

    /// <summary>Any section of the credentials file.</summary>
    Credentials,

    /// <summary><c>[sso-session NAME]</c>.</summary>
    SsoSession,

    /// <summary><c>[services NAME]</c>.</summary>
    Services,

    /// <summary>The AWS CLI's <c>[plugins]</c>.</summary>
    Plugins,

    /// <summary>The AWS CLI v1 <c>[preview]</c>.</summary>
    Preview,

    /// <summary>Any other section (ignored by every AWS tool).</summary>
    Other,
}

/// <summary>Where a key is: the section kind and, for a sub-property line, the key of the block it is under (<c>s3</c>, <c>api_versions</c>, or a service identifier).</summary>
public readonly record struct SectionContext(SectionKind Section, string? ParentKey = null)
{
    public static SectionContext Profile => new(SectionKind.Profile);
    public static SectionContext Credentials => new(SectionKind.Credentials);
    public static SectionContext SsoSession => new(SectionKind.SsoSession);
    public static SectionContext Services => new(SectionKind.Services);
    public static SectionContext Plugins => new(SectionKind.Plugins);
    public static SectionContext Preview => new(SectionKind.Preview);

    /// <summary>Lines under <c>s3 =</c> in a profile.</summary>
    public static SectionContext S3Block => new(SectionKind.Profile, "s3");

    /// <summary>Lines under <c>api_versions =</c> in a profile.</summary>
    public static SectionContext ApiVersionsBlock => new(SectionKind.Profile, "api_versions");

    /// <summary>Lines under <c>SERVICE =</c> in a <c>[services NAME]</c> section.</summary>
    public static SectionContext ServiceBlock(string serviceIdentifier) => new(SectionKind.Services, serviceIdentifier);

    /// <summary>This section, one block deeper.</summary>
    public SectionContext Under(string parentKey) => new(Section, parentKey);

    public bool IsSubProperty => ParentKey is not null;

    /// <summary>The catalog scope this context maps to; <see cref="KeyScope.None"/> where no AWS tool reads anything.</summary>
    public KeyScope Scope => (Section, ParentKey) switch
    {
        (SectionKind.Profile, null) => KeyScope.Profile,
        (SectionKind.Credentials, null) => KeyScope.CredentialsFile,
        (SectionKind.SsoSession, null) => KeyScope.SsoSession,
        (SectionKind.Services, null) => KeyScope.ServicesSection,
        (SectionKind.Services, _) => KeyScope.ServiceBlock,
        (SectionKind.Profile or SectionKind.Credentials, "s3") => KeyScope.S3Block,
        (SectionKind.Profile or SectionKind.Credentials, "api_versions") => KeyScope.ApiVersionsBlock,
        (SectionKind.Plugins, null) => KeyScope.Plugins,
        (SectionKind.Preview, null) => KeyScope.Preview,
        _ => KeyScope.None,
    };
}

/// <summary>Why a candidate was suggested.</summary>
public enum SuggestionKind
{
    /// <summary>The key differs from a known key only in letter case (sub-property keys are case-sensitive).</summary>
    CaseMismatch,

    /// <summary>The key is the environment variable for a config key.</summary>
    EnvironmentVariable,

    /// <summary>A known confusion (<c>aws_region</c> for <c>region</c>).</summary>
    Alias,

    /// <summary>Within edit distance 2 of a key valid here.</summary>
    Spelling,

    /// <summary>Within edit distance 2 of a key that is valid only in another kind of section.</summary>
    OtherSection,

    /// <summary>No key is suggested; <see cref="Suggestion.Message"/> explains (an environment variable with no config key, a block that belongs elsewhere).</summary>
    Hint,
}

/// <summary>A did-you-mean candidate. <see cref="Key"/> is null for <see cref="SuggestionKind.Hint"/>.</summary>
public sealed record Suggestion(string? Key, SuggestionKind Kind, int Distance, string Message);
