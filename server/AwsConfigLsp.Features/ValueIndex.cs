using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>
/// Which profiles use which value of the keys that hover and completion list users of (<c>role_arn</c>,
/// <c>mfa_serial</c>, <c>sso_session</c>, <c>services</c>, <c>sso_account_id</c>, and the account of a role ARN), so that
/// "also used by" and "other profiles in this account" cost the users of one value, not a walk over 50k profiles per
/// request. Kept per document pair by the caller and brought up to date with <see cref="Update"/>: sections are matched
/// to the last update by syntax identity (the parser reuses untouched sections), so an edit costs the edited sections.
/// Answers are exact: candidates are checked against the model (<see cref="Profile.Get"/>) and returned in model order.
/// Files with a <c>[DEFAULT]</c> section (values every section inherits) or a duplicate section are not indexed:
/// <see cref="Update"/> returns false and callers walk the model as before. Not thread-safe; the server uses it on its message loop.
/// </summary>
public sealed class ValueIndex
{
    /// <summary>The pseudo-key under which a role ARN's account is indexed.</summary>
    private const string RoleAccount = "role_arn#account";

    private static readonly string[] IndexedKeys = [Keys.RoleArn, Keys.MfaSerial, Keys.SsoSession, "services", Keys.SsoAccountId];

    private readonly Side config = new();
    private readonly Side credentials = new();
    // key -> value -> the profiles that use it: most values have one user, kept as its name (a string); values with more
    // are a Dictionary<string, int> of profile name -> number of sections (in either file) that give it this value.
    private readonly Dictionary<string, Dictionary<string, object>> uses = new(StringComparer.Ordinal);

    /// <summary>What one section contributes: (key, value) pairs of its profile.</summary>
    private readonly record struct Use(string Key, string Value);

    private sealed class Side
    {
        public SectionSyntax?[] Keys = [];
        public Use[][] Uses = [];
        public string?[] Names = [];
    }

    // The model to catch up with before the next question (Follow), and whether the index serves the last one it did.
    private ProfileModel? pending;
    private bool usable;

    /// <summary>
    /// Makes the next question bring the index up to <paramref name="model"/> first: costs nothing until a hover or a
    /// completion needs the index, so a keystroke followed by an unrelated request does not pay for it.
    /// </summary>
    public void Follow(ProfileModel model) => pending = model;

    private bool Ready()
    {
        if (pending is { } model)
        {
            pending = null;
            Update(model);
        }
        return usable;
    }

    /// <summary>
    /// Brings the index up to <paramref name="model"/>; false (and the index emptied) when the model has a file with
    /// <c>[DEFAULT]</c> sections or a duplicate section, which the index does not follow.
    /// </summary>
    public bool Update(ProfileModel model)
    {
        pending = null;
        if (!CanIndex(model.Config) || !CanIndex(model.Credentials))
        {
            Clear(config);
            Clear(credentials);
            return usable = false;
        }
        Update(config, model.Config);
        Update(credentials, model.Credentials);
        return usable = true;
    }

    // [DEFAULT] values reach every section without being written in it; a duplicate section makes the model's order
    // that of first occurrences, which section positions do not give. Both are rare: such files are walked.
    private static bool CanIndex(ConfigFile file) =>
        file.DefaultsSections.Count == 0 && !file.Problems.Any(problem => problem.Kind == FileProblemKind.DuplicateSection);

    /// <summary>
    /// The profiles whose value of <paramref name="key"/> (as the CLI reads it) is <paramref name="value"/>, in model
    /// order; null when the index does not serve the model (the caller walks the profiles).
    /// </summary>
    public IReadOnlyList<Profile>? ProfilesWith(ProfileModel model, string key, string value) =>
        Ready() ? Checked(model, Candidates(key, value), profile => profile.Get(key)?.Value == value) : null;

    /// <summary>The profiles whose role ARN is in <paramref name="account"/> or whose <c>sso_account_id</c> is, in model order; null as above.</summary>
    public IReadOnlyList<Profile>? ProfilesInAccount(ProfileModel model, string account) =>
        Ready()
            ? Checked(model, Candidates(RoleAccount, account).Concat(Candidates(Keys.SsoAccountId, account)),
                profile => AccountOf(profile.Get(Keys.RoleArn)?.Value) == account || profile.Get(Keys.SsoAccountId)?.Value == account)
            : null;

    /// <summary>
    /// Every value of <paramref name="key"/> written in a profile section of either file, with the names of the profiles
    /// whose sections write it (a profile whose two sections write it appears once); null as above.
    /// </summary>
    public IEnumerable<(string Value, IReadOnlyCollection<string> Profiles)>? ValuesOf(string key) => Ready() ? Values(key) : null;

    private IEnumerable<(string Value, IReadOnlyCollection<string> Profiles)> Values(string key)
    {
        if (!uses.TryGetValue(key, out var values)) yield break;
        foreach (var (value, profiles) in values) yield return (value, Names(profiles));
    }

    /// <summary>Where a profile comes in the model's order: config file first, then profiles only in the credentials file.</summary>
    public static (int File, int Index) OrderOf(Profile profile) =>
        profile.ConfigSection is { } section ? (0, section.SectionIndex) : (1, profile.CredentialsSection!.SectionIndex);

    private IEnumerable<string> Candidates(string key, string value) =>
        uses.TryGetValue(key, out var values) && values.TryGetValue(value, out var profiles) ? Names(profiles) : [];

    private static IReadOnlyCollection<string> Names(object profiles) => profiles is string name ? [name] : ((Dictionary<string, int>)profiles).Keys;

    private static List<Profile> Checked(ProfileModel model, IEnumerable<string> names, Func<Profile, bool> uses)
    {
        var found = new List<Profile>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (model.GetProfile(name) is { } profile && uses(profile)) found.Add(profile);
        }
        found.Sort((a, b) => OrderOf(a).CompareTo(OrderOf(b)));
        return found;
    }

    /// <summary>The account field of an ARN (<c>arn:PARTITION:SERVICE:REGION:ACCOUNT:...</c>), null when there is none.</summary>
    internal static string? AccountOf(string? arn)
    {
        if (arn is null) return null;
        var parts = arn.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[4].Length > 0 ? parts[4] : null;
    }

    private void Update(Side side, ConfigFile file)
    {
        var sections = file.Sections;
        var count = sections.Count;
        var oldCount = side.Keys.Length;
        var (prefix, suffix) = SectionMatch.Of(sections, side.Keys);
        if (prefix == count && count == oldCount) return;
        for (var i = prefix; i < oldCount - suffix; i++) Remove(side.Names[i], side.Uses[i]);
        var keys = SectionMatch.Carry(side.Keys, count, prefix, suffix);
        var sectionUses = SectionMatch.Carry(side.Uses, count, prefix, suffix);
        var names = SectionMatch.Carry(side.Names, count, prefix, suffix);
        for (var i = prefix; i < count - suffix; i++)
        {
            var section = sections[i];
            keys[i] = section.Syntax;
            names[i] = section.Role == SectionRole.Profile ? section.EntityName : null;
            sectionUses[i] = names[i] is null ? [] : UsesOf(section);
            Add(names[i], sectionUses[i]);
        }
        (side.Keys, side.Uses, side.Names) = (keys, sectionUses, names);
    }

    private static Use[] UsesOf(SectionEntry section)
    {
        List<Use>? found = null;
        foreach (var key in IndexedKeys)
        {
            if (section.Get(key)?.Value is not { Length: > 0 } value) continue;
            (found ??= []).Add(new Use(key, value));
            if (key == Keys.RoleArn && AccountOf(value) is { } account) found.Add(new Use(RoleAccount, account));
        }
        return found is null ? [] : [.. found];
    }

    private void Add(string? name, Use[] sectionUses)
    {
        if (name is null) return;
        foreach (var (key, value) in sectionUses)
        {
            if (!uses.TryGetValue(key, out var values)) uses[key] = values = new Dictionary<string, object>(StringComparer.Ordinal);
            if (!values.TryGetValue(value, out var profiles))
            {
                values[value] = name;
                continue;
            }
            if (profiles is string single)
            {
                values[value] = profiles = new Dictionary<string, int>(2, StringComparer.Ordinal) { [single] = 1 };
            }
            var counts = (Dictionary<string, int>)profiles;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
    }

    private void Remove(string? name, Use[] sectionUses)
    {
        if (name is null) return;
        foreach (var (key, value) in sectionUses)
        {
            var values = uses[key];
            if (values[value] is string)
            {
                values.Remove(value);
                continue;
            }
            var counts = (Dictionary<string, int>)values[value];
            if (counts[name] > 1) counts[name]--;
            else counts.Remove(name);
            if (counts.Count == 1 && counts.First() is { Value: 1 } last) values[value] = last.Key;
        }
    }

    private void Clear(Side side)
    {
        for (var i = 0; i < side.Keys.Length; i++) Remove(side.Names[i], side.Uses[i]);
        (side.Keys, side.Uses, side.Names) = ([], [], []);
    }
}
