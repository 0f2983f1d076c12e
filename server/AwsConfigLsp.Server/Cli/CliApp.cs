using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Features;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Server.Cli;

/// <summary>The <c>check</c> and <c>resolve</c> commands: the same model and rules as the server, printed for a terminal or a CI job.</summary>
public static class CliApp
{
    public const string Usage = """
        Usage:
          awsconfig-lsp [--stdio]                 run the language server over stdio
          awsconfig-lsp check [--config PATH] [--credentials PATH] [--format text|json|sarif]
                              [--disable CODE]... [--severity CODE=error|warning|info|hint]...
                                                  report what the AWS CLI will reject; exit 1 when there are errors
          awsconfig-lsp resolve [PROFILE...|--all] [--config PATH] [--credentials PATH] [--format text|json]
                                                  show the credential chain the AWS CLI uses for each profile
          awsconfig-lsp --version | --help

        Files default to $AWS_CONFIG_FILE and $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials.
        """;

    /// <summary>
    /// The JSON output's serializer: as <see cref="CliJsonContext"/>, but with relaxed escaping, because botocore's
    /// messages quote names and the default encoder prints every quote as <c>\u0022</c> and apostrophe as <c>\u0027</c>.
    /// </summary>
    private static readonly CliJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private sealed class Options
    {
        public string? Config;
        public string? Credentials;
        public string Format = "text";
        public bool All;
        public List<string> Profiles = [];
        public DiagnosticOptions Diagnostics = DiagnosticOptions.Default;
    }

    public static int Run(string command, string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Next()
            {
                if (i + 1 < args.Length) return args[++i];
                return null;
            }
            switch (arg)
            {
                case "--config":
                    options.Config = Next() ?? "";
                    if (options.Config.Length == 0) return UsageError(stderr, "--config needs a path.");
                    break;
                case "--credentials":
                    options.Credentials = Next() ?? "";
                    if (options.Credentials.Length == 0) return UsageError(stderr, "--credentials needs a path.");
                    break;
                case "--format":
                    options.Format = Next() ?? "";
                    break;
                case "--disable" when command == "check":
                    var code = Next();
                    if (string.IsNullOrEmpty(code)) return UsageError(stderr, "--disable needs a diagnostic code.");
                    options.Diagnostics = options.Diagnostics with { Disabled = options.Diagnostics.Disabled.Add(code) };
                    break;
                case "--severity" when command == "check":
                    var setting = Next() ?? "";
                    var equals = setting.IndexOf('=');
                    if (equals <= 0 || DiagnosticOptions.ParseSeverity(setting[(equals + 1)..]) is not { } level)
                    {
                        return UsageError(stderr, "--severity needs CODE=error|warning|info|hint.");
                    }
                    options.Diagnostics = options.Diagnostics with { Severity = options.Diagnostics.Severity.SetItem(setting[..equals], level) };
                    break;
                case "--all" when command == "resolve":
                    options.All = true;
                    break;
                default:
                    if (arg.StartsWith('-') || command != "resolve") return UsageError(stderr, $"Unknown argument '{arg}'.");
                    options.Profiles.Add(arg);
                    break;
            }
        }
        string[] formats = command == "check" ? ["text", "json", "sarif"] : ["text", "json"];
        if (!formats.Contains(options.Format)) return UsageError(stderr, $"--format must be one of: {string.Join(", ", formats)}.");
        if (options.All && options.Profiles.Count > 0) return UsageError(stderr, "Give profile names or --all, not both.");

        var locations = AwsFileLocations.FromEnvironment(getVariable);
        var configPath = Path.GetFullPath(options.Config ?? locations.ConfigPath);
        var credentialsPath = Path.GetFullPath(options.Credentials ?? locations.CredentialsPath);
        ProfileModel model;
        try
        {
            model = new ProfileModel(
                FileLoader.Load(ConfigFileKind.Config, configPath, stderr),
                FileLoader.Load(ConfigFileKind.Credentials, credentialsPath, stderr));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file that exists but cannot be read (permissions, a device, a broken disk): say which and why.
            stderr.WriteLine($"error: cannot read {(exception is FileLoadFailure failure ? failure.Path : "a file")}: {exception.InnerException?.Message ?? exception.Message}");
            return 2;
        }
        return command == "check"
            ? Check(model, options.Format, options.Diagnostics, FileLoader.ReadFacts(credentialsPath), stdout)
            : Resolve(model, options, stdout, getVariable);
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message}");
        stderr.WriteLine(Usage);
        return 2;
    }

    private static int Check(ProfileModel model, string format, DiagnosticOptions diagnosticOptions, FileFacts facts, TextWriter stdout)
    {
        var diagnostics = DiagnosticEngine.Analyze(model, diagnosticOptions, facts: facts);
        var hasErrors = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        switch (format)
        {
            case "json":
                stdout.WriteLine(JsonSerializer.Serialize(CheckJson(model, diagnostics), Json.CheckOutput));
                break;
            case "sarif":
                stdout.WriteLine(JsonSerializer.Serialize(Sarif(model, diagnostics), Json.SarifLog));
                break;
            default:
                foreach (var diagnostic in diagnostics)
                {
                    var file = model.GetFile(diagnostic.Location.File);
                    var position = file.Syntax.LineIndex.GetPosition(diagnostic.Location.Span.Start);
                    stdout.WriteLine($"{ChainFormatter.DisplayPath(file)}:{position.Line + 1}:{position.Character + 1}: "
                        + $"{SeverityName(diagnostic.Severity)} {diagnostic.Code}: {diagnostic.Message}");
                    foreach (var related in diagnostic.Related)
                    {
                        var relatedFile = model.GetFile(related.Location.File);
                        var relatedPosition = relatedFile.Syntax.LineIndex.GetPosition(related.Location.Span.Start);
                        stdout.WriteLine($"    {ChainFormatter.DisplayPath(relatedFile)}:{relatedPosition.Line + 1}:{relatedPosition.Character + 1}: note: {related.Message}");
                    }
                }
                var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
                stdout.WriteLine(diagnostics.Count == 0
                    ? $"No problems found in {ChainFormatter.DisplayPath(model.Config)} and {ChainFormatter.DisplayPath(model.Credentials)} ({model.Profiles.Count} profiles)."
                    : $"{errors} error(s), {diagnostics.Count - errors} other finding(s) in {model.Profiles.Count} profiles.");
                break;
        }
        return hasErrors ? 1 : 0;
    }

    internal static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Information => "info",
        _ => "hint",
    };

    private static CheckOutput CheckJson(ProfileModel model, IReadOnlyList<Diagnostic> diagnostics)
    {
        var files = new[] { model.Config, model.Credentials }
            .Select(f => new CheckFileOutput(f.Path ?? "", ChainFormatter.FileName(f.Kind), f.Path is not null && File.Exists(f.Path), f.IsUnreadable))
            .ToList();
        var items = diagnostics.Select(d =>
        {
            var file = model.GetFile(d.Location.File);
            var start = file.Syntax.LineIndex.GetPosition(d.Location.Span.Start);
            var end = file.Syntax.LineIndex.GetPosition(d.Location.Span.End);
            return new CheckDiagnosticOutput(file.Path ?? "", ChainFormatter.FileName(file.Kind), start.Line + 1, start.Character + 1,
                end.Line + 1, end.Character + 1, SeverityName(d.Severity), d.Code, d.Message,
                [.. d.Related.Select(r =>
                {
                    var relatedFile = model.GetFile(r.Location.File);
                    var position = relatedFile.Syntax.LineIndex.GetPosition(r.Location.Span.Start);
                    return new CheckRelatedOutput(relatedFile.Path ?? "", position.Line + 1, position.Character + 1, r.Message);
                })]);
        }).ToList();
        return new CheckOutput(files, items);
    }

    private static SarifLog Sarif(ProfileModel model, IReadOnlyList<Diagnostic> diagnostics)
    {
        var rules = DiagnosticEngine.Rules.Select(r => new SarifRule(r.Code, new SarifMessage(r.Summary))).ToList();
        var results = diagnostics.Select(d =>
        {
            var file = model.GetFile(d.Location.File);
            var start = file.Syntax.LineIndex.GetPosition(d.Location.Span.Start);
            var end = file.Syntax.LineIndex.GetPosition(d.Location.Span.End);
            var level = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "note" };
            return new SarifResult(d.Code, level, new SarifMessage(d.Message),
            [
                new SarifLocation(new SarifPhysicalLocation(
                    new SarifArtifactLocation(new Uri(file.Path ?? "/").AbsoluteUri),
                    new SarifRegion(start.Line + 1, start.Character + 1, end.Line + 1, end.Character + 1))),
            ]);
        }).ToList();
        return new SarifLog("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0",
            [new SarifRun(new SarifTool(new SarifDriver("awsconfig-lsp", "https://github.com/awsconfig-lsp/awsconfig-lsp", rules)), results)]);
    }

    private static int Resolve(ProfileModel model, Options options, TextWriter stdout, Func<string, string?> getVariable)
    {
        List<string> names;
        if (options.All) names = [.. model.Profiles.Keys];
        else if (options.Profiles.Count > 0) names = options.Profiles;
        else names = [getVariable("AWS_DEFAULT_PROFILE") ?? getVariable("AWS_PROFILE") ?? "default"];

        var resolutions = names.Select(model.Resolve).ToList();
        if (options.Format == "json")
        {
            var output = new ResolveOutput([.. resolutions.Select(ToOutput)]);
            stdout.WriteLine(JsonSerializer.Serialize(output, Json.ResolveOutput));
        }
        else
        {
            foreach (var resolution in resolutions) stdout.WriteLine(ChainFormatter.FormatText(resolution, model));
            if (resolutions.Count == 0)
            {
                stdout.WriteLine($"No profiles in {ChainFormatter.DisplayPath(model.Config)} and {ChainFormatter.DisplayPath(model.Credentials)}.");
            }
        }
        return resolutions.Any(r => r.Error is not null) ? 1 : 0;
    }

    public static ResolvedProfileOutput ToOutput(Resolution resolution) => new(
        resolution.Profile,
        [.. resolution.Chain.Select(hop => new ChainHopOutput(hop.Profile, ChainFormatter.KindName(hop.Kind))
        {
            File = hop.File is { } file ? ChainFormatter.FileName(file) : null,
            RoleArn = hop.RoleArn,
            MfaSerial = hop.MfaSerial,
            ExternalId = hop.ExternalId,
            DurationSeconds = hop.DurationSeconds,
            RoleSessionName = hop.RoleSessionName,
            CredentialSource = hop.CredentialSource,
            CredentialProcess = hop.CredentialProcess,
            SsoSession = hop.SsoSession,
            SsoStartUrl = hop.SsoStartUrl,
            SsoRegion = hop.SsoRegion,
            SsoAccountId = hop.SsoAccountId,
            SsoRoleName = hop.SsoRoleName,
            WebIdentityTokenFile = hop.WebIdentityTokenFile,
        })],
        resolution.Error is { } error ? new ErrorOutput(DiagnosticCodes.For(error.Kind), error.Message) : null);
}
