using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsConfigLsp.FakeAws;

/// <summary>
/// A scenario file for the console entry point, so editor end-to-end tests can start the fakes as a process:
/// <code>
/// {
///   "region": "us-east-1",
///   "users": [{"account": "111111111111", "name": "alice", "mfa": true, "accessKeyId": "AKIA...", "secretAccessKey": "...", "mfaSecret": "BASE32"}],
///   "roles": [{"arn": "arn:aws:iam::111111111111:role/admin", "trust": ["arn:aws:iam::111111111111:user/alice"],
///              "requireMfa": true, "maxSessionDuration": 3600, "externalId": null}],
///   "instanceProfile": {"account": "111111111111", "roleName": "ec2-role"},
///   "container": {"account": "111111111111", "roleName": "task-role", "authorizationToken": "secret"},
///   "webIdentity": [{"token": "TOKEN", "roleArn": "arn:aws:iam::111111111111:role/web"}],
///   "sso": [{"accessToken": "TOKEN", "accountId": "111111111111", "roleName": "ReadOnly"}],
///   "disabledRegions": ["ap-east-1"],
///   "faults": {"AssumeRole": "hang", "imds": "500", "GetCallerIdentity": "slow:2000"}
/// }
/// </code>
/// Every member is optional.
/// </summary>
public sealed class Scenario
{
    private readonly JsonObject root;

    private Scenario(JsonObject root) => this.root = root;

    public static Scenario Load(string json) =>
        new(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
            ?? throw new FormatException("the scenario must be a JSON object"));

    public void Apply(FakeAwsServer server)
    {
        if (Text(root, "region") is { } region) server.Region = region;
        if (Text(root, "iamRegion") is { } iamRegion) server.IamRegion = iamRegion;
        foreach (var user in Items("users"))
        {
            server.AddUser(Required(user, "account"), Required(user, "name"), user["mfa"]?.GetValue<bool>() ?? false,
                Text(user, "accessKeyId"), Text(user, "secretAccessKey"), Text(user, "mfaSecret"));
        }
        foreach (var role in Items("roles"))
        {
            var trust = (role["trust"] as JsonArray ?? []).Select(item => item!.GetValue<string>());
            server.AddRole(Required(role, "arn"), trust, role["requireMfa"]?.GetValue<bool>() ?? false,
                role["maxSessionDuration"]?.GetValue<int>() ?? 3600, Text(role, "externalId"));
        }
        if (root["instanceProfile"] is JsonObject instance) server.SetInstanceProfile(Required(instance, "account"), Required(instance, "roleName"));
        if (root["container"] is JsonObject container)
        {
            server.SetContainerCredentials(Required(container, "account"), Required(container, "roleName"), Text(container, "authorizationToken"));
        }
        foreach (var web in Items("webIdentity")) server.AddWebIdentityToken(Required(web, "token"), Required(web, "roleArn"));
        foreach (var access in Items("sso")) server.AddSsoAccess(Required(access, "accessToken"), Required(access, "accountId"), Required(access, "roleName"));
        foreach (var disabled in root["disabledRegions"] as JsonArray ?? []) server.DisabledRegions.Add(disabled!.GetValue<string>());
        if (root["faults"] is JsonObject faults)
        {
            foreach (var (target, fault) in faults) server.SetFault(target, FakeFault.Parse(fault!.GetValue<string>()));
        }
    }

    /// <summary>The line the console entry prints once every endpoint listens.</summary>
    public static string EndpointsJson(FakeAwsServer server) => new JsonObject
    {
        ["sts"] = server.StsUrl,
        ["iam"] = server.IamUrl,
        ["imds"] = server.ImdsUrl,
        ["ecsFullUri"] = server.EcsFullUri,
        ["sso"] = server.SsoUrl,
    }.ToJsonString();

    private IEnumerable<JsonObject> Items(string name) => (root[name] as JsonArray ?? []).OfType<JsonObject>();

    private static string? Text(JsonObject node, string name) => node[name]?.GetValue<string>();

    private static string Required(JsonObject node, string name) =>
        Text(node, name) ?? throw new FormatException($"'{name}' is missing in {node.ToJsonString()}");
}
