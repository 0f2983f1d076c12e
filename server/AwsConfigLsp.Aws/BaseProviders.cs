using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Aws;

/// <summary>
/// The providers at the base of a chain that do not go through STS: static keys, <c>credential_source</c>
/// (Environment, Ec2InstanceMetadata, EcsContainer) and <c>credential_process</c>, as botocore implements them.
/// </summary>
public sealed class BaseProviders(AwsEnvironment environment, HttpClient http, TimeSpan processTimeout)
{
    /// <summary>Static keys of a profile, from the file the model says the CLI uses.</summary>
    public static AwsCredentials Static(ProfileModel model, ChainHop hop)
    {
        var profile = model.GetProfile(hop.Profile) ?? throw AwsCallException.Local("ProfileNotFound", $"The profile {hop.Profile} no longer exists.");
        var kind = hop.File ?? ConfigFileKind.Credentials;
        var section = kind == ConfigFileKind.Credentials ? profile.CredentialsSection : profile.ConfigSection;
        var accessKey = section?.Get(Keys.AccessKeyId)?.Value;
        var secretKey = section?.Get(Keys.SecretAccessKey)?.Value;
        var token = section?.Get(Keys.SessionToken)?.Value ?? section?.Get(Keys.SecurityToken)?.Value;
        var file = kind == ConfigFileKind.Credentials ? "the credentials file" : "the config file";
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            throw AwsCallException.Local("PartialCredentials", $"Profile {hop.Profile} in {file} lacks aws_access_key_id or aws_secret_access_key.");
        }
        return new AwsCredentials(accessKey, secretKey, string.IsNullOrEmpty(token) ? null : token, null,
            $"static keys of profile {hop.Profile} in {file}{(string.IsNullOrEmpty(token) ? "" : " (with aws_session_token)")}");
    }

    /// <summary><c>credential_source = Environment</c>: <c>AWS_ACCESS_KEY_ID</c> and friends of the server's environment.</summary>
    public AwsCredentials Environment()
    {
        var accessKey = environment.Get("AWS_ACCESS_KEY_ID");
        var secretKey = environment.Get("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null || secretKey is null)
        {
            throw AwsCallException.Local("NoEnvironmentCredentials",
                "credential_source = Environment, but the environment the editor started the server with has no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }
        var token = environment.Get("AWS_SESSION_TOKEN") ?? environment.Get("AWS_SECURITY_TOKEN");
        DateTimeOffset? expiration = environment.Get("AWS_CREDENTIAL_EXPIRATION") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) ? e : null;
        return new AwsCredentials(accessKey, secretKey, token, expiration, "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the server's environment");
    }

    /// <summary>IMDSv2 (botocore <c>InstanceMetadataFetcher</c>): a token, the role name, then the role's credentials.</summary>
    public async Task<AwsCredentials> InstanceMetadataAsync(CancellationToken cancellationToken)
    {
        if (environment.Get("AWS_EC2_METADATA_DISABLED") is { } disabled && disabled.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            throw AwsCallException.Local("MetadataDisabled", "credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED=true turns the instance metadata service off.");
        }
        var baseUrl = (environment.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254/").TrimEnd('/');
        var timeout = MetadataTimeout();
        var endpoint = new ServiceEndpoint(baseUrl, "", "the EC2 instance metadata service");
        var token = await SendAsync(endpoint, timeout, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, baseUrl + "/latest/api/token");
            request.Headers.Add("x-aws-ec2-metadata-token-ttl-seconds", "21600");
            return request;
        }, cancellationToken).ConfigureAwait(false);
        HttpRequestMessage Get(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + path);
            request.Headers.Add("x-aws-ec2-metadata-token", token.Trim());
            return request;
        }
        var roles = await SendAsync(endpoint, timeout, () => Get("/latest/meta-data/iam/security-credentials/"), cancellationToken).ConfigureAwait(false);
        var role = roles.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw AwsCallException.Local("NoInstanceProfile", "The instance metadata service answered, but the instance has no IAM role (instance profile).");
        var json = await SendAsync(endpoint, timeout, () => Get("/latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role)), cancellationToken).ConfigureAwait(false);
        return ParseContainerJson(json, "Token", $"the instance profile role {role} (EC2 instance metadata)", "instance metadata");
    }

    /// <summary>The ECS / EKS Pod Identity container endpoint (botocore <c>ContainerProvider</c>).</summary>
    public async Task<AwsCredentials> ContainerAsync(CancellationToken cancellationToken)
    {
        string url;
        if (environment.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { } relative) url = "http://169.254.170.2" + relative;
        else if (environment.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { } full) url = full;
        else
        {
            throw AwsCallException.Local("NotInContainer",
                "credential_source = EcsContainer, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set in the server's environment.");
        }
        string? authorization = null;
        if (environment.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") is { } tokenFile)
        {
            try
            {
                authorization = (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw AwsCallException.Local("TokenFileUnreadable", $"Could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {tokenFile}: {exception.Message}");
            }
        }
        else authorization = environment.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        var endpoint = new ServiceEndpoint(url, "", "the container credentials endpoint");
        var json = await SendAsync(endpoint, MetadataTimeout(), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        return ParseContainerJson(json, "Token", "the container role (ECS / EKS container credentials)", "container credentials endpoint");
    }

    /// <summary>
    /// <c>credential_process</c>: the command split as botocore splits it (POSIX shlex), run without a shell with a time
    /// limit; its stdout is the SDKs' JSON (<c>Version</c> 1, <c>AccessKeyId</c>, <c>SecretAccessKey</c>, optional
    /// <c>SessionToken</c> and <c>Expiration</c>).
    /// </summary>
    public async Task<AwsCredentials> ProcessAsync(ChainHop hop, CancellationToken cancellationToken)
    {
        var command = hop.CredentialProcess ?? "";
        var words = PythonCompat.ShlexSplit(command);
        if (words is not { Count: > 0 }) throw AwsCallException.Local("ProcessInvalid", $"credential_process of profile {hop.Profile} is not a command line botocore can split.");
        var start = new ProcessStartInfo(words[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var word in words.Skip(1)) start.ArgumentList.Add(word);
        start.Environment.Clear();
        foreach (var (key, value) in environment.Variables) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            throw AwsCallException.Local("ProcessFailed", $"Could not start credential_process of profile {hop.Profile} ({words[0]}): {exception.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(processTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                cancellationToken.ThrowIfCancellationRequested();
                throw new AwsCallException(FailureKind.Timeout, "ProcessTimeout", $"credential_process of profile {hop.Profile} did not finish within {processTimeout.TotalSeconds:0} s.");
            }
            if (process.ExitCode != 0)
            {
                var error = (await stderr.ConfigureAwait(false)).Trim();
                if (error.Length > 500) error = error[..500] + "...";
                throw AwsCallException.Local("ProcessFailed",
                    $"credential_process of profile {hop.Profile} exited with code {process.ExitCode}{(error.Length > 0 ? ": " + error : " and wrote nothing on stderr")}.");
            }
            return ParseProcessJson(await stdout.ConfigureAwait(false), hop.Profile);
        }
    }

    /// <summary>botocore <c>ProcessProvider._retrieve_credentials_using</c>: the JSON a credential process prints.</summary>
    public static AwsCredentials ParseProcessJson(string json, string profile)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new AwsCallException(FailureKind.Malformed, "ProcessInvalidJson", $"credential_process of profile {profile} did not print JSON on stdout.");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new AwsCallException(FailureKind.Malformed, "ProcessInvalidJson", $"credential_process of profile {profile} printed JSON that is not an object.");
        var version = root.TryGetProperty("Version", out var v) ? v : default;
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != 1)
        {
            throw new AwsCallException(FailureKind.Malformed, "ProcessUnsupportedVersion",
                $"credential_process of profile {profile}: Unsupported version '{(version.ValueKind == JsonValueKind.Undefined ? "None" : version.ToString())}' for credential process provider, supported versions: 1");
        }
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var accessKey = Text("AccessKeyId");
        var secretKey = Text("SecretAccessKey");
        if (accessKey is null || secretKey is null)
        {
            var missing = accessKey is null ? "AccessKeyId" : "SecretAccessKey";
            throw new AwsCallException(FailureKind.Malformed, "ProcessMissingKey", $"credential_process of profile {profile} printed no {missing}.");
        }
        DateTimeOffset? expiration = null;
        if (Text("Expiration") is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new AwsCallException(FailureKind.Malformed, "ProcessInvalidExpiration", $"credential_process of profile {profile} printed an Expiration that is not a date.");
            }
            expiration = parsed;
        }
        return new AwsCredentials(accessKey, secretKey, Text("SessionToken"), expiration, $"credential_process of profile {profile}");
    }

    private static AwsCredentials ParseContainerJson(string json, string tokenName, string origin, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Text("AccessKeyId") is { } accessKey && Text("SecretAccessKey") is { } secretKey)
            {
                DateTimeOffset? expiration = Text("Expiration") is { } e && DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
                return new AwsCredentials(accessKey, secretKey, Text(tokenName), expiration, origin);
            }
        }
        catch (JsonException)
        {
        }
        throw new AwsCallException(FailureKind.Malformed, "MalformedResponse", $"The {what} answered without credentials.");
    }

    private TimeSpan MetadataTimeout() =>
        environment.Get("AWS_METADATA_SERVICE_TIMEOUT") is { } text && double.TryParse(text, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(2);

    private async Task<string> SendAsync(ServiceEndpoint endpoint, TimeSpan timeout, Func<HttpRequestMessage> create, CancellationToken cancellationToken) =>
        await SdkCalls.RunAsync(endpoint, timeout, async token =>
        {
            using var request = create();
            using var response = await http.SendAsync(request, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AwsCallException(FailureKind.Service, $"Http{(int)response.StatusCode}",
                    $"{endpoint.Source} ({request.RequestUri?.GetLeftPart(UriPartial.Path)}) answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
            }
            return body;
        }, cancellationToken).ConfigureAwait(false);
}
