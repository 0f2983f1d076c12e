namespace AwsConfigLsp.Model.Catalog;

/// <summary>
/// A service as it appears in the shared config file: <see cref="Identifier"/> is the key under <c>[services NAME]</c>
/// (the service's <c>serviceId</c>, lower-cased, spaces replaced by underscores, as the AWS SDKs and Tools Reference
/// Guide's "Identifiers for service-specific endpoints" table defines it); <see cref="BotocoreName"/> is the key under
/// <c>api_versions =</c>.
/// </summary>
public sealed record ServiceId(string ServiceIdName, string BotocoreName)
{
    public string Identifier { get; } = ServiceIds.ToIdentifier(ServiceIdName);

    /// <summary>The environment variable that sets this service's endpoint.</summary>
    public string EndpointEnvironmentVariable => "AWS_ENDPOINT_URL_" + Identifier.ToUpperInvariant();
}

/// <summary>Well-known services. The list is not exhaustive (there are hundreds of services); unknown identifiers are accepted as generic.</summary>
public static class ServiceIds
{
    public static IReadOnlyList<ServiceId> All { get; } =
    [
        new("AccessAnalyzer", "accessanalyzer"),
        new("Account", "account"),
        new("ACM", "acm"),
        new("ACM PCA", "acm-pca"),
        new("API Gateway", "apigateway"),
        new("ApiGatewayManagementApi", "apigatewaymanagementapi"),
        new("ApiGatewayV2", "apigatewayv2"),
        new("AppConfig", "appconfig"),
        new("Application Auto Scaling", "application-autoscaling"),
        new("AppSync", "appsync"),
        new("Athena", "athena"),
        new("Auto Scaling", "autoscaling"),
        new("Backup", "backup"),
        new("Batch", "batch"),
        new("Bedrock", "bedrock"),
        new("Bedrock Runtime", "bedrock-runtime"),
        new("CloudFormation", "cloudformation"),
        new("CloudFront", "cloudfront"),
        new("CloudTrail", "cloudtrail"),
        new("CloudWatch", "cloudwatch"),
        new("CloudWatch Logs", "logs"),
        new("CodeBuild", "codebuild"),
        new("CodeCommit", "codecommit"),
        new("CodeDeploy", "codedeploy"),
        new("CodePipeline", "codepipeline"),
        new("Cognito Identity", "cognito-identity"),
        new("Cognito Identity Provider", "cognito-idp"),
        new("Config Service", "config"),
        new("Cost Explorer", "ce"),
        new("DynamoDB", "dynamodb"),
        new("DynamoDB Streams", "dynamodbstreams"),
        new("EC2", "ec2"),
        new("ECR", "ecr"),
        new("ECR PUBLIC", "ecr-public"),
        new("ECS", "ecs"),
        new("EFS", "efs"),
        new("EKS", "eks"),
        new("ElastiCache", "elasticache"),
        new("Elastic Load Balancing", "elb"),
        new("Elastic Load Balancing v2", "elbv2"),
        new("EMR", "emr"),
        new("EventBridge", "events"),
        new("Firehose", "firehose"),
        new("Glue", "glue"),
        new("IAM", "iam"),
        new("Kinesis", "kinesis"),
        new("KMS", "kms"),
        new("Lambda", "lambda"),
        new("Organizations", "organizations"),
        new("RDS", "rds"),
        new("Redshift", "redshift"),
        new("Route 53", "route53"),
        new("S3", "s3"),
        new("S3 Control", "s3control"),
        new("SageMaker", "sagemaker"),
        new("Secrets Manager", "secretsmanager"),
        new("SES", "ses"),
        new("SESv2", "sesv2"),
        new("SFN", "stepfunctions"),
        new("SNS", "sns"),
        new("SQS", "sqs"),
        new("SSM", "ssm"),
        new("SSO", "sso"),
        new("SSO OIDC", "sso-oidc"),
        new("STS", "sts"),
        new("XRay", "xray"),
    ];

    private static readonly Dictionary<string, ServiceId> ByIdentifier =
        All.ToDictionary(s => s.Identifier, StringComparer.Ordinal);

    private static readonly Dictionary<string, ServiceId> ByBotocoreName =
        All.ToDictionary(s => s.BotocoreName, StringComparer.Ordinal);

    /// <summary>The <c>[services]</c> key for a <c>serviceId</c>: lower-case, spaces become underscores.</summary>
    public static string ToIdentifier(string serviceIdName) => serviceIdName.Trim().Replace(' ', '_').ToLowerInvariant();

    /// <summary>The service with this <c>[services]</c> identifier (exact, lower-case), or null.</summary>
    public static ServiceId? FindByIdentifier(string identifier) => ByIdentifier.GetValueOrDefault(identifier);

    /// <summary>The service with this botocore name (the <c>api_versions</c> key), or null.</summary>
    public static ServiceId? FindByBotocoreName(string name) => ByBotocoreName.GetValueOrDefault(name);

    /// <summary>Whether the text has the shape of a service identifier (lower-case letters, digits, underscores).</summary>
    public static bool IsWellFormedIdentifier(string text) =>
        text.Length > 0 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    /// <summary>Whether the text has the shape of a botocore service name (lower-case letters, digits, hyphens).</summary>
    public static bool IsWellFormedBotocoreName(string text) =>
        text.Length > 0 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
