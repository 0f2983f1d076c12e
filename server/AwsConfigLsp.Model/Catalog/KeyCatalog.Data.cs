namespace AwsConfigLsp.Model.Catalog;

// Sources: botocore configprovider.py (BOTOCORE_DEFAUT_SESSION_VARIABLES, DEFAULT_S3_CONFIG_VARS,
// DEFAULT_PROXIES_CONFIG_VARS), botocore credentials.py, the AWS CLI topics config-vars.rst and s3-config.rst,
// awscli/customizations/s3/transferconfig.py, the AWS CLI User Guide (configuration files, structured error
// output, sign-in), and the AWS SDKs and Tools Reference Guide settings pages. See docs in the commit message.
public static partial class KeyCatalog
{
    private const KeyScope P = KeyScope.Profile;
    private const KeyScope C = KeyScope.CredentialsFile;
    private const KeyScope Sso = KeyScope.SsoSession;
    private const KeyScope S3 = KeyScope.S3Block;

    private static IEnumerable<KeyEntry> BuildEntries()
    {
        // ---- Static credentials -------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "aws_access_key_id", Scopes = P | C, ReadBy = KeyReaders.All,
            Value = ValueSpec.String(),
            Summary = "The access key ID of long-term (`AKIA...`) or temporary (`ASIA...`) credentials. botocore uses static keys when this key is present; the secret must then be present too.",
            Example = "[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX",
            EnvironmentVariables = ["AWS_ACCESS_KEY_ID"],
            Notes = "Keep it in the credentials file; `aws configure set` writes it there.",
        };
        yield return new KeyEntry
        {
            Name = "aws_secret_access_key", Scopes = P | C, ReadBy = KeyReaders.All, IsSecret = true,
            Value = ValueSpec.String(),
            Summary = "The secret access key that goes with `aws_access_key_id`.",
            Example = "[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = <your secret access key>",
            EnvironmentVariables = ["AWS_SECRET_ACCESS_KEY"],
            Notes = "Keep it in the credentials file.",
        };
        yield return new KeyEntry
        {
            Name = "aws_session_token", Scopes = P | C, ReadBy = KeyReaders.All, IsSecret = true,
            Value = ValueSpec.String(),
            Summary = "The session token of temporary credentials (from STS), used with `aws_access_key_id` and `aws_secret_access_key`.",
            Example = "[temp]\naws_access_key_id = ASIAXXXXXXXXXXXXXXXX\naws_secret_access_key = <your secret access key>\naws_session_token = <your session token>",
            EnvironmentVariables = ["AWS_SESSION_TOKEN"],
        };
        yield return new KeyEntry
        {
            Name = "aws_security_token", Scopes = P | C, ReadBy = KeyReaders.BotocoreOnly, IsSecret = true, IsDeprecated = true,
            Value = ValueSpec.String(),
            Summary = "The boto2-era name of the session token.",
            Example = "[legacy]\naws_security_token = <your session token>",
            EnvironmentVariables = ["AWS_SECURITY_TOKEN"],
            Notes = "Use `aws_session_token`. If both are set, botocore uses `aws_security_token`.",
        };
        yield return new KeyEntry
        {
            Name = "aws_account_id", Scopes = P | C, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.AccountId),
            Summary = "The account ID the credentials belong to, used for account-based endpoint routing (DynamoDB).",
            Example = "[default]\naws_account_id = 111122223333",
            EnvironmentVariables = ["AWS_ACCOUNT_ID"],
            Notes = "Supported since AWS CLI v2.25.0 and v1.38.0.",
        };

        // ---- Assume role ----------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "role_arn", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.RoleArn),
            Summary = "The IAM role to assume. Needs `source_profile` or `credential_source` (AssumeRole), or `web_identity_token_file` (AssumeRoleWithWebIdentity).",
            Example = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default",
            EnvironmentVariables = ["AWS_ROLE_ARN"],
            Notes = "The environment variable applies to web identity only. botocore also reads this key from the credentials file.",
        };
        yield return new KeyEntry
        {
            Name = "source_profile", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.ProfileReference),
            Summary = "The profile whose credentials are used to call AssumeRole for `role_arn`. Cannot be combined with `credential_source`.",
            Example = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default",
        };
        yield return new KeyEntry
        {
            Name = "credential_source", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Enum("Environment", "Ec2InstanceMetadata", "EcsContainer"),
            Summary = "Where the credentials for assuming `role_arn` come from, instead of a `source_profile`: `Environment` (environment variables), `Ec2InstanceMetadata` (the EC2 instance role) or `EcsContainer` (the ECS task role).",
            Example = "[profile crossaccount]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ncredential_source = Ec2InstanceMetadata",
            Notes = "botocore checks the value case-sensitively; the .NET SDK does not.",
        };
        yield return new KeyEntry
        {
            Name = "mfa_serial", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.MfaSerial),
            Summary = "The MFA device to use when assuming `role_arn`: a virtual device ARN or a hardware device serial number. The CLI prompts for the code.",
            Example = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/alice",
            Notes = "Credentials obtained with MFA cannot refresh without a new code. The .NET SDK cannot prompt, so such profiles fail there.",
        };
        yield return new KeyEntry
        {
            Name = "external_id", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.String(),
            Summary = "The `ExternalId` passed to AssumeRole, required by roles that third parties assume in their customers' accounts.",
            Example = "[profile partner]\nrole_arn = arn:aws:iam::123456789012:role/Partner\nsource_profile = default\nexternal_id = 9f2b6c1e",
        };
        yield return new KeyEntry
        {
            Name = "role_session_name", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.String(),
            Summary = "The session name of the assumed role; it appears in the assumed-role ARN and in CloudTrail. 2 to 64 characters of letters, digits and `+=,.@-`.",
            Default = "`botocore-session-<unix time>` (botocore)",
            Example = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nrole_session_name = alice",
            EnvironmentVariables = ["AWS_ROLE_SESSION_NAME"],
        };
        yield return new KeyEntry
        {
            Name = "duration_seconds", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Integer(900, 43200),
            Summary = "How long the assumed-role session lasts. It cannot exceed the role's maximum session duration, and role chaining limits it to one hour.",
            Default = "`3600`",
            Example = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nduration_seconds = 43200",
            Notes = "botocore silently ignores a value that is not an integer. The .NET SDK does not read this key.",
        };
        yield return new KeyEntry
        {
            Name = "web_identity_token_file", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "A file holding an OAuth 2.0 access token or OpenID Connect ID token, exchanged with AssumeRoleWithWebIdentity for `role_arn` (EKS IRSA, CI systems).",
            Example = "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nweb_identity_token_file = /var/run/secrets/token",
            EnvironmentVariables = ["AWS_WEB_IDENTITY_TOKEN_FILE"],
        };
        yield return new KeyEntry
        {
            Name = "credential_process", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Command),
            Summary = "A command that prints credentials as JSON (`{\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ..., \"SessionToken\": ..., \"Expiration\": ...}`). It is split like a shell command but run without a shell.",
            Example = "[profile vault]\ncredential_process = /opt/bin/awscreds-retriever --username alice",
            Notes = "Quote paths with spaces. A non-zero exit code fails with the command's stderr. botocore also reads this key from the credentials file.",
        };

        // ---- IAM Identity Center (SSO) and console sign-in -----------------------------------
        yield return new KeyEntry
        {
            Name = "sso_session", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.SsoSessionReference),
            Summary = "The `[sso-session NAME]` section that holds the IAM Identity Center start URL and Region for this profile; the token it yields refreshes automatically.",
            Example = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1",
        };
        yield return new KeyEntry
        {
            Name = "sso_start_url", Scopes = P | Sso, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Url),
            Summary = "The AWS access portal URL of IAM Identity Center. Put it in an `[sso-session]` section; in a profile it is the legacy, non-refreshable configuration.",
            Example = "[sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1",
        };
        yield return new KeyEntry
        {
            Name = "sso_region", Scopes = P | Sso, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Region),
            Summary = "The Region of the IAM Identity Center instance (not necessarily the Region you call services in).",
            Example = "[sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1",
            Notes = "If both the profile and its sso-session set it, they must agree.",
        };
        yield return new KeyEntry
        {
            Name = "sso_account_id", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.AccountId),
            Summary = "The account to get role credentials for through IAM Identity Center.",
            Example = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = ReadOnly",
        };
        yield return new KeyEntry
        {
            Name = "sso_role_name", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.String(),
            Summary = "The IAM Identity Center permission set (role) to use in `sso_account_id`.",
            Example = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = ReadOnly",
        };
        yield return new KeyEntry
        {
            Name = "sso_registration_scopes", Scopes = Sso, ReadBy = KeyReaders.All,
            Value = ValueSpec.OpenList("sso:account:access"),
            Summary = "The OAuth scopes requested when registering the client with IAM Identity Center. `sso:account:access` is needed to get role credentials.",
            Default = "`sso:account:access` (AWS CLI v2)",
            Example = "[sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access",
        };
        yield return new KeyEntry
        {
            Name = "login_session", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Arn),
            Summary = "Written by `aws login`: the identity (ARN) of the AWS Management Console session whose short-term credentials this profile uses. The cached credentials live in `~/.aws/login/cache` and refresh for up to 12 hours.",
            Example = "[profile console]\nlogin_session = arn:aws:iam::123456789012:user/alice\nregion = us-west-2",
            Notes = "`aws login` needs AWS CLI v2.32.0 or later. The cache directory can be moved with `AWS_LOGIN_CACHE_DIRECTORY`.",
        };

        // ---- General --------------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "region", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Region),
            Summary = "The AWS Region requests are sent to.",
            Example = "[default]\nregion = us-west-2",
            EnvironmentVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"],
            Notes = "The AWS CLI and botocore read `AWS_DEFAULT_REGION`; most other SDKs read `AWS_REGION`.",
        };
        yield return new KeyEntry
        {
            Name = "output", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("json", "yaml", "yaml-stream", "text", "table"),
            Summary = "The AWS CLI's output format.",
            Default = "`json`",
            Example = "[default]\noutput = table",
            EnvironmentVariables = ["AWS_DEFAULT_OUTPUT"],
            Notes = "`yaml` and `yaml-stream` need AWS CLI v2.",
        };
        yield return new KeyEntry
        {
            Name = "cli_pager", Scopes = P, ReadBy = KeyReaders.AwsCliV2,
            Value = ValueSpec.Of(ValueKind.Command),
            Summary = "The pager the AWS CLI v2 pipes output through. An empty value turns paging off.",
            Default = "`less` (Linux, macOS), `more` (Windows)",
            Example = "[default]\ncli_pager =",
            EnvironmentVariables = ["AWS_PAGER"],
        };
        yield return new KeyEntry
        {
            Name = "cli_timestamp_format", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("iso8601", "wire", "none"),
            Summary = "How the AWS CLI prints timestamps: `iso8601` reformats them in ISO 8601 (UTC); `wire` (AWS CLI v2) and `none` (AWS CLI v1) print them exactly as the service sent them.",
            Default = "`iso8601` (AWS CLI v2), `none` (AWS CLI v1)",
            Example = "[default]\ncli_timestamp_format = iso8601",
            Notes = "AWS CLI v2 rejects `none`; older v1 releases reject `wire`.",
        };
        yield return new KeyEntry
        {
            Name = "cli_follow_urlparam", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Boolean,
            Summary = "Whether parameter values starting with `http://` or `https://` are fetched and replaced by the downloaded content.",
            Default = "`false` (AWS CLI v2), `true` (AWS CLI v1)",
            Example = "[default]\ncli_follow_urlparam = false",
        };
        yield return new KeyEntry
        {
            Name = "cli_binary_format", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("base64", "raw-in-base64-out"),
            Summary = "How binary (blob) parameters are given: `base64` expects Base64 text; `raw-in-base64-out` takes input as raw bytes (the AWS CLI v1 behaviour) and still prints Base64.",
            Default = "`base64` (AWS CLI v2)",
            Example = "[default]\ncli_binary_format = raw-in-base64-out",
        };
        yield return new KeyEntry
        {
            Name = "cli_auto_prompt", Scopes = P, ReadBy = KeyReaders.AwsCliV2,
            Value = ValueSpec.Enum("on", "on-partial", "off"),
            Summary = "The AWS CLI v2 interactive auto-prompt: `on` prompts on every command, `on-partial` only when a command is incomplete, `off` never.",
            Default = "`off`",
            Example = "[default]\ncli_auto_prompt = on-partial",
            EnvironmentVariables = ["AWS_CLI_AUTO_PROMPT"],
        };
        yield return new KeyEntry
        {
            Name = "cli_history", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("enabled", "disabled"),
            Summary = "Whether the AWS CLI records commands in `~/.aws/cli/history` for `aws history`.",
            Default = "`disabled`",
            Example = "[default]\ncli_history = enabled",
        };
        yield return new KeyEntry
        {
            Name = "cli_error_format", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("enhanced", "json", "yaml", "text", "table", "legacy"),
            Summary = "How the AWS CLI writes errors to stderr: `enhanced` adds details inline, `json`/`yaml`/`text`/`table` structure them, `legacy` is the original format.",
            Default = "`enhanced`",
            Example = "[default]\ncli_error_format = json",
            EnvironmentVariables = ["AWS_CLI_ERROR_FORMAT"],
            Notes = "Only recent AWS CLI releases read it.",
        };
        yield return new KeyEntry
        {
            Name = "ca_bundle", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "A PEM certificate bundle used to verify TLS connections, for proxies that re-sign traffic.",
            Example = "[default]\nca_bundle = /etc/ssl/certs/corp-bundle.pem",
            EnvironmentVariables = ["AWS_CA_BUNDLE"],
            Notes = "On Windows, escape backslashes or use forward slashes.",
        };
        yield return new KeyEntry
        {
            Name = "parameter_validation", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Whether botocore validates request parameters against the service model before sending them.",
            Default = "`true`",
            Example = "[default]\nparameter_validation = false",
        };
        yield return new KeyEntry
        {
            Name = "tcp_keepalive", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Whether botocore turns on TCP keep-alive on its connections.",
            Default = "`false`",
            Example = "[default]\ntcp_keepalive = true",
        };
        yield return new KeyEntry
        {
            Name = "data_path", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "Extra directories (separated by the OS path separator) that botocore searches for service models and other data files.",
            Example = "[default]\ndata_path = ~/.aws/models",
            EnvironmentVariables = ["AWS_DATA_PATH"],
        };
        yield return new KeyEntry
        {
            Name = "api_versions", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Of(ValueKind.SubProperties),
            Summary = "Pins the API version used per service: a nested block of `SERVICE = VERSION` lines, using botocore service names.",
            Default = "the latest version of each service",
            Example = "[default]\napi_versions =\n    ec2 = 2015-03-01\n    cloudfront = 2015-09-17",
        };

        // ---- Retries, defaults -------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "max_attempts", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Integer(1),
            Summary = "The maximum number of attempts per request, the first one included.",
            Default = "depends on `retry_mode` (`legacy`: 5, `standard` and `adaptive`: 3)",
            Example = "[default]\nmax_attempts = 5",
            EnvironmentVariables = ["AWS_MAX_ATTEMPTS"],
        };
        yield return new KeyEntry
        {
            Name = "retry_mode", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Enum("legacy", "standard", "adaptive"),
            Summary = "The retry strategy: `standard` (the cross-SDK rules), `adaptive` (standard plus client-side rate limiting, experimental) or `legacy` (each SDK's older behaviour).",
            Default = "`legacy` (botocore; `standard` in AWS CLI v2)",
            Example = "[default]\nretry_mode = standard",
            EnvironmentVariables = ["AWS_RETRY_MODE"],
        };
        yield return new KeyEntry
        {
            Name = "defaults_mode", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("legacy", "standard", "in-region", "cross-region", "mobile", "auto"),
            Summary = "Picks a set of default values (retry mode, timeouts, STS and S3 endpoints) suited to where the code runs; `auto` guesses from the environment.",
            Default = "`legacy`",
            Example = "[default]\ndefaults_mode = standard",
            EnvironmentVariables = ["AWS_DEFAULTS_MODE"],
        };

        // ---- Endpoints ---------------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "endpoint_url", Scopes = P | KeyScope.ServiceBlock, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Url),
            Summary = "A custom endpoint: at the top of a profile it applies to every service; under a service identifier in a `[services NAME]` section it applies to that service only and wins over the profile's.",
            Example = "[profile local]\nservices = local-services\n\n[services local-services]\ndynamodb =\n  endpoint_url = http://localhost:8000",
            EnvironmentVariables = ["AWS_ENDPOINT_URL"],
            Notes = "`AWS_ENDPOINT_URL_<SERVICE>` sets one service. `--endpoint-url` always wins.",
        };
        yield return new KeyEntry
        {
            Name = "ignore_configured_endpoint_urls", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Ignores every endpoint configured in the shared config file and in environment variables (`endpoint_url`, `AWS_ENDPOINT_URL*`).",
            Default = "`false`",
            Example = "[default]\nignore_configured_endpoint_urls = true",
            EnvironmentVariables = ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
        };
        yield return new KeyEntry
        {
            Name = "services", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.ServicesReference),
            Summary = "The `[services NAME]` section holding per-service settings (`endpoint_url`) for this profile.",
            Example = "[profile dev]\nservices = my-services\n\n[services my-services]\ns3 =\n  endpoint_url = https://s3.example.com",
        };
        yield return new KeyEntry
        {
            Name = "use_dualstack_endpoint", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Sends requests to dual-stack (IPv4 and IPv6) endpoints, for every service.",
            Default = "`false`",
            Example = "[default]\nuse_dualstack_endpoint = true",
            EnvironmentVariables = ["AWS_USE_DUALSTACK_ENDPOINT"],
        };
        yield return new KeyEntry
        {
            Name = "use_fips_endpoint", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Sends requests to FIPS 140-validated endpoints where the Region has them.",
            Default = "`false`",
            Example = "[default]\nuse_fips_endpoint = true",
            EnvironmentVariables = ["AWS_USE_FIPS_ENDPOINT"],
            Notes = "The .NET SDK treats a profile with an unparsable value (`yes`) as missing.",
        };
        yield return new KeyEntry
        {
            Name = "sts_regional_endpoints", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Enum("regional", "legacy"),
            Summary = "Whether STS calls go to the Region's endpoint (`regional`) or, for the original Regions, to the global `sts.amazonaws.com` (`legacy`).",
            Default = "`regional` in current SDKs and AWS CLI v2; `legacy` in older botocore",
            Example = "[default]\nsts_regional_endpoints = regional",
            EnvironmentVariables = ["AWS_STS_REGIONAL_ENDPOINTS"],
        };
        yield return new KeyEntry
        {
            Name = "endpoint_discovery_enabled", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("true", "false", "auto"),
            Summary = "Whether the SDK discovers endpoints for services that support endpoint discovery (Amazon Timestream); `auto` (botocore) uses it only where the service requires it.",
            Default = "`auto` (botocore), `false` (other SDKs)",
            Example = "[default]\nendpoint_discovery_enabled = true",
            EnvironmentVariables = ["AWS_ENDPOINT_DISCOVERY_ENABLED", "AWS_ENABLE_ENDPOINT_DISCOVERY"],
        };
        yield return new KeyEntry
        {
            Name = "account_id_endpoint_mode", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("preferred", "disabled", "required"),
            Summary = "Account-based endpoint routing: `preferred` uses the account ID in the endpoint when it is known, `disabled` never does, `required` fails when it is not known.",
            Default = "`preferred`",
            Example = "[default]\naccount_id_endpoint_mode = disabled",
            EnvironmentVariables = ["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
        };
        yield return new KeyEntry
        {
            Name = "disable_host_prefix_injection", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Stops the SDK from prepending the modelled host prefix (such as `data.`) to endpoint host names; useful with VPC endpoints and local test servers.",
            Default = "`false`",
            Example = "[default]\ndisable_host_prefix_injection = true",
            EnvironmentVariables = ["AWS_DISABLE_HOST_PREFIX_INJECTION"],
        };

        // ---- Instance metadata (IMDS) ------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "metadata_service_timeout", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Integer(1),
            Summary = "Seconds to wait for a response from the EC2 instance metadata service when fetching instance-role credentials or the Region.",
            Default = "`1`",
            Example = "[default]\nmetadata_service_timeout = 5",
            EnvironmentVariables = ["AWS_METADATA_SERVICE_TIMEOUT"],
        };
        yield return new KeyEntry
        {
            Name = "metadata_service_num_attempts", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Integer(1),
            Summary = "How many times to try the EC2 instance metadata service before giving up.",
            Default = "`1`",
            Example = "[default]\nmetadata_service_num_attempts = 3",
            EnvironmentVariables = ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
        };
        yield return new KeyEntry
        {
            Name = "ec2_metadata_service_endpoint", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.Url),
            Summary = "Overrides the instance metadata service endpoint; wins over `ec2_metadata_service_endpoint_mode`.",
            Default = "`http://169.254.169.254` (IPv4), `http://[fd00:ec2::254]` (IPv6)",
            Example = "[default]\nec2_metadata_service_endpoint = http://[fd00:ec2::254]",
            EnvironmentVariables = ["AWS_EC2_METADATA_SERVICE_ENDPOINT"],
        };
        yield return new KeyEntry
        {
            Name = "ec2_metadata_service_endpoint_mode", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("IPv4", "IPv6"),
            Summary = "Whether the instance metadata service is reached over IPv4 or IPv6.",
            Default = "`IPv4`",
            Example = "[default]\nec2_metadata_service_endpoint_mode = IPv6",
            EnvironmentVariables = ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
        };
        yield return new KeyEntry
        {
            Name = "ec2_metadata_v1_disabled", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Forbids falling back to IMDSv1 when getting an IMDSv2 token fails.",
            Default = "`false`",
            Example = "[default]\nec2_metadata_v1_disabled = true",
            EnvironmentVariables = ["AWS_EC2_METADATA_V1_DISABLED"],
        };
        yield return new KeyEntry
        {
            Name = "imds_use_ipv6", Scopes = P, ReadBy = KeyReaders.BotocoreOnly, IsDeprecated = true,
            Value = ValueSpec.Boolean,
            Summary = "botocore's older switch for reaching the instance metadata service over IPv6.",
            Default = "`false`",
            Example = "[default]\nimds_use_ipv6 = true",
            EnvironmentVariables = ["AWS_IMDS_USE_IPV6"],
            Notes = "Use `ec2_metadata_service_endpoint_mode`, which wins when both are set.",
        };

        // ---- Request shaping --------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "disable_request_compression", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Turns off gzip compression of request bodies for operations that support it (such as CloudWatch PutMetricData).",
            Default = "`false`",
            Example = "[default]\ndisable_request_compression = true",
            EnvironmentVariables = ["AWS_DISABLE_REQUEST_COMPRESSION"],
        };
        yield return new KeyEntry
        {
            Name = "request_min_compression_size_bytes", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Integer(0, 10485760),
            Summary = "The smallest request body, in bytes, that is compressed.",
            Default = "`10240`",
            Example = "[default]\nrequest_min_compression_size_bytes = 100000",
            EnvironmentVariables = ["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
        };
        yield return new KeyEntry
        {
            Name = "request_checksum_calculation", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("when_supported", "when_required"),
            Summary = "When request payload checksums are computed: for every operation that supports them, or only where the operation requires one.",
            Default = "`when_supported`",
            Example = "[default]\nrequest_checksum_calculation = when_required",
            EnvironmentVariables = ["AWS_REQUEST_CHECKSUM_CALCULATION"],
            Notes = "Third-party S3-compatible stores sometimes need `when_required`.",
        };
        yield return new KeyEntry
        {
            Name = "response_checksum_validation", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.EnumIgnoreCase("when_supported", "when_required"),
            Summary = "When response checksums are validated: whenever the operation supports it, or only where the request opted in.",
            Default = "`when_supported`",
            Example = "[default]\nresponse_checksum_validation = when_required",
            EnvironmentVariables = ["AWS_RESPONSE_CHECKSUM_VALIDATION"],
        };
        yield return new KeyEntry
        {
            Name = "auth_scheme_preference", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.ClosedList("sigv4", "sigv4a", "httpBearerAuth"),
            Summary = "Preferred authentication schemes, in priority order, for services that support several; spaces and tabs between names are ignored.",
            Example = "[default]\nauth_scheme_preference = sigv4a,sigv4",
            EnvironmentVariables = ["AWS_AUTH_SCHEME_PREFERENCE"],
        };
        yield return new KeyEntry
        {
            Name = "sigv4a_signing_region_set", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Of(ValueKind.RegionList),
            Summary = "The Regions a SigV4a signature is valid in, when SigV4a is the chosen scheme.",
            Default = "decided per request",
            Example = "[default]\nsigv4a_signing_region_set = us-west-2,us-east-1",
            EnvironmentVariables = ["AWS_SIGV4A_SIGNING_REGION_SET"],
        };
        yield return new KeyEntry
        {
            Name = "sdk_ua_app_id", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.String(),
            Summary = "An application ID added to the User-Agent so AWS can tell which of your applications made a call. Up to 50 characters: letters, digits and ``!#$%&'*+-.^_`|~``.",
            Example = "[default]\nsdk_ua_app_id = billing-batch",
            EnvironmentVariables = ["AWS_SDK_UA_APP_ID"],
        };

        // ---- Client-side monitoring (deprecated) ------------------------------------------------
        yield return new KeyEntry
        {
            Name = "csm_enabled", Scopes = P, ReadBy = KeyReaders.All, IsDeprecated = true,
            Value = ValueSpec.Boolean,
            Summary = "Client-side monitoring: sends per-call metrics over UDP to a local agent.",
            Default = "`false`",
            Example = "[default]\ncsm_enabled = true",
            EnvironmentVariables = ["AWS_CSM_ENABLED"],
            Notes = "Undocumented in botocore (\"internal\"); newer SDKs dropped it.",
        };
        yield return new KeyEntry
        {
            Name = "csm_host", Scopes = P, ReadBy = KeyReaders.All, IsDeprecated = true,
            Value = ValueSpec.String(),
            Summary = "The host client-side monitoring sends metrics to.",
            Default = "`127.0.0.1`",
            Example = "[default]\ncsm_host = 127.0.0.1",
            EnvironmentVariables = ["AWS_CSM_HOST"],
        };
        yield return new KeyEntry
        {
            Name = "csm_port", Scopes = P, ReadBy = KeyReaders.All, IsDeprecated = true,
            Value = ValueSpec.Integer(1, 65535),
            Summary = "The UDP port client-side monitoring sends metrics to.",
            Default = "`31000`",
            Example = "[default]\ncsm_port = 31000",
            EnvironmentVariables = ["AWS_CSM_PORT"],
        };
        yield return new KeyEntry
        {
            Name = "csm_client_id", Scopes = P, ReadBy = KeyReaders.All, IsDeprecated = true,
            Value = ValueSpec.String(),
            Summary = "An identifier added to client-side monitoring events.",
            Default = "empty",
            Example = "[default]\ncsm_client_id = my-app",
            EnvironmentVariables = ["AWS_CSM_CLIENT_ID"],
        };

        // ---- Proxy (botocore) --------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "proxy_ca_bundle", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "A PEM bundle used to verify an HTTPS proxy's certificate.",
            Example = "[default]\nproxy_ca_bundle = /etc/ssl/certs/proxy.pem",
        };
        yield return new KeyEntry
        {
            Name = "proxy_client_cert", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "A client certificate presented to the proxy.",
            Example = "[default]\nproxy_client_cert = /etc/ssl/private/client.pem",
        };
        yield return new KeyEntry
        {
            Name = "proxy_use_forwarding_for_https", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Sends HTTPS requests to the proxy as forwarded requests instead of opening a CONNECT tunnel.",
            Default = "`false`",
            Example = "[default]\nproxy_use_forwarding_for_https = true",
        };

        // ---- S3 at the top of the profile -------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "s3", Scopes = P, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Of(ValueKind.SubProperties),
            Summary = "Amazon S3 settings for botocore and the AWS CLI: a nested block of indented `key = value` lines (addressing style, accelerate, transfer tuning for `aws s3`).",
            Example = "[default]\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\n  addressing_style = path",
            Notes = "Sub-property names are case-sensitive and must use `=`.",
        };
        yield return new KeyEntry
        {
            Name = "s3_use_arn_region", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Lets S3 send requests for an access point ARN to the ARN's Region rather than the client's.",
            Default = "`false`",
            Example = "[default]\ns3_use_arn_region = true",
            EnvironmentVariables = ["AWS_S3_USE_ARN_REGION"],
            Notes = "botocore also reads `use_arn_region` under `s3 =`.",
        };
        yield return new KeyEntry
        {
            Name = "s3_us_east_1_regional_endpoint", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Enum("regional", "legacy"),
            Summary = "Whether S3 requests in `us-east-1` go to `s3.us-east-1.amazonaws.com` (`regional`) or the global `s3.amazonaws.com` (`legacy`).",
            Default = "`legacy` (older SDKs), `regional` (newer ones)",
            Example = "[default]\ns3_us_east_1_regional_endpoint = regional",
            EnvironmentVariables = ["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
        };
        yield return new KeyEntry
        {
            Name = "s3_disable_multiregion_access_points", Scopes = P, ReadBy = KeyReaders.OtherSdks,
            Value = ValueSpec.Boolean,
            Summary = "Forbids requests to S3 Multi-Region Access Points.",
            Default = "`false`",
            Example = "[default]\ns3_disable_multiregion_access_points = true",
            EnvironmentVariables = ["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
            Notes = "botocore reads it only under `s3 =`, with the same name.",
        };
        yield return new KeyEntry
        {
            Name = "s3_disable_express_session_auth", Scopes = P, ReadBy = KeyReaders.All,
            Value = ValueSpec.Boolean,
            Summary = "Turns off session-based authentication (CreateSession) for S3 Express One Zone directory buckets; requests are signed with SigV4 instead.",
            Default = "`false`",
            Example = "[default]\ns3_disable_express_session_auth = true",
            EnvironmentVariables = ["AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"],
        };
        yield return new KeyEntry
        {
            Name = "disable_s3_express_session_auth", Scopes = P, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Boolean,
            Summary = "The AWS CLI's name, in its `s3-config` topic, for turning off S3 Express One Zone session authentication; set at the top of the profile, not under `s3 =`.",
            Default = "`false`",
            Example = "[default]\ndisable_s3_express_session_auth = true",
            Notes = "The SDKs and botocore read `s3_disable_express_session_auth`.",
        };

        // ---- Under `s3 =` --------------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "addressing_style", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Enum("auto", "virtual", "path"),
            Summary = "Whether the bucket goes in the host name (`virtual`, `https://bucket.s3.amazonaws.com`) or the path (`path`, `https://s3.amazonaws.com/bucket`); `auto` uses virtual hosting when the bucket name allows it.",
            Default = "`auto`",
            Example = "[default]\ns3 =\n  addressing_style = path",
        };
        yield return new KeyEntry
        {
            Name = "payload_signing_enabled", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Whether SigV4 signs a SHA-256 of S3 payloads. By default streaming uploads over HTTPS with a Content-MD5 are not payload-signed.",
            Example = "[default]\ns3 =\n  payload_signing_enabled = true",
        };
        yield return new KeyEntry
        {
            Name = "use_accelerate_endpoint", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Sends S3 requests to S3 Transfer Acceleration (`s3-accelerate.amazonaws.com`); the bucket must have acceleration enabled.",
            Default = "`false`",
            Example = "[default]\ns3 =\n  use_accelerate_endpoint = true",
        };
        yield return new KeyEntry
        {
            Name = "use_dualstack_endpoint", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Sends S3 requests to the dual-stack (IPv4 and IPv6) endpoint.",
            Default = "`false`",
            Example = "[default]\ns3 =\n  use_dualstack_endpoint = true",
            Notes = "The profile-level `use_dualstack_endpoint` applies to every service.",
        };
        yield return new KeyEntry
        {
            Name = "use_arn_region", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "Lets botocore send requests for an access point ARN to the ARN's Region.",
            Default = "`false`",
            Example = "[default]\ns3 =\n  use_arn_region = true",
            EnvironmentVariables = ["AWS_S3_USE_ARN_REGION"],
            Notes = "The top-level `s3_use_arn_region` wins and is read by every SDK.",
        };
        yield return new KeyEntry
        {
            Name = "us_east_1_regional_endpoint", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Enum("regional", "legacy"),
            Summary = "Whether S3 requests in `us-east-1` use the regional endpoint or the global one.",
            Example = "[default]\ns3 =\n  us_east_1_regional_endpoint = regional",
            EnvironmentVariables = ["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
            Notes = "The top-level `s3_us_east_1_regional_endpoint` wins.",
        };
        yield return new KeyEntry
        {
            Name = "s3_disable_multiregion_access_points", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.Boolean,
            Summary = "botocore's switch forbidding S3 Multi-Region Access Points (it reads this name under `s3 =`).",
            Default = "`false`",
            Example = "[default]\ns3 =\n  s3_disable_multiregion_access_points = true",
            EnvironmentVariables = ["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
        };
        yield return new KeyEntry
        {
            Name = "signature_version", Scopes = S3, ReadBy = KeyReaders.BotocoreOnly,
            Value = ValueSpec.String("s3v4"),
            Summary = "The signature version for S3 requests; `s3v4` (SigV4) is required for KMS-encrypted objects and in newer Regions.",
            Example = "[default]\ns3 =\n  signature_version = s3v4",
        };
        yield return new KeyEntry
        {
            Name = "max_concurrent_requests", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Integer(1),
            Summary = "The most requests the `aws s3` transfer commands run at once.",
            Default = "`10`",
            Example = "[default]\ns3 =\n  max_concurrent_requests = 20",
        };
        yield return new KeyEntry
        {
            Name = "max_queue_size", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Integer(1),
            Summary = "The most tasks the `aws s3` transfer commands queue ahead.",
            Default = "`1000`",
            Example = "[default]\ns3 =\n  max_queue_size = 10000",
        };
        yield return new KeyEntry
        {
            Name = "multipart_threshold", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Size),
            Summary = "The file size from which `aws s3` uploads, downloads and copies use multipart transfers.",
            Default = "`8MB`",
            Example = "[default]\ns3 =\n  multipart_threshold = 64MB",
        };
        yield return new KeyEntry
        {
            Name = "multipart_chunksize", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Size),
            Summary = "The part size of multipart transfers (at least 5MB for uploads; adjusted to S3's limits).",
            Default = "`8MB`",
            Example = "[default]\ns3 =\n  multipart_chunksize = 16MB",
        };
        yield return new KeyEntry
        {
            Name = "max_bandwidth", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Rate),
            Summary = "Caps the bandwidth `aws s3` uses for uploads and downloads.",
            Default = "no limit",
            Example = "[default]\ns3 =\n  max_bandwidth = 50MB/s",
        };
        yield return new KeyEntry
        {
            Name = "io_chunksize", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Size),
            Summary = "The largest chunk queued in memory for writes during downloads; raise it when disk writes are the bottleneck.",
            Default = "`256KB`",
            Example = "[default]\ns3 =\n  io_chunksize = 1MB",
        };
        yield return new KeyEntry
        {
            Name = "preferred_transfer_client", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("auto", "classic", "crt", "default"),
            Summary = "The transfer client behind `aws s3`: `classic` (Python), `crt` (the AWS Common Runtime client, faster on large instances) or `auto`; `default` is an old alias of `classic`.",
            Default = "`auto`",
            Example = "[default]\ns3 =\n  preferred_transfer_client = crt",
        };
        yield return new KeyEntry
        {
            Name = "target_bandwidth", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Rate),
            Summary = "The bandwidth the CRT transfer client tries to reach (CRT client only).",
            Default = "derived from the system",
            Example = "[default]\ns3 =\n  preferred_transfer_client = crt\n  target_bandwidth = 10Gb/s",
        };
        yield return new KeyEntry
        {
            Name = "should_stream", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Boolean,
            Summary = "Makes the CRT transfer client skip buffering parts in memory before uploading (CRT client only).",
            Default = "`false`",
            Example = "[default]\ns3 =\n  preferred_transfer_client = crt\n  should_stream = true",
        };
        yield return new KeyEntry
        {
            Name = "disk_throughput", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Of(ValueKind.Rate),
            Summary = "The expected disk throughput, used when `should_stream` is on (CRT client only).",
            Example = "[default]\ns3 =\n  preferred_transfer_client = crt\n  disk_throughput = 2GB/s",
        };
        yield return new KeyEntry
        {
            Name = "direct_io", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Boolean,
            Summary = "Makes the CRT transfer client bypass the OS cache for uploads (CRT client, Linux only).",
            Default = "`false`",
            Example = "[default]\ns3 =\n  preferred_transfer_client = crt\n  direct_io = true",
        };
        yield return new KeyEntry
        {
            Name = "bucket_lister", Scopes = S3, ReadBy = KeyReaders.AwsCli,
            Value = ValueSpec.Enum("standard", "threaded"),
            Summary = "How `aws s3` lists objects to transfer: `standard` pages in line, `threaded` fetches pages in a background thread.",
            Default = "`standard`",
            Example = "[default]\ns3 =\n  bucket_lister = threaded",
        };

        // ---- [plugins] -----------------------------------------------------------------------------
        yield return new KeyEntry
        {
            Name = "cli_legacy_plugin_path", Scopes = KeyScope.Plugins, ReadBy = KeyReaders.AwsCliV2,
            Value = ValueSpec.Of(ValueKind.Path),
            Summary = "The directory AWS CLI v2 adds to the import path to load the plugins listed in `[plugins]` (the Python site-packages they are installed in).",
            Example = "[plugins]\ncli_legacy_plugin_path = /usr/lib/python3/site-packages\nendpoint = awscli_plugin_endpoint",
            Notes = "AWS CLI v2 support for plugins is provisional.",
        };
    }
}
