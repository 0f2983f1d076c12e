using System.Collections.Immutable;
using AwsConfigLsp.Model;

namespace AwsConfigLsp.Analysis.Diagnostics.Rules;

/// <summary>
/// A role profile without <c>mfa_serial</c> whose sibling role profiles (same <c>source_profile</c>) send one
/// (SCENARIOS S1). When the role's trust policy requires MFA, STS answers AccessDenied and says nothing about MFA.
/// The fix adds the siblings' <c>mfa_serial</c> right after <c>role_arn</c> (preferred); when siblings disagree, one
/// fix per device, none preferred.
/// </summary>
public sealed class MissingMfaSerialRule : IProfileRule
{
    public string Code => DiagnosticCodes.MissingMfaSerial;
    public DiagnosticSeverity DefaultSeverity => DiagnosticSeverity.Information;
    public string Summary => "A role profile has no mfa_serial while the other role profiles with the same source_profile have one; if the role requires MFA, STS answers AccessDenied without saying why.";
    public string Wrong => "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = default\n";
    public string Right => "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile staging]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nsource_profile = default\n";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context) => RuleRunner.AllProfiles(this, context);

    /// <summary>
    /// The sibling list and related places of a source's findings, made once per source: a full run's threads share
    /// <paramref name="roles"/>, and the first to need them sets them (two may make them, with the same result).
    /// </summary>
    private static (string Names, ImmutableArray<RelatedLocation> Related) Siblings(MfaRoles roles)
    {
        if (roles.Siblings is not { } made)
        {
            var (names, related) = MakeSiblings(roles.Roles);
            made = Interlocked.CompareExchange(ref roles.Siblings, Tuple.Create(names, related), null) ?? roles.Siblings!;
        }
        return (made.Item1, made.Item2);
    }

    private static (string Names, ImmutableArray<RelatedLocation> Related) MakeSiblings(IReadOnlyList<Profile> siblings)
    {
        const int Shown = 5;
        var names = string.Join(", ", siblings.Take(Shown).Select(other => $"`{other.Name}`"))
            + (siblings.Count > Shown ? $" and {siblings.Count - Shown} more" : "");
        // One related place per device (the first sibling that sends it), not one per sibling, and at most three: the
        // message names the siblings already, and the places show where each device the fixes offer is written. The
        // siblings of an IAM user mostly share its one device; five places per finding, each with the file's URI, were
        // ~60% of the JSON of a 50k-profile publish, sent to the editor again after every edit (docs/performance.md).
        const int Places = 3;
        var related = ImmutableArray.CreateBuilder<RelatedLocation>();
        foreach (var group in siblings.GroupBy(other => other.Get(Keys.MfaSerial)!.Value.Value, StringComparer.Ordinal).Take(Places))
        {
            var first = group.First();
            var others = group.Count() - 1;
            related.Add(new RelatedLocation(first.Get(Keys.MfaSerial)!.LineLocation, others switch
            {
                0 => $"`{first.Name}` uses this MFA device",
                1 => $"`{first.Name}` and 1 other role use this MFA device",
                _ => $"`{first.Name}` and {others} other roles use this MFA device",
            }));
        }
        return (names, related.ToImmutable());
    }

    // Not an iterator and no lambda over the profile: asked of every profile (50,000 at a time), it found something for
    // one in five of a generated file, and an enumerator and a closure per profile were most of what it allocated.
    public IEnumerable<Diagnostic> AnalyzeProfile(AnalysisContext context, Profile profile)
    {
        if (!RuleSupport.AssumesRole(profile) || profile.Get(Keys.SourceProfile)?.Value is not { } source) return [];
        // A profile without mfa_serial is never among the siblings that have one.
        if (profile.Has(Keys.MfaSerial)) return [];
        // Only the profiles that name a source with at least one MFA-protected role can get a finding; the
        // siblings of a source are found once per analysis.
        var roles = context.MfaRolesOf(source);
        if (roles.Roles.Count == 0) return [];
        return [Finding(context, profile, source, roles)];
    }

    private Diagnostic Finding(AnalysisContext context, Profile profile, string source, MfaRoles roles)
    {
        // The same for every role of the source: built once per source and analysis.
        var (names, related) = Siblings(roles);
        var devices = roles.Devices;
        var roleArn = profile.Get(Keys.RoleArn)!.Value;
        var location = RuleSupport.IsOwnLine(profile, roleArn) ? roleArn.KeyLocation : profile.PrimarySection.HeaderLocation;
        // Written when it is read: ~10k of these at 50k profiles, each ~330 characters.
        var message = new JoinedMessage("`", profile.Name, AfterProfile, source, " (", names, End);
        var (choices, at) = ChoicesOf(context, profile, source, roleArn, devices);
        return new Diagnostic(Code, DefaultSeverity, location, message) { Related = related, Choices = choices, ChoicesAt = at };
    }

    /// <summary>
    /// One fix per device, each inserting its line at the same place: the titles and lines are shared by every role of
    /// the source that writes its role_arn line alike (indent, delimiter, line break), so they are made once per source
    /// and format, and a finding keeps them and the place only.
    /// </summary>
    private static (InsertChoices Choices, SourceLocation At) ChoicesOf(AnalysisContext context, Profile profile, string source, PropertyEntry roleArn, IReadOnlyList<string> devices)
    {
        Span<char> key = stackalloc char[256];
        if (source.Length >= 128 || !RuleSupport.TryInsertionFormat(profile, roleArn, key[(source.Length + 1)..], out var formatLength, out var place))
        {
            return MakeChoices(context, profile, roleArn, devices);
        }
        source.AsSpan().CopyTo(key);
        key[source.Length] = '\0';
        key = key[..(source.Length + 1 + formatLength)];
        if (context.CachedChoices(key) is not { } choices)
        {
            // The lines are written when a fix is asked for, from the devices (the model's strings) and the format.
            choices = new InsertChoices(Keys.MfaSerial, devices, context.Shared(key[(source.Length + 1)..]));
            context.CacheChoices(key, choices);
        }
        return (choices, place);
    }

    /// <summary>
    /// The choices for <paramref name="profile"/> and their place (InsertLine puts a line at a place that depends on the
    /// anchor only, whatever the value).
    /// </summary>
    private static (InsertChoices Choices, SourceLocation At) MakeChoices(AnalysisContext context, Profile profile, PropertyEntry roleArn, IReadOnlyList<string> devices)
    {
        var choices = new (string Title, string Text)[devices.Count];
        var at = default(SourceLocation);
        Span<char> title = stackalloc char[128];
        for (var i = 0; i < choices.Length; i++)
        {
            // Looked up from buffers: ~10k findings at 50k profiles, whose strings were ~4 MiB of the analysis's garbage.
            var edit = RuleSupport.InsertLine(profile, roleArn, Keys.MfaSerial, devices[i], context);
            at = edit.Location;
            var fixTitle = title.TryWrite($"Add mfa_serial = {devices[i]}", out var length)
                ? context.Shared(title[..length])
                : context.Shared($"Add mfa_serial = {devices[i]}");
            choices[i] = (fixTitle, edit.NewText);
        }
        return (new InsertChoices([.. choices]), at);
    }

    // "`role` sends no MFA code, but the other role profiles with source_profile = source (`a`, `b`) do (mfa_serial). ..."
    private const string AfterProfile = "` sends no MFA code, but the other role profiles with source_profile = ";
    private const string End = ") do (mfa_serial). If this role's trust policy requires MFA, STS answers AccessDenied without mentioning MFA.";
}
