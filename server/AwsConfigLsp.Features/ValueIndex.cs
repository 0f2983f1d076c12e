using System.Runtime.InteropServices;
using AwsConfigLsp.Model;
using AwsConfigLsp.Model.Catalog;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>
/// Which profiles use which value of the keys that hover and completion list users of (<c>role_arn</c>,
/// <c>mfa_serial</c>, <c>sso_session</c>, <c>services</c>, <c>sso_account_id</c>, and the account of a role ARN), so that
/// "also used by" and "other profiles in this account" cost the users of one value, not a walk over 50k profiles per
/// request. Kept per document pair by the caller and brought up to date with <see cref="Update"/>: each file's sections
/// are held by syntax identity and followed through the file's change history (the sections each version replaced),
/// so an edit costs the edited sections.
/// Answers are exact: candidates are checked against the model (<see cref="Profile.Get"/>) and returned in model order.
/// Files with a <c>[DEFAULT]</c> section (values every section inherits) or a duplicate section are not indexed:
/// <see cref="Update"/> returns false and callers walk the model as before. Not thread-safe; the server uses it on its message loop.
/// </summary>
public sealed class ValueIndex
{
    /// <summary>The pseudo-key under which a role ARN's account is indexed.</summary>
    private const string RoleAccount = "role_arn#account";

    /// <summary>
    /// The pseudo-key under which every account ID (12 digits) a section names is indexed: the accounts of its role ARN,
    /// MFA device and sign-in session, its <c>sso_account_id</c> and <c>aws_account_id</c> (what completion offers as accounts).
    /// </summary>
    public const string AnyAccount = "#account";

    /// <summary>The pseudo-key under which each profile section gives its profile's name (completion of <c>source_profile</c> on huge files).</summary>
    public const string ProfileNames = "#profile";

    private static readonly string[] ArnKeys = [Keys.RoleArn, Keys.MfaSerial, Keys.LoginSession];
    private static readonly string[] AccountKeys = [Keys.SsoAccountId, "aws_account_id"];

    private static readonly string[] IndexedKeys = [Keys.RoleArn, Keys.MfaSerial, Keys.SsoSession, "services", Keys.SsoAccountId, Keys.SourceProfile];

    private readonly Side config = new();
    private readonly Side credentials = new();
    // key -> its (value, profile) pairs: 16 bytes a use. A table of value -> users per key held ~28 bytes a use plus a
    // dictionary per value with several users (~7.5 MiB at 50k profiles, now ~3.7).
    private readonly Dictionary<string, Pairs> uses = new(StringComparer.Ordinal);

    /// <summary>
    /// One key's uses: (value, profile name) pairs sorted by value, then name (ordinal), so a value's users are one run
    /// found by binary search. A profile whose two sections (config and credentials) give the value is in it twice. The
    /// pairs are kept in chunks of up to 1024: an edit inserts or removes a few pairs inside one chunk. In one list of
    /// the ~90k account uses of a 50k-profile file, each insertion moved up to 1.4 MB of references with the collector's
    /// write barrier (a keystroke's completion 2.5 -> 5-8 ms). A bulk update (the first build, a paste) appends and sorts
    /// once at its end.
    /// </summary>
    private sealed class Pairs
    {
        private const int ChunkSize = 512;
        private readonly List<List<(string Value, string Name)>> chunks = [];
        // Added during a bulk update: merged into the sorted pairs by EndBulk.
        private List<(string Value, string Name)>? pending;

        /// <summary>How many pairs there are (those a bulk update added included).</summary>
        public int Count
        {
            get
            {
                var count = pending?.Count ?? 0;
                foreach (var chunk in chunks) count += chunk.Count;
                return count;
            }
        }

        public void Reserve(int count)
        {
            pending ??= [];
            pending.EnsureCapacity(pending.Count + count);
        }

        public void Add(string value, string name, bool bulk)
        {
            if (bulk)
            {
                (pending ??= []).Add((value, name));
                return;
            }
            if (chunks.Count == 0)
            {
                chunks.Add(new List<(string, string)>(16) { (value, name) });
                return;
            }
            var (c, at) = Locate(value, name);
            if (c == chunks.Count) (c, at) = (c - 1, chunks[c - 1].Count);
            var chunk = chunks[c];
            chunk.Insert(at, (value, name));
            if (chunk.Count >= 2 * ChunkSize)
            {
                var second = new List<(string, string)>(ChunkSize + ChunkSize / 4);
                second.AddRange(CollectionsMarshal.AsSpan(chunk)[ChunkSize..]);
                chunk.RemoveRange(ChunkSize, chunk.Count - ChunkSize);
                chunks.Insert(c + 1, second);
            }
        }

        public void Remove(string value, string name)
        {
            if (pending is { Count: > 0 })
            {
                // A pair this bulk update added (a section one version added and a later one replaced).
                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    if (pending[i].Value == value && pending[i].Name == name)
                    {
                        pending[i] = pending[^1];
                        pending.RemoveAt(pending.Count - 1);
                        return;
                    }
                }
            }
            var (c, at) = Locate(value, name);
            if (c == chunks.Count) return;
            var chunk = chunks[c];
            if (chunk[at].Value != value || chunk[at].Name != name) return;
            chunk.RemoveAt(at);
            if (chunk.Count == 0) chunks.RemoveAt(c);
        }

        /// <summary>Ends a bulk update: the pairs it added sorted into the others, cut into chunks again.</summary>
        public void EndBulk()
        {
            if (pending is null) return;
            var all = pending;
            pending = null;
            foreach (var chunk in chunks) all.AddRange(chunk);
            chunks.Clear();
            var span = CollectionsMarshal.AsSpan(all);
            span.Sort(new PairOrder());
            for (var from = 0; from < span.Length; from += ChunkSize)
            {
                var piece = span[from..Math.Min(span.Length, from + ChunkSize)];
                var chunk = new List<(string, string)>(piece.Length + piece.Length / 8);
                chunk.AddRange(piece);
                chunks.Add(chunk);
            }
        }

        /// <summary>How many profiles give <paramref name="value"/> (a profile's two sections count once).</summary>
        public int UserCount(string value)
        {
            var count = 0;
            string? previous = null;
            foreach (var name in RunOf(value))
            {
                if (name != previous) count++;
                previous = name;
            }
            return count;
        }

        /// <summary>The profiles that give <paramref name="value"/>, each once, in name order.</summary>
        public IReadOnlyCollection<string> Names(string value)
        {
            List<string>? names = null;
            string? previous = null;
            foreach (var name in RunOf(value))
            {
                if (name != previous) (names ??= []).Add(name);
                previous = name;
            }
            return names is null ? [] : names;
        }

        /// <summary>Each value once (in ordinal order) with its number of users.</summary>
        public IEnumerable<(string Value, int Users)> Values()
        {
            string? value = null;
            string? previousName = null;
            var users = 0;
            foreach (var chunk in chunks)
            {
                foreach (var (v, name) in chunk)
                {
                    if (v != value)
                    {
                        if (value is not null) yield return (value, users);
                        (value, users, previousName) = (v, 0, null);
                    }
                    if (name != previousName) users++;
                    previousName = name;
                }
            }
            if (value is not null) yield return (value, users);
        }

        /// <summary>The names of the pairs of <paramref name="value"/>, in order.</summary>
        private IEnumerable<string> RunOf(string value)
        {
            var (c, at) = Locate(value, "");
            for (; c < chunks.Count; c++, at = 0)
            {
                var chunk = chunks[c];
                for (; at < chunk.Count; at++)
                {
                    if (chunk[at].Value != value) yield break;
                    yield return chunk[at].Name;
                }
            }
        }

        /// <summary>
        /// Where (<paramref name="value"/>, <paramref name="name"/>) is or would go: the first pair at or after it, as a
        /// chunk and a place in it; (chunk count, 0) when every pair comes before it.
        /// </summary>
        private (int Chunk, int At) Locate(string value, string name)
        {
            var key = (value, name);
            // The first chunk whose last pair is at or after the key.
            var (low, high) = (0, chunks.Count);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                var chunk = chunks[middle];
                if (PairOrder.Compare(chunk[^1], key) < 0) low = middle + 1;
                else high = middle;
            }
            if (low == chunks.Count) return (low, 0);
            var found = chunks[low];
            var (from, to) = (0, found.Count);
            while (from < to)
            {
                var middle = (from + to) >>> 1;
                if (PairOrder.Compare(found[middle], key) < 0) from = middle + 1;
                else to = middle;
            }
            return (low, from);
        }
    }

    private readonly struct PairOrder : IComparer<(string Value, string Name)>
    {
        public int Compare((string Value, string Name) x, (string Value, string Name) y) => Compare(in x, in y);

        public static int Compare(in (string Value, string Name) x, in (string Value, string Name) y)
        {
            var order = string.CompareOrdinal(x.Value, y.Value);
            return order != 0 ? order : string.CompareOrdinal(x.Name, y.Name);
        }
    }

    /// <summary>What one section contributes: (key, value) pairs of its profile.</summary>
    private readonly record struct Use(string Key, string Value);

    /// <summary>
    /// The version of one file the index is up to. What each section contributed is not kept (at 50k profiles that was
    /// 7.5 of the index's 24.3 MiB): a section's uses are a function of its text, and versions never change, so a section
    /// that a later version replaced gives the same uses when they are taken back as when they were added.
    /// </summary>
    private sealed class Side
    {
        public ConfigFile? File;
        public long FileId => File?.Id ?? -1;
    }

    /// <summary>
    /// The order of values in a <see cref="Sorted"/> list: case-insensitive ordinal (so the values that start with what
    /// was typed, in any case, are one run of the list), then ordinal.
    /// </summary>
    public static readonly IComparer<string> ValueOrder = Comparer<string>.Create((a, b) =>
    {
        var order = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return order != 0 ? order : string.CompareOrdinal(a, b);
    });

    /// <summary>The keys whose values completion lists: kept in <see cref="ValueOrder"/> with their number of users.</summary>
    private static readonly string[] SortedKeys = [Keys.RoleArn, Keys.MfaSerial, AnyAccount, ProfileNames];

    /// <summary>A key's values in <see cref="ValueOrder"/> (one line each: values holding a line break are left out) and how many profiles use each.</summary>
    public sealed class Sorted(int capacity = 0)
    {
        // Made at their final size when the index is built: grown by doubling, the lists of a 50k-profile file's ~100k
        // values had room to spare (the index held 16.8 MiB, now 15.6).
        internal readonly List<string> ValueList = new(capacity);
        internal readonly List<int> UserList = new(capacity);
        // Beside each value, the characters it holds (CharacterMask): a loose-match scan reads these first, in one array.
        internal readonly List<ulong> MaskList = new(capacity);

        public IReadOnlyList<string> Values => ValueList;
        public IReadOnlyList<int> Users => UserList;

        /// <summary>The run of values that start with <paramref name="prefix"/>, ignoring case: [Start, End).</summary>
        public (int Start, int End) PrefixRange(string prefix)
        {
            int Search(bool after)
            {
                // The first value that sorts after the prefix (start: at or after; end: after every value that starts with it).
                var (low, high) = (0, ValueList.Count);
                while (low < high)
                {
                    var middle = (low + high) >>> 1;
                    var value = ValueList[middle];
                    var order = string.Compare(value, 0, prefix, 0, after ? prefix.Length : int.MaxValue, StringComparison.OrdinalIgnoreCase);
                    if (after ? order <= 0 : order < 0) low = middle + 1;
                    else high = middle;
                }
                return low;
            }
            return (Search(after: false), Search(after: true));
        }

        /// <summary>Where <paramref name="value"/> is, or -1.</summary>
        public int IndexOf(string value)
        {
            var index = ValueList.BinarySearch(value, ValueOrder);
            return index >= 0 ? index : -1;
        }

        internal void Set(string value, int users)
        {
            var index = ValueList.BinarySearch(value, ValueOrder);
            if (index >= 0)
            {
                if (users > 0)
                {
                    UserList[index] = users;
                    return;
                }
                ValueList.RemoveAt(index);
                UserList.RemoveAt(index);
                MaskList.RemoveAt(index);
            }
            else if (users > 0)
            {
                ValueList.Insert(~index, value);
                UserList.Insert(~index, users);
                MaskList.Insert(~index, CharacterMask(value));
            }
        }

        /// <summary>The characters of the value at <paramref name="index"/> (see <see cref="CharacterMask"/>).</summary>
        public ulong MaskAt(int index) => MaskList[index];
    }

    /// <summary>
    /// A 64-bit set of the characters in <paramref name="text"/>, ignoring case: one bit per letter and digit, one for
    /// '-', '_', '.', and one for anything else. If text T is a case-insensitive subsequence of V, every bit of T's mask
    /// is in V's, so a value whose mask lacks one of them cannot match and its string is never read.
    /// </summary>
    public static ulong CharacterMask(string text)
    {
        ulong mask = 0;
        foreach (var original in text)
        {
            // Bits are of the lower-case letter, as the subsequence test compares: equal letters get equal bits.
            var c = char.ToLowerInvariant(original);
            var bit = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= '0' and <= '9' => 26 + (c - '0'),
                '-' => 36,
                '_' => 37,
                '.' => 38,
                _ => 39,
            };
            mask |= 1UL << bit;
        }
        return mask;
    }

    private readonly Dictionary<string, Sorted> sorted = new(StringComparer.Ordinal);
    // Set while many sections change at once (the first update, a paste): the sorted lists are rebuilt once at the end.
    private bool bulk;

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
        // The sorted lists once for both files: a first build rebuilt them after each (~80 ms each at 50k profiles).
        var rebuild = Update(config, model.Config);
        rebuild |= Update(credentials, model.Credentials);
        if (rebuild)
        {
            bulk = false;
            RebuildSorted();
        }
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
        Ready() ? Checked(model, UsersOf(key, value), profile => profile.Get(key)?.Value == value) : null;

    /// <summary>The profiles whose role ARN is in <paramref name="account"/> or whose <c>sso_account_id</c> is, in model order; null as above.</summary>
    public IReadOnlyList<Profile>? ProfilesInAccount(ProfileModel model, string account) =>
        Ready()
            ? Checked(model, UsersOf(RoleAccount, account).Concat(UsersOf(Keys.SsoAccountId, account)),
                profile => AccountOf(profile.Get(Keys.RoleArn)?.Value) == account || profile.Get(Keys.SsoAccountId)?.Value == account)
            : null;

    /// <summary>The values of <paramref name="key"/> (role ARNs, MFA devices, <see cref="AnyAccount"/>, <see cref="ProfileNames"/>) in <see cref="ValueOrder"/> with their users; null as above.</summary>
    public Sorted? SortedOf(string key) => Ready() ? sorted.GetValueOrDefault(key) ?? new Sorted() : null;

    /// <summary>
    /// <see cref="UsersOf"/> for the model the index was last told to follow; null when the index does not serve it
    /// (the caller walks the sections).
    /// </summary>
    public IReadOnlyCollection<string>? WritersOf(string key, string value) => Ready() ? UsersOf(key, value) : null;

    /// <summary>The names of the profiles whose sections write <paramref name="value"/> for <paramref name="key"/> (a profile whose two sections write it appears once).</summary>
    public IReadOnlyCollection<string> UsersOf(string key, string value) =>
        uses.TryGetValue(key, out var pairs) ? pairs.Names(value) : [];

    /// <summary>Where a profile comes in the model's order: config file first, then profiles only in the credentials file.</summary>
    public static (int File, int Index) OrderOf(Profile profile) =>
        profile.ConfigSection is { } section ? (0, section.SectionIndex) : (1, profile.CredentialsSection!.SectionIndex);

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
    public static string? AccountOf(string? arn) => AccountFieldOf(arn) is { IsEmpty: false } account ? account.ToString() : null;

    /// <summary>
    /// <see cref="AccountOf"/> read in place (empty when there is none): called for every role and MFA ARN of a
    /// 50k-profile file when the index is built, where a split allocated ~20 MiB, and by completion.
    /// </summary>
    public static ReadOnlySpan<char> AccountFieldOf(ReadOnlySpan<char> arn)
    {
        if (!arn.StartsWith("arn:", StringComparison.Ordinal)) return default;
        var rest = arn;
        for (var field = 0; field < 4; field++)
        {
            var colon = rest.IndexOf(':');
            if (colon < 0) return default;
            rest = rest[(colon + 1)..];
        }
        var end = rest.IndexOf(':');
        return end < 0 ? default : rest[..end];
    }

    /// <summary>
    /// Brings one file's side up to <paramref name="file"/>: through the file's change history (the sections each version
    /// replaced) back to the version the side is up to, which costs the edited sections, not a look at every section;
    /// from scratch (a diff by syntax identity) when the history does not reach that far. True when it started a bulk
    /// update: the caller then rebuilds the sorted lists, once for both files.
    /// </summary>
    private bool Update(Side side, ConfigFile file)
    {
        if (side.FileId == file.Id) return false;
        // The changes back to the version indexed, newest first; null when the history does not reach it (then the
        // files are diffed).
        var changes = side.File is { } indexedFile ? ProfileModel.Follows(file, indexedFile) : null;
        var changed = 0;
        foreach (var change in changes ?? []) changed += change.Removed.Count + change.Added.Count;
        var wasBulk = bulk;
        bulk |= changes is null || changed > 256;
        if (changes is not null)
        {
            // Oldest first: a section one version added may be one a later version replaced.
            for (var c = changes.Count - 1; c >= 0; c--)
            {
                foreach (var removed in changes[c].Removed) RemoveSection(removed);
                foreach (var added in changes[c].Added) AddSection(added);
            }
        }
        else
        {
            // A diff by syntax identity between the version indexed and this one (none indexed: every section is new).
            var before = side.File?.Sections ?? [];
            if (before.Count == 0) Reserve(file);
            var indexed = new HashSet<SectionSyntax>(before.Count, ReferenceEqualityComparer.Instance);
            foreach (var section in before) indexed.Add(section.Syntax);
            var current = new HashSet<SectionSyntax>(file.Sections.Count, ReferenceEqualityComparer.Instance);
            foreach (var section in file.Sections) current.Add(section.Syntax);
            foreach (var section in before)
            {
                if (!current.Contains(section.Syntax)) RemoveSection(section);
            }
            foreach (var section in file.Sections)
            {
                if (!indexed.Contains(section.Syntax)) AddSection(section);
            }
        }
        side.File = file;
        // The caller rebuilds the sorted lists (and ends the bulk update) when this one started it.
        return bulk && !wasBulk;
    }

    /// <summary>
    /// Before the first build of a large file: each key's table made at the size of the sections that write the key (an
    /// upper bound of its values), not grown by doubling. At 50k profiles the tables' growth was ~10 MiB of the build's
    /// ~36 MiB of allocations. Accounts are left to grow: many profiles share a few accounts in most files.
    /// </summary>
    private void Reserve(ConfigFile file)
    {
        if (file.Sections.Count < 1024) return;
        // The indexed keys, then the profile names, a role ARN's account and any account (upper bounds: every ARN
        // and account line, whether or not it holds a valid account). Pairs are per use, so these are the tables' sizes:
        // grown by doubling instead, the account tables' arrays went to the large object heap, and the first build
        // raised the committed memory by ~35 MiB for ~7 MiB of index.
        Span<int> counts = stackalloc int[IndexedKeys.Length + 3];
        foreach (var section in file.Sections)
        {
            if (ProfileNameOf(section) is null) continue;
            counts[IndexedKeys.Length]++;
            for (var k = 0; k < IndexedKeys.Length; k++)
            {
                if (section.Get(IndexedKeys[k])?.Value is { Length: > 0 }) counts[k]++;
            }
            if (section.Get(Keys.RoleArn)?.Value is { Length: > 0 }) counts[IndexedKeys.Length + 1]++;
            foreach (var key in ArnKeys)
            {
                if (section.Get(key)?.Value is { Length: > 0 }) counts[IndexedKeys.Length + 2]++;
            }
            foreach (var key in AccountKeys)
            {
                if (section.Get(key) is not null) counts[IndexedKeys.Length + 2]++;
            }
        }
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] == 0) continue;
            var key = k < IndexedKeys.Length ? IndexedKeys[k] : (k - IndexedKeys.Length) switch { 0 => ProfileNames, 1 => RoleAccount, _ => AnyAccount };
            if (!uses.TryGetValue(key, out var pairs)) uses[key] = pairs = new Pairs();
            pairs.Reserve(counts[k]);
        }
    }

    private void AddSection(SectionEntry section)
    {
        if (ProfileNameOf(section) is { } name) Add(name, UsesOf(section));
    }

    private void RemoveSection(SectionEntry section)
    {
        if (ProfileNameOf(section) is { } name) Remove(name, UsesOf(section));
    }

    private static string? ProfileNameOf(SectionEntry section) => section.Role == SectionRole.Profile ? section.EntityName : null;

    /// <summary>Every sorted list again from the value tables: one sort instead of an insertion per value.</summary>
    private void RebuildSorted()
    {
        foreach (var pairs in uses.Values) pairs.EndBulk();
        sorted.Clear();
        foreach (var key in SortedKeys)
        {
            if (!uses.TryGetValue(key, out var pairs)) continue;
            // Filled in ordinal order, then sorted in place, values and counts together: no list of pairs to sort. At most
            // one value per pair: made at that size, not grown into the large object heap.
            var values = new List<(string Value, int Users)>(pairs.Count);
            foreach (var use in pairs.Values())
            {
                if (!use.Value.Contains('\n')) values.Add(use);
            }
            var list = new Sorted(values.Count);
            foreach (var (value, users) in values)
            {
                list.ValueList.Add(value);
                list.UserList.Add(users);
            }
            CollectionsMarshal.AsSpan(list.ValueList).Sort(CollectionsMarshal.AsSpan(list.UserList), ValueOrder);
            foreach (var value in list.ValueList) list.MaskList.Add(CharacterMask(value));
            sorted[key] = list;
        }
    }

    /// <summary>Keeps a sorted list in step with one value's users (unless a bulk update rebuilds them all at the end).</summary>
    private void Changed(string key, string value, Pairs pairs)
    {
        if (bulk || Array.IndexOf(SortedKeys, key) < 0 || value.Contains('\n')) return;
        if (!sorted.TryGetValue(key, out var list)) sorted[key] = list = new Sorted();
        list.Set(value, pairs.UserCount(value));
    }

    // One list for every section indexed on this thread: a section's uses are read from it when it is added and again
    // when it is removed, and not kept.
    [ThreadStatic] private static List<Use>? scratchUses;

    private static List<Use> UsesOf(SectionEntry section)
    {
        var found = scratchUses ??= [];
        found.Clear();
        // The role ARN's account, made once for both of its uses: ~36k strings of the index at 50k profiles.
        string? roleArn = null, roleAccount = null;
        foreach (var key in IndexedKeys)
        {
            if (section.Get(key)?.Value is not { Length: > 0 } value) continue;
            found.Add(new Use(key, value));
            if (key == Keys.RoleArn && AccountOf(value) is { } account)
            {
                (roleArn, roleAccount) = (value, account);
                found.Add(new Use(RoleAccount, account));
            }
        }
        foreach (var key in ArnKeys)
        {
            if (section.Get(key)?.Value is not { Length: > 0 } arn) continue;
            var trimmed = arn.Trim();
            var account = ReferenceEquals(trimmed, roleArn) ? roleAccount : AccountOf(trimmed);
            if (account is not null && AwsPartitions.IsAccountId(account)) found.Add(new Use(AnyAccount, account));
        }
        foreach (var key in AccountKeys)
        {
            if (section.Get(key)?.Value.Trim() is { } account && AwsPartitions.IsAccountId(account)) found.Add(new Use(AnyAccount, account));
        }
        if (section.EntityName is { } name) found.Add(new Use(ProfileNames, name));
        return found;
    }

    private void Add(string name, List<Use> sectionUses)
    {
        foreach (var (key, value) in sectionUses)
        {
            if (!uses.TryGetValue(key, out var pairs)) uses[key] = pairs = new Pairs();
            pairs.Add(value, name, bulk);
            Changed(key, value, pairs);
        }
    }

    private void Remove(string name, List<Use> sectionUses)
    {
        foreach (var (key, value) in sectionUses)
        {
            if (!uses.TryGetValue(key, out var pairs)) continue;
            pairs.Remove(value, name);
            Changed(key, value, pairs);
        }
    }

    private void Clear(Side side)
    {
        sorted.Clear();
        if (side.File is { } file)
        {
            foreach (var section in file.Sections) RemoveSection(section);
        }
        side.File = null;
    }
}
